import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, In, type DataSource, type EntityManager } from 'typeorm';
import { hexlify } from 'ethers';
import { SerialQueue } from '@tributary/service-kit';
import { bulkUpsert, rawQuery, tableName, type SqlValue } from '../database/bulk-upsert';
import { copyRows } from '../database/pg-copy';
import { ChainCursorEntity } from '../database/chain-cursor.entity';
import { DELIVERY_EVENTS, type ContractRole } from '../events/ledger-events';
import type { RawLog } from '../events/raw-log';
import { AccountEntity, BlockHeaderEntity, ChainEventEntity, ChainLivenessEntity, CreditEpochEntity } from './entities/ledger.entities';
import { decodeStored, lastMessageBlocks } from './ledger-ingestor';
import { applyEvents, keysOf, type LedgerSlice, type SliceKeys } from './ledger-state';
import { ACCOUNT_TABLES, LEDGER_TABLES, chunks, loadSliceRows, saveSliceRows } from './slice-rows';
import type { BlockHash, CursorUpdate, IndexedLog, LedgerStore, LedgerWriter, OrphanedEvents, StoredEvent } from './ledger-store';

const hexToBuffer = (hex: string): Buffer => Buffer.from(hex, 'hex');

/** TypeORM implementation of the ledger store (sql.js or PostgreSQL, same SQL). */
@Injectable()
export class TypeormLedgerStore implements LedgerStore {
  /** This process's write transactions, one at a time (sql.js has one connection: no nesting; other processes: the PostgreSQL advisory lock). */
  private readonly writes = new SerialQueue();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (writer: LedgerWriter) => Promise<T>): Promise<T> {
    return this.writes.run(() => this.dataSource.transaction((manager) => work(new TypeormLedgerWriter(manager))));
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
    return this.writes.run(() =>
      this.dataSource.transaction(async (manager) => {
        for (const table of LEDGER_TABLES) await manager.createQueryBuilder().delete().from(table).execute();
        const writer = new TypeormLedgerWriter(manager);
        let afterId = 0;
        let total = 0;
        for (;;) {
          const rows = await selectEvents(manager, 'id > ?', [afterId], pageSize);
          if (!rows.length) return total;
          afterId = Number(rows[rows.length - 1].id);
          const envelopes = decodeStored(rows.map(toStoredEvent));
          const slice = await writer.loadSlice(keysOf(envelopes));
          applyEvents(slice, envelopes);
          await writer.saveSlice(slice);
          await writer.raiseLastMessageBlocks(lastMessageBlocks(envelopes));
          total += rows.length;
        }
      }),
    );
  }
}

export interface EventRow {
  id: number;
  chain_id: number;
  eid: number;
  block_number: number;
  block_hash: Uint8Array;
  log_index: number;
  tx_hash: Uint8Array;
  contract: string;
  address: string;
  name: string;
  account: string | null;
  topics: Uint8Array;
  data: Uint8Array;
}

const EVENT_COLUMNS = 'id, chain_id, eid, block_number, block_hash, log_index, tx_hash, contract, address, name, account, topics, data';

/** Stored events matching `where` (plain SQL with `?` placeholders), in chain order per eid. */
function selectEvents(manager: EntityManager, where: string, params: SqlValue[], limit?: number): Promise<EventRow[]> {
  const table = tableName(manager, ChainEventEntity);
  return rawQuery<EventRow>(manager, `SELECT ${EVENT_COLUMNS} FROM ${table} WHERE ${where} ORDER BY id${limit ? ` LIMIT ${limit}` : ''}`, params);
}

export function toStoredEvent(row: EventRow): StoredEvent {
  const topicBytes = hexlify(row.topics).slice(2);
  const topics: string[] = [];
  for (let i = 0; i < topicBytes.length; i += 64) topics.push(`0x${topicBytes.slice(i, i + 64)}`);
  const raw: RawLog = {
    address: row.address,
    topics,
    data: hexlify(row.data),
    blockNumber: Number(row.block_number),
    blockHash: hexlify(row.block_hash),
    logIndex: Number(row.log_index),
    transactionHash: hexlify(row.tx_hash),
  };
  return { chainId: Number(row.chain_id), eid: Number(row.eid), contract: row.contract as ContractRole, raw };
}

/** Columns of a `chain_event` row as the ingest writes it (COPY and upsert; the ingest bench's raw COPY too). */
export const EVENT_INSERT_COLUMNS = [
  'chain_id',
  'eid',
  'block_number',
  'block_hash',
  'log_index',
  'tx_hash',
  'contract',
  'address',
  'name',
  'account',
  'topics',
  'data',
];

