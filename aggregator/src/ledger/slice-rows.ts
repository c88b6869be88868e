import { In, type EntityManager } from 'typeorm';
import { bulkUpsert, rawQuery, tableName } from '../database/bulk-upsert';
import {
  AccountEntity,
  CashEntity,
  CashEventEntity,
  ChainLivenessEntity,
  CollateralEntity,
  CreditEntity,
  CreditEpochEntity,
  PositionEntity,
  WithdrawalEntity,
} from './entities/ledger.entities';
import { LedgerSlice, collateralKey, positionKey, withdrawalKey, type SliceKeys } from './ledger-state';

/** Every derived ledger table (what a full rebuild empties); `chain_event` is the source, not listed. */
export const LEDGER_TABLES = [
  AccountEntity,
  CollateralEntity,
  PositionEntity,
  CreditEntity,
  CreditEpochEntity,
  WithdrawalEntity,
  CashEntity,
  CashEventEntity,
  ChainLivenessEntity,
];

/** Tables keyed by account (what a reorg rollback deletes for the accounts it touched). */
export const ACCOUNT_TABLES = [CollateralEntity, PositionEntity, CreditEntity, WithdrawalEntity, CashEntity, CashEventEntity];

// Keys per `IN (…)` list: under SQLite's 32766 and PostgreSQL's 65535 bound parameters; fewer round trips on a big batch.
const KEYS_PER_SELECT = 5_000;

