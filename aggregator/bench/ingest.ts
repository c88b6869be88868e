/**
 * Ingest benchmark: a synthetic stream of 200k hub AttestationApplied logs (10k accounts × 2 chains × 2
 * assets, 20 logs per block), decoded and ingested in block-range batches (event log insert + collateral
 * upserts + cursor, one transaction per batch), on the embedded SQLite file (WAL) and on PostgreSQL (DATABASE_URL or
 * the local server), and sql.js in memory. PostgreSQL's yardstick, measured in the same run: a raw COPY of the same
 * event rows into the same table. Best of BENCH_ROUNDS (2) runs of each. Prints events/s (wall clock) and events per CPU second of this process (PostgreSQL's own
 * CPU not included), since the machine may be shared.   npm run bench -w @tributary/aggregator [-- --events 200000]
 *   short: npm run bench:short -w @tributary/aggregator (20k events, one round)
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress, hexlify, keccak256, toBeHex } from 'ethers';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { tableName, type SqlValue } from '../src/database/bulk-upsert';
import { ENTITIES } from '../src/database/entities';
import { copyRows } from '../src/database/pg-copy';
import { MIGRATIONS } from '../src/database/migrations';
import { CONTRACT_INTERFACES, decodeLog } from '../src/events/event-decoder';
import type { RawLog } from '../src/events/raw-log';
import { ChainEventEntity } from '../src/ledger/entities/ledger.entities';
import { LedgerIngestor } from '../src/ledger/ledger-ingestor';
import type { IndexedLog } from '../src/ledger/ledger-store';
import { EVENT_INSERT_COLUMNS, TypeormLedgerStore } from '../src/ledger/typeorm-ledger.store';

const EVENTS = Number(process.argv[process.argv.indexOf('--events') + 1]) || 200_000;
const PER_BLOCK = 20;
// One batch = one indexer block range (1000 blocks × 20 logs); BENCH_BLOCKS_PER_BATCH overrides.
const BLOCKS_PER_BATCH = Number(process.env.BENCH_BLOCKS_PER_BATCH ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const CHAIN = { chainId: 31337, eid: 40101 };
const HUB = getAddress(hexlify(randomBytes(20)));

function syntheticLogs(count: number): RawLog[] {
  const hub = CONTRACT_INTERFACES.hub;
  const fragment = hub.getEvent('AttestationApplied')!;
  const accounts = Array.from({ length: 10_000 }, () => getAddress(hexlify(randomBytes(20))));
  const sequences = new Map<string, bigint>();
  const logs: RawLog[] = [];
  for (let i = 0; i < count; i++) {
    const account = accounts[i % accounts.length];
    const eid = 40102 + ((i >> 1) % 2);
    const assetId = 1 + (i % 2);
    const key = `${account}/${eid}/${assetId}`;
    const sequence = (sequences.get(key) ?? 0n) + 1n;
    sequences.set(key, sequence);
    const { topics, data } = hub.encodeEventLog(fragment, [account, eid, assetId, BigInt(i) * 10n ** 12n, sequence]);
    const blockNumber = 1 + Math.floor(i / PER_BLOCK);
    logs.push({
      address: HUB,
      topics,
      data,
      blockNumber,
      blockHash: keccak256(toBeHex(blockNumber, 32)),
      logIndex: i % PER_BLOCK,
      transactionHash: keccak256(toBeHex(i, 32)),
    });
  }
  return logs;
}

async function run(label: string, dataSource: DataSource, logs: RawLog[]): Promise<number> {
  const store = new TypeormLedgerStore(dataSource);
  const ingestor = new LedgerIngestor(store);
  const lastBlock = logs[logs.length - 1].blockNumber;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let cursor = 0;
  for (let from = 1; from <= lastBlock; from += BLOCKS_PER_BATCH) {
    const to = Math.min(lastBlock, from + BLOCKS_PER_BATCH - 1);
    const batch: IndexedLog[] = [];
    while (cursor < logs.length && logs[cursor].blockNumber <= to) {
      const raw = logs[cursor++];
      batch.push({ raw, envelope: decodeLog('hub', CHAIN, raw)! });
    }
    await ingestor.ingest({
      ...CHAIN,
      fromBlock: from,
      toBlock: to,
      logs: batch,
      blockHashes: [{ number: to, hash: keccak256(toBeHex(to, 32)) }],
      cursor: { eid: CHAIN.eid, nextBlock: to + 1, headBlock: lastBlock, headTime: 0, indexedTime: 0 },
      pruneAtOrBelow: to - 256,
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const stored = await dataSource.getRepository(ChainEventEntity).count();
  const rate = logs.length / seconds;
  console.log(
    `${label.padEnd(12)} ${logs.length} events in ${seconds.toFixed(2)} s = ${fmt(rate)} events/s wall clock; ` +
      `this process used ${cpuSeconds.toFixed(2)} CPU s = ${fmt(logs.length / cpuSeconds)} events per CPU second ` +
      `(stored ${stored}, batches of ${BLOCKS_PER_BATCH * PER_BLOCK}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
  );
  return rate;
}

/** The yardstick: the same event rows, COPYed into the same table (same indexes), batch by batch, one transaction each. */
async function rawCopy(dataSource: DataSource, logs: RawLog[]): Promise<number> {
  const table = tableName(dataSource.manager, ChainEventEntity);
  const started = performance.now();
  for (let start = 0; start < logs.length; start += BLOCKS_PER_BATCH * PER_BLOCK) {
    const batch = logs.slice(start, start + BLOCKS_PER_BATCH * PER_BLOCK);
    await dataSource.transaction((manager) =>
      copyRows(
        manager,
        table,
        EVENT_INSERT_COLUMNS,
        batch.map((raw) => eventRow(raw)),
      ),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  return logs.length / seconds;
}

function eventRow(raw: RawLog): SqlValue[] {
  const { origin, event } = decodeLog('hub', CHAIN, raw)!;
  const bytes = (hex: string) => Buffer.from(hex.slice(2), 'hex');
  return [
    origin.chainId,
    origin.eid,
    origin.blockNumber,
    bytes(origin.blockHash),
    origin.logIndex,
    bytes(origin.txHash),
    origin.contract,
    raw.address,
    origin.name,
    'account' in event ? event.account : null,
    bytes(`0x${raw.topics.map((t) => t.slice(2)).join('')}`),
    bytes(raw.data),
  ];
}

async function main(): Promise<void> {
  const logs = syntheticLogs(EVENTS);
  const common = { entities: ENTITIES, migrations: MIGRATIONS };

  if (process.env.BENCH_ONLY !== 'pg') {
    // The embedded engine (better-sqlite3, WAL file) and sql.js in memory (the engine it replaced; its file save
    // is not counted here: see bench:engine), best of ROUNDS each.
    let bestSqlite = 0;
    let bestSqljs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
      const sqlite = await new DataSource(dataSourceOptions({ ...common, sqlitePath: join(dir, 'ledger.sqlite') })).initialize();
      bestSqlite = Math.max(bestSqlite, await run('SQLite', sqlite, logs));
      await sqlite.destroy();
      rmSync(dir, { recursive: true, force: true });
      const sqljs = await new DataSource({ type: 'sqljs', ...common, migrationsRun: true, logging: false }).initialize();
      bestSqljs = Math.max(bestSqljs, await run('sql.js', sqljs, logs));
      await sqljs.destroy();
    }
    console.log(
      `embedded best of ${ROUNDS}: better-sqlite3 ${fmt(bestSqlite)} events/s, sql.js ${fmt(bestSqljs)} events/s; ` +
        `target ≥ 10,000: ${Math.min(bestSqlite, bestSqljs) >= 10_000 ? 'met' : bestSqlite >= 10_000 ? 'met by the default engine' : 'MISSED'}`,
    );
  }

  if (process.env.BENCH_ONLY === 'sqlite') return;
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = await new DataSource({ type: 'postgres', url }).initialize();
  // Best of ROUNDS, the COPY and the ingest alternating in fresh schemas (the machine may be shared).
  let bestCopy = 0;
  let bestIngest = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['copy', 'ingest'] as const) {
      const schema = `bench_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE SCHEMA "${schema}"`);
      try {
        const pg = await new DataSource(dataSourceOptions({ ...common, url, schema })).initialize();
        if (kind === 'copy') {
          const rate = await rawCopy(pg, logs);
          bestCopy = Math.max(bestCopy, rate);
          console.log(`raw COPY     ${logs.length} event rows = ${fmt(rate)} rows/s wall clock (load average ${loadavg()[0].toFixed(1)})`);
        } else bestIngest = Math.max(bestIngest, await run('PostgreSQL', pg, logs));
        await pg.destroy();
      } finally {
        await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      }
    }
  }
  await admin.destroy();
  const ratio = bestIngest / bestCopy;
  console.log(
    `PostgreSQL best of ${ROUNDS}: ingest ${fmt(bestIngest)} events/s = ${(ratio * 100).toFixed(0)} % of a raw COPY of the same rows ` +
      `(${fmt(bestCopy)} rows/s); target ≥ 50 %: ${ratio >= 0.5 ? 'met' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
