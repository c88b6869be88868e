import type { AccountEvent } from '@tributary/sdk';
import { Panel } from '../ui/Panel';

/** A one-line gist of an account event (GET /v1/accounts/:a/events). */
function gist(event: AccountEvent): string {
  const data = event.data as Record<string, unknown> | null;
  if (!data || typeof data !== 'object') return String(event.data ?? '');
  if (event.type === 'ledger' && Array.isArray(data.changed)) return `changed: ${data.changed.join(', ')}`;
  if (event.type === 'risk') {
    const r = data.result as { health: number | null; creditLimit: number } | undefined;
    return r ? `health ${r.health === null ? '∞' : r.health.toFixed(2)}, credit ${r.creditLimit.toFixed(2)} USD` : '';
  }
  if (event.type === 'snapshot') return data.account ? 'account loaded' : 'new account';
  if (event.type === 'collateral') return `${String(data.chain ?? data.eid)} ${String(data.symbol ?? data.assetId)}`;
  if (event.type === 'withdrawal') return `request ${String(data.requestId)}: ${String(data.status)}`;
  return Object.keys(data).slice(0, 4).join(', ');
}

/** The newest events of the account's live stream. */
export function EventFeed({ events, connected }: { events: readonly AccountEvent[]; connected: boolean }) {
  return (
    <Panel title="Live events" className="events">
      <p className="muted small">{connected ? 'Connected to the account’s event stream.' : 'Connecting to the event stream…'}</p>
      <ol className="plain feed" aria-label="Account events, newest first">
        {events.map((e, i) => (
          <li key={`${e.id ?? ''}-${i}-${e.receivedAt}`}>
            <time className="muted">{new Date(e.receivedAt).toLocaleTimeString()}</time> <strong>{e.type}</strong> {gist(e)}
          </li>
        ))}
      </ol>
    </Panel>
  );
}
