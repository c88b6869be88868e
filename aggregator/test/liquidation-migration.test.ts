import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { rawQuery, tableName } from '../src/database/bulk-upsert';
import { MIGRATIONS } from '../src/database/migrations';
import { ChainEventEntity } from '../src/ledger/entities/ledger.entities';
import { ENTITIES } from '../src/database/entities';
import { freshDatabase } from './support/database';

/**
 * Upgrading a database that already holds events (SQLite file, or PostgreSQL when DATABASE_URL is set): the
 * liquidation migration keeps every `chain_event` row and lets the longer liquidation roles in.
 */
describe('liquidation migration on an existing database', () => {
  it('keeps chain_event rows and stores a liquidationRegistry event afterwards', async () => {
    const db = await freshDatabase();
    const sqlitePath = join(mkdtempSync(join(tmpdir(), 'agg-mig-')), 'ledger.sqlite');
    const options = (migrations: typeof MIGRATIONS) =>
      dataSourceOptions({
        url: db.config.DATABASE_URL,
        sqlitePath,
        schema: db.config.DATABASE_SCHEMA,
        entities: ENTITIES,
        migrations,
      });
    const insert = async (source: DataSource, block: number, contract: string, name: string) =>
      rawQuery(
        source.manager,
        `INSERT INTO ${tableName(source.manager, ChainEventEntity)} (chain_id, eid, block_number, block_hash, log_index, tx_hash, contract, address, name, account, topics, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [1, 1, block, Buffer.from([block]), 0, Buffer.from([0]), contract, '0x0', name, null, Buffer.from([0]), Buffer.from([0])],
      );
    const before = await new DataSource(options(MIGRATIONS.slice(0, -1))).initialize();
    await insert(before, 1, 'settlementPool', 'CashChanged');
    await before.destroy();

    const after = await new DataSource(options(MIGRATIONS)).initialize();
    try {
      await insert(after, 2, 'liquidationRegistry', 'LiquidationOpened');
      const rows = await rawQuery<{ contract: string; name: string }>(
        after.manager,
        `SELECT contract, name FROM ${tableName(after.manager, ChainEventEntity)} ORDER BY block_number`,
      );
      expect(rows).toEqual([
        { contract: 'settlementPool', name: 'CashChanged' },
        { contract: 'liquidationRegistry', name: 'LiquidationOpened' },
      ]);
    } finally {
      await after.destroy();
      await db.drop();
    }
  });
});
