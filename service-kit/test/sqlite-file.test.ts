import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntitySchema } from 'typeorm';
import { DatabaseFileError, EXIT_DO_NOT_RESTART, dataSourceOptions, startupExitCode, syncWal } from '../src';

const Note = new EntitySchema<{ id: number; body: string }>({
  name: 'note',
  columns: { id: { type: 'integer', primary: true }, body: { type: 'text' } },
});

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'sqlite-file-')), 'service.sqlite');

function open(path: string): Promise<DataSource> {
  const options = dataSourceOptions({
    sqlitePath: path,
    entities: [Note],
    migrations: [],
    synchronize: true,
    rebuildAdvice: 'the service re-reads the chains',
  });
  return new DataSource(options).initialize();
}

/** A file with enough rows to span many pages, closed cleanly (everything checkpointed into it). */
async function populatedFile(): Promise<string> {
  const path = freshPath();
  const source = await open(path);
  for (let start = 0; start < 2000; start += 500) {
    await source.getRepository(Note).insert(Array.from({ length: 500 }, (_, i) => ({ id: start + i, body: 'x'.repeat(200) })));
  }
  await source.destroy();
  return path;
}

async function openFailure(path: string): Promise<DatabaseFileError> {
  const error = await open(path).then(
    () => new Error('the damaged file was opened'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseFileError);
  return error as DatabaseFileError;
}

describe('embedded SQLite file', () => {
  it('keeps what was committed and opens it again', async () => {
    const path = await populatedFile();
    const source = await open(path);
    expect(await source.getRepository(Note).count()).toBe(2000);
    expect((await source.query('PRAGMA journal_mode'))[0]).toEqual({ journal_mode: 'wal' });
    await source.destroy();
  });

  it('refuses a file cut short by a crash mid-write, naming it and the way out', async () => {
    const path = await populatedFile();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const error = await openFailure(path);
    expect(error.message).toContain(`database file ${path}`);
    expect(error.message).toMatch(/damaged/);
    expect(error.message).toContain(`mv ${path} ${path}.damaged`);
    expect(error.message).toContain('the service re-reads the chains');
    expect(startupExitCode(error)).toBe(EXIT_DO_NOT_RESTART);
    // Refused, not replaced: the file is left as it was for the operator to move aside.
    expect(statSync(path).size).toBeGreaterThan(0);
  });

  it('refuses a file with overwritten pages and a file that is not a database', async () => {
    const path = await populatedFile();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 4096 * 3, 4096 * 6);
    writeFileSync(path, bytes);
    expect((await openFailure(path)).message).toMatch(/damaged/);

    const garbage = freshPath();
    writeFileSync(garbage, Buffer.alloc(50_000, 7));
    expect((await openFailure(garbage)).message).toMatch(/not a SQLite database \(SQLITE_NOTADB/);
  });

  it('refuses a file another process holds', async () => {
    const path = await populatedFile();
    const first = await open(path);
    try {
      const options = { ...dataSourceOptions({ sqlitePath: path, entities: [Note], migrations: [] }), timeout: 200 };
      const error = await new DataSource(options).initialize().then(
        () => new Error('opened twice'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseFileError);
      expect((error as Error).message).toMatch(/in use by another process/);
    } finally {
      await first.destroy();
    }
  });

  it('a commit survives SIGKILL of the process that made it, the moment it returns', async () => {
    const path = freshPath();
    // A child process in the same mode as the services commits rows one by one and reports each; killed mid-stream.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.pragma('locking_mode = EXCLUSIVE'); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
      db.exec('CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, body TEXT)');
      const insert = db.prepare('INSERT INTO note VALUES (?, ?)');
      for (let i = 0; ; i++) { insert.run(i, 'y'.repeat(300)); require('fs').writeSync(1, i + '\\n'); }`;
    const child = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let reported = -1;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        reported = Number(lines[lines.length - 1]);
        if (reported >= 3000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(`${path}-wal`)).toBe(true);
    const source = await open(path);
    const count = await source.getRepository(Note).count();
    await source.destroy();
    expect(count).toBeGreaterThanOrEqual(reported + 1);
  }, 30_000);

  it('syncWal fsyncs the log of an open database and does nothing without one', async () => {
    const path = freshPath();
    await expect(syncWal(path)).resolves.toBeUndefined();
    const source = await open(path);
    await source.getRepository(Note).insert({ id: 1, body: 'z' });
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    await expect(syncWal(path)).resolves.toBeUndefined();
    await source.destroy();
  });
});
