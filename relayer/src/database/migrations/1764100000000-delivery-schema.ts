import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class DeliverySchema1764100000000 implements MigrationInterface {
  name = 'DeliverySchema1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    const nullableBigint = (name: string) => ({ name, type: 'bigint', isNullable: true });
    await runner.createTable(
      new Table({
        name: 'packet',
        columns: [
          { name: 'guid', type: 'varchar', length: '66', isPrimary: true },
          { name: 'src_eid', type: 'integer' },
          { name: 'dst_eid', type: 'integer' },
          { name: 'sender', type: 'varchar', length: '66' },
          { name: 'receiver', type: 'varchar', length: '42' },
          { name: 'nonce', type: 'bigint' },
          { name: 'header', type: 'text' },
          { name: 'message', type: 'text' },
          { name: 'payload_hash', type: 'varchar', length: '66' },
          { name: 'receive_gas', type: 'varchar', length: '40' },
          { name: 'receive_value', type: 'varchar', length: '80' },
          { name: 'src_block_number', type: 'bigint' },
          { name: 'src_block_hash', type: 'varchar', length: '66' },
          { name: 'src_tx_hash', type: 'varchar', length: '66' },
          { name: 'status', type: 'varchar', length: '32' },
          { name: 'stage', type: 'varchar', length: '16' },
          { name: 'pending_action', type: 'varchar', length: '16', isNullable: true },
          { name: 'pending_tx_hash', type: 'varchar', length: '66', isNullable: true },
          nullableBigint('pending_tx_nonce'),
          { name: 'pending_tx_raw', type: 'text', isNullable: true },
          nullableBigint('pending_tx_sent_at'),
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: 'bigint' },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'claimed_by', type: 'varchar', length: '64', isNullable: true },
          nullableBigint('claim_until'),
          { name: 'seen_at', type: 'bigint' },
          nullableBigint('confirmed_at'),
          nullableBigint('delivered_at'),
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await runner.createIndex('packet', new TableIndex({ name: 'packet_due', columnNames: ['status', 'next_attempt_at'] }));
    await runner.createIndex(
      'packet',
      new TableIndex({ name: 'packet_pathway_nonce', columnNames: ['src_eid', 'sender', 'dst_eid', 'receiver', 'nonce'] }),
    );
    await runner.createTable(
      new Table({
        name: 'block_checkpoint',
        columns: [
          { name: 'eid', type: 'integer', isPrimary: true },
          { name: 'number', type: 'bigint', isPrimary: true },
          { name: 'hash', type: 'varchar', length: '66' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('block_checkpoint');
    await runner.dropTable('packet');
  }
}
