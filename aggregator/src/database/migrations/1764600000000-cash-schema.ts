import { Table, TableColumn, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const amount = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '80' });
const account = (extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name: 'account', type: 'varchar', length: '42', ...extra });
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });

/**
 * Money (SettlementPool): signed cash per account, its append-only history, and the withdrawal decision deadline
 * (status `pending` while the hub waits for the aggregator). Rows are derived from `chain_event` like the rest of
 * the ledger; nothing is backfilled here (a pool added to an existing manifest needs a re-index, see the README).
 */
export class CashSchema1764600000000 implements MigrationInterface {
  name = 'CashSchema1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('withdrawal', new TableColumn({ name: 'deadline', type: 'bigint', default: 0 }));
    await runner.createTable(new Table({ name: 'cash_account', columns: [account({ isPrimary: true }), amount('cash'), amount('version')] }));
    await runner.createTable(
      new Table({
        name: 'cash_event',
        columns: [
          account({ isPrimary: true }),
          int('block_number', { isPrimary: true }),
          int('log_index', { isPrimary: true }),
          int('reason'),
          amount('delta'),
          amount('cash_after'),
          { name: 'tx_hash', type: 'varchar', length: '66' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('cash_event');
    await runner.dropTable('cash_account');
    await runner.dropColumn('withdrawal', 'deadline');
  }
}
