/** Result columns, one double per account each (see `BookColumns`). */
export const RESULT_FIELDS = [
  'collateralInit',
  'collateralMaint',
  'unrealizedPnl',
  'pnlAdjusted',
  'varInit',
  'varMaint',
  'floorInit',
  'floorMaint',
  'creditLimitSigned',
  /** NaN = unbounded (null health). */
  'health',
] as const;
export type ResultField = (typeof RESULT_FIELDS)[number];

const MIN_CAPACITY = 64;
const GROWTH = 1.5;

/** Marks a position without a caller market id. */
export const NO_MARKET = -1;

/**
 * The risk book's storage, one column per field (typed arrays indexed by a dense account slot), so a million
 * accounts are a few dozen arrays rather than millions of small objects.
 *
 * Per account × chain × asset slot (`s = chainIndex * assetCount + assetIndex`): the balance and a presence bit (a
 * balance listed as 0 is still held). Per account × asset: the derived terms `S_k`, `Σ_c b(c,k)·v_c` and the size
 * cap, valid for the held assets. Per account: cash, the held-asset and held-chain bitmasks, the position range and
 * the last result. Positions live in a shared pool of parallel arrays; each account owns one contiguous range of it
 * (kept by its slot when the account is removed, so the slot's next owner reuses it).
 */
export class BookColumns {
  readonly assetCount: number;
  readonly chainCount: number;
  /** Balance slots per account: chainCount × assetCount. */
  readonly slotsPerAccount: number;
  readonly slotWords: number;
  readonly assetWords: number;
  readonly chainWords: number;

  capacity = 0;
  /** One past the highest slot ever handed out. */
  highWater = 0;
  private readonly free: number[] = [];

  live = new Uint8Array(0);
  balance = new Float64Array(0);
  present = new Uint32Array(0);
  heldAsset = new Uint32Array(0);
  heldChain = new Uint32Array(0);
  units = new Float64Array(0);
  weightedUnits = new Float64Array(0);
  sizeCap = new Float64Array(0);
  cash = new Float64Array(0);
  positionStart = new Int32Array(0);
  positionCount = new Int32Array(0);
  positionRoom = new Int32Array(0);
  readonly result: Record<ResultField, Float64Array>;

  poolCapacity = 0;
  poolEnd = 0;
  /** Pool entries no account owns any more (ranges left behind when an account outgrew its own). */
  poolGarbage = 0;
  positionAsset = new Int32Array(0);
  positionMarket = new Int32Array(0);
  positionSize = new Float64Array(0);
  positionEntry = new Float64Array(0);
  positionImr = new Float64Array(0);
  positionMmr = new Float64Array(0);

  constructor(assetCount: number, chainCount: number) {
    this.assetCount = assetCount;
    this.chainCount = chainCount;
    this.slotsPerAccount = assetCount * chainCount;
    this.slotWords = Math.ceil(this.slotsPerAccount / 32);
    this.assetWords = Math.ceil(assetCount / 32);
    this.chainWords = Math.ceil(chainCount / 32);
    this.result = Object.fromEntries(RESULT_FIELDS.map((field) => [field, new Float64Array(0)])) as Record<ResultField, Float64Array>;
  }

  /** Grows the columns to hold `accounts` accounts and `positions` positions without further copies. */
  reserve(accounts: number, positions = 0): void {
    if (accounts > this.capacity) this.resize(accounts);
    if (positions > this.poolCapacity) this.resizePool(positions);
  }

  /** A zeroed slot for a new account (a freed one first). */
  allocate(): number {
    const reused = this.free.pop();
    const slot = reused ?? this.highWater;
    if (reused === undefined) {
      if (slot === this.capacity) this.resize(Math.max(MIN_CAPACITY, Math.ceil(this.capacity * GROWTH)));
      this.highWater++;
    }
    this.live[slot] = 1;
    return slot;
  }

  /** Clears a slot's holdings and returns it to the free list (its position range stays with it). */
  release(slot: number): void {
    this.clearBalances(slot);
    this.heldAsset.fill(0, slot * this.assetWords, (slot + 1) * this.assetWords);
    this.heldChain.fill(0, slot * this.chainWords, (slot + 1) * this.chainWords);
    this.positionCount[slot] = 0;
    this.cash[slot] = 0;
    this.live[slot] = 0;
    this.free.push(slot);
  }

  clearBalances(slot: number): void {
    const s = this.slotsPerAccount;
    this.balance.fill(0, slot * s, (slot + 1) * s);
    this.present.fill(0, slot * this.slotWords, (slot + 1) * this.slotWords);
  }

