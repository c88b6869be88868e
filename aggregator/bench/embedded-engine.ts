/**
 * Embedded engine benchmark: what keeping the ledger on disk costs as it grows, sql.js (the whole image
 * exported and written atomically: temp file, fsync, rename) against better-sqlite3 (WAL: each commit
 * appends only the pages it changed). Both run the aggregator's migrations and take the same `chain_event`
 * rows (~0.5 kB each with indexes). The disk's own speed is measured in the same run as the yardstick:
 * writing and fsyncing a file as large as the sql.js image, and one 4 kB fsync.
 *   npm run bench:engine -w @tributary/aggregator [-- --sizes 10000,100000,300000,1000000]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { dataSourceOptions } from '@tributary/service-kit';
import { ENTITIES } from '../src/database/entities';
import { MIGRATIONS } from '../src/database/migrations';

/** The part of a sql.js Database this benchmark uses. */
interface SqljsDatabase {
  run(sql: string, params?: unknown[]): void;
  export(): Uint8Array;
}

const sizesArg = process.argv.indexOf('--sizes');
const SIZES = (sizesArg > 0 ? process.argv[sizesArg + 1] : '10000,100000,300000,1000000').split(',').map(Number);
const BATCH = 1_000;
const COLUMNS = ['chain_id', 'eid', 'block_number', 'block_hash', 'log_index', 'tx_hash', 'contract', 'address', 'name', 'account', 'topics', 'data'];
const ROWS_PER_STATEMENT = Math.floor(30_000 / COLUMNS.length);
const INSERT_PREFIX = `INSERT INTO chain_event (${COLUMNS.join(', ')}) VALUES `;
const TUPLE = `(${COLUMNS.map(() => '?').join(', ')})`;
const ADDRESS = `0x${randomBytes(20).toString('hex')}`;

function eventRow(i: number): unknown[] {
  const account = `0x${(i % 10_000).toString(16).padStart(40, '0')}`;
  return [
    31337,
    40101,
    Math.floor(i / 20),
    randomBytes(32),
    i % 20,
    randomBytes(32),
    'hub',
    ADDRESS,
    'AttestationApplied',
    account,
    randomBytes(128),
    randomBytes(64),
  ];
}