/** Whether no two logs share the event log's unique key (chain, block, block hash, log index). */
function distinctEventKeys(logs: readonly IndexedLog[]): boolean {
  const keys = new Set(logs.map(({ envelope: { origin } }) => `${origin.chainId}:${origin.blockNumber}:${origin.blockHash}:${origin.logIndex}`));
  return keys.size === logs.length;
}

/** Advisory-lock namespace of the indexer (high 32 bits), the eid in the low 32 bits. */
const INDEXER_LOCK_NAMESPACE = 0x7472_6962n; // "trib"

class TypeormLedgerWriter implements LedgerWriter {
  constructor(private readonly manager: EntityManager) {}

  async lockChain(eid: number): Promise<void> {
    // Two replicas indexing the same chain would both pass the duplicate check; the second now waits for the
    // first's commit and then sees its events. Released at commit/rollback.
    if (this.manager.connection.driver.options.type !== 'postgres') return;
    await this.manager.query('SELECT pg_advisory_xact_lock($1)', [((INDEXER_LOCK_NAMESPACE << 32n) | BigInt(eid)).toString()]);
  }

  async existingEventKeys(eid: number, fromBlock: number, toBlock: number): Promise<Set<string>> {
    const table = tableName(this.manager, ChainEventEntity);
    const rows = await rawQuery<{ block_hash: Uint8Array; log_index: number }>(
      this.manager,
      `SELECT block_hash, log_index FROM ${table} WHERE eid = ? AND block_number BETWEEN ? AND ?`,
      [eid, fromBlock, toBlock],
    );
    return new Set(rows.map((r) => `${hexlify(r.block_hash)}:${Number(r.log_index)}`));
  }

  async insertEvents(logs: readonly IndexedLog[]): Promise<void> {
    const rows: SqlValue[][] = logs.map(({ envelope: { origin, event }, raw }) => [
      origin.chainId,
      origin.eid,
      origin.blockNumber,
      hexToBuffer(origin.blockHash.slice(2)),
      origin.logIndex,
      hexToBuffer(origin.txHash.slice(2)),
      origin.contract,
      raw.address,
      origin.name,
      'account' in event ? event.account : null,
      hexToBuffer(raw.topics.map((t) => t.slice(2)).join('')),
      hexToBuffer(raw.data.slice(2)),
    ]);
    // PostgreSQL: COPY (2-3× the multi-row insert). The ingestor passes only events not stored yet, under the
    // chain's advisory lock, so no row can conflict unless the batch itself holds one twice: then the upsert.
    if (this.manager.connection.driver.options.type === 'postgres' && distinctEventKeys(logs)) {
      await copyRows(this.manager, tableName(this.manager, ChainEventEntity), EVENT_INSERT_COLUMNS, rows);
      return;
    }
    await bulkUpsert(this.manager, ChainEventEntity, {
      columns: EVENT_INSERT_COLUMNS,
      rows,
      conflict: ['chain_id', 'block_number', 'block_hash', 'log_index'],
      overwrite: [],
    });
  }

  loadSlice(keys: SliceKeys): Promise<LedgerSlice> {
    return loadSliceRows(this.manager, keys);
  }

  saveSlice(slice: LedgerSlice): Promise<void> {
    return saveSliceRows(this.manager, slice);
  }

  async saveBlockHashes(eid: number, hashes: readonly BlockHash[]): Promise<void> {
    const unique = [...new Map(hashes.map((h) => [h.number, h.hash])).entries()];
    await bulkUpsert(this.manager, BlockHeaderEntity, {
      columns: ['eid', 'number', 'hash'],
      rows: unique.map(([number, hash]) => [eid, number, hash]),
      conflict: ['eid', 'number'],
      overwrite: ['hash'],
    });
  }

