import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { amountColumn, bigintColumn, secondsColumn } from '../../database/columns';
import type { WithdrawalStatus } from '../ledger-state';

/** Append-only log of every indexed chain event (with the raw log), the source a rebuild replays. */
@Entity('chain_event')
@Index('ix_chain_event_eid_block', ['eid', 'blockNumber'])
@Index('ix_chain_event_account', ['account'])
@Index('ix_chain_event_name', ['name', 'id'])
export class ChainEventEntity {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column('integer', { name: 'chain_id' }) chainId!: number;
  @Column('integer') eid!: number;
  @Column('integer', { name: 'block_number' }) blockNumber!: number;
  @Column('integer', { name: 'log_index' }) logIndex!: number;
  @Column('varchar', { length: 32 }) contract!: string;
  @Column('varchar', { length: 42 }) address!: string;
  @Column('varchar', { length: 40 }) name!: string;
  @Column('varchar', { length: 42, nullable: true }) account!: string | null;
  // `block_hash`, `tx_hash` (32 bytes), raw `topics` (n × 32 bytes) and `data` are binary columns (blob / bytea),
  // written and read with plain SQL (bulk-upsert.ts): TypeORM has no column type mapping to both engines. Binary
  // hashes halve the unique key (chain_id, block_hash, log_index) and the row; the migration creates the key.
}

/** Hash of indexed blocks (those with events and each range's last block), for reorg detection. */
@Entity('block_header')
export class BlockHeaderEntity {
  @PrimaryColumn('integer') eid!: number;
  @PrimaryColumn('integer') number!: number;
  @Column('varchar', { length: 66 }) hash!: string;
}

@Entity('ledger_account')
export class AccountEntity {
  @PrimaryColumn('varchar', { length: 42 }) address!: string;
}

@Entity('collateral_balance')
export class CollateralEntity {
  @PrimaryColumn('varchar', { length: 42 }) account!: string;
  @PrimaryColumn('integer') eid!: number;
  @PrimaryColumn('integer', { name: 'asset_id' }) assetId!: number;
  @Column({ ...amountColumn }) balance!: bigint;
  @Column({ ...bigintColumn }) sequence!: bigint;
  @Column('integer', { name: 'attested_block' }) attestedBlock!: number;
  @Column({ ...amountColumn, name: 'vault_balance' }) vaultBalance!: bigint;
  @Column({ ...bigintColumn, name: 'vault_sequence' }) vaultSequence!: bigint;
}

@Entity('position')
export class PositionEntity {
  @PrimaryColumn('varchar', { length: 42 }) account!: string;
  @PrimaryColumn('integer', { name: 'market_id' }) marketId!: number;
  @Column({ ...amountColumn }) size!: bigint;
  @Column({ ...amountColumn, name: 'entry_price' }) entryPrice!: bigint;
  @Column({ ...amountColumn }) margin!: bigint;
  @Column({ ...amountColumn, name: 'last_price' }) lastPrice!: bigint;
  @Column({ ...amountColumn, name: 'realized_pnl' }) realizedPnl!: bigint;
  /** (block << 20 | logIndex) of the event that set size/entry/margin. */
  @Column({ ...amountColumn }) version!: bigint;
}

@Entity('credit_account')
export class CreditEntity {
  @PrimaryColumn('varchar', { length: 42 }) account!: string;
  @Column({ ...amountColumn, name: 'credit_limit' }) limit!: bigint;
  @Column({ ...bigintColumn }) epoch!: bigint;
  @Column('boolean') liquidatable!: boolean;
  @Column({ ...amountColumn }) used!: bigint;
  @Column({ ...amountColumn, name: 'used_version' }) usedVersion!: bigint;
  @Column({ ...amountColumn }) reserved!: bigint;
  @Column({ ...amountColumn, name: 'reserved_version' }) reservedVersion!: bigint;
}

@Entity('credit_epoch')
export class CreditEpochEntity {
  @PrimaryColumn({ ...bigintColumn }) epoch!: bigint;
  @Column({ ...bigintColumn }) accounts!: bigint;
  @Column({ ...amountColumn, name: 'total_increase' }) totalIncrease!: bigint;
  @Column('integer', { name: 'block_number' }) blockNumber!: number;
  @Column('varchar', { name: 'tx_hash', length: 66 }) txHash!: string;
}

@Entity('withdrawal')
@Index('ix_withdrawal_account', ['account'])
export class WithdrawalEntity {
  @PrimaryColumn('integer') eid!: number;
  @PrimaryColumn({ ...bigintColumn, name: 'request_id' }) requestId!: bigint;
  @Column('varchar', { length: 42 }) account!: string;
  @Column('integer', { name: 'asset_id' }) assetId!: number;
  @Column({ ...amountColumn }) amount!: bigint;
  @Column('varchar', { length: 12 }) status!: WithdrawalStatus;
  @Column('boolean', { name: 'vault_requested' }) vaultRequested!: boolean;
  @Column('boolean', { name: 'hub_requested' }) hubRequested!: boolean;
  @Column('boolean', { nullable: true }) approved!: boolean | null;
  @Column('integer') reason!: number;
  @Column({ ...amountColumn, name: 'reserved_value' }) reservedValue!: bigint;
  @Column({ ...secondsColumn, default: 0 }) deadline!: number;
  @Column('boolean') released!: boolean;
  @Column('boolean', { name: 'vault_rejected' }) vaultRejected!: boolean;
  @Column('boolean') settled!: boolean;
}

/** Signed cash per account in the SettlementPool (1e18 USD), from the newest CashChanged. */
@Entity('cash_account')
export class CashEntity {
  @PrimaryColumn('varchar', { length: 42 }) account!: string;
  @Column({ ...amountColumn }) cash!: bigint;
  /** (block << 20 | logIndex) of the CashChanged that set `cash`. */
  @Column({ ...amountColumn }) version!: bigint;
}

/** Append-only history of CashChanged (one row per event), rebuilt with the other rows from `chain_event`. */
@Entity('cash_event')
export class CashEventEntity {
  @PrimaryColumn('varchar', { length: 42 }) account!: string;
  @PrimaryColumn('integer', { name: 'block_number' }) blockNumber!: number;
  @PrimaryColumn('integer', { name: 'log_index' }) logIndex!: number;
  @Column('integer') reason!: number;
  @Column({ ...amountColumn }) delta!: bigint;
  @Column({ ...amountColumn, name: 'cash_after' }) cashAfter!: bigint;
  @Column('varchar', { name: 'tx_hash', length: 66 }) txHash!: string;
}

/**
 * Liveness per collateral chain: the newest trading-chain block in which the hub reported one of the chain's vault
 * messages delivered (any type, heartbeats included). Chain-weight decay measures from its block time.
 */
@Entity('chain_liveness')
export class ChainLivenessEntity {
  @PrimaryColumn('integer') eid!: number;
  @Column('integer', { name: 'last_message_block' }) lastMessageBlock!: number;
}