  isPresent(slot: number, balanceSlot: number): boolean {
    return ((this.present[slot * this.slotWords + (balanceSlot >>> 5)] >>> (balanceSlot & 31)) & 1) === 1;
  }

  holdsAsset(slot: number, assetIndex: number): boolean {
    return ((this.heldAsset[slot * this.assetWords + (assetIndex >>> 5)] >>> (assetIndex & 31)) & 1) === 1;
  }

  holdsChain(slot: number, chainIndex: number): boolean {
    return ((this.heldChain[slot * this.chainWords + (chainIndex >>> 5)] >>> (chainIndex & 31)) & 1) === 1;
  }

  /** Makes room for `count` positions in the slot's range (moving it to the pool's end if too small); returns its start. */
  positionRange(slot: number, count: number): number {
    if (count > this.positionRoom[slot]) {
      if (this.poolEnd + count > this.poolCapacity) this.compactOrGrowPool(count);
      this.poolGarbage += this.positionRoom[slot];
      this.positionStart[slot] = this.poolEnd;
      this.positionRoom[slot] = count;
      this.poolEnd += count;
    }
    this.positionCount[slot] = count;
    return this.positionStart[slot];
  }

  private resize(capacity: number): void {
    const grow = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(old: T, perAccount: number): T => {
      const next = new (old.constructor as new (length: number) => T)(capacity * perAccount);
      next.set(old.subarray(0, Math.min(old.length, capacity * perAccount)));
      return next;
    };
    const { slotsPerAccount: s, assetCount: a } = this;
    this.live = grow(this.live, 1);
    this.balance = grow(this.balance, s);
    this.present = grow(this.present, this.slotWords);
    this.heldAsset = grow(this.heldAsset, this.assetWords);
    this.heldChain = grow(this.heldChain, this.chainWords);
    this.units = grow(this.units, a);
    this.weightedUnits = grow(this.weightedUnits, a);
    this.sizeCap = grow(this.sizeCap, a);
    this.cash = grow(this.cash, 1);
    this.positionStart = grow(this.positionStart, 1);
    this.positionCount = grow(this.positionCount, 1);
    this.positionRoom = grow(this.positionRoom, 1);
    for (const field of RESULT_FIELDS) this.result[field] = grow(this.result[field], 1);
    this.capacity = capacity;
  }

  private compactOrGrowPool(needed: number): void {
    const inUse = this.poolEnd - this.poolGarbage;
    const target = Math.max(MIN_CAPACITY, Math.ceil((inUse + needed) * GROWTH));
    // Compact when at least a quarter of the pool is garbage; otherwise a plain grow keeps every range where it is.
    if (this.poolGarbage > 0 && this.poolGarbage * 4 >= this.poolCapacity) this.compactPool(Math.max(target, this.poolCapacity));
    else this.resizePool(Math.max(target, Math.ceil(this.poolCapacity * GROWTH), this.poolEnd + needed));
  }

  private resizePool(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array>(old: T): T => {
      const next = new (old.constructor as new (length: number) => T)(capacity);
      next.set(old.subarray(0, this.poolEnd));
      return next;
    };
    this.positionAsset = grow(this.positionAsset);
    this.positionMarket = grow(this.positionMarket);
    this.positionSize = grow(this.positionSize);
    this.positionEntry = grow(this.positionEntry);
    this.positionImr = grow(this.positionImr);
    this.positionMmr = grow(this.positionMmr);
    this.poolCapacity = capacity;
  }

  /** Copies every slot's range (live or free, with its room) into fresh arrays, in slot order, without gaps. */
  private compactPool(capacity: number): void {
    const starts = this.positionStart;
    const rooms = this.positionRoom;
    const slots = this.highWater;
    const compact = <T extends Float64Array | Int32Array>(old: T): T => {
      const next = new (old.constructor as new (length: number) => T)(capacity);
      let end = 0;
      for (let slot = 0; slot < slots; slot++) {
        next.set(old.subarray(starts[slot], starts[slot] + rooms[slot]), end);
        end += rooms[slot];
      }
      return next;
    };
    this.positionAsset = compact(this.positionAsset);
    this.positionMarket = compact(this.positionMarket);
    this.positionSize = compact(this.positionSize);
    this.positionEntry = compact(this.positionEntry);
    this.positionImr = compact(this.positionImr);
    this.positionMmr = compact(this.positionMmr);
    let end = 0;
    for (let slot = 0; slot < slots; slot++) {
      starts[slot] = end;
      end += rooms[slot];
    }
    this.poolEnd = end;
    this.poolGarbage = 0;
    this.poolCapacity = capacity;
  }
}
