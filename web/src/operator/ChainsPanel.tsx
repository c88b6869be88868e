import { useChains, useRiskChains } from '../api/queries';
import { chainLiveness, LIVENESS_TEXT } from '../lib/chain-status';
import { formatAgo, formatCount, formatSeconds, formatWeight } from '../lib/format';
import { Badge, Panel, QueryState } from '../ui/Panel';
import { Term } from '../ui/Term';

/** Every chain of the deployment: role, weight v_c (configured and now), last message, heartbeat, indexing lag. */
export function ChainsPanel() {
  const chains = useChains();
  const weights = useRiskChains();
  const now = Date.now();
  return (
    <Panel title="Chains" className="wide">
      <QueryState loading={chains.isLoading} error={chains.error ?? weights.error} />
      {chains.data ? (
        <div className="table-wrap">
          <table aria-label="Chains">
            <thead>
              <tr>
                <th scope="col">Chain</th>
                <th scope="col">Role</th>
                <th scope="col" className="num">
                  <Term term="chainWeight">Weight</Term>
                </th>
                <th scope="col">Last message</th>
                <th scope="col">Heartbeat</th>
                <th scope="col" className="num">
                  Indexing lag
                </th>
              </tr>
            </thead>
            <tbody>
              {chains.data.chains.map((c) => {
                const w = weights.data?.chains.find((x) => x.eid === c.eid);
                const liveness = w ? chainLiveness(w, now) : null;
                return (
                  <tr key={c.eid} data-testid={`chain-${c.name}`}>
                    <th scope="row">
                      {c.name} <span className="muted small">eid {c.eid}</span>
                    </th>
                    <td>{c.role}</td>
                    <td className="num">
                      {w ? `${formatWeight(w.weight)} of ${formatWeight(w.configuredWeight)}` : c.role === 'trading' ? 'hub' : '—'}
                    </td>
                    <td>{w ? formatAgo(w.lastMessageAt, now) : '—'}</td>
                    <td>
                      {liveness ? (
                        <Badge tone={liveness === 'ok' ? 'good' : liveness === 'never' ? 'neutral' : liveness === 'quiet' ? 'warn' : 'bad'}>
                          {LIVENESS_TEXT[liveness]}
                        </Badge>
                      ) : (
                        '—'
                      )}
                      {w ? <span className="muted small"> every {formatSeconds(w.heartbeatSeconds)}</span> : null}
                    </td>
                    <td className="num">
                      {c.indexing.lagBlocks === null ? '—' : `${formatCount(c.indexing.lagBlocks, 'block')}, ${formatSeconds(c.indexing.lagSeconds)}`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}
