import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { ChainRegistry, RELAYER_SETUP, type RelayerSetup } from '../chain/chain-registry';
import { failureOutcome } from '../core/packet-state';
import type { PacketEntity } from '../database/packet.entity';
import { RelayerMetrics } from '../metrics/relayer-metrics';
import { PacketRepository } from '../store/packet.repository';
import { PacketProcessor } from './packet-processor';
import { BatchSubmitter } from './batch-submitter';
import { DeliveryBatch } from './delivery-batch';
import { ClaimLostError, StepError } from './step-error';

/** Claims due packets and runs their stage processors; records failures with backoff and parks failing lzReceives. */
@Injectable()
export class PipelineService {
  private readonly logger = new Logger(PipelineService.name);

  constructor(
    private readonly packets: PacketRepository,
    private readonly processor: PacketProcessor,
    private readonly batches: BatchSubmitter,
    private readonly chains: ChainRegistry,
    private readonly metrics: RelayerMetrics,
    private readonly clock: Clock,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
  ) {}

  /**
   * One tick: claims up to batchSize due packets and advances them concurrently; the packets whose next step goes
   * through a DeliveryWorker are then sent together, one batch transaction per destination. Claims are released
   * after that. Returns how many were claimed.
   */
  async tick(): Promise<number> {
    const settings = this.setup.config.pipeline;
    const now = this.clock.now();
    this.processor.memo.reset();
    const claimed = await this.packets.claimDue(this.setup.workerId, now, now + settings.claimTtlMs, settings.batchSize);
    const batch = new DeliveryBatch();
    try {
      await Promise.all(claimed.map((packet) => this.run(packet, batch)));
      if (batch.size) {
        for (const failure of await this.batches.submit(batch, (packet) => this.processor.lazyNonce(packet))) {
          const error = failure.error as StepError;
          for (const { packet } of failure.entries) await this.fail(packet, error);
        }
      }
    } finally {
      await Promise.all(claimed.map((packet) => this.packets.release(packet.guid, this.setup.workerId).catch(() => undefined)));
    }
    return claimed.length;
  }

  private async run(packet: PacketEntity, batch: DeliveryBatch): Promise<void> {
    try {
      await this.processor.advance(packet, batch);
    } catch (error) {
      if (error instanceof ClaimLostError) return;
      await this.fail(packet, error instanceof StepError ? error : StepError.wrap(error, null, packet.stage));
    }
  }

  private async fail(packet: PacketEntity, error: StepError): Promise<void> {
    await this.recordFailure(packet, error).catch((e: unknown) =>
      this.logger.error({ msg: 'cannot record failure', guid: packet.guid, error: (e as Error).message }),
    );
  }

  private async recordFailure(packet: PacketEntity, error: StepError): Promise<void> {
    const now = this.clock.now();
    const chain = this.chains.nameOf(error.stage === 'prepare' && packet.status === 'awaiting_confirmations' ? packet.srcEid : packet.dstEid);
    this.metrics.stepErrors.inc({ chain, stage: error.stage, kind: error.kind });
    const outcome = failureOutcome(packet.status, error.kind, error.action, packet.attempts, this.setup.config.pipeline.maxExecuteAttempts, now);
    await this.packets.updateClaimed(packet.guid, this.setup.workerId, {
      ...outcome,
      lastError: `${error.kind}: ${error.message}`.slice(0, 1000),
      updatedAt: now,
    });
    const context = {
      guid: packet.guid,
      nonce: packet.nonce,
      chain,
      stage: error.stage,
      action: error.action,
      attempts: outcome.attempts,
      error: error.message,
    };
    if (outcome.status === 'parked') {
      this.metrics.parked.inc({ src_chain: this.chains.nameOf(packet.srcEid), dst_chain: this.chains.nameOf(packet.dstEid) });
      this.logger.error({ msg: 'packet parked: lzReceive keeps reverting; retry it through the operator API', ...context });
    } else if (error.kind === 'revert') {
      this.logger.warn({ msg: 'step reverted, will retry', ...context });
    } else {
      this.logger.debug({ msg: 'step failed (transient), will retry', ...context });
    }
  }

  /** Refreshes the database-backed gauges (packets by pathway/status, queue lengths). */
  async refreshGauges(): Promise<void> {
    const counts = await this.packets.countsByPathwayAndStatus();
    this.metrics.setPacketCounts(
      counts.map((c) => ({ srcChain: this.chains.nameOf(c.srcEid), dstChain: this.chains.nameOf(c.dstEid), status: c.status, count: c.count })),
    );
    this.metrics.queueLength.reset();
    for (const due of await this.packets.dueCountsByDestination(this.clock.now())) {
      this.metrics.queueLength.set({ chain: this.chains.nameOf(due.dstEid), stage: due.stage }, due.count);
    }
    for (const chain of this.chains.destinations()) {
      this.metrics.queueLength.set({ chain: chain.config.name, stage: 'send' }, chain.submitter!.queued);
    }
  }
}
