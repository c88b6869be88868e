import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useServices } from '../api/context';
import { usePackets, usePathways } from '../api/queries';
import { RelayerAuthError, type RelayerApi } from '../api/relayer';
import { formatAgo, formatCount, formatNative, formatSeconds, shortHex } from '../lib/format';
import { Badge, errorText, Panel, QueryState } from '../ui/Panel';

const statusTone = (status: string) => (status === 'delivered' ? 'good' : status === 'parked' || status === 'reorged' ? 'bad' : 'neutral');

function AuthHint({ error }: { error: unknown }) {
  if (error instanceof RelayerAuthError) return <p className="muted">Enter the operator key above to read the relayer.</p>;
  return <QueryState loading={false} error={error} />;
}

/** The relayer's pathways: backlog, delivery latency, parked packets, the last packet; its signers' gas balances. */
export function PathwaysPanel({ relayer }: { relayer: RelayerApi | null }) {
  const pathways = usePathways(relayer);
  const { deployment } = useServices();
  if (!relayer) return null;
  const now = Date.now();
  return (
    <Panel title="Relayer pathways">
      {pathways.error ? <AuthHint error={pathways.error} /> : <QueryState loading={pathways.isLoading} error={null} />}
      {pathways.data ? (
        <>
          <div className="table-wrap">
            <table aria-label="Relayer pathways">
              <thead>
                <tr>
                  <th scope="col">Pathway</th>
                  <th scope="col" className="num">
                    Backlog
                  </th>
                  <th scope="col" className="num">
                    Latency p50 / p99
                  </th>
                  <th scope="col" className="num">
                    Parked
                  </th>
                  <th scope="col">Last packet</th>
                </tr>
              </thead>
              <tbody>
                {pathways.data.pathways.map((p) => (
                  <tr key={`${p.srcEid}-${p.dstEid}`}>
                    <th scope="row">
                      {deployment.chainName(p.srcEid)} → {deployment.chainName(p.dstEid)}
                    </th>
                    <td className="num">{formatCount(p.backlog, 'packet')}</td>
                    <td className="num">
                      {formatSeconds(p.latency.p50Seconds)} / {formatSeconds(p.latency.p99Seconds)}{' '}
                      <span className="muted small">({formatCount(p.latency.samples, 'sample')})</span>
                    </td>
                    <td className="num">{p.parked ? <Badge tone="bad">{formatCount(p.parked, 'packet')}</Badge> : formatCount(0, 'packet')}</td>
                    <td>
                      {p.lastPacket ? (
                        <>
                          #{p.lastPacket.nonce} <Badge tone={statusTone(p.lastPacket.status)}>{p.lastPacket.status}</Badge>{' '}
                          <span className="muted small">{formatAgo(p.lastPacket.deliveredAt ?? p.lastPacket.seenAt, now)}</span>
                        </>
                      ) : (
                        'none yet'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            Relayer gas:{' '}
            {pathways.data.signers
              .map((s) => `${deployment.chainName(s.eid)} ${s.balanceWei === null ? '—' : formatNative(Number(BigInt(s.balanceWei)) / 1e18)}`)
              .join(' · ')}
          </p>
        </>
      ) : null}
    </Panel>
  );
}

/** Recent packets, and parked ones with a retry for the holder of the operator key. */
export function PacketsPanel({ relayer, hasKey }: { relayer: RelayerApi | null; hasKey: boolean }) {
  const recent = usePackets(relayer);
  const parked = usePackets(relayer, 'parked');
  const { deployment } = useServices();
  const route = (p: { srcEid: number; dstEid: number }) => `${deployment.chainName(p.srcEid)} → ${deployment.chainName(p.dstEid)}`;
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: (guid: string) => relayer!.retry(guid),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['relayer'] }),
  });
  if (!relayer) return null;
  const now = Date.now();
  return (
    <Panel title="Packets">
      {recent.error ? (
        <AuthHint error={recent.error} />
      ) : (
        <QueryState loading={recent.isLoading} error={null} empty={recent.data?.items.length === 0} emptyText="No packets yet." />
      )}
      {parked.data?.items.length ? (
        <>
          <h3>Parked</h3>
          <ul className="plain" aria-label="Parked packets">
            {parked.data.items.map((p) => (
              <li key={p.guid}>
                {route(p)} #{p.nonce} <code>{shortHex(p.guid)}</code> after {formatCount(p.attempts, 'attempt')}: {p.lastError ?? 'no error recorded'}{' '}
                <button
                  type="button"
                  className="small"
                  disabled={!hasKey || retry.isPending}
                  title={hasKey ? undefined : 'Enter the operator key to retry'}
                  onClick={() => retry.mutate(p.guid)}
                  aria-label={`Retry packet ${p.nonce} of ${route(p)}`}
                >
                  Retry
                </button>
              </li>
            ))}
          </ul>
          {retry.error ? <p className="error-text">{errorText(retry.error)}</p> : null}
        </>
      ) : null}
      {recent.data?.items.length ? (
        <div className="table-wrap">
          <table aria-label="Recent packets">
            <thead>
              <tr>
                <th scope="col">Pathway</th>
                <th scope="col" className="num">
                  Nonce
                </th>
                <th scope="col">Status</th>
                <th scope="col">Seen</th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {recent.data.items.map((p) => (
                <tr key={p.guid} data-testid="packet-row" data-status={p.status}>
                  <th scope="row">{route(p)}</th>
                  <td className="num">{p.nonce}</td>
                  <td>
                    <Badge tone={statusTone(p.status)}>{p.status}</Badge>
                    {p.status !== 'delivered' ? <span className="muted small"> {p.stage}</span> : null}
                  </td>
                  <td>{formatAgo(p.seenAt, now)}</td>
                  <td>{p.deliveredAt ? formatAgo(p.deliveredAt, now) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}
