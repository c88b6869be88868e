import { rejectReasonName } from '@tributary/protocol';
import type { ChainRegistry } from '../chain/chain-registry';
import type { PoolState } from '../chain/settlement-pool.repository';
import { cashReasonName } from '../events/ledger-events';
import type { AccountLedger } from '../ledger/ledger-query.repository';
import type { CashEventRow, CollateralRow, CreditRow, PositionRow, WithdrawalRow } from '../ledger/ledger-state';
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
    reasonName: row.approved === false || row.vaultRejected ? rejectReasonName(row.reason) : null,
    reservedValue: row.reservedValue.toString(),
    deadline: row.deadline,
  };
}

export function cashEventView(row: CashEventRow) {
  return {
    reason: row.reason,
    reasonName: cashReasonName(row.reason),
    delta: row.delta.toString(),
    cashAfter: row.cashAfter.toString(),
    blockNumber: row.blockNumber,
    logIndex: row.logIndex,
    txHash: row.txHash,
  };
}

export function poolView(state: PoolState) {
  return {
    address: state.address,
    quoteToken: state.quoteToken,
    tokenBalanceUsd: state.tokenBalanceUsd.toString(),
    totalPositiveCash: state.totalPositiveCash.toString(),
    totalDebt: state.totalDebt.toString(),
    equity: state.equity.toString(),
    solvent: state.equity >= 0n,
    blockNumber: state.blockNumber,
  };
}

export function accountView(ledger: AccountLedger, registry: ChainRegistry) {
  return {
    address: ledger.address,
    collateral: ledger.collateral.map((row) => collateralView(row, registry)),
    positions: ledger.positions.map(positionView),
    credit: creditView(ledger.credit),
    withdrawals: ledger.withdrawals.map(withdrawalView),
    cash: ledger.cash.toString(),
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
