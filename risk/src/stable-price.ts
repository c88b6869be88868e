/**
 * Stable price (the dampener, docs/breakers-and-dampeners.md): a per-asset price `s` that follows the oracle price
 * `p` by a bounded step. Between two updates `elapsed` seconds of on-chain time apart, `s` moves toward `p` by at
 * most `maxStep · elapsed / interval` relative to itself and never past `p`. Pure: the caller keeps the state.
 */

/** δ: the largest relative move of the stable price per interval (2 %). */
export const DEFAULT_STABLE_PRICE_MAX_STEP = 0.02;
/** τ: the interval of on-chain time the step refers to (1 h). */
export const DEFAULT_STABLE_PRICE_INTERVAL_S = 3_600;

export interface StablePriceParams {
  /** δ, a fraction in (0, 1). */
  maxStep: number;
  /** τ in seconds (> 0). */
  intervalSeconds: number;
}

export const DEFAULT_STABLE_PRICE_PARAMS: StablePriceParams = {
  maxStep: DEFAULT_STABLE_PRICE_MAX_STEP,
  intervalSeconds: DEFAULT_STABLE_PRICE_INTERVAL_S,
};

export interface StablePriceState {
  /** The stable price s (USD, > 0). */
  price: number;
  /** On-chain time (unix s) of the update that set it. */
  lastUpdate: number;
}

/** The first state of an asset: the stable price starts at the first accepted oracle price. */
export function initialStablePrice(oraclePrice: number, now: number): StablePriceState {
  requirePositive(oraclePrice, 'oracle price');
  return { price: oraclePrice, lastUpdate: now };
}

/**
 * One update at on-chain time `now` with oracle price `oraclePrice`: `s' = s ± min(|p − s|, s · δ · elapsed / τ)`
 * toward `p`. Time going backwards (a reorg, a clock behind the last update) moves nothing and keeps `lastUpdate`.
 */
export function updateStablePrice(
  state: StablePriceState,
  oraclePrice: number,
  now: number,
  params: StablePriceParams = DEFAULT_STABLE_PRICE_PARAMS,
): StablePriceState {
  requirePositive(oraclePrice, 'oracle price');
  validateStablePriceParams(params);
  const elapsed = now - state.lastUpdate;
  if (!(elapsed > 0)) return state;
  const maxMove = stablePriceAllowance(state.price, elapsed, params);
  const gap = oraclePrice - state.price;
  const price = Math.abs(gap) <= maxMove ? oraclePrice : state.price + Math.sign(gap) * maxMove;
  return { price, lastUpdate: now };
}

/** The largest move (USD) the stable price `s` may make in `elapsed` seconds: `s · δ · elapsed / τ`. */
export function stablePriceAllowance(stablePrice: number, elapsedSeconds: number, params: StablePriceParams = DEFAULT_STABLE_PRICE_PARAMS): number {
  return (stablePrice * params.maxStep * Math.max(0, elapsedSeconds)) / params.intervalSeconds;
}

export function validateStablePriceParams(params: StablePriceParams): void {
  if (!(params.maxStep > 0 && params.maxStep < 1)) throw new RangeError(`stable price maxStep must be in (0, 1), got ${params.maxStep}`);
  if (!(params.intervalSeconds > 0 && Number.isFinite(params.intervalSeconds)))
    throw new RangeError(`stable price intervalSeconds must be > 0, got ${params.intervalSeconds}`);
}

function requirePositive(value: number, name: string): void {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
}
