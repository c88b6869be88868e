import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the indexer has applied each chain's events, and the last head it saw (for lag). */
@Entity('chain_cursor')
export class ChainCursorEntity {
  @PrimaryColumn('integer')
  eid!: number;

  @Column('bigint', { name: 'next_block', transformer: { to: (v: bigint) => v.toString(), from: (v: string) => BigInt(v) } })
  nextBlock!: bigint;

  @Column('varchar', { name: 'updated_at', length: 32 })
  updatedAt!: string;

  /** Latest head seen, its timestamp, and the timestamp of the last applied block (unix seconds). */
  @Column('integer', { name: 'head_block', nullable: true })
  headBlock!: number | null;

  @Column('integer', { name: 'head_time', nullable: true })
  headTime!: number | null;

  @Column('integer', { name: 'indexed_time', nullable: true })
  indexedTime!: number | null;
}
