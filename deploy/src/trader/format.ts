import type { AccountSummary, MaxWithdrawable, Stage, WhatIfChange, WhatIfResult } from '@tributary/sdk';

const money = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? '–' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const short = (hash: unknown): string => (typeof hash === 'string' && hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : String(hash));
const health = (h: number | null | undefined): string => (h === null ? '∞ (nothing required)' : h === undefined ? '–' : h.toFixed(3));

/** What a stage observed, in words (falls back to key=value). */
function describe(stage: Stage): string {
  const d = stage.detail;
  if (stage.skipped) return `skipped: ${stage.skipped}`;
  switch (stage.name) {
    case 'approved':
      return `allowance set (tx ${short(d.txHash)})`;
    case 'sent':
      return `tx ${short(d.txHash)} on ${d.chain}${d.fee !== undefined ? `, LayerZero fee ${d.fee} native` : ''}`;
    case 'confirmed':
      if ('requestId' in d) return `block ${d.block}, request ${d.requestId}`;
      if ('sequence' in d) return `block ${d.block}, vault sequence ${d.sequence}, vault balance ${d.vaultBalance}`;
      if ('event' in d)
        return `block ${d.block}: ${d.event} size ${d.size} at ${money(d.price as number)}, fee ${money(d.fee as number)}, realized ${money(d.realizedPnl as number)}`;
      return `block ${d.block}, cash after ${money(d.cashAfter as number)} USD`;
    case 'delivered':
      if ('hubBalance' in d) return `the hub holds ${d.hubBalance}`;
      return d.decidedOnArrival ? 'the hub decided on arrival' : `the hub reserved ${money(d.reservedUsd as number)} USD until ${d.deadline}`;
    case 'indexed':
      if ('ledgerBalance' in d) return `ledger balance ${d.ledgerBalance} (trading block ${d.attestedBlock})`;
      if ('status' in d) return `ledger status ${d.status}`;
      if ('size' in d) return `ledger position ${d.size}`;
      return `ledger cash ${money(d.cash as number)} USD`;
    case 'credited':
      return `credit limit ${money(d.creditLimit as number)} USD, available ${money(d.availableCredit as number)} USD${d.pushed ? ' (pushed)' : ' (already in line)'}`;
    case 'risk':
      return `health ${health(d.health as number | null)}, credit limit ${money(d.creditLimit as number)} USD${d.liquidatable ? ', LIQUIDATABLE' : ''}`;
    case 'decided':
      return d.approved ? 'approved' : `rejected: ${d.reasonName}`;
    case 'paid':
      return d.queued ? `${d.amount} queued by the vault's rate limit (claim it later)` : `${d.amount} paid (tx ${short(d.txHash)})`;
    case 'unlocked':
      return `the amount is free in the vault again (${d.reasonName})`;
    default:
      return Object.entries(d)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
  }
}

/** One progress line: name, the stage's own latency, what it saw. */
export function stageLine(stage: Stage): string {
  return `  ${stage.skipped ? '–' : '✓'} ${stage.name.padEnd(10)} ${seconds(stage.latencyMs).padStart(8)}  ${describe(stage)}`;
}

