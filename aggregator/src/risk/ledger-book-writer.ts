import type { ManifestAsset } from '@tributary/protocol';
import type { HoldingsWriter, RiskBook } from '@tributary/risk';
import type { RegisteredChain } from '../chain/chain-registry';
import type { PerpMarketTerms } from '../chain/trading-rpc.repository';
import { bookId } from './risk-inputs';

/**
 * A ledger amount (bigint, or the exact decimal string the database stores) in units of `10^decimals`: the double
 * nearest the exact quotient, the same as `Number(formatUnits(raw, decimals))` (both round the same rational once).
 */
export function unitsOf(raw: bigint | string, decimals: number): number {
  return Number(`${raw}e-${decimals}`);
}

/** What the book needs of a collateral row. */
export interface LedgerBalance {
  eid: number;
  assetId: number;
  balance: bigint | string;
}

/** What the book needs of a position row. */
export interface LedgerPosition {
  marketId: number;
  size: bigint | string;
  entryPrice: bigint | string;
}

interface BalanceTarget {
  chainIndex: number;
  assetIndex: number;
  decimals: number;
}

const isZero = (raw: bigint | string) => raw === 0n || raw === '0';
const NONE: readonly string[] = [];

/**
 * Ledger rows into the RiskBook's writer, one account at a time (`begin`, rows, `commit`): chains, assets and
 * markets resolved to the book's indexes once (cached), amounts converted exactly, no per-account object.
 * Rows the manifest does not cover (unknown chain/asset, unlisted market) are left out and named by `commit`.
 */
export class LedgerBookWriter {
  private readonly writer: HoldingsWriter;
  private readonly targets = new Map<number, Map<number, BalanceTarget | null>>();
  private readonly assetIndexes = new Map<number, number>();
  private skipped: string[] | null = null;

  constructor(
    private readonly book: RiskBook,
    private readonly chains: ReadonlyMap<number, RegisteredChain>,
    private readonly assets: ReadonlyMap<number, ManifestAsset>,
    /** Read at each position row (ratios change under it). */
    private readonly markets: ReadonlyMap<number, PerpMarketTerms>,
  ) {
    this.writer = book.writer();
  }

  /** Starts an account (`cash`: its SettlementPool cash, 1e18 USD). */
  begin(account: string, cash: bigint | string): void {
    this.skipped = null;
    this.writer.begin(account).cash(unitsOf(cash, 18));
  }

  balance(row: LedgerBalance): void {
    if (isZero(row.balance)) return;
    const target = this.target(row.eid, row.assetId);
    if (target) this.writer.balanceAt(target.chainIndex, target.assetIndex, unitsOf(row.balance, target.decimals));
    else this.skip(`collateral of asset ${row.assetId} on eid ${row.eid} (not a collateral asset of the manifest)`);
  }

  position(row: LedgerPosition): void {
    if (isZero(row.size)) return;
    const market = this.markets.get(row.marketId);
    if (!market?.listed || !this.assets.has(market.assetId)) {
      this.skip(`position on market ${row.marketId} (${market ? `asset ${market.assetId} not in the manifest` : 'market unknown'})`);
      return;
    }
    const size = unitsOf(row.size, 18);
    this.writer.positionAt(this.assetIndex(market.assetId), size, unitsOf(row.entryPrice, 18), market.imr, market.mmr, row.marketId);
  }

  /** Replaces the account's holdings in the book; returns the rows left out. */
  commit(): readonly string[] {
    this.writer.commit();
    return this.skipped ?? NONE;
  }

  /** Drops a started account (after a failure). */
  reset(): void {
    this.writer.reset();
  }

  private skip(what: string): void {
    (this.skipped ??= []).push(what);
  }

  private assetIndex(assetId: number): number {
    let index = this.assetIndexes.get(assetId);
    if (index === undefined) {
      index = this.book.market.assetIndex(bookId(assetId));
      this.assetIndexes.set(assetId, index);
    }
    return index;
  }

  /** The book slot of a collateral chain's asset with its token decimals; null when the manifest does not list it. */
  private target(eid: number, assetId: number): BalanceTarget | null {
    let byAsset = this.targets.get(eid);
    if (!byAsset) this.targets.set(eid, (byAsset = new Map()));
    let target = byAsset.get(assetId);
    if (target === undefined) {
      const decimals = this.chains.get(eid)?.assets.find((a) => a.assetId === assetId)?.decimals;
      target =
        decimals === undefined || !this.assets.has(assetId)
          ? null
          : { chainIndex: this.book.market.chainIndex(eid), assetIndex: this.assetIndex(assetId), decimals };
      byAsset.set(assetId, target);
    }
    return target;
  }
}
