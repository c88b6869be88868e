import { type ContractRunner, type ContractTransactionResponse, type Overrides, type Provider, getAddress } from 'ethers';
import { type CreditManager, CreditManager__factory } from '../typechain-types';

/**
 * The credit push's wire format (CreditManager.pushCreditLimits(epoch, newAccounts, slots)). Each account has a
 * dense index given on its first push; index i lives in half i & 1 of limits slot i >> 1. One slot word:
 * `slot << 224 | mask << 192 | entryHi << 96 | entryLo`, entry = `liquidatable << 95 | uint95(base)`,
 * mask bit 0 / 1 = the low / high half is written. See docs/credit-push.md.
 */

const BASE_BITS = 95n;
const BASE_MASK = (1n << BASE_BITS) - 1n;
const ENTRY_MASK = (1n << 96n) - 1n;
/** Range of a pushed base (limit − cashAtPush, 1e18 USD): 95-bit two's complement. */
export const MAX_CREDIT_BASE = (1n << (BASE_BITS - 1n)) - 1n;
export const MIN_CREDIT_BASE = -(1n << (BASE_BITS - 1n));
const MAX_UINT32 = 0xffffffffn;

export interface CreditEntry {
  account: string;
  base: bigint;
  liquidatable: boolean;
}

/** A logical entry as one word, `account << 96 | liquidatable << 95 | uint95(base)` (tests and tools; not the wire). */
export function packCreditEntry(account: string, base: bigint, liquidatable = false): string {
  const word = (BigInt(account) << 96n) | packCreditHalf(base, liquidatable);
  return '0x' + word.toString(16).padStart(64, '0');
}

export function unpackCreditEntry(entry: string): CreditEntry {
  const word = BigInt(entry);
  const account = getAddress('0x' + (word >> 96n).toString(16).padStart(40, '0'));
  return { account, ...unpackCreditHalf(word) };
}

/** The 96-bit entry of one half; throws RangeError outside the 95-bit range (never truncates). */
export function packCreditHalf(base: bigint, liquidatable: boolean): bigint {
  if (base < MIN_CREDIT_BASE || base > MAX_CREDIT_BASE) throw new RangeError(`credit base out of range: ${base}`);
  return ((liquidatable ? 1n : 0n) << BASE_BITS) | (base & BASE_MASK);
}

export function unpackCreditHalf(entry: bigint): { base: bigint; liquidatable: boolean } {
  return { base: BigInt.asIntN(Number(BASE_BITS), entry & BASE_MASK), liquidatable: ((entry >> BASE_BITS) & 1n) === 1n };
}

export interface CreditHalf {
  base: bigint;
  liquidatable: boolean;
}

/** One slot word; `lo` / `hi` undefined = that half is left as it is on chain. */
export function packCreditSlot(slot: number, lo?: CreditHalf, hi?: CreditHalf): string {
  if (!lo && !hi) throw new Error('a slot word writes at least one half');
  if (!Number.isInteger(slot) || slot < 0 || BigInt(slot) > MAX_UINT32) throw new RangeError(`slot out of range: ${slot}`);
  const mask = (lo ? 1n : 0n) | (hi ? 2n : 0n);
  const word =
    (BigInt(slot) << 224n) |
    (mask << 192n) |
    (hi ? packCreditHalf(hi.base, hi.liquidatable) << 96n : 0n) |
    (lo ? packCreditHalf(lo.base, lo.liquidatable) : 0n);
  return '0x' + word.toString(16).padStart(64, '0');
}

/** The halves a slot word writes, by account index. */
export function unpackCreditSlot(word: string): { index: number; base: bigint; liquidatable: boolean }[] {
  const w = BigInt(word);
  const slot = Number(w >> 224n);
  const mask = (w >> 192n) & MAX_UINT32;
  if (mask === 0n || mask > 3n) throw new Error(`bad credit slot word ${word}`);
  const out: { index: number; base: bigint; liquidatable: boolean }[] = [];
  if (mask & 1n) out.push({ index: 2 * slot, ...unpackCreditHalf(w & ENTRY_MASK) });
  if (mask & 2n) out.push({ index: 2 * slot + 1, ...unpackCreditHalf((w >> 96n) & ENTRY_MASK) });
  return out;
}

