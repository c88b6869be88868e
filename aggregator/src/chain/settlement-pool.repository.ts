import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { getAddress, type JsonRpcProvider } from 'ethers';
import { ISettlementPool__factory, type ISettlementPool } from '@tributary/contracts';
import { chainProvider } from './chain-provider';
import { ChainRegistry } from './chain-registry';

/** `SettlementPool.solvency()` (1e18 USD): equity = tokenBalanceUsd + totalDebt − totalPositiveCash. */
export interface PoolSolvency {
  tokenBalanceUsd: bigint;
  totalPositiveCash: bigint;
  totalDebt: bigint;
  /** Signed; < 0 means the pool could not pay every positive cash out. */
  equity: bigint;
}

export interface PoolState extends PoolSolvency {
  address: string;
  quoteToken: string;
  /** 10^(18 − quote decimals): USD (1e18) per quote-token unit. */
  usdPerTokenUnit: bigint;
  /** Trading-chain block the solvency was read at. */
  blockNumber: number;
}

/** Immutable facts of the pool, read once. */
interface PoolTerms {
  quoteToken: string;
  usdPerTokenUnit: bigint;
}

/**
 * Reads of the trading chain's SettlementPool (manifest `contracts.settlementPool`): its solvency, quote token and
 * per-account cash on chain. `unavailableReason` says why there is none (no manifest, no trading chain, no pool).
 */
@Injectable()
export class SettlementPoolRepository implements OnModuleDestroy {
  readonly address: string | null = null;
  readonly unavailableReason: string | null = null;
  private readonly provider: JsonRpcProvider | null = null;
  private terms: Promise<PoolTerms> | null = null;

  constructor(registry: ChainRegistry) {
    const chain = registry.tradingChain;
    const pool = chain?.manifest.contracts.settlementPool;
    if (!registry.enabled) this.unavailableReason = 'no deployment manifest (MANIFEST_PATH): no SettlementPool to read';
    else if (!chain) this.unavailableReason = 'the manifest has no trading chain: no SettlementPool to read';
    else if (!pool) this.unavailableReason = `the trading chain ${chain.name} has no contracts.settlementPool in the manifest`;
    if (!chain || !pool) return;
    this.address = getAddress(pool);
    this.provider = chainProvider(chain);
  }

  /** Solvency at the latest block, with the quote token and its scale. */
  async state(): Promise<PoolState> {
    const pool = this.contract;
    const blockNumber = await this.rpc.getBlockNumber();
    const [terms, [tokenBalanceUsd, totalPositiveCash, totalDebt, equity]] = await Promise.all([
      this.poolTerms(),
      pool.solvency({ blockTag: blockNumber }),
    ]);
    return { address: this.address!, ...terms, tokenBalanceUsd, totalPositiveCash, totalDebt, equity, blockNumber };
  }

  /** Signed cash of `account` on chain (1e18 USD). */
  cashOf(account: string, blockTag: number | 'latest' = 'latest'): Promise<bigint> {
    return this.contract.cashOf(account, { blockTag });
  }

  /** Largest `withdrawCash` amount that passes every check now (1e18 USD; 0 when one fails). */
  withdrawableCash(account: string): Promise<bigint> {
    return this.contract.withdrawableCash(account);
  }

  onModuleDestroy(): void {
    this.provider?.destroy();
  }

  private poolTerms(): Promise<PoolTerms> {
    if (!this.terms) {
      const pool = this.contract;
      this.terms = Promise.all([pool.quoteToken(), pool.usdPerTokenUnit()]).then(([token, unit]) => ({
        quoteToken: getAddress(token),
        usdPerTokenUnit: unit,
      }));
      this.terms.catch(() => (this.terms = null)); // a failed read is retried next time
    }
    return this.terms;
  }

  private get contract(): ISettlementPool {
    return ISettlementPool__factory.connect(this.address ?? this.fail(), this.rpc);
  }

  private get rpc(): JsonRpcProvider {
    return this.provider ?? this.fail();
  }

  private fail(): never {
    throw new Error(this.unavailableReason ?? 'no SettlementPool');
  }
}
