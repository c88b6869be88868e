import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Interface, Wallet, type JsonRpcProvider } from 'ethers';
import { CreditIndexBook, CreditManager__factory, MarginHub__factory, PerpMarket__factory, layoutCreditPush } from '@tributary/contracts';
import { ChainRegistry } from '../chain/chain-registry';
import {
  CreditContracts,
  type CreditChainState,
  type HubPendingWithdrawal,
  type HubWithdrawalLimits,
  type OnChainAccount,
  type TradingReceipt,
} from '../chain/credit-contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TxSender, VOLATILE_JOURNAL, messageOf, type TxJournal, type TxRequest } from '@tributary/service-kit';

export type { CreditChainState, HubPendingWithdrawal, HubWithdrawalLimits, OnChainAccount, TradingReceipt };

export interface PushEntry {
  account: string;
  limit: bigint;
  liquidatable: boolean;
}

/**
 * Gas of pushCreditLimits (contracts bench/credit-push.ts, with margin): ≈ 38k a batch, ≈ 37k per first-time
 * account (its account word, half a limits slot, AccountIndexed), ≈ 6.2k per slot word (one or two halves).
 */
export const pushGasLimit = (newAccounts: number, slots: number): bigint => 80_000n + 45_000n * BigInt(newAccounts) + 9_000n * BigInt(slots);

/** A push as sent: the transaction, and the partner halves `fill` added (pushed at the value it gave). */
export interface BuiltPush {
  request: TxRequest;
  filled: PushEntry[];
  slots: number;
}

const creditManagerAbi = CreditManager__factory.createInterface();
const perpMarketAbi = PerpMarket__factory.createInterface();
const hubAbi = MarginHub__factory.createInterface();

/**
 * The trading chain as the pusher and the liquidation watch see it: CreditManager / PerpMarket reads (through
 * `CreditContracts`) and the signers (one TxSender per key, so a liquidator sharing the pusher key shares its
 * nonce queue). Disabled, with a reason, when there is no manifest, no CreditManager/PerpMarket or no pusher key.
 */
