import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Interface, Wallet, getAddress, type JsonRpcProvider } from 'ethers';
import { CreditManager__factory, PerpMarket__factory, packCreditEntry } from '@tributary/contracts';
import { TxSender, VOLATILE_JOURNAL, messageOf, type Fees, type MinedReceipt, type TxJournal, type TxRequest, type TxRpc } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { chainProvider } from '../registry/chain-provider';
import { ChainRegistry } from '../registry/chain-registry';

export interface CreditChainState {
  lastEpoch: bigint;
  increaseAllowance: bigint;
  /** CreditManager.staleAfter() (s). */
  staleAfter: number;
  /** Timestamp of the latest block (s): the clock staleness is measured against. */
  now: number;
}

export interface OnChainAccount {
  limit: bigint;
  used: bigint;
  liquidatable: boolean;
  /** Chain timestamp of the last push for the account (s); 0 = never. */
  updatedAt: number;
}

export interface PushEntry {
  account: string;
  limit: bigint;
  liquidatable: boolean;
}

/** Gas of pushCreditLimits: measured 48k empty + ≤ 24k per first-time account (contracts gas snapshot), with margin. */
export const pushGasLimit = (entries: number): bigint => 80_000n + 32_000n * BigInt(entries);

const creditManagerAbi = CreditManager__factory.createInterface();
const perpMarketAbi = PerpMarket__factory.createInterface();

/** A mined transaction with the time of its block (the pusher dates its push by it). */
export interface TradingReceipt extends MinedReceipt {
  blockTimestamp: number;
}

class JsonRpcTxRpc implements TxRpc<TradingReceipt> {
  constructor(
    private readonly provider: JsonRpcProvider,
    readonly chainId: number,
  ) {}

  nonce(address: string, tag: 'pending' | 'latest'): Promise<number> {
    return this.provider.getTransactionCount(address, tag);
  }

  async fees(): Promise<Fees> {
    const data = await this.provider.getFeeData();
    const maxFeePerGas = data.maxFeePerGas ?? data.gasPrice ?? 1_000_000_000n;
    const maxPriorityFeePerGas = data.maxPriorityFeePerGas ?? 1_000_000_000n;
    return { maxFeePerGas, maxPriorityFeePerGas: maxPriorityFeePerGas > maxFeePerGas ? maxFeePerGas : maxPriorityFeePerGas };
  }

  async broadcast(raw: string): Promise<void> {
    await this.provider.send('eth_sendRawTransaction', [raw]);
  }

  async receipt(hash: string): Promise<TradingReceipt | null> {
    const receipt = await this.provider.getTransactionReceipt(hash);
    return receipt ? { status: receipt.status ?? 0, blockNumber: receipt.blockNumber, blockTimestamp: await this.blockTimestamp(receipt.blockNumber) } : null;
  }

  async known(hash: string): Promise<boolean> {
    return (await this.provider.send('eth_getTransactionByHash', [hash])) !== null;
  }

