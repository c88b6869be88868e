import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Database } from 'better-sqlite3';

/**
 * The embedded database file cannot be used: damaged, not a SQLite database, or held by another process.
 * The service refuses to start on it (no retry, never an empty database in its place); the message names the
 * file and the way out.
 */
export class DatabaseFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    wayOut: string,
  ) {
    super(`database file ${path}: ${reason}. The service does not start on it. ${wayOut}`);
    this.name = 'DatabaseFileError';
  }
}

/** The files SQLite keeps for `path` in WAL mode (delete or move all of them together). */
export function sqliteFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

function moveAsideAdvice(path: string, rebuild: string): string {
  const present = sqliteFiles(path).filter((file) => existsSync(file));
  const moves = (present.length ? present : [path]).map((file) => `mv ${file} ${file}.damaged`).join('; ');
  return `Way out: move the file aside (${moves}) and start the service again; ${rebuild}.`;
}

/**
 * Opens the connection TypeORM hands us before its first query. One process per file (exclusive lock: a
 * second service on the same file is refused instead of sharing it). Write-ahead log with synchronous=NORMAL:
 * a commit is in the log when it returns, so it survives the process being killed at any moment, and a
 * power loss leaves the last consistent commit (`syncWal` makes chosen commits survive that too). The whole
 * file is checked (`quick_check`, pages and indexes) so damage stops start-up instead of a later query.
 */
export function prepareSqliteFile(db: Database, path: string, rebuild: string): void {
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw describeOpenFailure(path, error, rebuild);
  }
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check).filter((line) => line !== 'ok');
  } catch (error) {
    throw describeOpenFailure(path, error, rebuild);
  }
  if (problems.length)
    throw new DatabaseFileError(path, `damaged (integrity check: ${problems.slice(0, 3).join('; ')})`, moveAsideAdvice(path, rebuild));
}

function describeOpenFailure(path: string, error: unknown, rebuild: string): DatabaseFileError {
  const code = (error as { code?: string }).code ?? 'error';
  const message = (error as Error).message;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new DatabaseFileError(
      path,
      `in use by another process (${code}: ${message})`,
      'Stop the other process first: one service per database file.',
    );
  }
  return new DatabaseFileError(path, `damaged or not a SQLite database (${code}: ${message})`, moveAsideAdvice(path, rebuild));
}

/**
 * Makes every commit so far survive a power loss, not only a killed process: fsyncs the write-ahead log
 * (without blocking the event loop). A missing log means a checkpoint moved everything into the synced file.
 */
export async function syncWal(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(`${path}-wal`, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
