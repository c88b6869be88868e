import { accountOf, orderKey, type LedgerEnvelope, type LedgerEvent } from '../events/ledger-events';

/** Plain ledger rows (what repositories load and save; amounts are exact bigints). */
export interface CollateralRow {
  account: string;
  eid: number;
  assetId: number;
  /** Balance the hub stored (AttestationApplied): what the margin ledger counts. */
  balance: bigint;
  sequence: bigint;
  /** Trading-chain block of the hub attestation that set `balance` (0: none yet); drives chain heartbeats. */
  attestedBlock: number;
  /** Balance the vault attested on its own chain (BalanceAttested); ahead of `balance` while in flight. */
  vaultBalance: bigint;
  vaultSequence: bigint;
}

export interface PositionRow {
  account: string;
  marketId: number;
  size: bigint;
  entryPrice: bigint;
  margin: bigint;
  lastPrice: bigint;
  /** Sum of realized PnL of every change (not settled on chain; 1e18 USD). */
  realizedPnl: bigint;
  version: bigint;
}

export interface CreditRow {
  account: string;
  /**
   * The pushed `base` of the newest CreditLimitSet: limit − cashAtPush (1e18 USD, signed, may be < 0). The name is
   * kept from before cash existed; the chain's available credit is `limit + cash − used − reserved`.
   */
  limit: bigint;
  epoch: bigint;
  liquidatable: boolean;
  used: bigint;
  usedVersion: bigint;
  reserved: bigint;
  reservedVersion: bigint;
}

/** `pending`: the hub's checks passed and reserved credit; awaiting the aggregator's decision until `deadline`. */
export type WithdrawalStatus = 'requested' | 'pending' | 'approved' | 'rejected' | 'released' | 'settled';

export interface WithdrawalRow {
  eid: number;
  requestId: bigint;
  account: string;
  assetId: number;
  amount: bigint;
  status: WithdrawalStatus;
  /** Seen on the vault chain / on the hub. */
  vaultRequested: boolean;
  hubRequested: boolean;
  approved: boolean | null;
  /** IMarginHub.RejectReason of a rejection (0 otherwise). */
  reason: number;
  reservedValue: bigint;
  /** Decision deadline (unix s) from WithdrawalPending; 0 if the hub never held the request for a decision. */
  deadline: number;
  released: boolean;
  vaultRejected: boolean;
  settled: boolean;
}

/** An account's signed cash in the SettlementPool (1e18 USD): `cashAfter` of its newest CashChanged. */
export interface CashRow {
  account: string;
  cash: bigint;
  /** orderKey (block << 20 | logIndex) of the CashChanged that set `cash`. */
  version: bigint;
}

/** One CashChanged, as the append-only cash history stores it. */
export interface CashEventRow {
  account: string;
  /** ISettlementPool.CashReason (`cashReasonName` in events/ledger-events.ts). */
  reason: number;
  delta: bigint;
  cashAfter: bigint;
  blockNumber: number;
  logIndex: number;
  txHash: string;
}

export interface CreditEpochRow {
  epoch: bigint;
  accounts: bigint;
  totalIncrease: bigint;
  blockNumber: number;
  txHash: string;
}

/** The ledger rows of some accounts and epochs, loaded, changed by events, and saved back. */
export class LedgerSlice {
  readonly accounts = new Set<string>();
  readonly collateral = new Map<string, CollateralRow>();
  readonly positions = new Map<string, PositionRow>();
  readonly credit = new Map<string, CreditRow>();
  readonly withdrawals = new Map<string, WithdrawalRow>();
  readonly epochs = new Map<string, CreditEpochRow>();
  readonly cash = new Map<string, CashRow>();
  /** Cash history rows added by the applied events (append-only: never loaded, all written). */
  readonly cashHistory: CashEventRow[] = [];
  /** Keys changed since load (per table); only these are written. */
  readonly dirty = {
    accounts: new Set<string>(),
    collateral: new Set<string>(),
    positions: new Set<string>(),
    credit: new Set<string>(),
    withdrawals: new Set<string>(),
    epochs: new Set<string>(),
    cash: new Set<string>(),
  };
}

export const collateralKey = (account: string, eid: number, assetId: number): string => `${account}/${eid}/${assetId}`;
export const positionKey = (account: string, marketId: number): string => `${account}/${marketId}`;
export const cashEventKey = (row: Pick<CashEventRow, 'account' | 'blockNumber' | 'logIndex'>): string =>
  `${row.account}/${row.blockNumber}/${row.logIndex}`;
