import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochColumn } from '../common/epoch-column';

/** Risk history of an account (throttled; every liquidatable flip is kept). USD amounts as float64. */
@Entity('risk_snapshots')
@Index('ix_risk_snapshots_account_time', ['account', 'computedAt'])
export class RiskSnapshotEntity {
  @PrimaryGeneratedColumn('increment') id!: number;
  /** Lower-case 0x address. */
  @Column('varchar', { length: 42 }) account!: string;
  /** ms since epoch. */
  @Column({ ...epochColumn, name: 'computed_at' }) computedAt!: number;
  /** null = unbounded (nothing required). */
  @Column('double precision', { nullable: true }) health!: number | null;
  @Column('double precision', { name: 'credit_limit' }) creditLimit!: number;
  @Column('double precision', { name: 'collateral_init' }) collateralInit!: number;
  @Column('double precision', { name: 'collateral_maint' }) collateralMaint!: number;
  @Column('double precision', { name: 'requirement_init' }) requirementInit!: number;
  @Column('double precision', { name: 'requirement_maint' }) requirementMaint!: number;
  @Column('double precision', { name: 'unrealized_pnl' }) unrealizedPnl!: number;
  @Column('boolean') liquidatable!: boolean;
}
