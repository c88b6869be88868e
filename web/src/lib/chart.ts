/** The health-and-credit chart's data and geometry (pure: the component only draws what this returns). */

export interface RiskPoint {
  /** ms since epoch */
  at: number;
  health: number | null;
  creditLimit: number;
}

/** Health above this is drawn at the top of the axis (and ∞ there too, dashed). */
export const HEALTH_AXIS_MAX = 5;

/**
 * History (newest first, as the API pages it) and live points, merged in time order without duplicates (same
 * instant: the later reading wins), at most `limit` of the newest.
 */
export function mergeRiskPoints(history: readonly RiskPoint[], live: readonly RiskPoint[], limit = 200): RiskPoint[] {
  const byTime = new Map<number, RiskPoint>();
  for (const point of [...history].reverse()) byTime.set(point.at, point);
  for (const point of live) byTime.set(point.at, point);
  return [...byTime.values()].sort((a, b) => a.at - b.at).slice(-limit);
}

/** A "nice" upper bound for an axis (1, 2, 2.5 or 5 × 10ⁿ at or above `max`). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export interface ChartGeometry {
  width: number;
  height: number;
  creditMax: number;
  creditPath: string;
  healthPath: string;
  /** x of the first and last point (for the time labels). */
  from: number | null;
  to: number | null;
  /** y of health 1 (the liquidation line). */
  liquidationY: number;
}

/** Lines of the credit limit (left axis, 0…creditMax USD) and health (right axis, 0…HEALTH_AXIS_MAX) over time. */
export function chartGeometry(
  points: readonly RiskPoint[],
  width: number,
  height: number,
  pad = { left: 8, right: 8, top: 8, bottom: 8 },
): ChartGeometry {
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const creditMax = niceMax(Math.max(0, ...points.map((p) => p.creditLimit)));
  const t0 = points[0]?.at ?? 0;
  const t1 = points[points.length - 1]?.at ?? 0;
  const x = (at: number) => pad.left + (t1 > t0 ? ((at - t0) / (t1 - t0)) * innerW : innerW);
  const y = (value: number, max: number) => pad.top + innerH - (Math.min(Math.max(value, 0), max) / max) * innerH;
  const path = (values: [number, number][]) => values.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  return {
    width,
    height,
    creditMax,
    creditPath: path(points.map((p) => [x(p.at), y(p.creditLimit, creditMax)])),
    healthPath: path(points.map((p) => [x(p.at), y(p.health ?? HEALTH_AXIS_MAX, HEALTH_AXIS_MAX)])),
    from: points.length ? t0 : null,
    to: points.length ? t1 : null,
    liquidationY: y(1, HEALTH_AXIS_MAX),
  };
}
