import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Chain liveness (issue 16): per collateral chain, the newest trading-chain block in which the hub reported one of
 * its vault messages delivered (ATTEST, WITHDRAW_REQUEST or HEARTBEAT). Derived from `chain_event` like the other
 * ledger rows: an existing database gets it filled by a re-index (`rebuildFromEventLog`), until then weight decay
 * counts from service start for a chain without a row, as before.
 */
export class LivenessSchema1764900000000 implements MigrationInterface {
  name = 'LivenessSchema1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'chain_liveness',
        columns: [
          { name: 'eid', type: 'integer', isPrimary: true },
          { name: 'last_message_block', type: 'integer' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('chain_liveness');
  }
}
