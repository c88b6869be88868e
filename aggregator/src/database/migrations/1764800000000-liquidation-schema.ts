import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });
const epoch = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

/**
 * Wider `chain_event.contract` (the liquidation contracts' roles), and the liquidation keeper's progress: one row per account and run (stage, the step written before its
 * transaction was broadcast, counters and timestamps). Not derived from chain events: it is the keeper's
 * memory across restarts; losing it loses no money (every step is checked against the chain before sending).
 */
export class LiquidationSchema1764800000000 implements MigrationInterface {
  name = 'LiquidationSchema1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    // `liquidationRegistry` (19 characters) is a contract role of `chain_event`; SQLite does not enforce lengths.
    // Plain ALTER … TYPE: TypeORM's changeColumn drops and re-adds a column whose length changes (losing the rows).
    await alterContractLength(runner, 32);
    // The liquidation ledger reads its events by name, incrementally by id.
    await runner.createIndex('chain_event', new TableIndex({ name: 'ix_chain_event_name', columnNames: ['name', 'id'] }));
    await runner.createTable(
      new Table({
        name: 'liquidation_run',
        columns: [
          { name: 'account', type: 'varchar', length: '42', isPrimary: true },
          int('run', { isPrimary: true }),
          { name: 'stage', type: 'varchar', length: '16' },
          { name: 'outcome', type: 'varchar', length: '16', isNullable: true },
          { name: 'intent', type: 'text', isNullable: true },
          int('liquidations'),
          int('seizures'),
          int('settlements'),
          { name: 'fraction', type: 'double precision', isNullable: true },
          int('failures'),
          epoch('next_attempt_at'),
          { name: 'error', type: 'text', isNullable: true },
          { name: 'last_tx_hash', type: 'varchar', length: '66', isNullable: true },
          epoch('started_at'),
          epoch('liquidated_at', true),
          epoch('seized_at', true),
          epoch('done_at', true),
          epoch('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_liquidation_run_stage', columnNames: ['stage'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('liquidation_run');
    await runner.dropIndex('chain_event', 'ix_chain_event_name');
    // `chain_event.contract` stays varchar(32): rows of the liquidation contracts would not fit back into 16.
  }
}

/** PostgreSQL only (SQLite does not enforce lengths): `chain_event.contract` to varchar(length), in place. */
async function alterContractLength(runner: QueryRunner, length: number): Promise<void> {
  if (runner.connection.driver.options.type !== 'postgres') return;
  const schema = (runner.connection.options as { schema?: string }).schema;
  const table = schema ? `"${schema}"."chain_event"` : '"chain_event"';
  await runner.query(`ALTER TABLE ${table} ALTER COLUMN "contract" TYPE varchar(${length})`);
}