export interface CreditPushArgs {
  newAccounts: string[];
  slots: string[];
  /** Index of every account the push writes (new ones included). */
  indices: Map<string, number>;
  /** Halves written to fill a slot whose partner had no entry (from `fill`). */
  filled: number;
}

/**
 * Lays entries out as slot words: accounts without an index (`indexOf` undefined) become new accounts with the
 * next indices from `accountCount` in entry order; entries are sorted by index and partners share a word. For a
 * half with no entry, `fill(index)` may give a value to write (the partner's current value: one slot write then
 * serves two accounts); null leaves the half untouched.
 */
export function layoutCreditPush(
  entries: readonly CreditEntry[],
  indexOf: (account: string) => number | undefined,
  accountCount: number,
  fill: (index: number) => CreditHalf | null = () => null,
): CreditPushArgs {
  const newAccounts: string[] = [];
  const indices = new Map<string, number>();
  const byIndex = new Map<number, CreditHalf>();
  let count = accountCount;
  for (const e of entries) {
    const account = getAddress(e.account);
    if (indices.has(account)) throw new Error(`account ${account} appears twice in one push`);
    let index = indexOf(account);
    if (index === undefined) {
      index = count++;
      newAccounts.push(account);
    }
    indices.set(account, index);
    byIndex.set(index, { base: e.base, liquidatable: e.liquidatable });
  }
  const slotNumbers = [...new Set([...byIndex.keys()].map((i) => i >> 1))].sort((a, b) => a - b);
  let filled = 0;
  const half = (index: number): CreditHalf | undefined => {
    const own = byIndex.get(index);
    if (own) return own;
    if (index >= count) return undefined;
    const value = fill(index);
    if (value) filled++;
    return value ?? undefined;
  };
  const slots = slotNumbers.map((slot) => packCreditSlot(slot, half(2 * slot), half(2 * slot + 1)));
  return { newAccounts, slots, indices, filled };
}

/** Decoded pushCreditLimits calldata. */
export interface DecodedCreditPush {
  epoch: bigint;
  newAccounts: string[];
  slots: string[];
}

const creditManagerAbi = CreditManager__factory.createInterface();

/** Decodes a pushCreditLimits call (null for any other calldata). */
export function decodeCreditPushCalldata(data: string): DecodedCreditPush | null {
  const fn = creditManagerAbi.getFunction('pushCreditLimits');
  if (!fn || !data.startsWith(fn.selector)) return null;
  const [epoch, newAccounts, slots] = creditManagerAbi.decodeFunctionData(fn, data);
  return { epoch: BigInt(epoch), newAccounts: [...newAccounts].map((a: string) => getAddress(a)), slots: [...slots] };
}

/**
 * The accounts a decoded push wrote, with their values. `accountAt` resolves indices below `firstNewIndex`
 * (the account count before this push); the push's own new accounts come from its calldata.
 */
export function creditPushEntries(
  push: DecodedCreditPush,
  firstNewIndex: number,
  accountAt: (index: number) => string | undefined,
): (CreditEntry & { index: number })[] {
  const out: (CreditEntry & { index: number })[] = [];
  for (const word of push.slots) {
    for (const h of unpackCreditSlot(word)) {
      const account = h.index >= firstNewIndex ? push.newAccounts[h.index - firstNewIndex] : accountAt(h.index);
      if (!account) throw new Error(`credit push names index ${h.index} with no known account`);
      out.push({ account, index: h.index, base: h.base, liquidatable: h.liquidatable });
    }
  }
  return out;
}

/** index ↔ account of a CreditManager, from its AccountIndexed events (indices never change once given). */
export class CreditIndexBook {
  private readonly byIndex: string[] = [];
  private readonly byAccount = new Map<string, number>();
  private nextBlock = 0;

