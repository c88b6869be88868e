import type { ChainRegistry } from '../chain/chain-registry';
import type { AccountLedger } from '../ledger/ledger-query.repository';
import type { CollateralRow, CreditRow, PositionRow, WithdrawalRow } from '../ledger/ledger-state';
import type { ReconciliationReport } from '../reconciliation/reconciliation';

/** JSON views of ledger rows: integers as decimal strings (uint256 does not fit a JSON number). */
export function collateralView(row: CollateralRow, registry: ChainRegistry) {
  return {
    eid: row.eid,
    chain: registry.chain(row.eid)?.name ?? null,
    assetId: row.assetId,
    symbol: registry.asset(row.assetId)?.symbol ?? null,
    balance: row.balance.toString(),
    sequence: row.sequence.toString(),
    attestedBlock: row.attestedBlock,
    vaultBalance: row.vaultBalance.toString(),
    vaultSequence: row.vaultSequence.toString(),
  };
}

export function positionView(row: PositionRow) {
  return {
    marketId: row.marketId,
    size: row.size.toString(),
    entryPrice: row.entryPrice.toString(),
    margin: row.margin.toString(),
    lastPrice: row.lastPrice.toString(),
    realizedPnl: row.realizedPnl.toString(),
  };
}

export function creditView(row: CreditRow | null) {
  if (!row) return null;
  return {
    limit: row.limit.toString(),
    epoch: row.epoch.toString(),
    liquidatable: row.liquidatable,
    used: row.used.toString(),
    reserved: row.reserved.toString(),
  };
}

export function withdrawalView(row: WithdrawalRow) {
  return {
    eid: row.eid,
    requestId: row.requestId.toString(),
    assetId: row.assetId,
    amount: row.amount.toString(),
    status: row.status,
    approved: row.approved,
    reason: row.reason,
    reservedValue: row.reservedValue.toString(),
  };
}

export function accountView(ledger: AccountLedger, registry: ChainRegistry) {
  return {
    address: ledger.address,
    collateral: ledger.collateral.map((row) => collateralView(row, registry)),
    positions: ledger.positions.map(positionView),
    credit: creditView(ledger.credit),
    withdrawals: ledger.withdrawals.map(withdrawalView),
  };
}

export function reconciliationView(report: ReconciliationReport) {
  return {
    ranAt: report.ranAt,
    checked: report.checked,
    ok: report.differences.length === 0,
    differences: report.differences.map((d) => ({
      ...d,
      ledger: d.ledger.toString(),
      onChain: d.onChain.toString(),
      difference: (d.onChain - d.ledger).toString(),
    })),
    inFlight: report.inFlight.map((f) => ({ ...f, hubSequence: f.hubSequence.toString(), vaultSequence: f.vaultSequence.toString() })),
    chains: report.chains,
  };
}
