import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Earlier raw transactions of a chained destination send (verify → commit → lzReceive before the first is mined). */
export class PendingChain1764200000000 implements MigrationInterface {
  name = 'PendingChain1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('packet', new TableColumn({ name: 'pending_chain_raw', type: 'text', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('packet', 'pending_chain_raw');
  }
}
