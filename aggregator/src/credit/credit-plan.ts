/**
 * The credit batch planner: plain functions, no I/O. Given each account's target (from the risk engine) and
 * what the CreditManager holds, it decides which entries the next `pushCreditLimits` carries. The chain stores a
 * signed base = limit − cashAtPush and adds the account's live cash, so the planner reasons about the effective
 * limit (base + cash, with the cash the target was computed at) and pushes `target − cash`:
 * - hysteresis: a limit change smaller than max(relative × on-chain limit, absolute) waits, except a change of
 *   the liquidatable mark, a limit going to zero, or a decrease that crosses below what the account uses;
 * - freeze: a frozen account gets no increase (decreases, marks and refreshes at the current limit still go);
 * - decreases first, then limit-neutral entries (marks, refreshes), then increases;
 * - the batch's total increase never exceeds the on-chain `increaseAllowance()` (partial increases when the
 *   bucket is short), so the push cannot revert with CreditIncreaseRateLimited;
 * - unchanged limits of accounts with credit are re-pushed once half of `staleAfter` has passed;
 * - at most `maxBatch` entries; the rest is reported as deferred (`batch-full`).
 */

/** Range of a pushed base (95-bit two's complement, 1e18 USD): contracts' MIN/MAX_CREDIT_BASE. */
export const MAX_BASE = (1n << 94n) - 1n;
export const MIN_BASE = -(1n << 94n);

export interface Hysteresis {
  /** Fraction of the on-chain limit (0.01 = 1 %). */
  relative: number;
  /** 1e18 USD. */
  absolute: bigint;
}

/** What the CreditManager holds for an account (as far as the pusher knows). */
export interface OnChainCredit {
  /** The pushed base: limit − cashAtPush (signed, 1e18 USD). */
  limit: bigint;
  liquidatable: boolean;
  /** Chain timestamp (s) of the push that set it; 0 = never pushed. */
  pushedAt: number;
}

export interface PlanAccount {
  account: string;
  /** The signed limit wanted (creditLimitSigned in 1e18, floor): below 0 while a debt exceeds the collateral. */
  targetLimit: bigint;
  /** The cash (1e18 USD, signed) the target was computed at: the chain adds its live cash to the pushed base. */
  cash: bigint;
  targetLiquidatable: boolean;
  /** Increases are held back (a price guard tripped for an asset of the account). */
  frozen: boolean;
  onChain: OnChainCredit | null;
  /** used + reserved on chain (from the ledger), 1e18 USD. */
  committed: bigint;
}

export interface PlanSettings {
  hysteresis: Hysteresis;
  maxBatch: number;
  /** CreditManager.staleAfter() (s). */
  staleAfter: number;
  /** Chain time (s). */
  now: number;
  /** CreditManager.increaseAllowance() (1e18 USD). */
  increaseAllowance: bigint;
}

export type EntryReason = 'zero' | 'below-used' | 'decrease' | 'mark' | 'unmark' | 'refresh' | 'increase' | 'new' | 'partner';
export type DeferReason = 'frozen' | 'allowance' | 'batch-full';

export interface PlannedEntry {
  account: string;
  /** The base pushed: effective limit − cash. */
  limit: bigint;
  liquidatable: boolean;
  /** On-chain base before this entry. */
  previous: bigint;
  reason: EntryReason;
  /** The increase was cut to what the allowance had left (the rest is deferred). */
  clamped: boolean;
}

/** A change left for a later push (bases, like the entries). */
export interface DeferredChange {
  account: string;
  reason: DeferReason;
  target: bigint;
  current: bigint;
}

export interface CreditPlan {
  /** In push order: decreases, then limit-neutral entries, then increases. */
  entries: PlannedEntry[];
  deferred: DeferredChange[];
  /** Σ max(0, limit − previous) over the entries (≤ increaseAllowance). */
  totalIncrease: bigint;
}

const NEVER: OnChainCredit = { limit: 0n, liquidatable: false, pushedAt: 0 };
const PPM = 1_000_000n;

/** The smallest limit change worth a push for an account whose on-chain limit is `current`. */
export function hysteresisThreshold(current: bigint, h: Hysteresis): bigint {
  const relative = (current * BigInt(Math.round(h.relative * 1e6))) / PPM;
  return relative > h.absolute ? relative : h.absolute;
}