export const withdrawalKey = (eid: number, requestId: bigint): string => `${eid}/${requestId}`;

/** Which rows a batch touches: repositories load exactly these before applying. */
export interface SliceKeys {
  accounts: Set<string>;
  epochs: Set<bigint>;
  tables: Set<LedgerTable>;
}

/** Per-account tables a batch may need loaded. */
export type LedgerTable = 'collateral' | 'positions' | 'credit' | 'withdrawals' | 'cash';

export function keysOf(envelopes: readonly LedgerEnvelope[]): SliceKeys {
  const keys: SliceKeys = { accounts: new Set(), epochs: new Set(), tables: new Set() };
  for (const { event } of envelopes) {
    const account = accountOf(event);
    if (account) keys.accounts.add(account);
    const table = tableOf(event);
    if (table) keys.tables.add(table);
    if (event.kind === 'CreditBatchPushed') keys.epochs.add(event.epoch);
  }
  return keys;
}

function tableOf(event: LedgerEvent): LedgerTable | null {
  switch (event.kind) {
    case 'HubAttestation':
    case 'VaultAttestation':
      return 'collateral';
    case 'PositionChanged':
      return 'positions';
    case 'CreditLimitSet':
    case 'CreditUsed':
    case 'CreditReservedTotal':
      return 'credit';
    case 'VaultWithdrawalRequested':
    case 'VaultWithdrawalReleased':
    case 'VaultWithdrawalRejected':
    case 'HubWithdrawalRequested':
    case 'HubWithdrawalPending':
    case 'HubWithdrawalDecided':
    case 'HubWithdrawalSettled':
      return 'withdrawals';
    case 'CashChanged':
      return 'cash';
    default:
      return null;
  }
}

/**
 * Applies events (in chain order) to the loaded rows. Pure apart from mutating `slice`.
 * Attestations keep the highest sequence, credit limits the highest epoch, positions, credit usage and cash the
 * latest (block, logIndex); withdrawal facts are merged flags; the cash history appends one row per event — so the
 * outcome does not depend on batching.
 */
export function applyEvents(slice: LedgerSlice, envelopes: readonly LedgerEnvelope[]): void {
  for (const envelope of envelopes) applyOne(slice, envelope);
}

function applyOne(slice: LedgerSlice, { origin, event }: LedgerEnvelope): void {
  const account = accountOf(event);
  if (account && !slice.accounts.has(account)) {
    slice.accounts.add(account);
    slice.dirty.accounts.add(account);
  }
  switch (event.kind) {
    case 'HubAttestation':
    case 'VaultAttestation': {
      const row = collateralRow(slice, event.account, event.eid, event.assetId);
      const hub = event.kind === 'HubAttestation';
      if (hub ? event.sequence <= row.sequence : event.sequence <= row.vaultSequence) return;
      if (hub) Object.assign(row, { balance: event.balance, sequence: event.sequence, attestedBlock: origin.blockNumber });
      else Object.assign(row, { vaultBalance: event.balance, vaultSequence: event.sequence });
      slice.dirty.collateral.add(collateralKey(row.account, row.eid, row.assetId));
      return;
    }
    case 'PositionChanged': {
      const key = positionKey(event.account, event.marketId);
      const row = slice.positions.get(key) ?? {
        account: event.account,
        marketId: event.marketId,
        size: 0n,
        entryPrice: 0n,
        margin: 0n,
        lastPrice: 0n,
        realizedPnl: 0n,
        version: -1n,
      };
      row.realizedPnl += event.realizedPnl;
      const version = orderKey(origin);
      if (version > row.version)
        Object.assign(row, { size: event.size, entryPrice: event.entryPrice, margin: event.margin, lastPrice: event.price, version });
      slice.positions.set(key, row);
      slice.dirty.positions.add(key);
      return;
    }
    case 'CreditLimitSet': {
      const row = creditRow(slice, event.account);
      if (event.epoch <= row.epoch) return;
      Object.assign(row, { limit: event.base, epoch: event.epoch, liquidatable: event.liquidatable });
      slice.dirty.credit.add(row.account);
      return;
    }
    case 'CreditUsed':
    case 'CreditReservedTotal': {
      const row = creditRow(slice, event.account);
      const version = orderKey(origin);
      if (event.kind === 'CreditUsed' && version > row.usedVersion) Object.assign(row, { used: event.used, usedVersion: version });
      else if (event.kind === 'CreditReservedTotal' && version > row.reservedVersion)
        Object.assign(row, { reserved: event.reserved, reservedVersion: version });
      else return;
      slice.dirty.credit.add(row.account);
      return;
    }
    case 'CreditBatchPushed': {
      const key = event.epoch.toString();
      slice.epochs.set(key, {
        epoch: event.epoch,
        accounts: event.accounts,
        totalIncrease: event.totalIncrease,
        blockNumber: origin.blockNumber,
        txHash: origin.txHash,
      });
      slice.dirty.epochs.add(key);
      return;
    }
    case 'CashChanged': {
      const { account, reason, delta, cashAfter } = event;
      slice.cashHistory.push({
        account,
        reason,
        delta,
        cashAfter,
        blockNumber: origin.blockNumber,
        logIndex: origin.logIndex,
        txHash: origin.txHash,
      });
      const row = slice.cash.get(account) ?? { account, cash: 0n, version: -1n };
      slice.cash.set(account, row);
      const version = orderKey(origin);
      if (version <= row.version) return;
      Object.assign(row, { cash: cashAfter, version });
      slice.dirty.cash.add(account);
      return;
    }
    case 'VaultWithdrawalRequested':
    case 'VaultWithdrawalReleased':
    case 'VaultWithdrawalRejected':
    case 'HubWithdrawalRequested':
    case 'HubWithdrawalPending':
    case 'HubWithdrawalDecided':
    case 'HubWithdrawalSettled':
      applyWithdrawal(slice, event);
      return;
    case 'Informational':
      return;
  }
}

