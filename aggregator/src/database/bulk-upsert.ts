import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export type SqlValue = string | number | boolean | null | Uint8Array;

export interface BulkWrite {
  /** Database column names, in the order of each row's values. */
  columns: readonly string[];
  rows: readonly SqlValue[][];
  /** Conflict target columns; with `overwrite` empty the conflicting rows are skipped. */
  conflict: readonly string[];
  overwrite: readonly string[];
}

/** Rows per statement (kept under SQLite's 32766 and PostgreSQL's 65535 bound parameters). */
const MAX_PARAMETERS = 30_000;

/**
 * Multi-row `INSERT … ON CONFLICT` in plain SQL (same statement on SQLite and PostgreSQL). TypeORM's query
 * builder spent more time building parameters than the database spent writing, on the ingest hot path.
 */
/** Schema-qualified, escaped table name of an entity. */
export function tableName(manager: EntityManager, target: EntityTarget<ObjectLiteral>): string {
  const driver = manager.connection.driver;
  const metadata = manager.connection.getMetadata(target);
  return metadata.schema && driver.options.type === 'postgres'
    ? `${driver.escape(metadata.schema)}.${driver.escape(metadata.tableName)}`
    : driver.escape(metadata.tableName);
}

/** Runs SQL written with `?` placeholders on either engine. */
export function rawQuery<T>(manager: EntityManager, sql: string, params: SqlValue[] = []): Promise<T[]> {
  let n = 0;
  const text = manager.connection.driver.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
  return manager.query(text, params);
}

export async function bulkUpsert(manager: EntityManager, target: EntityTarget<ObjectLiteral>, write: BulkWrite): Promise<void> {
  if (!write.rows.length) return;
  const driver = manager.connection.driver;
  const postgres = driver.options.type === 'postgres';
  const table = tableName(manager, target);
  const columns = write.columns.map((c) => driver.escape(c)).join(', ');
  const onConflict = write.overwrite.length
    ? `ON CONFLICT (${write.conflict.map((c) => driver.escape(c)).join(', ')}) DO UPDATE SET ${write.overwrite.map((c) => `${driver.escape(c)} = excluded.${driver.escape(c)}`).join(', ')}`
    : `ON CONFLICT (${write.conflict.map((c) => driver.escape(c)).join(', ')}) DO NOTHING`;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / write.columns.length));
  for (let start = 0; start < write.rows.length; start += perStatement) {
    const chunk = write.rows.slice(start, start + perStatement);
    const params: SqlValue[] = [];
    const tuples = chunk.map((row) => {
      const slots = row.map((value) => {
        params.push(postgres || typeof value !== 'boolean' ? value : value ? 1 : 0);
        return postgres ? `$${params.length}` : '?';
      });
      return `(${slots.join(', ')})`;
    });
    await manager.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')} ${onConflict}`, params);
  }
}
