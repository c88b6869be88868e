import { copyFileSync, existsSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { getJson } from './harness';

/** Read access to one service's database as its process left it (a SQLite file copy, or a PostgreSQL schema). */
export interface DatabaseReader {
  all<T>(sql: (table: (name: string) => string) => string): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Copies a SQLite database with its write-ahead log (the process that wrote them is dead, nothing changes them
 * while the copy runs), so it can be opened without touching what the restarted service will open.
 */
export function copySqlite(path: string, toDir: string): string {
  mkdirSync(toDir, { recursive: true });
  const copy = join(toDir, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return copy;
}

export function sqliteReader(path: string): DatabaseReader {
  const db = new Database(path);
  return {
    all: async <T>(sql: (table: (name: string) => string) => string) => db.prepare(sql((name) => name)).all() as T[],
    close: async () => {
      db.close();
    },
  };
}

export async function postgresReader(url: string, schema: string): Promise<DatabaseReader> {
  const source = await new DataSource({ type: 'postgres', url, extra: { max: 2 } }).initialize();
  return {
    all: <T>(sql: (table: (name: string) => string) => string) => source.query(sql((name) => `"${schema}"."${name}"`)) as Promise<T[]>,
    close: () => source.destroy(),
  };
}

/** What the relayer's operator API lists: every packet's guid and status. */
export async function relayerApiView(url: string, apiKey: string): Promise<Map<string, string>> {
  const packets = new Map<string, string>();
  for (let offset = 0; ; offset += 200) {
    const response = await fetch(`${url}/v1/packets?limit=200&offset=${offset}`, { headers: { 'x-api-key': apiKey } });
    if (!response.ok) throw new Error(`relayer /v1/packets: HTTP ${response.status}`);
    const page = (await response.json()) as { items: { guid: string; status: string }[]; total: number };
    for (const p of page.items) packets.set(p.guid.toLowerCase(), p.status);
    if (offset + 200 >= page.total) return packets;
  }
}

export interface LedgerView {
  /** `${account}/${eid}/${assetId}` → balance and attestation sequence. */
  collateral: Map<string, { balance: bigint; sequence: bigint }>;
  /** eid → last indexed block. */
  indexed: Map<number, number>;
}

const collateralKey = (account: string, eid: number, assetId: number) => `${account.toLowerCase()}/${eid}/${assetId}`;

/** What the aggregator's API shows of `accounts` and of its indexing progress. */
export async function aggregatorApiView(url: string, accounts: string[]): Promise<LedgerView> {
  const collateral: LedgerView['collateral'] = new Map();
  for (const account of accounts) {
    const response = await fetch(`${url}/v1/accounts/${account}`);
    if (response.status === 404) continue;
    if (!response.ok) throw new Error(`aggregator /v1/accounts: HTTP ${response.status}`);
    const view = (await response.json()) as { collateral: { eid: number; assetId: number; balance: string; sequence: string }[] };
    for (const c of view.collateral)
      collateral.set(collateralKey(account, c.eid, c.assetId), { balance: BigInt(c.balance), sequence: BigInt(c.sequence) });
  }
  const chains = await getJson<{ chains: { eid: number; indexing: { lastIndexedBlock: number | null } }[] }>(`${url}/v1/chains`);
  const indexed = new Map(chains.chains.filter((c) => c.indexing.lastIndexedBlock !== null).map((c) => [c.eid, c.indexing.lastIndexedBlock!]));
  return { collateral, indexed };
}

/** Packets the API listed that the database lacks, or lists as delivered while the database does not. */
export async function relayerMissing(shown: Map<string, string>, db: DatabaseReader): Promise<string[]> {
  const rows = await db.all<{ guid: string; status: string }>((t) => `SELECT guid, status FROM ${t('packet')}`);
  const stored = new Map(rows.map((r) => [r.guid.toLowerCase(), r.status]));
  const problems: string[] = [];
  for (const [guid, status] of shown) {
    if (!stored.has(guid)) problems.push(`packet ${guid} (${status}) missing`);
    else if (status === 'delivered' && stored.get(guid) !== 'delivered')
      problems.push(`packet ${guid} delivered per API, ${stored.get(guid)} on disk`);
  }
  return problems;
}

/** Ledger rows and indexing progress the API showed that the database does not hold (deposits only: monotone). */
export async function aggregatorMissing(shown: LedgerView, db: DatabaseReader): Promise<string[]> {
  const rows = await db.all<{ account: string; eid: number; asset_id: number; balance: string; sequence: string | number }>(
    (t) => `SELECT account, eid, asset_id, balance, sequence FROM ${t('collateral_balance')}`,
  );
  const stored = new Map(
    rows.map((r) => [collateralKey(r.account, Number(r.eid), Number(r.asset_id)), { balance: BigInt(r.balance), sequence: BigInt(r.sequence) }]),
  );
  const cursors = await db.all<{ eid: number; next_block: string | number }>((t) => `SELECT eid, next_block FROM ${t('chain_cursor')}`);
  const nextBlock = new Map(cursors.map((c) => [Number(c.eid), Number(c.next_block)]));
  const problems: string[] = [];
  for (const [key, api] of shown.collateral) {
    const disk = stored.get(key);
    if (!disk || disk.sequence < api.sequence)
      problems.push(`collateral ${key} at sequence ${api.sequence} per API, ${disk?.sequence ?? 'none'} on disk`);
    else if (disk.sequence === api.sequence && disk.balance !== api.balance)
      problems.push(`collateral ${key}: balance ${api.balance} per API, ${disk.balance} on disk`);
  }
  for (const [eid, block] of shown.indexed) {
    const disk = (nextBlock.get(eid) ?? 0) - 1;
    if (disk < block) problems.push(`chain ${eid} indexed to ${block} per API, ${disk} on disk`);
  }
  return problems;
}

/**
 * Calls `onWrite(file)` at the first write to any of `paths` (inotify on their directory): a SIGKILL sent
 * from there lands while the process is writing that file — a commit going into the log, or a checkpoint
 * copying pages into the database file.
 */
export function onFirstWrite(paths: string[], onWrite: (file: string) => void): FSWatcher {
  const names = new Set(paths.map((p) => basename(p)));
  let fired = false;
  const watcher = watch(dirname(paths[0]!), (_event, filename) => {
    if (fired || !filename || !names.has(filename.toString())) return;
    fired = true;
    watcher.close();
    onWrite(filename.toString());
  });
  return watcher;
}
