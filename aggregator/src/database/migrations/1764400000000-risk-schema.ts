import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const double = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'double precision', ...extra });
const big = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra });

/** Oracle price history (EWMA input) and per-account risk history. */
export class RiskSchema1764400000000 implements MigrationInterface {
  name = 'RiskSchema1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'price_samples',
        columns: [
          { name: 'asset_id', type: 'integer', isPrimary: true },
          big('observed_at', { isPrimary: true }),
          double('price'),
          big('updated_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'risk_snapshots',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'account', type: 'varchar', length: '42' },
          big('computed_at'),
          double('health', { isNullable: true }),
          double('credit_limit'),
          double('collateral_init'),
          double('collateral_maint'),
          double('requirement_init'),
          double('requirement_maint'),
          double('unrealized_pnl'),
          { name: 'liquidatable', type: 'boolean' },
        ],
        indices: [new TableIndex({ name: 'ix_risk_snapshots_account_time', columnNames: ['account', 'computed_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('risk_snapshots');
    await runner.dropTable('price_samples');
  }
}
