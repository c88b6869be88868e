import type { AccountRiskBody, AccountSummary, TolerantAccountLedger } from '@tributary/sdk';
import { useServices } from '../api/context';
import { formatAmount, formatUsd, formatWeight } from '../lib/format';
import { Badge, Panel } from '../ui/Panel';
import { Term } from '../ui/Term';

/** Collateral per chain and asset: what the hub holds, at which price and chain weight, and how much can leave now. */
export function CollateralPanel({
  account,
  risk,
  ledger,
}: {
  account: AccountSummary | undefined;
  risk: AccountRiskBody | null | undefined;
  ledger: TolerantAccountLedger | null | undefined;
}) {
  const { deployment } = useServices();
  const priceOf = (assetId: number) => risk?.inputs.prices.find((p) => p.assetId === assetId);
  const weightOf = (eid: number) => risk?.inputs.balances.find((b) => b.eid === eid)?.chainWeight;
  const withdrawableOf = (eid: number, assetId: number) => ledger?.withdrawable?.find((w) => w.eid === eid && w.assetId === assetId);
  const rows = account?.collateral ?? [];
  return (
    <Panel title="Collateral by chain" className="wide">
      {rows.length === 0 ? (
        <p className="muted">No collateral yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Collateral by chain and asset">
            <thead>
              <tr>
                <th scope="col">Chain</th>
                <th scope="col">Asset</th>
                <th scope="col" className="num">
                  Balance
                </th>
                <th scope="col" className="num">
                  <Term term="price">Price</Term>
                </th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  <Term term="chainWeight">Chain weight</Term>
                </th>
                <th scope="col" className="num">
                  <Term term="withdrawable">Withdrawable now</Term>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const price = priceOf(c.assetId);
                const w = withdrawableOf(c.eid, c.assetId);
                const decimals = deployment.decimals(c.eid, c.assetId) ?? 18;
                return (
                  <tr key={`${c.eid}-${c.assetId}`} data-testid={`collateral-${c.chain}-${c.asset}`}>
                    <th scope="row">{c.chain}</th>
                    <td>{c.asset}</td>
                    <td className="num">
                      {formatAmount(c.balance, c.asset)}
                      {c.inFlight ? (
                        <div className="small">
                          <Term term="inFlight">in flight → {formatAmount(c.inFlight, c.asset)}</Term>
                        </div>
                      ) : null}
                    </td>
                    <td className="num">
                      {price ? formatUsd(price.price) : '—'} {price && price.status !== 'ok' ? <Badge tone="warn">{price.status}</Badge> : null}
                    </td>
                    <td className="num">{price ? formatUsd(Number(c.balance) * price.price) : '—'}</td>
                    <td className="num">{formatWeight(weightOf(c.eid))}</td>
                    <td className="num" title={w ? `limited by ${w.limitedBy}` : undefined}>
                      {w ? formatAmount(Number(BigInt(w.amount)) / 10 ** decimals, c.asset, 4) : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {account?.withdrawals.length ? (
        <>
          <h3>Withdrawals</h3>
          <ul className="plain" aria-label="Withdrawals">
            {account.withdrawals.slice(-5).map((w) => (
              <li key={`${w.chain}-${w.requestId}`}>
                #{w.requestId} {formatAmount(w.amount, w.asset)} from {w.chain}:{' '}
                <Badge tone={w.status === 'rejected' ? 'bad' : w.status === 'released' || w.status === 'settled' ? 'good' : 'neutral'}>
                  {w.status}
                </Badge>
                {w.reasonName ? ` ${w.reasonName}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Panel>
  );
}

/** Open perp positions with their unrealized PnL at the oracle price; each can be closed. */
export function PositionsPanel({
  account,
  risk,
  onClose,
}: {
  account: AccountSummary | undefined;
  risk: AccountRiskBody | null | undefined;
  onClose: (asset: string) => void;
}) {
  const rows = account?.positions ?? [];
  const markOf = (symbol: string, fallback: number) => risk?.inputs.prices.find((p) => p.symbol === symbol)?.price || fallback;
  return (
    <Panel title="Positions">
      {rows.length === 0 ? (
        <p className="muted">No open positions.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Open positions">
            <thead>
              <tr>
                <th scope="col">Market</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col" className="num">
                  Entry
                </th>
                <th scope="col" className="num">
                  Mark
                </th>
                <th scope="col" className="num">
                  <Term term="upnl">uPnL</Term>
                </th>
                <th scope="col" className="num">
                  <Term term="used">Margin</Term>
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => {
                const mark = markOf(p.market, p.lastPrice);
                const upnl = Number(p.size) * (mark - p.entryPrice);
                return (
                  <tr key={p.marketId} data-testid={`position-${p.market}`}>
                    <th scope="row">{p.market}-PERP</th>
                    <td className="num">{formatAmount(p.size, p.market)}</td>
                    <td className="num">{formatUsd(p.entryPrice)}</td>
                    <td className="num">{formatUsd(mark)}</td>
                    <td className={`num ${upnl < 0 ? 'neg' : upnl > 0 ? 'pos' : ''}`}>{formatUsd(upnl)}</td>
                    <td className="num">{formatUsd(p.margin)}</td>
                    <td>
                      <button type="button" className="secondary small" onClick={() => onClose(p.market)} aria-label={`Close ${p.market} position`}>
                        Close
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