  constructor(
    private readonly cm: CreditManager,
    fromBlock = 0,
  ) {
    this.nextBlock = fromBlock;
  }

  get count(): number {
    return this.byIndex.length;
  }

  indexOf(account: string): number | undefined {
    return this.byAccount.get(getAddress(account));
  }

  accountAt(index: number): string | undefined {
    return this.byIndex[index];
  }

  record(account: string, index: number): void {
    const a = getAddress(account);
    const known = this.byIndex[index];
    if (known !== undefined && known !== a) throw new Error(`index ${index} is ${known}, not ${a}`);
    this.byIndex[index] = a;
    this.byAccount.set(a, index);
  }

  /** Reads AccountIndexed events up to `toBlock` (default: the head). */
  async sync(toBlock?: number): Promise<void> {
    const head = toBlock ?? (await (this.cm.runner!.provider as Provider).getBlockNumber());
    if (head < this.nextBlock) return;
    for (const log of await this.cm.queryFilter(this.cm.filters.AccountIndexed(), this.nextBlock, head)) {
      this.record(log.args.account, Number(log.args.index));
    }
    this.nextBlock = head + 1;
  }

  /** Forgets everything (after a reorg): the next sync reads from `fromBlock`. */
  reset(fromBlock = 0): void {
    this.byIndex.length = 0;
    this.byAccount.clear();
    this.nextBlock = fromBlock;
  }
}

/**
 * Sends a push of these entries (tests and tools): indices from the chain (`accountIndex`), each partner half
 * left untouched. Entries may be `CreditEntry`s or packCreditEntry words.
 */
export async function pushCredit(
  cm: CreditManager,
  epoch: bigint | number,
  entries: readonly (CreditEntry | string)[],
  overrides: Overrides = {},
): Promise<ContractTransactionResponse> {
  const list = entries.map((e) => (typeof e === 'string' ? unpackCreditEntry(e) : e));
  const known = new Map<string, number>();
  for (const e of list) {
    const [isKnown, index] = await cm.accountIndex(e.account);
    if (isKnown) known.set(getAddress(e.account), Number(index));
  }
  const count = Number(await cm.accountCount());
  const args = layoutCreditPush(list, (a) => known.get(a), count);
  return cm.pushCreditLimits(epoch, args.newAccounts, args.slots, overrides);
}

/** One push as read back from the chain: its epoch, where it landed, and every half it wrote. */
export interface CreditPushRecord {
  epoch: bigint;
  blockNumber: number;
  transactionHash: string;
  entries: (CreditEntry & { index: number })[];
}

/**
 * The pushes of [fromBlock, toBlock] with their entries (CreditBatchPushed, then the transaction's calldata;
 * accounts from AccountIndexed). Only direct pushCreditLimits calls can be read this way (the pusher's key).
 */
export async function readCreditPushes(
  creditManager: { getAddress(): Promise<string>; runner: ContractRunner | null },
  fromBlock: number,
  toBlock?: number,
): Promise<CreditPushRecord[]> {
  const cm = CreditManager__factory.connect(await creditManager.getAddress(), creditManager.runner);
  const provider = cm.runner!.provider!;
  const head = toBlock ?? (await provider.getBlockNumber());
  const book = new CreditIndexBook(cm);
  await book.sync(head);
  const out: CreditPushRecord[] = [];
  for (const log of await cm.queryFilter(cm.filters.CreditBatchPushed(), fromBlock, head)) {
    const tx = await provider.getTransaction(log.transactionHash);
    const push = tx ? decodeCreditPushCalldata(tx.data) : null;
    if (!push) throw new Error(`credit push ${log.transactionHash} is not a direct pushCreditLimits call`);
    const entries = creditPushEntries(push, Number.MAX_SAFE_INTEGER, (i) => book.accountAt(i));
    out.push({ epoch: push.epoch, blockNumber: log.blockNumber, transactionHash: log.transactionHash, entries });
  }
  return out;
}
