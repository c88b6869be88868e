import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numberBigint } from './columns';

/** Hash of a scanned source block (the last block of each scan), kept for the recent window to detect reorgs. */
@Entity('block_checkpoint')
export class BlockCheckpointEntity {
  @PrimaryColumn('integer')
  eid!: number;

  @PrimaryColumn('bigint', { transformer: numberBigint })
  number!: number;

  @Column('varchar', { length: 66 })
  hash!: string;
}