  private async blockTimestamp(blockNumber: number): Promise<number> {
    const block = await this.provider.getBlock(blockNumber);
    if (!block) throw new Error(`block ${blockNumber} not found`);
    return block.timestamp;
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The trading chain as the pusher and the liquidation watch see it: CreditManager / PerpMarket reads and the
 * signers (one TxSender per key, so a liquidator sharing the pusher key shares its nonce queue). Disabled, with
 * a reason, when there is no manifest, no CreditManager/PerpMarket or no pusher key.
 */
@Injectable()
export class TradingChain implements OnApplicationShutdown {
  private readonly logger = new Logger(TradingChain.name);
  readonly disabledReason: string | null;
  readonly creditManager: string | null = null;
  readonly perpMarket: string | null = null;
  readonly pusher: TxSender<TradingReceipt> | null = null;
  readonly liquidator: TxSender<TradingReceipt> | null = null;
  /**
   * Where the signers record their transactions before broadcast: nowhere. After a restart the chain says what
   * landed (a push of an epoch already taken reverts StaleEpoch and is retried; liquidate() is simulated again),
   * so a pending transaction the process forgot costs at most one reverted transaction.
   */
  readonly journal: TxJournal = VOLATILE_JOURNAL;
  private readonly provider: JsonRpcProvider | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, registry: ChainRegistry) {
    const chain = registry.tradingChain;
    const cm = chain?.manifest.contracts.creditManager;
    const market = chain?.manifest.contracts.perpMarket;
    const key = config.AGGREGATOR_PUSHER_PRIVATE_KEY;
    this.disabledReason = !chain
      ? 'no manifest (MANIFEST_PATH) with a trading chain'
      : !cm
        ? 'the trading chain has no CreditManager in the manifest'
        : !key
          ? 'AGGREGATOR_PUSHER_PRIVATE_KEY is not set'
          : null;
    if (!chain || !cm) return;
    this.provider = chainProvider(chain);
    this.provider.pollingInterval = 250;
    this.creditManager = getAddress(cm);
    this.perpMarket = market ? getAddress(market) : null;
    if (!key) return;
    const rpc = new JsonRpcTxRpc(this.provider, chain.chainId);
    const settings = { replaceAfterMs: config.CREDIT_TX_TIMEOUT_MS, bumpPercent: config.CREDIT_FEE_BUMP_PERCENT, pollMs: config.CREDIT_TX_POLL_MS, maxReplacements: 10 };
    this.pusher = new TxSender(rpc, key, settings);
    const liquidatorKey = config.AGGREGATOR_LIQUIDATOR_PRIVATE_KEY;
    this.liquidator = liquidatorKey && new Wallet(liquidatorKey).address !== this.pusher.address ? new TxSender(rpc, liquidatorKey, settings) : this.pusher;
  }

  get enabled(): boolean {
    return this.disabledReason === null;
  }

  private get rpc(): JsonRpcProvider {
    if (!this.provider) throw new Error('trading chain not configured');
    return this.provider;
  }

  private creditManagerContract() {
    return CreditManager__factory.connect(this.creditManager!, this.rpc);
  }

  async state(): Promise<CreditChainState> {
    const cm = this.creditManagerContract();
    const [lastEpoch, increaseAllowance, staleAfter, block] = await Promise.all([cm.lastEpoch(), cm.increaseAllowance(), cm.staleAfter(), this.rpc.getBlock('latest')]);
    if (!block) throw new Error('no latest block');
    return { lastEpoch, increaseAllowance, staleAfter: Number(staleAfter), now: block.timestamp };
  }

  async lastEpoch(): Promise<bigint> {
    return this.creditManagerContract().lastEpoch();
  }

  /** CreditManager.account() of each address (16 calls in flight). */
  async accounts(addresses: readonly string[]): Promise<Map<string, OnChainAccount>> {
    const cm = this.creditManagerContract();
    const rows = await mapLimited(addresses, 16, async (address) => {
      const a = await cm.account(address);
      return [address, { limit: a.limit, used: a.used, liquidatable: a.liquidatable, updatedAt: Number(a.updatedAt) }] as const;
    });
    return new Map(rows);
  }

  async isLiquidatable(account: string): Promise<boolean> {
    return this.creditManagerContract().isLiquidatable(account);
  }

  /** Markets where the account has a non-zero position (PerpMarket reads). */
  async openPositions(account: string): Promise<number[]> {
    if (!this.perpMarket) return [];
    const market = PerpMarket__factory.connect(this.perpMarket, this.rpc);
    const count = Number(await market.marketCount());
    const ids = Array.from({ length: count }, (_, i) => i);
    const sizes = await mapLimited(ids, 8, async (id) => (await market.position(account, id)).size);
    return ids.filter((id) => sizes[id] !== 0n);
  }

  pushRequest(epoch: bigint, entries: readonly PushEntry[]): TxRequest {
    const words = entries.map((e) => packCreditEntry(e.account, e.limit, e.liquidatable));
    return { to: this.creditManager!, data: creditManagerAbi.encodeFunctionData('pushCreditLimits', [epoch, words]), gasLimit: pushGasLimit(entries.length) };
  }

  /**
   * PerpMarket.liquidate(account) as the liquidator would send it; the simulation (gas estimate) throws with the
   * decoded custom error when it would revert, so nothing is sent then.
   */
  async liquidateRequest(account: string): Promise<TxRequest> {
    if (!this.perpMarket || !this.liquidator) throw new Error('no PerpMarket or liquidator key');
    const data = perpMarketAbi.encodeFunctionData('liquidate', [account]);
    try {
      const gas = await this.rpc.estimateGas({ from: this.liquidator.address, to: this.perpMarket, data });
      return { to: this.perpMarket, data, gasLimit: (gas * 13n) / 10n + 20_000n };
    } catch (error) {
      throw new Error(describeRevert(error, perpMarketAbi, creditManagerAbi));
    }
  }

  /** Pending sends give up (shutdown). */
  stopSenders(): void {
    this.pusher?.stop();
    this.liquidator?.stop();
  }

  onApplicationShutdown(): void {
    this.stopSenders();
    this.provider?.destroy();
    this.logger.debug('trading chain provider closed');
  }
}

/** A revert as "ErrorName(args)" when the data decodes against one of the ABIs, else the RPC message. */
export function describeRevert(error: unknown, ...abis: Interface[]): string {
  const data = (error as { data?: unknown; info?: { error?: { data?: unknown } } }).data ?? (error as { info?: { error?: { data?: { data?: unknown } } } }).info?.error?.data;
  const hex = typeof data === 'string' ? data : typeof (data as { data?: unknown })?.data === 'string' ? ((data as { data: string }).data) : null;
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
