import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, In, MoreThan, type DataSource, type EntityManager, type ObjectLiteral } from 'typeorm';
import { ChainCursorEntity } from '../database/chain-cursor.entity';
import type { RawLog } from '../indexer/event-decoder';
import {
  AccountEntity,
  BlockHeaderEntity,
  ChainEventEntity,
  CollateralEntity,
  CreditEntity,
  CreditEpochEntity,
  PositionEntity,
  WithdrawalEntity,
} from './entities/ledger.entities';
import type { ContractRole } from './ledger-events';
import { LedgerSlice, applyEvents, collateralKey, keysOf, positionKey, withdrawalKey, type SliceKeys } from './ledger-state';
import type { BlockHash, CursorUpdate, IndexedLog, LedgerStore, LedgerWriter, OrphanedEvents, StoredEvent } from './ledger-store';
import { decodeStored } from './ledger-ingestor';

/** Rows per statement: keeps every insert under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 500;
const KEYS_PER_SELECT = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const LEDGER_TABLES = [AccountEntity, CollateralEntity, PositionEntity, CreditEntity, CreditEpochEntity, WithdrawalEntity];

/** TypeORM implementation of the ledger store (sql.js or PostgreSQL, same SQL). */
@Injectable()
export class TypeormLedgerStore implements LedgerStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (writer: LedgerWriter) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new TypeormLedgerWriter(manager)));
  }

  async cursor(eid: number): Promise<number | null> {
    const row = await this.dataSource.getRepository(ChainCursorEntity).findOneBy({ eid });
    return row ? Number(row.nextBlock) : null;
  }

  async recentBlockHashes(eid: number, limit: number): Promise<BlockHash[]> {
    const rows = await this.dataSource.getRepository(BlockHeaderEntity).find({ where: { eid }, order: { number: 'DESC' }, take: limit });
    return rows.map(({ number, hash }) => ({ number, hash }));
  }

  /** Drops every ledger row and re-derives all of them from the event log (page by page, one transaction). */
  rebuildFromEventLog(pageSize = 5000): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      for (const table of LEDGER_TABLES) await manager.createQueryBuilder().delete().from(table).execute();
      const writer = new TypeormLedgerWriter(manager);
      let afterId = 0;
      let total = 0;
      for (;;) {
        const rows = await manager.getRepository(ChainEventEntity).find({ where: { id: MoreThan(afterId) }, order: { id: 'ASC' }, take: pageSize });
        if (!rows.length) return total;
        afterId = rows[rows.length - 1].id;
        const envelopes = decodeStored(rows.map(toStoredEvent));
        const slice = await writer.loadSlice(keysOf(envelopes));
        applyEvents(slice, envelopes);
        await writer.saveSlice(slice);
        total += rows.length;
      }
    });
  }
}

export function toStoredEvent(row: ChainEventEntity): StoredEvent {
  const raw: RawLog = {
    address: row.address,
    topics: JSON.parse(row.topics) as string[],
    data: row.data,
    blockNumber: row.blockNumber,
    blockHash: row.blockHash,
    logIndex: row.logIndex,
    transactionHash: row.txHash,
  };
  return { chainId: row.chainId, eid: row.eid, contract: row.contract as ContractRole, raw };
}

class TypeormLedgerWriter implements LedgerWriter {
  constructor(private readonly manager: EntityManager) {}

  async existingEventKeys(eid: number, fromBlock: number, toBlock: number): Promise<Set<string>> {
    const rows = await this.manager
      .createQueryBuilder(ChainEventEntity, 'e')
      .select(['e.blockHash', 'e.logIndex'])
      .where('e.eid = :eid AND e.block_number BETWEEN :fromBlock AND :toBlock', { eid, fromBlock, toBlock })
      .getMany();
    return new Set(rows.map((r) => `${r.blockHash}:${r.logIndex}`));
  }

