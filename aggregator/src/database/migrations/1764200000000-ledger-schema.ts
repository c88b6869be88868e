import { Table, TableColumn, TableIndex, TableUnique, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const amount = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '80' });
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });
const text = (name: string, length: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length,
  ...extra,
});
const big = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra });
const bool = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'boolean', ...extra });

/** The margin ledger: event log, block hashes, accounts, collateral, positions, credit, withdrawals. */
export class LedgerSchema1764200000000 implements MigrationInterface {
  name = 'LedgerSchema1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    const binary = runner.connection.driver.options.type === 'postgres' ? 'bytea' : 'blob';
    await runner.addColumns('chain_cursor', [
      new TableColumn(int('head_block', { isNullable: true })),
      new TableColumn(int('head_time', { isNullable: true })),
      new TableColumn(int('indexed_time', { isNullable: true })),
    ]);
    await runner.createTable(
      new Table({
        name: 'chain_event',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          int('chain_id'),
          int('eid'),
          int('block_number'),
          { name: 'block_hash', type: binary },
          int('log_index'),
          { name: 'tx_hash', type: binary },
          text('contract', '16'),
          text('address', '42'),
          text('name', '40'),
          text('account', '42', { isNullable: true }),
          { name: 'topics', type: binary },
          { name: 'data', type: binary },
        ],
        // Identity (chainId, blockHash, logIndex); block_number leads the key because a block hash fixes its number
        // (same uniqueness) and the index then grows in append order instead of at random hash positions.
        uniques: [new TableUnique({ name: 'uq_chain_event_identity', columnNames: ['chain_id', 'block_number', 'block_hash', 'log_index'] })],
        indices: [
          new TableIndex({ name: 'ix_chain_event_eid_block', columnNames: ['eid', 'block_number'] }),
          new TableIndex({ name: 'ix_chain_event_account', columnNames: ['account'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({ name: 'block_header', columns: [int('eid', { isPrimary: true }), int('number', { isPrimary: true }), text('hash', '66')] }),
    );
    await runner.createTable(new Table({ name: 'ledger_account', columns: [text('address', '42', { isPrimary: true })] }));
    await runner.createTable(
      new Table({
        name: 'collateral_balance',
        columns: [
          text('account', '42', { isPrimary: true }),
          int('eid', { isPrimary: true }),
          int('asset_id', { isPrimary: true }),
          amount('balance'),
          big('sequence'),
          int('attested_block'),
          amount('vault_balance'),
          big('vault_sequence'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'position',
        columns: [
          text('account', '42', { isPrimary: true }),
          int('market_id', { isPrimary: true }),
          amount('size'),
          amount('entry_price'),
          amount('margin'),
          amount('last_price'),
          amount('realized_pnl'),
          amount('version'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'credit_account',
        columns: [
          text('account', '42', { isPrimary: true }),
          amount('credit_limit'),
          big('epoch'),
          bool('liquidatable'),
          amount('used'),
          amount('used_version'),
          amount('reserved'),
          amount('reserved_version'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'credit_epoch',
        columns: [big('epoch', { isPrimary: true }), big('accounts'), amount('total_increase'), int('block_number'), text('tx_hash', '66')],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'withdrawal',
        columns: [
          int('eid', { isPrimary: true }),
          big('request_id', { isPrimary: true }),
          text('account', '42'),
          int('asset_id'),
          amount('amount'),
          text('status', '12'),
          bool('vault_requested'),
          bool('hub_requested'),
          bool('approved', { isNullable: true }),
          int('reason'),
          amount('reserved_value'),
          bool('released'),
          bool('vault_rejected'),
          bool('settled'),
        ],
        indices: [new TableIndex({ name: 'ix_withdrawal_account', columnNames: ['account'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'withdrawal',
      'credit_epoch',
      'credit_account',
      'position',
      'collateral_balance',
      'ledger_account',
      'block_header',
      'chain_event',
    ]) {
      await runner.dropTable(table);
    }
    for (const column of ['indexed_time', 'head_time', 'head_block']) await runner.dropColumn('chain_cursor', column);
  }
}