type WithdrawalEvent = Extract<LedgerEvent, { requestId: bigint; eid: number; account: string }>;

function applyWithdrawal(slice: LedgerSlice, event: WithdrawalEvent): void {
  const key = withdrawalKey(event.eid, event.requestId);
  const row: WithdrawalRow = slice.withdrawals.get(key) ?? {
    eid: event.eid,
    requestId: event.requestId,
    account: event.account,
    assetId: 0,
    amount: 0n,
    status: 'requested',
    vaultRequested: false,
    hubRequested: false,
    approved: null,
    reason: 0,
    reservedValue: 0n,
    deadline: 0,
    released: false,
    vaultRejected: false,
    settled: false,
  };
  if ('assetId' in event) row.assetId = event.assetId;
  if ('amount' in event) row.amount = event.amount;
  switch (event.kind) {
    case 'VaultWithdrawalRequested':
      row.vaultRequested = true;
      break;
    case 'HubWithdrawalRequested':
      row.hubRequested = true;
      break;
    case 'HubWithdrawalPending':
      // The decision's reservedValue (0 when rejected) wins over the one reserved while pending, in either order.
      row.deadline = event.deadline;
      if (row.approved === null) row.reservedValue = event.reservedValue;
      break;
    case 'HubWithdrawalDecided':
      Object.assign(row, { approved: event.approved, reason: event.reason, reservedValue: event.reservedValue });
      break;
    case 'VaultWithdrawalReleased':
      row.released = true;
      break;
    case 'VaultWithdrawalRejected':
      Object.assign(row, { vaultRejected: true, reason: event.reason });
      break;
    case 'HubWithdrawalSettled':
      row.settled = true;
      break;
  }
  row.status = withdrawalStatus(row);
  slice.withdrawals.set(key, row);
  slice.dirty.withdrawals.add(key);
}

export function withdrawalStatus(row: Omit<WithdrawalRow, 'status'>): WithdrawalStatus {
  if (row.settled) return 'settled';
  if (row.released) return 'released';
  if (row.vaultRejected || row.approved === false) return 'rejected';
  if (row.approved) return 'approved';
  if (row.deadline > 0) return 'pending';
  return 'requested';
}

function collateralRow(slice: LedgerSlice, account: string, eid: number, assetId: number): CollateralRow {
  const key = collateralKey(account, eid, assetId);
  let row = slice.collateral.get(key);
  if (!row) {
    row = { account, eid, assetId, balance: 0n, sequence: 0n, attestedBlock: 0, vaultBalance: 0n, vaultSequence: 0n };
    slice.collateral.set(key, row);
  }
  return row;
}

function creditRow(slice: LedgerSlice, account: string): CreditRow {
  let row = slice.credit.get(account);
  if (!row) {
    row = { account, limit: 0n, epoch: 0n, liquidatable: false, used: 0n, usedVersion: -1n, reserved: 0n, reservedVersion: -1n };
    slice.credit.set(account, row);
  }
  return row;
}