/** Inserts events [from, to) through `run`, one multi-row statement per chunk. */
function insertEvents(run: (sql: string, params: unknown[]) => void, from: number, to: number): void {
  for (let start = from; start < to; start += ROWS_PER_STATEMENT) {
    const end = Math.min(to, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (let i = start; i < end; i++) params.push(...eventRow(i));
    run(INSERT_PREFIX + Array.from({ length: end - start }, () => TUPLE).join(', '), params);
  }
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The save the relayer's and the aggregator's sql.js files needed to survive SIGKILL: temp file, fsync, rename. */
function atomicWrite(path: string, data: Uint8Array): void {
  const fd = openSync(`${path}.tmp`, 'w');
  writeSync(fd, data);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

function connectionOf<T>(source: DataSource): T {
  return (source.driver as unknown as { databaseConnection: T }).databaseConnection;
}

interface Row {
  events: number;
  sqljs?: { mb: number; insertMs: number; exportMs: number; writeMs: number } | { error: string };
  sqlite: {
    mb: number;
    insertMs: number;
    insertMaxMs: number;
    rowCommitMs: number;
    rowCommitFullMs: number;
    walFsyncMs: number;
    checkpointMs: number;
    quickCheckMs: number;
    openMs: number;
  };
  yardstick: { writeFsyncMs: number; fsync4kMs: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const common = { entities: ENTITIES, migrations: MIGRATIONS };
  const sqljsSource = await new DataSource({ type: 'sqljs', ...common, migrationsRun: true }).initialize();
  const sqljs = connectionOf<SqljsDatabase>(sqljsSource);
  sqljs.run('PRAGMA journal_mode = MEMORY');
  const sqlitePath = join(dir, 'ledger.sqlite');
  const sqliteOptions = dataSourceOptions({ ...common, sqlitePath });
  let sqliteSource = await new DataSource(sqliteOptions).initialize();
  let sqlite = connectionOf<SqliteDatabase>(sqliteSource);
  const sqliteRun = (sql: string, params: unknown[]) => sqlite.prepare(sql).run(...params);
  sqlite.exec('CREATE TABLE relayer_like (id INTEGER PRIMARY KEY, status TEXT, updated_at INTEGER)');
  sqlite.prepare('INSERT INTO relayer_like VALUES (1, ?, ?)').run('new', 0);

  const rows: Row[] = [];
  let sqljsFailed: string | undefined;
  let grown = 0;
  for (const events of SIZES) {
    const target = events - BATCH;
    if (!sqljsFailed) {
      try {
        sqljs.run('BEGIN');
        insertEvents((sql, params) => sqljs.run(sql, params), grown, target);
        sqljs.run('COMMIT');
      } catch (error) {
        sqljsFailed = (error as Error).message.slice(0, 60);
      }
    }
    sqlite.transaction(() => insertEvents(sqliteRun, grown, target))();
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    grown = target;

    // One ingest batch of BATCH events on each engine, then what making it durable costs.
    let sqljsRow: Row['sqljs'];
    if (!sqljsFailed) {
      try {
        const insertMs = timed(() => {
          sqljs.run('BEGIN');
          insertEvents((sql, params) => sqljs.run(sql, params), grown, events);
          sqljs.run('COMMIT');
        });
        let image: Uint8Array = new Uint8Array();
        const exportMs = timed(() => (image = sqljs.export()));
        const writeMs = timed(() => atomicWrite(join(dir, 'ledger.sqljs'), image));
        sqljsRow = { mb: image.length / 2 ** 20, insertMs, exportMs, writeMs };
      } catch (error) {
        sqljsFailed = (error as Error).message.slice(0, 60);
      }
    }
    if (sqljsFailed) sqljsRow = { error: sqljsFailed };

    const batchMs: number[] = [];
    for (let start = grown; start < events; start += BATCH / 5) {
      batchMs.push(timed(() => sqlite.transaction(() => insertEvents(sqliteRun, start, start + BATCH / 5))()));
    }
    grown = events;
    const rowUpdate = sqlite.prepare('UPDATE relayer_like SET status = ?, updated_at = ? WHERE id = 1');
    const rowCommits = Array.from({ length: 30 }, (_, i) => timed(() => rowUpdate.run(`s${i}`, i)));
    sqlite.pragma('synchronous = FULL');
    const rowCommitsFull = Array.from({ length: 30 }, (_, i) => timed(() => rowUpdate.run(`f${i}`, i)));
    sqlite.pragma('synchronous = NORMAL');
    const walFsyncs = Array.from({ length: 10 }, (_, i) => {
      rowUpdate.run(`w${i}`, i);
      return timed(() => fsyncFile(`${sqlitePath}-wal`));
    });
    const checkpointMs = timed(() => sqlite.pragma('wal_checkpoint(PASSIVE)'));
    const quickCheckMs = timed(() => sqlite.pragma('quick_check'));
    const sqliteMb = (statSync(sqlitePath).size + statSync(`${sqlitePath}-wal`).size) / 2 ** 20;
    // A service start: open, integrity check, migrations table read (the log was checkpointed at close).
    await sqliteSource.destroy();
    const started = performance.now();
    sqliteSource = await new DataSource(sqliteOptions).initialize();
    const openMs = performance.now() - started;
    sqlite = connectionOf<SqliteDatabase>(sqliteSource);

    const yardstickBytes = sqljsRow && 'mb' in sqljsRow ? sqljsRow.mb * 2 ** 20 : sqliteMb * 2 ** 20;
    const blob = randomBytes(Math.round(yardstickBytes));
    const writeFsyncMs = timed(() => atomicWrite(join(dir, 'yardstick.bin'), blob));
    const fsync4k = Array.from({ length: 10 }, () =>
      timed(() => {
        const fd = openSync(join(dir, 'yardstick.4k'), 'a');
        writeSync(fd, blob.subarray(0, 4096));
        fsyncSync(fd);
        closeSync(fd);
      }),
    );
    rows.push({
      events,
      sqljs: sqljsRow,
      sqlite: {
        mb: sqliteMb,
        insertMs: batchMs.reduce((a, b) => a + b, 0),
        insertMaxMs: Math.max(...batchMs),
        rowCommitMs: median(rowCommits),
        rowCommitFullMs: median(rowCommitsFull),
        walFsyncMs: median(walFsyncs),
        checkpointMs,
        quickCheckMs,
        openMs,
      },
      yardstick: { writeFsyncMs, fsync4kMs: median(fsync4k) },
    });
    print(rows[rows.length - 1]!);
  }
  await sqljsSource.destroy();
  await sqliteSource.destroy();
  rmSync(dir, { recursive: true, force: true });
  console.log(`(${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}; ms = milliseconds, medians for single commits/fsyncs)`);
}

let headerPrinted = false;
function print(row: Row): void {
  const ms = (n: number) => n.toFixed(n < 10 ? 2 : 0).padStart(7);
  if (!headerPrinted) {
    headerPrinted = true;
    console.log(
      [
        '  events |      sql.js: MB  insert 1k   export  atomic write = save |  better-sqlite3 WAL: MB  insert 1k = 5 commits (max)  1-row commit  (FULL)  wal fsync  checkpoint  quick_check   open |  yardstick: write+fsync same MB  fsync 4k',
      ].join('\n'),
    );
  }
  const s = row.sqljs;
  const sqljs = !s
    ? ''.padEnd(59)
    : 'error' in s
      ? `failed: ${s.error}`.padEnd(59)
      : `${s.mb.toFixed(1).padStart(16)} ${ms(s.insertMs)}  ${ms(s.exportMs)} ${ms(s.writeMs)}     ${ms(s.exportMs + s.writeMs)}`;
  const q = row.sqlite;
  const sqlite = `${q.mb.toFixed(1).padStart(24)} ${ms(q.insertMs)} (${ms(q.insertMaxMs)})    ${ms(q.rowCommitMs)}  ${ms(q.rowCommitFullMs)}  ${ms(q.walFsyncMs)}    ${ms(q.checkpointMs)}      ${ms(q.quickCheckMs)} ${ms(q.openMs)}`;
  console.log(
    `${String(row.events).padStart(8)} |${sqljs} |${sqlite} |${ms(row.yardstick.writeFsyncMs).padStart(31)}  ${ms(row.yardstick.fsync4kMs)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
