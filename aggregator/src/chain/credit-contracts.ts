import { CreditManager__factory, MarginHub__factory, PerpMarket__factory } from '@tributary/contracts';
import { getAddress, type JsonRpcProvider } from 'ethers';
import type { Fees, MinedReceipt, TxRpc } from '@tributary/service-kit';
import { chainProvider } from './chain-provider';
import type { RegisteredChain } from './chain-registry';

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

/** MarginHub.pendingWithdrawal(eid, requestId): a zero account = unknown or already settled/rejected. */
export interface HubPendingWithdrawal {
  account: string | null;
  approved: boolean;
  /** Unix time (s) after which an undecided request may be expired. */
  deadline: number;
  amount: bigint;
  reservedValue: bigint;
}

/** What the hub's own withdrawal checks see for an account and one (eid, asset). */
export interface HubWithdrawalLimits {
  /** Attested balance minus approved-but-unsettled withdrawals (token base units). */
  withdrawableBalance: bigint;
  /** Haircut value (1e18 USD) of one whole token (10^decimals base units), null when the price is unavailable. */
  valuePerToken: bigint | null;
  creditBalance: bigint;
  stale: boolean;
  liquidatable: boolean;
  seizuresInFlight: bigint;
}

/** A mined transaction with the time of its block (the pusher dates its push by it). */
export interface TradingReceipt extends MinedReceipt {
  blockTimestamp: number;
}

/** The raw transaction I/O the service kit's nonce-managed sender needs on the trading chain. */
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
    return receipt
      ? { status: receipt.status ?? 0, blockNumber: receipt.blockNumber, blockTimestamp: await this.blockTimestamp(receipt.blockNumber) }
      : null;
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
 * The CreditManager and PerpMarket of the trading chain over JSON-RPC: the reads of the credit pusher and the
 * liquidation watch, gas estimates, and the transaction I/O of their signers (`txRpc`). One provider, closed by
 * `destroy()`.
 */
export class CreditContracts {
  readonly creditManager: string;
  readonly perpMarket: string | null;
  readonly hub: string | null;
  readonly txRpc: JsonRpcTxRpc;
  /** The trading chain's read provider (the liquidation keeper reads the hub, pool and fund through it). */
  readonly provider: JsonRpcProvider;

  constructor(chain: Pick<RegisteredChain, 'rpcUrl' | 'chainId'>, creditManager: string, perpMarket: string | undefined, hub?: string) {
    this.provider = chainProvider(chain);
    this.provider.pollingInterval = 250;
    this.creditManager = getAddress(creditManager);
    this.perpMarket = perpMarket ? getAddress(perpMarket) : null;
    this.hub = hub ? getAddress(hub) : null;
    this.txRpc = new JsonRpcTxRpc(this.provider, chain.chainId);
  }

  private creditManagerContract() {
    return CreditManager__factory.connect(this.creditManager, this.provider);
  }

  async state(): Promise<CreditChainState> {
    const cm = this.creditManagerContract();
    const [lastEpoch, increaseAllowance, staleAfter, block] = await Promise.all([
      cm.lastEpoch(),
      cm.increaseAllowance(),
      cm.staleAfter(),
      this.provider.getBlock('latest'),
    ]);
    if (!block) throw new Error('no latest block');
    return { lastEpoch, increaseAllowance, staleAfter: Number(staleAfter), now: block.timestamp };
  }

  async lastEpoch(): Promise<bigint> {
    return this.creditManagerContract().lastEpoch();
  }

  /** CreditManager.accountCount(): accounts with an index. */
  async accountCount(): Promise<bigint> {
    return this.creditManagerContract().accountCount();
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
    const market = PerpMarket__factory.connect(this.perpMarket, this.provider);
    const count = Number(await market.marketCount());
    const ids = Array.from({ length: count }, (_, i) => i);
    const sizes = await mapLimited(ids, 8, async (id) => (await market.position(account, id)).size);
    return ids.filter((id) => sizes[id] !== 0n);
  }

  async pendingWithdrawal(eid: number, requestId: bigint): Promise<HubPendingWithdrawal> {
    if (!this.hub) throw new Error('no MarginHub in the manifest');
    const p = await MarginHub__factory.connect(this.hub, this.provider).pendingWithdrawal(eid, requestId);
    const none = BigInt(p.account) === 0n;
    return { account: none ? null : p.account, approved: p.approved, deadline: Number(p.deadline), amount: p.amount, reservedValue: p.reservedValue };
  }

  async hubWithdrawalLimits(account: string, eid: number, assetId: number, decimals: number): Promise<HubWithdrawalLimits> {
    if (!this.hub) throw new Error('no MarginHub in the manifest');
    const hub = MarginHub__factory.connect(this.hub, this.provider);
    const cm = this.creditManagerContract();
    const [withdrawableBalance, valuePerToken, creditBalance, stale, liquidatable, seizuresInFlight] = await Promise.all([
      hub.withdrawableBalance(account, eid, assetId),
      hub.withdrawalValue(eid, assetId, 10n ** BigInt(decimals)).catch(() => null),
      cm.creditBalance(account),
      cm.isStale(account),
      cm.isLiquidatable(account),
      hub.seizuresInFlight(account),
    ]);
    return { withdrawableBalance, valuePerToken, creditBalance, stale, liquidatable, seizuresInFlight };
  }

  /** CreditManager.creditBalance(account): base + cash − used − reserved − settling (signed, 1e18 USD). */
  creditBalance(account: string): Promise<bigint> {
    return this.creditManagerContract().creditBalance(account);
  }

  /** Timestamp of the latest block (s). */
  async now(): Promise<number> {
    const block = await this.provider.getBlock('latest');
    if (!block) throw new Error('no latest block');
    return block.timestamp;
  }

  /** eth_estimateGas; throws the node's error (with the revert data) when the call would revert. */
  estimateGas(call: { from: string; to: string; data: string }): Promise<bigint> {
    return this.provider.estimateGas(call);
  }

  destroy(): void {
    this.provider.destroy();
  }
}