export function chunks<T>(items: readonly T[], size = KEYS_PER_SELECT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface RawCollateral {
  account: string;
  eid: number | string;
  asset_id: number | string;
  balance: string;
  sequence: string | number;
  attested_block: number | string;
  vault_balance: string;
  vault_sequence: string | number;
}

/** Loads the rows a batch touches (the cash history is append-only: never loaded). */
export async function loadSliceRows(manager: EntityManager, keys: SliceKeys): Promise<LedgerSlice> {
  const slice = new LedgerSlice();
  for (const chunk of chunks([...keys.accounts])) {
    const where = { account: In(chunk) };
    // The two reads every attestation batch makes, in plain SQL: TypeORM's entity hydration cost more than the query.
    const list = chunk.map(() => '?').join(', ');
    const accountRows = await rawQuery<{ address: string }>(
      manager,
      `SELECT address FROM ${tableName(manager, AccountEntity)} WHERE address IN (${list})`,
      chunk,
    );
    for (const row of accountRows) slice.accounts.add(row.address);
    if (keys.tables.has('collateral')) {
      const rows = await rawQuery<RawCollateral>(
        manager,
        `SELECT account, eid, asset_id, balance, sequence, attested_block, vault_balance, vault_sequence FROM ${tableName(manager, CollateralEntity)} WHERE account IN (${list})`,
        chunk,
      );
      for (const row of rows) {
        const eid = Number(row.eid);
        const assetId = Number(row.asset_id);
        slice.collateral.set(collateralKey(row.account, eid, assetId), {
          account: row.account,
          eid,
          assetId,
          balance: BigInt(row.balance),
          sequence: BigInt(row.sequence),
          attestedBlock: Number(row.attested_block),
          vaultBalance: BigInt(row.vault_balance),
          vaultSequence: BigInt(row.vault_sequence),
        });
      }
    }
    if (keys.tables.has('positions')) {
      for (const row of await manager.getRepository(PositionEntity).findBy(where))
        slice.positions.set(positionKey(row.account, row.marketId), { ...row });
    }
    if (keys.tables.has('credit')) {
      for (const row of await manager.getRepository(CreditEntity).findBy(where)) slice.credit.set(row.account, { ...row });
    }
    if (keys.tables.has('withdrawals')) {
      for (const row of await manager.getRepository(WithdrawalEntity).findBy(where))
        slice.withdrawals.set(withdrawalKey(row.eid, row.requestId), { ...row });
    }
    if (keys.tables.has('cash')) {
      for (const row of await manager.getRepository(CashEntity).findBy(where)) slice.cash.set(row.account, { ...row });
    }
  }
  if (keys.epochs.size) {
    for (const row of await manager.getRepository(CreditEpochEntity).findBy({ epoch: In([...keys.epochs].map(String)) as never })) {
      slice.epochs.set(row.epoch.toString(), { ...row });
    }
  }
  return slice;
}

/** Writes the changed rows of a slice (multi-row upserts) and appends its cash history. */
export async function saveSliceRows(manager: EntityManager, slice: LedgerSlice): Promise<void> {
  const pick = <T>(map: Map<string, T>, dirty: Set<string>): T[] => [...dirty].map((key) => map.get(key)!);
  const str = (v: bigint): string => v.toString();
  await bulkUpsert(manager, AccountEntity, {
    columns: ['address'],
    rows: [...slice.dirty.accounts].map((a) => [a]),
    conflict: ['address'],
    overwrite: [],
  });
  await bulkUpsert(manager, CollateralEntity, {
    columns: ['account', 'eid', 'asset_id', 'balance', 'sequence', 'attested_block', 'vault_balance', 'vault_sequence'],
    rows: pick(slice.collateral, slice.dirty.collateral).map((r) => [
      r.account,
      r.eid,
      r.assetId,
      str(r.balance),
      str(r.sequence),
      r.attestedBlock,
      str(r.vaultBalance),
      str(r.vaultSequence),
    ]),
    conflict: ['account', 'eid', 'asset_id'],
    overwrite: ['balance', 'sequence', 'attested_block', 'vault_balance', 'vault_sequence'],
  });
  await bulkUpsert(manager, PositionEntity, {
    columns: ['account', 'market_id', 'size', 'entry_price', 'margin', 'last_price', 'realized_pnl', 'version'],
    rows: pick(slice.positions, slice.dirty.positions).map((r) => [
      r.account,
      r.marketId,
      str(r.size),
      str(r.entryPrice),
      str(r.margin),
      str(r.lastPrice),
      str(r.realizedPnl),
      str(r.version),
    ]),
    conflict: ['account', 'market_id'],
    overwrite: ['size', 'entry_price', 'margin', 'last_price', 'realized_pnl', 'version'],
  });
  await bulkUpsert(manager, CreditEntity, {
    columns: ['account', 'credit_limit', 'epoch', 'liquidatable', 'used', 'used_version', 'reserved', 'reserved_version'],
    rows: pick(slice.credit, slice.dirty.credit).map((r) => [
      r.account,
      str(r.limit),
      str(r.epoch),
      r.liquidatable,
      str(r.used),
      str(r.usedVersion),
      str(r.reserved),
      str(r.reservedVersion),
    ]),
    conflict: ['account'],
    overwrite: ['credit_limit', 'epoch', 'liquidatable', 'used', 'used_version', 'reserved', 'reserved_version'],
  });
  await bulkUpsert(manager, CreditEpochEntity, {
    columns: ['epoch', 'accounts', 'total_increase', 'block_number', 'tx_hash'],
    rows: pick(slice.epochs, slice.dirty.epochs).map((r) => [str(r.epoch), str(r.accounts), str(r.totalIncrease), r.blockNumber, r.txHash]),
    conflict: ['epoch'],
    overwrite: ['accounts', 'total_increase', 'block_number', 'tx_hash'],
  });
  const withdrawalColumns = [
    'account',
    'asset_id',
    'amount',
    'status',
    'vault_requested',
    'hub_requested',
    'approved',
    'reason',
    'reserved_value',
    'deadline',
    'released',
    'vault_rejected',
    'settled',
  ];
  await bulkUpsert(manager, WithdrawalEntity, {
    columns: ['eid', 'request_id', ...withdrawalColumns],
    rows: pick(slice.withdrawals, slice.dirty.withdrawals).map((r) => [
      r.eid,
      str(r.requestId),
      r.account,
      r.assetId,
      str(r.amount),
      r.status,
      r.vaultRequested,
      r.hubRequested,
      r.approved,
      r.reason,
      str(r.reservedValue),
      r.deadline,
      r.released,
      r.vaultRejected,
      r.settled,
    ]),
    conflict: ['eid', 'request_id'],
    overwrite: withdrawalColumns,
  });
  await bulkUpsert(manager, CashEntity, {
    columns: ['account', 'cash', 'version'],
    rows: pick(slice.cash, slice.dirty.cash).map((r) => [r.account, str(r.cash), str(r.version)]),
    conflict: ['account'],
    overwrite: ['cash', 'version'],
  });
  // Append-only; an event applied twice (it cannot be: the event log skips duplicates) would keep its first row.
  await bulkUpsert(manager, CashEventEntity, {
    columns: ['account', 'block_number', 'log_index', 'reason', 'delta', 'cash_after', 'tx_hash'],
    rows: slice.cashHistory.map((r) => [r.account, r.blockNumber, r.logIndex, r.reason, str(r.delta), str(r.cashAfter), r.txHash]),
    conflict: ['account', 'block_number', 'log_index'],
    overwrite: [],
  });
}
