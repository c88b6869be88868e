import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { DVN_JOB_TOPIC, EXECUTOR_JOB_TOPIC, PACKET_SENT_TOPIC } from '../chain/abis';
import { ChainRegistry, RELAYER_SETUP, type ChainContext, type RelayerSetup } from '../chain/chain-registry';
import type { PacketEntity } from '../database/packet.entity';
import { RelayerMetrics } from '../metrics/relayer-metrics';
import { CursorRepository } from '../store/cursor.repository';
import { PacketRepository } from '../store/packet.repository';
import { decodePacketLogs, type ObservedPacket } from './packet-decoder';

export interface ScanResult {
  /** Blocks scanned this round ([from, to]); null when the cursor is at the head. */
  range: [number, number] | null;
  /** True when more blocks wait (call again without sleeping). */
  behind: boolean;
  /** Block the cursor rewound to after a reorg, if any. */
  rewoundTo?: number;
}

/**
 * Watches one source chain: bounded getLogs ranges for PacketSent (endpoint) + job events (our worker),
 * a cursor per chain, and the hash of each scanned range's last block to detect reorgs and walk back.
 */
@Injectable()
export class ChainWatcher {
  private readonly logger = new Logger(ChainWatcher.name);

  constructor(
    private readonly chains: ChainRegistry,
    private readonly cursors: CursorRepository,
    private readonly packets: PacketRepository,
    private readonly metrics: RelayerMetrics,
    private readonly clock: Clock,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
  ) {}

  async scanOnce(eid: number): Promise<ScanResult> {
    const chain = this.chains.get(eid);
    const rewoundTo = await this.detectReorg(chain);
    const head = await chain.rpc.blockNumber();
    const from = (await this.cursors.nextBlock(eid)) ?? chain.config.startBlock;
    if (from > head) return { range: null, behind: false, rewoundTo };
    const to = Math.min(head, from + chain.config.maxBlockRange - 1);
    const { endpoint, worker } = chain.config;
    const logs = await chain.rpc.logs({
      address: [endpoint, worker],
      topics: [[PACKET_SENT_TOPIC, DVN_JOB_TOPIC, EXECUTOR_JOB_TOPIC]],
      fromBlock: from,
      toBlock: to,
    });
    const pathways = this.chains.pathways.filter((p) => p.srcEid === eid);
    const decoded = decodePacketLogs(logs, endpoint, worker, pathways, this.setup.role !== 'verifier');
    for (const skipped of decoded.skipped) this.logger.debug({ msg: 'PacketSent skipped', chain: chain.config.name, ...skipped });
    for (const packet of decoded.packets) await this.record(packet);
    const last = await chain.rpc.block(to);
    if (!last) throw new Error(`${chain.config.name}: block ${to} not found`);
    await this.cursors.advance(eid, last);
    this.metrics.scannedBlock.set({ chain: chain.config.name, stage: 'watch' }, to);
    return { range: [from, to], behind: to < head, rewoundTo };
  }

  /** Compares the newest checkpoint with the chain; on mismatch walks back to the newest one still canonical. */
  private async detectReorg(chain: ChainContext): Promise<number | undefined> {
    const eid = chain.config.eid;
    const checkpoints = await this.cursors.recentCheckpoints(eid);
    if (checkpoints.length === 0) return undefined;
    const newest = await chain.rpc.block(checkpoints[0].number);
    if (newest?.hash === checkpoints[0].hash) return undefined;
    let rewindTo = Math.max(chain.config.startBlock, checkpoints[checkpoints.length - 1].number - chain.config.maxBlockRange) - 1;
    for (const checkpoint of checkpoints.slice(1)) {
      const block = await chain.rpc.block(checkpoint.number);
      if (block?.hash === checkpoint.hash) {
        rewindTo = checkpoint.number;
        break;
      }
    }
    await this.cursors.rewind(eid, rewindTo);
    // Unverified packets above the common ancestor are re-checked against their receipts before any verify.
    for (const packet of await this.packets.findUnverifiedFrom(eid, rewindTo + 1)) {
      await this.packets.update(packet.guid, {
        status: 'awaiting_confirmations',
        stage: 'prepare',
        nextAttemptAt: this.clock.now(),
        updatedAt: this.clock.now(),
      });
    }
    this.metrics.reorgs.inc({ chain: chain.config.name, stage: 'watch' });
    this.logger.warn({ msg: 'reorg detected, cursor rewound', chain: chain.config.name, rewoundTo: rewindTo, checkpoint: checkpoints[0].number });
    return rewindTo;
  }

  private async record(observed: ObservedPacket): Promise<void> {
    const now = this.clock.now();
    const existing = await this.packets.find(observed.guid);
    const location = { srcBlockNumber: observed.blockNumber, srcBlockHash: observed.blockHash, srcTxHash: observed.txHash };
    if (!existing) {
      await this.packets.insert(this.newRow(observed, now));
      this.metrics.discovered.inc({ src_chain: this.chains.nameOf(observed.srcEid), dst_chain: this.chains.nameOf(observed.dstEid) });
      return;
    }
    const unverified = existing.status === 'awaiting_confirmations' || existing.status === 'verifying' || existing.status === 'reorged';
    if (!unverified) return;
    if (existing.payloadHash !== observed.payloadHash) {
      // Same guid (pathway + nonce), new content after a reorg: the canonical packet replaces the orphaned one.
      const fresh = this.newRow(observed, now);
      await this.packets.update(observed.guid, { ...fresh, seenAt: existing.seenAt });
    } else if (existing.srcBlockHash !== observed.blockHash || existing.status === 'reorged') {
      await this.packets.update(observed.guid, {
        ...location,
        status: 'awaiting_confirmations',
        stage: 'prepare',
        confirmedAt: null,
        nextAttemptAt: now,
        updatedAt: now,
      });
    }
  }

  private newRow(p: ObservedPacket, now: number): PacketEntity {
    return {
      guid: p.guid,
      srcEid: p.srcEid,
      dstEid: p.dstEid,
      sender: p.sender,
      receiver: p.receiver,
      nonce: p.nonce,
      header: p.header,
      message: p.message,
      payloadHash: p.payloadHash,
      receiveGas: p.receiveGas.toString(),
      receiveValue: p.receiveValue.toString(),
      srcBlockNumber: p.blockNumber,
      srcBlockHash: p.blockHash,
      srcTxHash: p.txHash,
      status: 'awaiting_confirmations',
      stage: 'prepare',
      pendingAction: null,
      pendingTxHash: null,
      pendingTxNonce: null,
      pendingTxRaw: null,
      pendingChainRaw: null,
      pendingTxSentAt: null,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      claimedBy: null,
      claimUntil: null,
      seenAt: now,
      confirmedAt: null,
      deliveredAt: null,
      updatedAt: now,
    };
  }
}
