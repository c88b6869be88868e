import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { RiskHistoryBody } from '@tributary/sdk';
import { chartGeometry, HEALTH_AXIS_MAX, mergeRiskPoints, type RiskPoint } from '../lib/chart';
import { formatHealth, formatUsd } from '../lib/format';
import { Panel } from '../ui/Panel';

const H = 200;

/** The element's width in CSS pixels, followed as it resizes (the chart draws at 1:1 so its labels keep their size). */
function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(240, Math.round(entry.contentRect.width))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
const PAD = { left: 64, right: 40, top: 10, bottom: 22 };

/** The account's health and credit limit over time: stored snapshots (GET …/risk/history) and live `risk` events. */
export function HealthChart({ history, live }: { history: RiskHistoryBody | null | undefined; live: readonly RiskPoint[] }) {
  const points = useMemo(
    () =>
      mergeRiskPoints(
        (history?.items ?? []).map((s) => ({ at: Date.parse(s.computedAt), health: s.health, creditLimit: s.creditLimit })),
        live,
      ),
    [history, live],
  );
  const [ref, W] = useWidth<HTMLElement>(640);
  const g = chartGeometry(points, W, H, PAD);
  const last = points[points.length - 1];
  const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toLocaleTimeString());
  const summary = last
    ? `${points.length} readings from ${time(g.from)} to ${time(g.to)}; now health ${formatHealth(last.health)}, credit limit ${formatUsd(last.creditLimit)}`
    : 'no readings yet';
  return (
    <Panel title="Health and credit over time" className="chart wide">
      {points.length === 0 ? (
        <p className="muted">
          {history === undefined ? 'Loading the history…' : 'No readings yet: the engine records one when the account’s risk changes.'}
        </p>
      ) : null}
      <figure ref={ref}>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Chart: ${summary}`} width={W} height={H} className="chart-svg">
          <line x1={PAD.left} x2={W - PAD.right} y1={g.liquidationY} y2={g.liquidationY} className="chart-liq" />
          <text x={W - PAD.right + 4} y={g.liquidationY + 4} className="chart-axis">
            1
          </text>
          <text x={W - PAD.right + 4} y={PAD.top + 8} className="chart-axis">
            {HEALTH_AXIS_MAX}+
          </text>
          <text x={PAD.left - 4} y={PAD.top + 8} className="chart-axis" textAnchor="end">
            {formatUsd(g.creditMax).replace(' USD', '').replace('.00', '')} $
          </text>
          <text x={PAD.left - 4} y={H - PAD.bottom} className="chart-axis" textAnchor="end">
            0 $
          </text>
          <path d={g.creditPath} className="chart-credit" />
          <path d={g.healthPath} className="chart-health" />
          <text x={PAD.left} y={H - 4} className="chart-axis">
            {time(g.from)}
          </text>
          <text x={W - PAD.right} y={H - 4} className="chart-axis" textAnchor="end">
            {time(g.to)}
          </text>
        </svg>
        <figcaption className="legend">
          <span className="key key-credit" /> credit limit (USD, left) <span className="key key-health" /> health (right, capped at {HEALTH_AXIS_MAX};
          dashed line: 1 = liquidation)
          <span className="visually-hidden">{summary}</span>
        </figcaption>
      </figure>
    </Panel>
  );
}
