import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochColumn } from '../common/epoch-column';

/** One accepted price per asset per sampling interval: the EWMA's history. */
@Entity('price_samples')
export class PriceSampleEntity {
  @PrimaryColumn('integer', { name: 'asset_id' }) assetId!: number;
  /** When the price was read (unix s). */
  @PrimaryColumn({ ...epochColumn, name: 'observed_at' }) observedAt!: number;
  @Column('double precision') price!: number;
  /** Feed timestamp of the price (unix s). */
  @Column({ ...epochColumn, name: 'updated_at' }) updatedAt!: number;
}