@Injectable()
export class TradingChain implements OnApplicationShutdown {
  private readonly logger = new Logger(TradingChain.name);
  readonly disabledReason: string | null;
  readonly creditManager: string | null = null;
  readonly perpMarket: string | null = null;
  readonly hub: string | null = null;
  readonly pusher: TxSender<TradingReceipt> | null = null;
  readonly liquidator: TxSender<TradingReceipt> | null = null;
  /**
   * Where the signers record their transactions before broadcast: nowhere. After a restart the chain says what
   * landed (a push of an epoch already taken reverts StaleEpoch and is retried; liquidate() is simulated again),
   * so a pending transaction the process forgot costs at most one reverted transaction.
   */
  readonly journal: TxJournal = VOLATILE_JOURNAL;
  private readonly contracts: CreditContracts | null = null;
  /** index ↔ account of the CreditManager (AccountIndexed), so a push names accounts by index. */
  private readonly indexBook: CreditIndexBook | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, registry: ChainRegistry) {
    const chain = registry.tradingChain;
    const cm = chain?.manifest.contracts.creditManager;
    const key = config.AGGREGATOR_PUSHER_PRIVATE_KEY;
    this.disabledReason = !chain
      ? 'no manifest (MANIFEST_PATH) with a trading chain'
      : !cm
        ? 'the trading chain has no CreditManager in the manifest'
        : !key
          ? 'AGGREGATOR_PUSHER_PRIVATE_KEY is not set'
          : null;
    if (!chain || !cm) return;
    this.contracts = new CreditContracts(chain, cm, chain.manifest.contracts.perpMarket, chain.manifest.contracts.hub);
    this.creditManager = this.contracts.creditManager;
    this.perpMarket = this.contracts.perpMarket;
    this.hub = this.contracts.hub;
    this.indexBook = new CreditIndexBook(CreditManager__factory.connect(cm, this.contracts.provider), chain.startBlock);
    if (!key) return;
    const rpc = this.contracts.txRpc;
    const settings = {
      replaceAfterMs: config.CREDIT_TX_TIMEOUT_MS,
      bumpPercent: config.CREDIT_FEE_BUMP_PERCENT,
      pollMs: config.CREDIT_TX_POLL_MS,
      maxReplacements: 10,
    };
    this.pusher = new TxSender(rpc, key, settings);
    const liquidatorKey = config.AGGREGATOR_LIQUIDATOR_PRIVATE_KEY;
    this.liquidator =
      liquidatorKey && new Wallet(liquidatorKey).address !== this.pusher.address ? new TxSender(rpc, liquidatorKey, settings) : this.pusher;
  }

  get enabled(): boolean {
    return this.disabledReason === null;
  }

  /** The trading chain's JSON-RPC provider (null without a manifest / CreditManager). */
  get provider(): JsonRpcProvider | null {
    return this.contracts?.provider ?? null;
  }

  private get rpc(): CreditContracts {
    if (!this.contracts) throw new Error('trading chain not configured');
    return this.contracts;
  }

  state(): Promise<CreditChainState> {
    return this.rpc.state();
  }

  lastEpoch(): Promise<bigint> {
    return this.rpc.lastEpoch();
  }

  /** CreditManager.account() of each address. */
  accounts(addresses: readonly string[]): Promise<Map<string, OnChainAccount>> {
    return this.rpc.accounts(addresses);
  }

  isLiquidatable(account: string): Promise<boolean> {
    return this.rpc.isLiquidatable(account);
  }

  /** Markets where the account has a non-zero position. */
  openPositions(account: string): Promise<number[]> {
    return this.rpc.openPositions(account);
  }

  /**
   * The push transaction: entries laid out two accounts per slot (new accounts get the next indices). A slot
   * with one entry asks `fill(partner)` for the partner's half: a value writes it (one slot write then serves
   * both), null leaves it as it is on chain.
   */
  async pushRequest(epoch: bigint, entries: readonly PushEntry[], fill: (account: string) => PushEntry | null = () => null): Promise<BuiltPush> {
    const book = this.indexBook!;
    await book.sync();
    const onChain = Number(await this.rpc.accountCount());
    if (onChain !== book.count) {
      // A reorg (or a log the node had not served yet): read the indices again.
      book.reset();
      await book.sync();
      if (Number(await this.rpc.accountCount()) !== book.count) throw new Error(`credit index book has ${book.count} accounts, the chain ${onChain}`);
    }
    const filled: PushEntry[] = [];
    const layout = layoutCreditPush(
      entries.map((e) => ({ account: e.account, base: e.limit, liquidatable: e.liquidatable })),
      (account) => book.indexOf(account),
      book.count,
      (index) => {
        const partner = book.accountAt(index);
        const value = partner ? fill(partner) : null;
        if (!value) return null;
        filled.push(value);
        return { base: value.limit, liquidatable: value.liquidatable };
      },
    );
    return {
      request: {
        to: this.creditManager!,
        data: creditManagerAbi.encodeFunctionData('pushCreditLimits', [epoch, layout.newAccounts, layout.slots]),
        gasLimit: pushGasLimit(layout.newAccounts.length, layout.slots.length),
      },
      filled,
      slots: layout.slots.length,
    };
  }

  /**
   * PerpMarket.liquidate(account, fraction) as the liquidator would send it (fraction 1e18 = everything); the simulation (gas estimate) throws with the
   * decoded custom error when it would revert, so nothing is sent then.
   */
  async liquidateRequest(account: string, fraction: bigint = 10n ** 18n): Promise<TxRequest> {
    if (!this.perpMarket || !this.liquidator) throw new Error('no PerpMarket or liquidator key');
    const data = perpMarketAbi.encodeFunctionData('liquidate', [account, fraction]);
    try {
      const gas = await this.rpc.estimateGas({ from: this.liquidator.address, to: this.perpMarket, data });
      return { to: this.perpMarket, data, gasLimit: (gas * 13n) / 10n + 20_000n };
    } catch (error) {
      throw new Error(describeRevert(error, perpMarketAbi, creditManagerAbi));
    }
  }

  pendingWithdrawal(eid: number, requestId: bigint): Promise<HubPendingWithdrawal> {
    return this.rpc.pendingWithdrawal(eid, requestId);
  }

  hubWithdrawalLimits(account: string, eid: number, assetId: number, decimals: number): Promise<HubWithdrawalLimits> {
    return this.rpc.hubWithdrawalLimits(account, eid, assetId, decimals);
  }

  creditBalance(account: string): Promise<bigint> {
    return this.rpc.creditBalance(account);
  }

  chainNow(): Promise<number> {
    return this.rpc.now();
  }

  /**
   * MarginHub.decideWithdrawal (the decider is the pusher key: DECIDER_ROLE, one nonce queue), or
   * expireWithdrawal when `approve` is null; simulated first, so a request another replica decided is not sent.
   */
  async withdrawalDecisionRequest(eid: number, requestId: bigint, approve: boolean | null, reason = 0): Promise<TxRequest> {
    if (!this.hub || !this.pusher) throw new Error('no MarginHub or decider key');
    const data =
      approve === null
        ? hubAbi.encodeFunctionData('expireWithdrawal', [eid, requestId])
        : hubAbi.encodeFunctionData('decideWithdrawal', [eid, requestId, approve, approve ? 0 : reason]);
    try {
      const gas = await this.rpc.estimateGas({ from: this.pusher.address, to: this.hub, data });
      return { to: this.hub, data, gasLimit: (gas * 13n) / 10n + 20_000n };
    } catch (error) {
      throw new Error(describeRevert(error, hubAbi, creditManagerAbi));
    }
  }

  /** Pending sends give up (shutdown). */
  stopSenders(): void {
    this.pusher?.stop();
    this.liquidator?.stop();
  }

  onApplicationShutdown(): void {
    this.stopSenders();
    this.contracts?.destroy();
    this.logger.debug('trading chain provider closed');
  }
}

/** A revert as "ErrorName(args)" when the data decodes against one of the ABIs, else the RPC message. */
export function describeRevert(error: unknown, ...abis: Interface[]): string {
  const data =
    (error as { data?: unknown; info?: { error?: { data?: unknown } } }).data ??
    (error as { info?: { error?: { data?: { data?: unknown } } } }).info?.error?.data;
  const hex = typeof data === 'string' ? data : typeof (data as { data?: unknown })?.data === 'string' ? (data as { data: string }).data : null;
  if (hex && hex.length >= 10) {
    for (const abi of abis) {
      try {
        const parsed = abi.parseError(hex);
        if (parsed) return `${parsed.name}(${parsed.args.map(String).join(', ')})`;
      } catch {
        // not this ABI
      }
    }
  }
  return messageOf(error);
}
