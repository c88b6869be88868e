import { NO_MARKET } from './book-columns';
import type { RiskMarket } from './risk-market';
import type { RiskPosition } from './risk-request.schema';
import { RiskInputError } from './risk-result';

/** A position as the book keeps it: the model's fields plus the caller's market id (kept, not used by the math). */
export interface BookPosition extends RiskPosition {
  /** Non-negative integer id of the caller's market; absent = none. */
  marketId?: number;
}

/**
 * One account's holdings staged row by row, each row validated as it comes; `commit` hands them to the book,
 * which replaces the account's holdings with them. The bulk-load path: no per-account objects. A bad row throws
 * `RiskInputError` and drops the staged account, so the book never takes part of one. Get one from `RiskBook.writer()`.
 */
export class HoldingsWriter {
  accountId: string | null = null;
  /** Staged balance per balance slot (`chainIndex * assetCount + assetIndex`), and which slots are listed. */
  readonly amounts: Float64Array;
  readonly listed: Uint8Array;
  readonly listedSlots: Int32Array;
  /** The listed slots as a bitmask (the book's `present` words of the account). */
  readonly listedWords: Uint32Array;
  listedCount = 0;
  positionCount = 0;
  positionAsset = new Int32Array(4);
  positionMarket = new Int32Array(4);
  positionSize = new Float64Array(4);
  positionEntry = new Float64Array(4);
  positionImr = new Float64Array(4);
  positionMmr = new Float64Array(4);
  cashUsd = 0;
  /** `setPositions`: only positions are staged; the account keeps its balances and cash. */
  positionsOnly = false;

  constructor(
    private readonly market: RiskMarket,
    private readonly apply: (writer: HoldingsWriter) => void,
  ) {
    const slots = market.assetCount * market.chainEids.length;
    this.amounts = new Float64Array(slots);
    this.listed = new Uint8Array(slots);
    this.listedSlots = new Int32Array(slots);
    this.listedWords = new Uint32Array(Math.ceil(slots / 32));
  }

  /** Starts an account (what was staged and not committed is dropped). */
  begin(accountId: string, positionsOnly = false): this {
    this.reset();
    this.accountId = accountId;
    this.positionsOnly = positionsOnly;
    return this;
  }

  cash(usd: number): this {
    if (!Number.isFinite(usd)) this.fail(`account ${this.current()}: cash must be a finite number`);
    this.cashUsd = usd;
    return this;
  }

  balance(eid: number, assetId: string, amount: number): this {
    return this.balanceAt(
      this.resolve(() => this.market.chainIndex(eid)),
      this.resolve(() => this.market.assetIndex(assetId)),
      amount,
    );
  }

  /** A balance by the market's chain and asset indexes (`market.chainIndex(eid)`, `market.assetIndex(id)`). */
  balanceAt(chainIndex: number, assetIndex: number, amount: number): this {
    const accountId = this.current();
    if (!Number.isFinite(amount) || amount < 0) this.fail('balance amount must be a finite number ≥ 0');
    const slot = this.slotOf(chainIndex, assetIndex);
    if (this.listed[slot] === 1) {
      const where = `'${this.market.assetIds[assetIndex]}' on eid ${this.market.chainEids[chainIndex]}`;
      this.fail(`account ${accountId}: balance of ${where} is listed twice`);
    }
    this.listed[slot] = 1;
    this.listedSlots[this.listedCount++] = slot;
    this.listedWords[slot >>> 5] |= 1 << (slot & 31);
    this.amounts[slot] = amount;
    return this;
  }

  position(position: BookPosition): this {
    const { size, entryPrice, imr, mmr, marketId = NO_MARKET } = position;
    return this.positionAt(
      this.resolve(() => this.market.assetIndex(position.assetId)),
      size,
      entryPrice,
      imr,
      mmr,
      marketId,
    );
  }

  positionAt(assetIndex: number, size: number, entryPrice: number, imr: number, mmr: number, marketId = NO_MARKET): this {
    this.current();
    if (!(assetIndex >>> 0 === assetIndex && assetIndex < this.market.assetCount)) this.fail(`asset index ${assetIndex} is not listed`);
    if (!Number.isFinite(size)) this.fail('position size must be a finite number');
    if (!Number.isFinite(entryPrice) || entryPrice < 0) this.fail('entryPrice must be a finite number ≥ 0');
    if (!(imr >= 0 && imr <= 1)) this.fail('imr must be in [0, 1]');
    if (!(mmr >= 0 && mmr <= 1)) this.fail('mmr must be in [0, 1]');
    if (marketId !== NO_MARKET && !(Number.isInteger(marketId) && marketId >= 0 && marketId <= 0x7fffffff))
      this.fail('marketId must be an integer in [0, 2^31)');
    if (this.positionCount === this.positionAsset.length) this.growPositions();
    const m = this.positionCount++;
    this.positionAsset[m] = assetIndex;
    this.positionMarket[m] = marketId;
    this.positionSize[m] = size;
    this.positionEntry[m] = entryPrice;
    this.positionImr[m] = imr;
    this.positionMmr[m] = mmr;
    return this;
  }

  /** Replaces the account's holdings with the staged ones and recomputes it. */
  commit(): void {
    this.current();
    try {
      this.apply(this);
    } finally {
      this.reset();
    }
  }

  /** Drops what was staged. */
  reset(): void {
    for (let i = 0; i < this.listedCount; i++) {
      const slot = this.listedSlots[i];
      this.listed[slot] = 0;
      this.amounts[slot] = 0;
      this.listedWords[slot >>> 5] = 0;
    }
    this.listedCount = 0;
    this.positionCount = 0;
    this.cashUsd = 0;
    this.accountId = null;
    this.positionsOnly = false;
  }

  private slotOf(chainIndex: number, assetIndex: number): number {
    const n = this.market.assetCount;
    // `x >>> 0 === x`: a non-negative integer (NaN, fractions and negatives fail).
    if (!(assetIndex >>> 0 === assetIndex && assetIndex < n)) this.fail(`asset index ${assetIndex} is not listed`);
    if (!(chainIndex >>> 0 === chainIndex && chainIndex < this.market.chainEids.length)) this.fail(`chain index ${chainIndex} is not listed`);
    return chainIndex * n + assetIndex;
  }

  /** A bad row drops the whole staged account: a later `commit` without a new `begin` throws. */
  private fail(message: string): never {
    this.reset();
    throw new RiskInputError(message);
  }

  private resolve(lookup: () => number): number {
    try {
      return lookup();
    } catch (error) {
      this.reset();
      throw error;
    }
  }

  private current(): string {
    if (this.accountId === null) throw new Error('HoldingsWriter: begin(accountId) first');
    return this.accountId;
  }

  private growPositions(): void {
    const grow = <T extends Int32Array | Float64Array>(old: T): T => {
      const next = new (old.constructor as new (length: number) => T)(old.length * 2);
      next.set(old);
      return next;
    };
    this.positionAsset = grow(this.positionAsset);
    this.positionMarket = grow(this.positionMarket);
    this.positionSize = grow(this.positionSize);
    this.positionEntry = grow(this.positionEntry);
    this.positionImr = grow(this.positionImr);
    this.positionMmr = grow(this.positionMmr);
  }
}