  async insertEvents(logs: readonly IndexedLog[]): Promise<void> {
    const rows = logs.map(({ envelope: { origin, event }, raw }) => ({
      chainId: origin.chainId,
      eid: origin.eid,
      blockNumber: origin.blockNumber,
      blockHash: origin.blockHash,
      logIndex: origin.logIndex,
      txHash: origin.txHash,
      contract: origin.contract,
      address: raw.address,
      name: origin.name,
      account: 'account' in event ? event.account : null,
      topics: JSON.stringify(raw.topics),
      data: raw.data,
    }));
    for (const chunk of chunks(rows, ROWS_PER_INSERT)) {
      await this.manager.createQueryBuilder().insert().into(ChainEventEntity).values(chunk).orIgnore().updateEntity(false).execute();
    }
  }

  async loadSlice(keys: SliceKeys): Promise<LedgerSlice> {
    const slice = new LedgerSlice();
    const accounts = [...keys.accounts];
    for (const chunk of chunks(accounts, KEYS_PER_SELECT)) {
      const where = { account: In(chunk) };
      for (const row of await this.manager.getRepository(AccountEntity).findBy({ address: In(chunk) })) slice.accounts.add(row.address);
      if (keys.tables.has('collateral')) {
        for (const row of await this.manager.getRepository(CollateralEntity).findBy(where)) slice.collateral.set(collateralKey(row.account, row.eid, row.assetId), { ...row });
      }
      if (keys.tables.has('positions')) {
        for (const row of await this.manager.getRepository(PositionEntity).findBy(where)) slice.positions.set(positionKey(row.account, row.marketId), { ...row });
      }
      if (keys.tables.has('credit')) {
        for (const row of await this.manager.getRepository(CreditEntity).findBy(where)) slice.credit.set(row.account, { ...row });
      }
      if (keys.tables.has('withdrawals')) {
        for (const row of await this.manager.getRepository(WithdrawalEntity).findBy(where)) slice.withdrawals.set(withdrawalKey(row.eid, row.requestId), { ...row });
      }
    }
    if (keys.epochs.size) {
      for (const row of await this.manager.getRepository(CreditEpochEntity).findBy({ epoch: In([...keys.epochs].map(String)) as never })) {
        slice.epochs.set(row.epoch.toString(), { ...row });
      }
    }
    return slice;
  }

  async saveSlice(slice: LedgerSlice): Promise<void> {
    const pick = <T>(map: Map<string, T>, dirty: Set<string>): T[] => [...dirty].map((key) => map.get(key)!);
    await this.upsert(AccountEntity, [...slice.dirty.accounts].map((address) => ({ address })), ['address'], []);
    await this.upsert(CollateralEntity, pick(slice.collateral, slice.dirty.collateral), ['account', 'eid', 'asset_id'], ['balance', 'sequence', 'vault_balance', 'vault_sequence']);
    await this.upsert(PositionEntity, pick(slice.positions, slice.dirty.positions), ['account', 'market_id'], [
      'size', 'entry_price', 'margin', 'last_price', 'realized_pnl', 'version',
    ]);
    await this.upsert(CreditEntity, pick(slice.credit, slice.dirty.credit), ['account'], [
      'credit_limit', 'epoch', 'liquidatable', 'used', 'used_version', 'reserved', 'reserved_version',
    ]);
    await this.upsert(CreditEpochEntity, pick(slice.epochs, slice.dirty.epochs), ['epoch'], ['accounts', 'total_increase', 'block_number', 'tx_hash']);
    await this.upsert(WithdrawalEntity, pick(slice.withdrawals, slice.dirty.withdrawals), ['eid', 'request_id'], [
      'account', 'asset_id', 'amount', 'status', 'vault_requested', 'hub_requested', 'approved', 'reason', 'reserved_value', 'released', 'vault_rejected', 'settled',
    ]);
  }

  private async upsert(target: new () => ObjectLiteral, rows: ObjectLiteral[], conflict: string[], overwrite: string[]): Promise<void> {
    for (const chunk of chunks(rows, ROWS_PER_INSERT)) {
      const insert = this.manager.createQueryBuilder().insert().into(target).values(chunk).updateEntity(false);
      await (overwrite.length ? insert.orUpdate(overwrite, conflict) : insert.orIgnore()).execute();
    }
  }

