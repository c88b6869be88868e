import type { DataSource } from 'typeorm';

/**
 * sql.js keeps its database file in Emscripten's in-memory FS; its rollback journal there costs a copy of
 * every touched page per transaction. Durability comes from exporting the whole file (autoSave), so the
 * journal can stay in memory.
 */
export async function tuneDatabase(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type === 'sqljs') await dataSource.query('PRAGMA journal_mode = MEMORY');
}
