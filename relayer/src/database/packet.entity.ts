import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DeliveryAction, PacketStatus, PipelineStage } from '../core/packet-state';
import { numberBigint } from './columns';

/** One LayerZero packet of a configured pathway and its delivery progress. Keyed by guid. */
@Entity('packet')
@Index('packet_due', ['status', 'nextAttemptAt'])
@Index('packet_pathway_nonce', ['srcEid', 'sender', 'dstEid', 'receiver', 'nonce'])
export class PacketEntity {
  @PrimaryColumn('varchar', { length: 66 })
  guid!: string;

  @Column('integer', { name: 'src_eid' })
  srcEid!: number;

  @Column('integer', { name: 'dst_eid' })
  dstEid!: number;

  /** bytes32 sender as in the packet header. */
  @Column('varchar', { length: 66 })
  sender!: string;

  @Column('varchar', { length: 42 })
  receiver!: string;

  @Column('bigint', { transformer: numberBigint })
  nonce!: number;

  @Column('text')
  header!: string;

  @Column('text')
  message!: string;

  @Column('varchar', { name: 'payload_hash', length: 66 })
  payloadHash!: string;

  /** lzReceive gas and value from the packet's type-3 options (decimal strings). */
  @Column('varchar', { name: 'receive_gas', length: 40 })
  receiveGas!: string;

  @Column('varchar', { name: 'receive_value', length: 80 })
  receiveValue!: string;

  @Column('bigint', { name: 'src_block_number', transformer: numberBigint })
  srcBlockNumber!: number;

  @Column('varchar', { name: 'src_block_hash', length: 66 })
  srcBlockHash!: string;

  @Column('varchar', { name: 'src_tx_hash', length: 66 })
  srcTxHash!: string;

  @Column('varchar', { length: 32 })
  status!: PacketStatus;

  @Column('varchar', { length: 16 })
  stage!: PipelineStage;

  /** The destination transaction in flight (write-ahead: stored before it is broadcast). */
  @Column('varchar', { name: 'pending_action', length: 16, nullable: true })
  pendingAction!: DeliveryAction | null;

  @Column('varchar', { name: 'pending_tx_hash', length: 66, nullable: true })
  pendingTxHash!: string | null;

  @Column('bigint', { name: 'pending_tx_nonce', nullable: true, transformer: numberBigint })
  pendingTxNonce!: number | null;

  @Column('text', { name: 'pending_tx_raw', nullable: true })
  pendingTxRaw!: string | null;

  /** Earlier signed transactions of a chained send (JSON array of raw txs, nonce order); rebroadcast if the node lost one. */
  @Column('text', { name: 'pending_chain_raw', nullable: true })
  pendingChainRaw!: string | null;

  @Column('bigint', { name: 'pending_tx_sent_at', nullable: true, transformer: numberBigint })
  pendingTxSentAt!: number | null;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('bigint', { name: 'next_attempt_at', transformer: numberBigint })
  nextAttemptAt!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('varchar', { name: 'claimed_by', length: 64, nullable: true })
  claimedBy!: string | null;

  @Column('bigint', { name: 'claim_until', nullable: true, transformer: numberBigint })
  claimUntil!: number | null;

  @Column('bigint', { name: 'seen_at', transformer: numberBigint })
  seenAt!: number;

  /** When the source block reached the pathway's confirmations (latency starts here). */
  @Column('bigint', { name: 'confirmed_at', nullable: true, transformer: numberBigint })
  confirmedAt!: number | null;

  @Column('bigint', { name: 'delivered_at', nullable: true, transformer: numberBigint })
  deliveredAt!: number | null;

  @Column('bigint', { name: 'updated_at', transformer: numberBigint })
  updatedAt!: number;
}