  async saveBlockHashes(eid: number, hashes: readonly BlockHash[]): Promise<void> {
    const unique = [...new Map(hashes.map((h) => [h.number, h])).values()].map(({ number, hash }) => ({ eid, number, hash }));
    await this.upsert(BlockHeaderEntity, unique, ['eid', 'number'], ['hash']);
  }

  async pruneBlockHashes(eid: number, belowOrAt: number): Promise<void> {
    await this.manager.createQueryBuilder().delete().from(BlockHeaderEntity).where('eid = :eid AND number <= :belowOrAt', { eid, belowOrAt }).execute();
  }

  async setCursor(update: CursorUpdate): Promise<void> {
    const row = {
      eid: update.eid,
      nextBlock: BigInt(update.nextBlock),
      updatedAt: new Date().toISOString(),
      headBlock: update.headBlock,
      headTime: update.headTime,
      indexedTime: update.indexedTime,
    };
    await this.upsert(ChainCursorEntity, [row], ['eid'], ['next_block', 'updated_at', 'head_block', 'head_time', 'indexed_time']);
  }

  async deleteEventsAbove(eid: number, forkBlock: number): Promise<OrphanedEvents> {
    const rows = await this.manager.getRepository(ChainEventEntity).find({ where: { eid, blockNumber: MoreThan(forkBlock) } });
    const accounts = new Set(rows.map((r) => r.account).filter((a): a is string => a !== null));
    const epochs = new Set<bigint>();
    for (const { event } of decodeStored(rows.map(toStoredEvent))) if (event.kind === 'CreditBatchPushed') epochs.add(event.epoch);
    await this.manager.createQueryBuilder().delete().from(ChainEventEntity).where('eid = :eid AND block_number > :forkBlock', { eid, forkBlock }).execute();
    await this.manager.createQueryBuilder().delete().from(BlockHeaderEntity).where('eid = :eid AND number > :forkBlock', { eid, forkBlock }).execute();
    return { count: rows.length, accounts, epochs };
  }

  async deleteLedgerRows(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<void> {
    for (const chunk of chunks([...accounts], KEYS_PER_SELECT)) {
      await this.manager.createQueryBuilder().delete().from(AccountEntity).where({ address: In(chunk) }).execute();
      for (const table of [CollateralEntity, PositionEntity, CreditEntity, WithdrawalEntity]) {
        await this.manager.createQueryBuilder().delete().from(table).where({ account: In(chunk) }).execute();
      }
    }
    if (epochs.size) {
      await this.manager.createQueryBuilder().delete().from(CreditEpochEntity).where('epoch IN (:...epochs)', { epochs: [...epochs].map(String) }).execute();
    }
  }

  async eventsFor(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<StoredEvent[]> {
    const rows: ChainEventEntity[] = [];
    for (const chunk of chunks([...accounts], KEYS_PER_SELECT)) {
      rows.push(...(await this.manager.getRepository(ChainEventEntity).findBy({ account: In(chunk) })));
    }
    if (epochs.size) {
      const pushes = await this.manager.getRepository(ChainEventEntity).findBy({ name: 'CreditBatchPushed' });
      const wanted = new Set([...epochs].map(String));
      for (const row of pushes) {
        const [decoded] = decodeStored([toStoredEvent(row)]);
        if (decoded?.event.kind === 'CreditBatchPushed' && wanted.has(decoded.event.epoch.toString())) rows.push(row);
      }
    }
    return rows.sort((a, b) => a.eid - b.eid || a.blockNumber - b.blockNumber || a.logIndex - b.logIndex).map(toStoredEvent);
  }

  async rewindCursor(eid: number, nextBlock: number): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .update(ChainCursorEntity)
      .set({ nextBlock: BigInt(nextBlock), updatedAt: new Date().toISOString() })
      .where('eid = :eid', { eid })
      .andWhere(new Brackets((qb) => qb.where('next_block > :nextBlock', { nextBlock })))
      .execute();
  }
}
