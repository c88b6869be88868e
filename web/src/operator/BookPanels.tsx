import { useCreditStatus, useLiquidations, useOraclePrices, usePool, useRiskBook } from '../api/queries';
import { barShares } from '../lib/chain-status';
import { formatAgo, formatCount, formatHealth, formatUsd, shortHex, wadToNumber } from '../lib/format';
import { Badge, Panel, QueryState } from '../ui/Panel';
import { Term } from '../ui/Term';

/** The credit pusher: leadership, epoch, last push, increases held back. */
export function PusherPanel() {
  const status = useCreditStatus();
  const s = status.data;
  return (
    <Panel title="Credit pusher">
      <QueryState loading={status.isLoading} error={status.error} />
      {s ? (
        <dl className="kv">
          <dt>State</dt>
          <dd>
            {s.enabled ? <Badge tone={s.leader ? 'good' : 'neutral'}>{s.leader ? 'leader' : 'standby'}</Badge> : <Badge tone="warn">disabled</Badge>}
            {s.disabledReason ? <span className="muted small"> {s.disabledReason}</span> : null}
          </dd>
          <dt>Epoch</dt>
          <dd data-testid="pusher-epoch">{s.lastEpoch ?? '—'}</dd>
          <dt>Last push</dt>
          <dd>
            {formatAgo(s.lastPushAt)} {s.lastTxHash ? <code className="small">{shortHex(s.lastTxHash)}</code> : null}
          </dd>
          <dt>Pending</dt>
          <dd>{formatCount(s.pendingAccounts, 'account')}</dd>
          <dt>Deferred increases</dt>
          <dd>{s.deferredIncreases ? <Badge tone="warn">{formatCount(s.deferredIncreases, 'account')}</Badge> : formatCount(0, 'account')}</dd>
          {s.lastError ? (
            <>
              <dt>Last error</dt>
              <dd className="error-text">{s.lastError}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </Panel>
  );
}

/** Oracle prices with their guard status (a stale or deviating price freezes credit increases). */
export function OraclePanel() {
  const prices = useOraclePrices();
  return (
    <Panel title="Oracle prices">
      <QueryState loading={prices.isLoading} error={prices.error} />
      <ul className="plain prices" aria-label="Oracle prices">
        {prices.data?.prices.map((p) => (
          <li key={p.assetId}>
            <strong>{p.symbol}</strong> {formatUsd(p.price)}{' '}
            <Badge tone={p.status === 'ok' ? 'good' : 'bad'}>
              <Term term="price">{p.status}</Term>
            </Badge>{' '}
            <span className="muted small">{p.status === 'ok' ? `updated ${formatAgo(p.updatedAt)}` : p.detail}</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/** The risk book: a histogram of health, and the accounts nearest to liquidation. */
export function RiskBookPanel() {
  const book = useRiskBook();
  const b = book.data;
  const shares = barShares(b?.buckets.map((x) => x.count) ?? []);
  return (
    <Panel title="Risk book">
      <QueryState loading={book.isLoading} error={book.error} />
      {b ? (
        <>
          <p>
            {formatCount(b.accounts, 'account')}: {formatCount(b.liquidatable, 'liquidatable account')}, {formatCount(b.frozen, 'frozen account')},{' '}
            {formatCount(b.unbounded, 'account')} with nothing required.
          </p>
          <ul className="histogram" aria-label="Accounts per health band">
            {b.buckets.map((x, i) => (
              <li key={x.label}>
                <span className="bar-label">health {x.label}</span>
                <span
                  className={`bar ${i === 0 ? 'bar-bad' : i === 1 ? 'bar-warn' : ''}`}
                  style={{ width: `${Math.max(shares[i]! * 100, x.count ? 2 : 0)}%` }}
                />
                <span className="bar-count">{formatCount(x.count, 'account')}</span>
              </li>
            ))}
          </ul>
          <h3>Nearest to liquidation</h3>
          {b.nearest.length ? (
            <div className="table-wrap">
              <table aria-label="Accounts nearest to liquidation">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col" className="num">
                      <Term term="health">Health</Term>
                    </th>
                    <th scope="col" className="num">
                      Collateral (maint)
                    </th>
                    <th scope="col" className="num">
                      Requirement (maint)
                    </th>
                    <th scope="col" className="num">
                      Credit limit
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {b.nearest.map((n) => (
                    <tr key={n.account}>
                      <th scope="row">
                        <code title={n.account}>{shortHex(n.account)}</code> {n.frozen ? <Badge tone="warn">frozen</Badge> : null}
                      </th>
                      <td className={`num ${n.liquidatable ? 'neg' : ''}`}>{formatHealth(n.health)}</td>
                      <td className="num">{formatUsd(n.collateralMaint)}</td>
                      <td className="num">{formatUsd(n.requirementMaint)}</td>
                      <td className="num">{formatUsd(n.creditLimit)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">No account has a finite health (nothing required anywhere).</p>
          )}
        </>
      ) : null}
    </Panel>
  );
}

/** Accounts below health 1 and the keeper's stage of each liquidation run. */
export function LiquidationsPanel() {
  const list = useLiquidations();
  return (
    <Panel title="Liquidations">
      <QueryState loading={list.isLoading} error={list.error} empty={list.data?.items.length === 0} emptyText="No liquidatable accounts." />
      {list.data?.items.length ? (
        <ul className="plain" aria-label="Liquidations">
          {list.data.items.map((l) => (
            <li key={l.account}>
              <code title={l.account}>{shortHex(l.account)}</code> health {formatHealth(l.health)} ({formatUsd(l.collateralMaint)} of{' '}
              {formatUsd(l.requirementMaint)}) <Badge tone={l.stage === 'done' ? 'good' : 'bad'}>{l.outcome ?? l.stage}</Badge>{' '}
              {l.txHash ? <code className="small">{shortHex(l.txHash)}</code> : null} {l.error ? <span className="error-text">{l.error}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}

/** The settlement pool's solvency (GET /v1/pool). */
export function PoolPanel() {
  const pool = usePool();
  const p = pool.data;
  return (
    <Panel title="Settlement pool">
      <QueryState loading={pool.isLoading} error={pool.error} empty={p === null} emptyText="No settlement pool on this deployment." />
      {p ? (
        <dl className="kv">
          <dt>Quote tokens held</dt>
          <dd>{formatUsd(wadToNumber(p.tokenBalanceUsd))}</dd>
          <dt>Positive cash owed</dt>
          <dd>{formatUsd(wadToNumber(p.totalPositiveCash))}</dd>
          <dt>Debt owed to it</dt>
          <dd>{formatUsd(wadToNumber(p.totalDebt))}</dd>
          <dt>Equity</dt>
          <dd>
            {formatUsd(wadToNumber(p.equity))} <Badge tone={p.solvent ? 'good' : 'bad'}>{p.solvent ? 'solvent' : 'insolvent'}</Badge>
          </dd>
          <dt>Read at</dt>
          <dd>block {p.blockNumber.toLocaleString('en-US')}</dd>
        </dl>
      ) : null}
    </Panel>
  );
}
