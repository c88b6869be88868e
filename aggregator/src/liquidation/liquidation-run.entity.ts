import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn } from '../common/epoch-column';

/**
 * One liquidation run of one account, as the keeper persisted it (its progress, not money: the chain is the
 * truth and every step is checked against it). `intent` is the step written before its transaction was
 * broadcast (JSON: step, fingerprint, nonce, hash, raw signed transaction).
 */
@Entity('liquidation_run')
@Index('ix_liquidation_run_stage', ['stage'])
export class LiquidationRunEntity {
  /** Lower-case 0x address. */
  @PrimaryColumn('varchar', { length: 42 }) account!: string;
  @PrimaryColumn('integer') run!: number;
  @Column('varchar', { length: 16 }) stage!: string;
  @Column('varchar', { length: 16, nullable: true }) outcome!: string | null;
  @Column('text', { nullable: true }) intent!: string | null;
  @Column('integer') liquidations!: number;
  @Column('integer') seizures!: number;
  @Column('integer') settlements!: number;
  @Column('double precision', { nullable: true }) fraction!: number | null;
  @Column('integer') failures!: number;
  @Column({ ...epochColumn, name: 'next_attempt_at' }) nextAttemptAt!: number;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('varchar', { name: 'last_tx_hash', length: 66, nullable: true }) lastTxHash!: string | null;
  @Column({ ...epochColumn, name: 'started_at' }) startedAt!: number;
  @Column({ ...epochColumn, name: 'liquidated_at', nullable: true }) liquidatedAt!: number | null;
  @Column({ ...epochColumn, name: 'seized_at', nullable: true }) seizedAt!: number | null;
  @Column({ ...epochColumn, name: 'done_at', nullable: true }) doneAt!: number | null;
  @Column({ ...epochColumn, name: 'updated_at' }) updatedAt!: number;
}
