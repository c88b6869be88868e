import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the indexer has applied each chain's events. */
@Entity('chain_cursor')
export class ChainCursorEntity {
  @PrimaryColumn('integer')
  eid!: number;

  @Column('bigint', { name: 'next_block', transformer: { to: (v: bigint) => v.toString(), from: (v: string) => BigInt(v) } })
  nextBlock!: bigint;

  @Column('varchar', { name: 'updated_at', length: 32 })
  updatedAt!: string;
}