  async pruneBlockHashes(eid: number, belowOrAt: number): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(BlockHeaderEntity)
      .where('eid = :eid AND number <= :belowOrAt', { eid, belowOrAt })
      .execute();
  }

  /** Read-modify-write under the trading chain's lock (every delivery event is the hub's, on that chain). */
  async raiseLastMessageBlocks(blocks: ReadonlyMap<number, number>): Promise<void> {
    if (!blocks.size) return;
    const repository = this.manager.getRepository(ChainLivenessEntity);
    const current = new Map((await repository.findBy({ eid: In([...blocks.keys()]) })).map((row) => [row.eid, row.lastMessageBlock]));
    const rows = [...blocks].filter(([eid, block]) => block > (current.get(eid) ?? -1)).map(([eid, block]) => ({ eid, lastMessageBlock: block }));
    if (rows.length) await repository.save(rows);
  }

  async resetLastMessageBlocks(eid: number, chains: ReadonlySet<number>): Promise<void> {
    const newest = new Map<number, number>();
    const table = tableName(this.manager, ChainEventEntity);
    const names = [...DELIVERY_EVENTS];
    // Newest first, a page at a time, until every chain's newest remaining delivery is found (or none is left).
    for (let offset = 0; newest.size < chains.size; offset += 500) {
      const rows = await rawQuery<EventRow>(
        this.manager,
        `SELECT ${EVENT_COLUMNS} FROM ${table} WHERE eid = ? AND contract = ? AND name IN (${names.map(() => '?').join(', ')})
         ORDER BY block_number DESC, log_index DESC LIMIT 500 OFFSET ${offset}`,
        [eid, 'hub', ...names],
      );
      for (const { heardFrom, origin } of decodeStored(rows.map(toStoredEvent)))
        if (heardFrom !== undefined && chains.has(heardFrom) && !newest.has(heardFrom)) newest.set(heardFrom, origin.blockNumber);
      if (rows.length < 500) break;
    }
    const repository = this.manager.getRepository(ChainLivenessEntity);
    const gone = [...chains].filter((chain) => !newest.has(chain));
    if (gone.length) await repository.delete({ eid: In(gone) });
    if (newest.size) await repository.save([...newest].map(([chain, block]) => ({ eid: chain, lastMessageBlock: block })));
  }

  async setCursor(update: CursorUpdate): Promise<void> {
    await bulkUpsert(this.manager, ChainCursorEntity, {
      columns: ['eid', 'next_block', 'updated_at', 'head_block', 'head_time', 'indexed_time'],
      rows: [[update.eid, update.nextBlock, new Date().toISOString(), update.headBlock, update.headTime, update.indexedTime]],
      conflict: ['eid'],
      overwrite: ['next_block', 'updated_at', 'head_block', 'head_time', 'indexed_time'],
    });
  }

  async deleteEventsAbove(eid: number, forkBlock: number): Promise<OrphanedEvents> {
    const rows = await selectEvents(this.manager, 'eid = ? AND block_number > ?', [eid, forkBlock]);
    const accounts = new Set(rows.map((r) => r.account).filter((a): a is string => a !== null));
    const epochs = new Set<bigint>();
    const heardFrom = new Set<number>();
    for (const { event, heardFrom: chain } of decodeStored(rows.map(toStoredEvent))) {
      if (event.kind === 'CreditBatchPushed') epochs.add(event.epoch);
      if (chain !== undefined) heardFrom.add(chain);
    }
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(ChainEventEntity)
      .where('eid = :eid AND block_number > :forkBlock', { eid, forkBlock })
      .execute();
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(BlockHeaderEntity)
      .where('eid = :eid AND number > :forkBlock', { eid, forkBlock })
      .execute();
    return { count: rows.length, accounts, epochs, heardFrom };
  }

  async deleteLedgerRows(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<void> {
    for (const chunk of chunks([...accounts])) {
      await this.manager
        .createQueryBuilder()
        .delete()
        .from(AccountEntity)
        .where({ address: In(chunk) })
        .execute();
      for (const table of ACCOUNT_TABLES) {
        await this.manager
          .createQueryBuilder()
          .delete()
          .from(table)
          .where({ account: In(chunk) })
          .execute();
      }
    }
    if (epochs.size) {
      await this.manager
        .createQueryBuilder()
        .delete()
        .from(CreditEpochEntity)
        .where('epoch IN (:...epochs)', { epochs: [...epochs].map(String) })
        .execute();
    }
  }

  async eventsFor(accounts: ReadonlySet<string>, epochs: ReadonlySet<bigint>): Promise<StoredEvent[]> {
    const rows: EventRow[] = [];
    for (const chunk of chunks([...accounts])) {
      rows.push(...(await selectEvents(this.manager, `account IN (${chunk.map(() => '?').join(', ')})`, chunk)));
    }
    if (epochs.size) {
      const pushes = await selectEvents(this.manager, 'name = ?', ['CreditBatchPushed']);
      const wanted = new Set([...epochs].map(String));
      for (const row of pushes) {
        const [decoded] = decodeStored([toStoredEvent(row)]);
        if (decoded?.event.kind === 'CreditBatchPushed' && wanted.has(decoded.event.epoch.toString())) rows.push(row);
      }
    }
    return rows.map(toStoredEvent).sort((a, b) => a.eid - b.eid || a.raw.blockNumber - b.raw.blockNumber || a.raw.logIndex - b.raw.logIndex);
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