export function formatAccount(a: AccountSummary, withdrawable: MaxWithdrawable[], who: string): string {
  const lines = [`account ${a.address}${who}`];
  if (!a.known) lines.push('  (no ledger entries yet: deposit first)');
  if (a.collateral.length) {
    lines.push('collateral (counted by the hub)        balance          withdrawable now');
    for (const c of a.collateral) {
      const w = withdrawable.find((x) => x.chain === c.chain && x.asset === c.asset);
      const label = `  ${c.asset} on ${c.chain}`.padEnd(38);
      const balance = `${c.balance}${c.inFlight !== null ? ` (in flight: ${c.inFlight})` : ''}`.padEnd(16);
      lines.push(`${label} ${balance} ${w ? `${w.amount} (${w.limitedBy})` : '–'}`);
    }
  }
  if (a.positions.length) {
    lines.push('positions');
    for (const p of a.positions)
      lines.push(
        `  ${p.market.padEnd(6)} size ${p.size}  entry ${money(p.entryPrice)}  margin ${money(p.margin)}  last ${money(p.lastPrice)}  realized ${money(p.realizedPnl)}`,
      );
  }
  const c = a.credit;
  lines.push(
    `credit on the trading chain (USD): limit ${money(c.limit)}  used ${money(c.used)}  available ${money(c.available)}  cash ${money(c.cash)}  withdrawable cash ${money(c.withdrawableCash)}` +
      `${c.liquidatable ? '  LIQUIDATABLE' : ''}${c.pushedAt ? `  (pushed ${c.pushedAt})` : '  (never pushed)'}`,
  );
  if (a.risk) {
    const r = a.risk;
    lines.push(
      `risk (aggregator, ${r.computedAt}): health ${health(r.health)}  credit limit ${money(r.creditLimit)}  collateral init ${money(r.collateralInit)} / maint ${money(r.collateralMaint)}` +
        `  requirement init ${money(r.requirementInit)} / maint ${money(r.requirementMaint)}  uPnL ${money(r.unrealizedPnl)}  liquidatable ${r.liquidatable ? 'YES' : 'no'}`,
    );
    for (const f of r.frozen) lines.push(`  credit increases frozen: ${f.asset} ${f.reason} (${f.detail})`);
  }
  if (a.withdrawals.length) {
    lines.push('withdrawals');
    for (const w of a.withdrawals)
      lines.push(`  #${w.requestId} ${w.amount} ${w.asset} on ${w.chain}: ${w.status}${w.reasonName ? ` (${w.reasonName})` : ''}`);
  }
  return lines.join('\n');
}

export function describeChange(change: WhatIfChange): string {
  if ('deposit' in change) return `deposit ${change.deposit.amount} ${change.deposit.asset} on ${change.deposit.chain}`;
  if ('withdraw' in change) return `withdraw ${change.withdraw.amount} ${change.withdraw.asset} from ${change.withdraw.chain}`;
  if ('trade' in change) return `trade ${change.trade.size} ${change.trade.asset}`;
  return `cash ${change.cash} USD`;
}

export function formatWhatIf(address: string, changes: WhatIfChange[], r: WhatIfResult): string {
  const rows: [string, number | null, number | null][] = [
    ['credit limit L', r.before.creditLimit, r.after.creditLimit],
    ['free (L − F init)', r.before.creditLimit - r.before.floorInit, r.after.creditLimit - r.after.floorInit],
    ['collateral init', r.before.collateralInit, r.after.collateralInit],
    ['collateral maint', r.before.collateralMaint, r.after.collateralMaint],
    ['requirement init', r.before.requirementInit, r.after.requirementInit],
    ['requirement maint', r.before.requirementMaint, r.after.requirementMaint],
    ['unrealized PnL', r.before.unrealizedPnl, r.after.unrealizedPnl],
  ];
  const lines = [
    `what-if for ${address}: ${changes.map(describeChange).join(', ')}`,
    `${''.padEnd(20)}${'now (model)'.padStart(16)}${'after'.padStart(16)}${'change'.padStart(16)}`,
  ];
  for (const [name, before, after] of rows)
    lines.push(`${name.padEnd(20)}${money(before).padStart(16)}${money(after).padStart(16)}${money((after ?? 0) - (before ?? 0)).padStart(16)}`);
  lines.push(`${'health'.padEnd(20)}${health(r.before.health).padStart(16)}${health(r.after.health).padStart(16)}`);
  lines.push(
    `${'liquidatable'.padEnd(20)}${(r.before.liquidatable ? 'YES' : 'no').padStart(16)}${(r.after.liquidatable ? 'YES' : 'no').padStart(16)}`,
  );
  if (r.live) lines.push(`live engine now: credit limit ${money(r.live.creditLimit)}, health ${health(r.live.health)}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