/** Whether half the staleness window of the account's last push is gone (a never-pushed account is always due). */
export function refreshDue(onChain: OnChainCredit, staleAfter: number, now: number): boolean {
  return now - onChain.pushedAt >= Math.floor(staleAfter / 2);
}

/** Due, and worth it: the account has credit (effective limit > 0) or a mark to keep fresh. */
function refreshWanted(onChain: OnChainCredit, effective: bigint, s: PlanSettings): boolean {
  if (effective <= 0n && !onChain.liquidatable) return false;
  return refreshDue(onChain, s.staleAfter, s.now);
}

const clampBase = (base: bigint): bigint => (base < MIN_BASE ? MIN_BASE : base > MAX_BASE ? MAX_BASE : base);

type Candidate =
  | { group: 'decrease'; entry: PlannedEntry; urgent: boolean; delta: bigint }
  | { group: 'neutral'; entry: PlannedEntry; pushedAt: number; frozen: boolean; target: bigint }
  | { group: 'increase'; entry: PlannedEntry; delta: bigint; mandatory: boolean; pushedAt: number; threshold: bigint };

/** Classifies one account: nothing to do, or a candidate entry in one of the three groups. */
function classify(a: PlanAccount, s: PlanSettings, deferred: DeferredChange[]): Candidate | null {
  const cur = a.onChain ?? NEVER;
  // Effective limits (base + cash): the target and what the chain grants now.
  const target = clampBase(a.targetLimit - a.cash) + a.cash;
  const current = cur.limit + a.cash;
  const markChanged = a.targetLiquidatable !== cur.liquidatable;
  const markReason: EntryReason = a.targetLiquidatable ? 'mark' : 'unmark';
  const threshold = hysteresisThreshold(current > 0n ? current : 0n, s.hysteresis);
  const due = refreshWanted(cur, current, s);
  const entry = (limit: bigint, reason: EntryReason): PlannedEntry => ({
    account: a.account,
    limit: limit - a.cash,
    liquidatable: a.targetLiquidatable,
    previous: cur.limit,
    reason,
    clamped: false,
  });

  if (target < current) {
    const delta = current - target;
    const crossesUsed = current >= a.committed && target < a.committed;
    const reason: EntryReason | null =
      target <= 0n ? 'zero' : crossesUsed ? 'below-used' : markChanged ? markReason : delta >= threshold ? 'decrease' : due ? 'refresh' : null;
    if (!reason) return null;
    return { group: 'decrease', entry: entry(target, reason), urgent: reason === 'zero' || reason === 'below-used' || reason === 'mark', delta };
  }
  if (target === current) {
    if (!markChanged && !due) return null;
    return {
      group: 'neutral',
      entry: entry(target, markChanged ? markReason : 'refresh'),
      pushedAt: cur.pushedAt,
      frozen: a.frozen,
      target: target - a.cash,
    };
  }
  const delta = target - current;
  const worthIt = delta >= threshold;
  if (!worthIt && !markChanged && !due) return null;
  if (a.frozen) {
    if (worthIt) deferred.push({ account: a.account, reason: 'frozen', target: target - a.cash, current: cur.limit });
    if (!markChanged && !due) return null;
    return {
      group: 'neutral',
      entry: entry(current, markChanged ? markReason : 'refresh'),
      pushedAt: cur.pushedAt,
      frozen: true,
      target: target - a.cash,
    };
  }
  const reason: EntryReason = markChanged ? markReason : !worthIt ? 'refresh' : cur.pushedAt === 0 ? 'new' : 'increase';
  return { group: 'increase', entry: entry(target, reason), delta, mandatory: markChanged || due, pushedAt: cur.pushedAt, threshold };
}

