/**
 * Book-wide liquidation rate limit (docs/breakers-and-dampeners.md): within any window of `windowSeconds`, at most
 * `L_max = maxFractionOfOpenInterest × open interest` USD of notional closed plus collateral seized. Candidates
 * beyond it queue, lowest health first. Pure: the caller keeps the state (the admissions still inside the window).
 */

/** Share of the open interest that may be liquidated per window (10 %). */
export const DEFAULT_LIQUIDATION_LIMIT_FRACTION = 0.1;
/** The window (1 h). */
export const DEFAULT_LIQUIDATION_WINDOW_S = 3_600;

export interface LiquidationRateLimitParams {
  /** L_max as a fraction of the book's open interest, in (0, 1]. */
  maxFractionOfOpenInterest: number;
  windowSeconds: number;
}

export const DEFAULT_LIQUIDATION_RATE_LIMIT: LiquidationRateLimitParams = {
  maxFractionOfOpenInterest: DEFAULT_LIQUIDATION_LIMIT_FRACTION,
  windowSeconds: DEFAULT_LIQUIDATION_WINDOW_S,
};

export interface LiquidationCandidate {
  account: string;
  /** Maintenance health (< 1 for a liquidatable account); null = unbounded, sorts last. */
  health: number | null;
  /** USD notional the liquidation closes (Σ|q|·p of the account's positions). */
  notional: number;
  /** USD collateral the liquidation is expected to seize. */
  seized: number;
}

export interface LiquidationAdmission {
  account: string;
  /** Time (unix s) it was admitted. */
  at: number;
  /** notional + seized (USD) counted against the window. */
  cost: number;
}

export interface RateLimitState {
  /** Admissions still inside the window, oldest first. */
  admissions: LiquidationAdmission[];
}

export const EMPTY_RATE_LIMIT_STATE: RateLimitState = { admissions: [] };

export interface AdmitResult {
  /** The candidates to liquidate now, lowest health first. */
  admitted: LiquidationCandidate[];
  /** The rest, lowest health first: the queue. */
  queued: LiquidationCandidate[];
  state: RateLimitState;
  /** L_max at `now` (USD). */
  limit: number;
  /** USD counted in the window after this call. */
  used: number;
  /** When the oldest admission leaves the window (unix s), null when the window is empty. */
  nextReleaseAt: number | null;
}

/** The order of the queue: lowest health first (unbounded last), then account id. */
export function byLiquidationPriority(a: LiquidationCandidate, b: LiquidationCandidate): number {
  return (a.health ?? Infinity) - (b.health ?? Infinity) || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0);
}

export function liquidationCost(candidate: LiquidationCandidate): number {
  return Math.max(0, candidate.notional) + Math.max(0, candidate.seized);
}

/** The admissions still inside the window ending at `now` (those at `at > now − window`). */
export function windowState(state: RateLimitState, now: number, params: LiquidationRateLimitParams = DEFAULT_LIQUIDATION_RATE_LIMIT): RateLimitState {
  const from = now - params.windowSeconds;
  const admissions = state.admissions.filter((a) => a.at > from);
  return admissions.length === state.admissions.length ? state : { admissions };
}

/**
 * Admits candidates in priority order while their cost fits what is left of `L_max` in the window ending at
 * `now`; the first that does not fit stops the admission (strict order: a healthier account never jumps the
 * queue). One exception keeps an account larger than the whole limit from waiting forever: it is admitted
 * alone into an empty window. An account already admitted inside the window is not admitted twice (it stays
 * neither admitted nor queued: its liquidation is under way).
 */
export function admitLiquidations(
  state: RateLimitState,
  candidates: readonly LiquidationCandidate[],
  now: number,
  openInterest: number,
  params: LiquidationRateLimitParams = DEFAULT_LIQUIDATION_RATE_LIMIT,
): AdmitResult {
  validateRateLimitParams(params);
  const limit = Math.max(0, openInterest) * params.maxFractionOfOpenInterest;
  const current = windowState(state, now, params);
  const inWindow = new Set(current.admissions.map((a) => a.account));
  let used = current.admissions.reduce((sum, a) => sum + a.cost, 0);
  const admissions = [...current.admissions];
  const admitted: LiquidationCandidate[] = [];
  const queued: LiquidationCandidate[] = [];
  let blocked = false;
  for (const candidate of [...candidates].sort(byLiquidationPriority)) {
    if (inWindow.has(candidate.account)) continue;
    const cost = liquidationCost(candidate);
    const fits = used + cost <= limit || (admissions.length === 0 && cost > limit);
    if (blocked || !fits) {
      blocked = true;
      queued.push(candidate);
      continue;
    }
    admitted.push(candidate);
    admissions.push({ account: candidate.account, at: now, cost });
    inWindow.add(candidate.account);
    used += cost;
  }
  return {
    admitted,
    queued,
    state: { admissions },
    limit,
    used,
    nextReleaseAt: admissions.length ? admissions[0].at + params.windowSeconds : null,
  };
}

export function validateRateLimitParams(params: LiquidationRateLimitParams): void {
  if (!(params.maxFractionOfOpenInterest > 0 && params.maxFractionOfOpenInterest <= 1))
    throw new RangeError(`maxFractionOfOpenInterest must be in (0, 1], got ${params.maxFractionOfOpenInterest}`);
  if (!(params.windowSeconds > 0 && Number.isFinite(params.windowSeconds)))
    throw new RangeError(`windowSeconds must be > 0, got ${params.windowSeconds}`);
}
