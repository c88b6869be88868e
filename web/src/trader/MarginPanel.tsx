import type { AccountRiskBody, AccountSummary } from '@tributary/sdk';
import { formatHealth, formatUsd } from '../lib/format';
import { Badge, Panel } from '../ui/Panel';
import { Stat } from '../ui/Term';

const healthTone = (health: number | null | undefined) =>
  health === null ? 'good' : health === undefined ? undefined : health < 1 ? 'bad' : health < 1.2 ? 'warn' : 'good';

/** The one margin number and every term behind it: the model's (aggregator) and what the trading chain applies. */
export function MarginPanel({ account, risk }: { account: AccountSummary | undefined; risk: AccountRiskBody | null | undefined }) {
  const r = risk?.result;
  const credit = account?.credit;
  const frozen = risk?.frozen ?? [];
  return (
    <Panel
      title="Unified margin"
      className="margin"
      actions={
        r ? (
          r.liquidatable ? (
            <Badge tone="bad">liquidatable</Badge>
          ) : frozen.length ? (
            <Badge tone="warn">credit frozen: {frozen.map((f) => `${f.symbol} ${f.reason}`).join(', ')}</Badge>
          ) : (
            <Badge tone="good">healthy</Badge>
          )
        ) : null
      }
    >
      <dl className="stats">
        <Stat term="health" label="Health" value={r ? formatHealth(r.health) : '—'} tone={healthTone(r?.health)} testId="health" />
        <Stat
          term="creditLimit"
          label="Credit limit"
          value={formatUsd(credit?.limit)}
          sub={r ? `model ${formatUsd(r.creditLimit)}` : undefined}
          testId="credit-limit"
        />
        <Stat term="used" label="Used" value={formatUsd(credit?.used)} testId="credit-used" />
        <Stat term="available" label="Available" value={formatUsd(credit?.available)} testId="credit-available" />
        <Stat term="cash" label="Cash" value={formatUsd(credit?.cash)} tone={credit && credit.cash < 0 ? 'warn' : undefined} testId="cash" />
        <Stat term="withdrawableCash" label="Withdrawable cash" value={formatUsd(credit?.withdrawableCash)} testId="withdrawable-cash" />
        <Stat
          term="collateral"
          label="Collateral"
          value={formatUsd(r?.collateralInit)}
          sub={r ? `maint ${formatUsd(r.collateralMaint)}` : undefined}
          testId="collateral"
        />
        <Stat term="var" label="VaR" value={formatUsd(r?.varInit)} sub={r ? `maint ${formatUsd(r.varMaint)}` : undefined} />
        <Stat term="floor" label="Floor" value={formatUsd(r?.floorInit)} sub={r ? `maint ${formatUsd(r.floorMaint)}` : undefined} />
        <Stat
          term="requirement"
          label="Requirement"
          value={formatUsd(r?.requirementInit)}
          sub={r ? `maint ${formatUsd(r.requirementMaint)}` : undefined}
        />
        <Stat term="upnl" label="Unrealized PnL" value={formatUsd(r?.unrealizedPnl)} tone={r && r.unrealizedPnl < 0 ? 'warn' : undefined} />
      </dl>
      {risk === null ? <p className="muted">This account has no collateral yet: deposit on a collateral chain to start.</p> : null}
      {risk ? (
        <p className="muted small">
          Risk computed {new Date(risk.computedAt).toLocaleTimeString()}; “init” values set credit, “maint” values set health.
        </p>
      ) : null}
    </Panel>
  );
}
