import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlValue } from './bulk-upsert';

/** Rows per text chunk handed to the COPY stream. */
const ROWS_PER_CHUNK = 2_000;

/** One value in COPY's text format: `\N` for null, bytea as `\\x…` hex, text with its specials escaped. */
function copyText(value: SqlValue): string {
  if (value === null) return '\\N';
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  return String(value);
}

function* chunksOf(rows: readonly SqlValue[][]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    let text = '';
    const end = Math.min(rows.length, start + ROWS_PER_CHUNK);
    for (let i = start; i < end; i++) text += `${rows[i].map(copyText).join('\t')}\n`;
    yield text;
  }
}

/**
 * PostgreSQL `COPY table (columns) FROM STDIN` on the manager's connection (inside its transaction). No
 * conflict handling: the caller must know the rows are new (a duplicate fails the statement, and so the
 * transaction).
 */
export async function copyRows(manager: EntityManager, table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
  if (!rows.length) return;
  const runner = manager.queryRunner;
  if (!runner) throw new Error('copyRows needs a transaction (an EntityManager with a query runner)');
  const client = (await runner.connect()) as { query(stream: ReturnType<typeof copyFrom>): ReturnType<typeof copyFrom> };
  const escape = (c: string) => manager.connection.driver.escape(c);
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map(escape).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunksOf(rows)), stream);
}