const byAccount = (a: { entry: PlannedEntry }, b: { entry: PlannedEntry }) =>
  a.entry.account < b.entry.account ? -1 : a.entry.account > b.entry.account ? 1 : 0;
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Plans the next batch (see the file comment). Deterministic: the same input gives the same plan. */
export function planCreditBatch(accounts: readonly PlanAccount[], settings: PlanSettings): CreditPlan {
  const deferred: DeferredChange[] = [];
  const decreases: Extract<Candidate, { group: 'decrease' }>[] = [];
  const neutrals: Extract<Candidate, { group: 'neutral' }>[] = [];
  const increases: Extract<Candidate, { group: 'increase' }>[] = [];
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.account)) throw new Error(`account ${account.account} appears twice in one plan`);
    seen.add(account.account);
    const c = classify(account, settings, deferred);
    if (c?.group === 'decrease') decreases.push(c);
    else if (c?.group === 'neutral') neutrals.push(c);
    else if (c?.group === 'increase') increases.push(c);
  }
  // Urgent decreases (to zero, below what is used, new marks) first, then the largest; marks before refreshes,
  // oldest refresh first; increases that carry a mark or a due refresh first, then the smallest (most accounts
  // served from a short allowance; the largest gets the remainder as a partial increase).
  decreases.sort((a, b) => Number(b.urgent) - Number(a.urgent) || cmpBig(b.delta, a.delta) || byAccount(a, b));
  neutrals.sort((a, b) => Number(b.entry.reason !== 'refresh') - Number(a.entry.reason !== 'refresh') || a.pushedAt - b.pushedAt || byAccount(a, b));
  increases.sort((a, b) => Number(b.mandatory) - Number(a.mandatory) || cmpBig(a.delta, b.delta) || byAccount(a, b));

  const entries: PlannedEntry[] = [];
  const full = () => entries.length >= settings.maxBatch;
  const deferFull = (e: PlannedEntry, target: bigint) => deferred.push({ account: e.account, reason: 'batch-full', target, current: e.previous });
  for (const c of decreases) {
    if (full()) deferFull(c.entry, c.entry.limit);
    else entries.push(c.entry);
  }
  for (const c of neutrals) {
    if (full()) deferFull(c.entry, c.target);
    else entries.push(c.entry);
  }
  let remaining = settings.increaseAllowance > 0n ? settings.increaseAllowance : 0n;
  let totalIncrease = 0n;
  for (const c of increases) {
    const e = c.entry;
    if (full()) {
      deferFull(e, e.limit);
      continue;
    }
    if (c.delta <= remaining) {
      entries.push(e);
      remaining -= c.delta;
      totalIncrease += c.delta;
      continue;
    }
    deferred.push({ account: e.account, reason: 'allowance', target: e.limit, current: e.previous });
    const partialWorthIt = remaining > 0n && remaining >= c.threshold;
    if (partialWorthIt || (remaining > 0n && c.mandatory)) {
      entries.push({ ...e, limit: e.previous + remaining, clamped: true });
      totalIncrease += remaining;
      remaining = 0n;
    } else if (c.mandatory) {
      entries.push({ ...e, limit: e.previous, clamped: true, reason: e.reason === 'mark' || e.reason === 'unmark' ? e.reason : 'refresh' });
    }
  }
  return { entries, deferred, totalIncrease };
}

/**
 * The half of a partner (the other account of a limits slot the batch writes) worth writing in the same word:
 * it costs a few hundred gas of calldata instead of a later ~6k refresh of its own slot. Only an account the
 * plan left alone (no entry, nothing deferred), pushed before, whose mark is what the engine wants and that is a
 * quarter of the way to stale; pushed at min(on-chain base, target base), so it never draws on the increase
 * allowance nor refreshes a limit above what the engine computes. Null: leave the half as it is.
 */
export function partnerFill(partner: PlanAccount, s: PlanSettings): PlannedEntry | null {
  const cur = partner.onChain;
  if (!cur || cur.pushedAt === 0) return null;
  if (partner.targetLiquidatable !== cur.liquidatable) return null;
  if (cur.limit + partner.cash <= 0n && !cur.liquidatable) return null;
  if (s.now - cur.pushedAt < Math.floor(s.staleAfter / 4)) return null;
  const target = clampBase(partner.targetLimit - partner.cash);
  const base = target < cur.limit ? target : cur.limit;
  return { account: partner.account, limit: base, liquidatable: cur.liquidatable, previous: cur.limit, reason: 'partner', clamped: false };
}
