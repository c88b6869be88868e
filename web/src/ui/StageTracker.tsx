import type { Stage } from '@tributary/sdk';
import { formatDuration } from '../lib/format';
import { trackStages, type ActionKind } from '../lib/stages';

const MARK = { done: '✓', skipped: '–', active: '…', pending: '○', failed: '✕' } as const;

/** An operation's stages as they happen, each with its latency since the previous one, and the total. */
export function StageTracker({
  kind,
  stages,
  status,
}: {
  kind: ActionKind;
  stages: readonly Stage[];
  status: 'idle' | 'running' | 'done' | 'failed';
}) {
  const rows = trackStages(kind, stages, status);
  const last = stages[stages.length - 1];
  return (
    <div className="tracker">
      <ol aria-label={`${kind} stages`}>
        {rows.map((row) => (
          <li key={row.name} className={`stage stage-${row.state}`} data-stage={row.name} data-state={row.state}>
            <span className="stage-mark" aria-hidden="true">
              {MARK[row.state]}
            </span>
            <span className="stage-name">{row.label}</span>
            <span className="stage-time">
              {row.stage ? (row.stage.skipped ? 'skipped' : `+${formatDuration(row.stage.latencyMs)}`) : row.state === 'active' ? 'waiting' : ''}
            </span>
            <span className="visually-hidden">{row.state}</span>
          </li>
        ))}
      </ol>
      {last ? (
        <p className="muted tracker-total">
          {status === 'done' ? `done in ${formatDuration(last.elapsedMs)}` : `${formatDuration(last.elapsedMs)} so far`}
        </p>
      ) : null}
    </div>
  );
}
