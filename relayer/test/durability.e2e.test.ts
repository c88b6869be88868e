import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { PacketEntity } from '../src/database/packet.entity';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { startRelayerApp, type RelayerApp } from './helpers/relayer-app';

const A = (n: number) => '0x' + n.toString(16).padStart(40, '0');
const hex = (n: number, bytes: number) => '0x' + n.toString(16).padStart(bytes * 2, '0');
const chain = (name: string, eid: number) => ({
  name,
  eid,
  chainId: eid,
  rpcUrl: `http://127.0.0.1:9`,
  confirmations: 1,
  endpoint: A(1),
  receiveUln302: A(2),
  worker: A(3),
});

function packet(n: number): PacketEntity {
  return {
    guid: hex(n, 32),
    srcEid: 40101,
    dstEid: 40102,
    sender: hex(10, 32),
    receiver: A(11),
    nonce: n,
    header: '0x',
    message: '0x',
    payloadHash: hex(n, 32),
    receiveGas: '1',
    receiveValue: '0',
    srcBlockNumber: 1,
    srcBlockHash: hex(1, 32),
    srcTxHash: hex(n, 32),
    status: 'verifying',
    stage: 'confirm',
    pendingAction: 'verify',
    pendingTxHash: hex(n + 1, 32),
    pendingTxNonce: n,
    pendingTxRaw: '0x02f8',
    pendingChainRaw: null,
    pendingTxSentAt: 1,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    claimedBy: null,
    claimUntil: null,
    seenAt: 0,
    confirmedAt: null,
    deliveredAt: null,
    updatedAt: 0,
  };
}

/**
 * What the packet store acknowledges is in the database file (or PostgreSQL) when the call returns, while
 * the service still runs: a process killed right after it loses nothing (the old sql.js store kept it in memory).
 */
describe('packet store durability', () => {
  let db: TestDatabase;
  let relayer: RelayerApp;

  beforeAll(async () => {
    db = await freshDatabase('durability');
    relayer = await startRelayerApp({
      config: { chains: [chain('alpha', 40101), chain('beta', 40102)], pathways: [{ srcEid: 40101, sender: A(10), dstEid: 40102, receiver: A(11) }] },
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
    await relayer.packets.insert(packet(1));
    expect(await storedGuids()).toEqual([hex(1, 32)]);
    await relayer.packets.insert(packet(2));
    await expect(relayer.packets.flush()).resolves.toBeUndefined();
    expect(await storedGuids()).toEqual([hex(1, 32), hex(2, 32)]);
  });
});
