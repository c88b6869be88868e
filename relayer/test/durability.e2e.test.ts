import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { packetRow, twoChainConfig, word } from './helpers/packet-rows';
import { startRelayerApp, type RelayerApp } from './helpers/relayer-app';

/**
 * What the packet store acknowledges is in the database file (or PostgreSQL) when the call returns, while
 * the service still runs: a process killed right after it loses nothing (the old sql.js store kept it in memory).
 */
/** A packet whose verify transaction was signed and sent (its raw bytes kept for a resend). */
const pending = (n: number) =>
  packetRow(n, {
    srcBlockNumber: 1,
    srcBlockHash: word(1),
    stage: 'confirm',
    pendingAction: 'verify',
    pendingTxHash: word(n + 1),
    pendingTxNonce: n,
    pendingTxRaw: '0x02f8',
    pendingTxSentAt: 1,
  });

describe('packet store durability', () => {
  let db: TestDatabase;
  let relayer: RelayerApp;

  beforeAll(async () => {
    db = await freshDatabase('durability');
    relayer = await startRelayerApp({
      config: twoChainConfig(),
      keyEnv: { RELAYER_PRIVATE_KEY: '0x' + '11'.repeat(32) },
      db,
    });
  });

  afterAll(async () => {
    await relayer?.close();
    await db?.drop();
  });

  /** The stored rows as a fresh reader sees them: a copy of the SQLite file and its log, or a second PostgreSQL connection. */
  async function storedGuids(): Promise<string[]> {
    let source: DataSource;
    if (db.kind === 'sqlite') {
      const copy = join(mkdtempSync(join(tmpdir(), 'relayer-copy-')), 'relayer.sqlite');
      copyFileSync(db.env.SQLITE_PATH!, copy);
      if (existsSync(`${db.env.SQLITE_PATH}-wal`)) copyFileSync(`${db.env.SQLITE_PATH}-wal`, `${copy}-wal`);
      source = new DataSource({ type: 'better-sqlite3', database: copy });
    } else {
      source = new DataSource({ type: 'postgres', url: db.env.DATABASE_URL, schema: db.env.DATABASE_SCHEMA });
    }
    await source.initialize();
    try {
      const table = db.env.DATABASE_SCHEMA ? `"${db.env.DATABASE_SCHEMA}".packet` : 'packet';
      return (await source.query(`SELECT guid FROM ${table} ORDER BY guid`)).map((r: { guid: string }) => r.guid);
    } finally {
      await source.destroy();
    }
  }

  it('a stored packet and its signed transaction are on disk as soon as the write returns, and flush() makes them power-safe', async () => {
    await relayer.packets.insert(pending(1));
    expect(await storedGuids()).toEqual([word(1)]);
    await relayer.packets.insert(pending(2));
    await expect(relayer.packets.flush()).resolves.toBeUndefined();
    expect(await storedGuids()).toEqual([word(1), word(2)]);
  });
});
