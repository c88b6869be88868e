import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, type SignedTx } from '@tributary/service-kit';
import { ChainRegistry, RELAYER_SETUP, type RelayerSetup } from '../chain/chain-registry';
import type { DeliveryAction } from '../core/packet-state';
import type { PacketEntity } from '../database/packet.entity';
import { RelayerMetrics } from '../metrics/relayer-metrics';
import { PacketRepository, type PacketPatch } from '../store/packet.repository';
import { encodeBatch, pathwayKey, planBatches, type BatchEntry, type DeliveryBatch, type PlannedEntry } from './delivery-batch';
import { StepError } from './step-error';

const STATUS_OF = { verify: 'verifying', commit: 'committing', execute: 'executing' } as const satisfies Record<DeliveryAction, string>;

/** Entries whose batch could not be sent, with the error to record on each. */
export interface BatchFailure {
  entries: BatchEntry[];
  error: unknown;
}

/**
 * Submit stage of batched delivery: one `verifyAndDeliver` transaction per destination per tick (more when the
 * packets' gas exceeds `maxBatchGas`) to our DeliveryWorker. Every packet of a batch is stored with the signed
 * transaction before it is broadcast (the usual write-ahead), then each follows it through the confirm stage.
 */
@Injectable()
export class BatchSubmitter {
  private readonly logger = new Logger(BatchSubmitter.name);

  constructor(
    private readonly chains: ChainRegistry,
    private readonly packets: PacketRepository,
    private readonly metrics: RelayerMetrics,
    private readonly clock: Clock,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
  ) {}

  /**
   * Sends every destination's batch; returns the entries whose transaction could not be sent. `lazyNonce` reads a
   * packet's pathway's `lazyInboundNonce` (the processor's, once per pathway per tick): each packet's lzReceive budget
   * covers the endpoint's scan of the nonces between it and the packet (a packet executed past unexecuted lower
   * nonces scans them all). An unreadable one is left out (planned as if every lower nonce were executed).
   */
  async submit(batch: DeliveryBatch, lazyNonce: (packet: PacketEntity) => Promise<bigint>): Promise<BatchFailure[]> {
    const failures: BatchFailure[] = [];
    await Promise.all(
      batch.destinations().map(async ([eid, entries]) => {
        const dst = this.chains.get(eid);
        for (const planned of planBatches(entries, dst.config.gas, await lazyNonces(entries, lazyNonce))) {
          try {
            await this.send(eid, planned);
          } catch (error) {
            failures.push({ entries: planned, error: StepError.wrap(error, planned[0]!.action, 'prepare') });
          }
        }
      }),
    );
    return failures;
  }

  private async send(eid: number, entries: PlannedEntry[]): Promise<SignedTx> {
    const dst = this.chains.get(eid);
    const submitter = this.chains.submitter(eid);
    const { data, gasLimit, value } = encodeBatch(entries, dst.config.gas);
    const started = this.clock.now();
    const tx = await submitter.send(
      { to: dst.config.deliveryWorker!, data, gasLimit, value },
      {
        record: async (signed) => {
          const now = this.clock.now();
          for (const { packet, action } of entries) {
            const patch: PacketPatch = {
              status: STATUS_OF[action],
              stage: 'confirm',
              pendingAction: action,
              pendingTxHash: signed.hash,
              pendingTxNonce: signed.nonce,
              pendingTxRaw: signed.raw,
              pendingChainRaw: null,
              pendingTxSentAt: now,
              nextAttemptAt: now + this.setup.config.pipeline.confirmPollMs,
              updatedAt: now,
            };
            if (await this.packets.updateClaimed(packet.guid, this.setup.workerId, patch)) Object.assign(packet, patch);
          }
          await this.packets.flush();
        },
      },
    );
    this.metrics.transactions.inc({ chain: dst.config.name, action: 'deliver', result: 'sent' });
    this.metrics.batchSize.observe({ chain: dst.config.name }, entries.length);
    this.logger.debug({
      msg: 'delivery batch sent',
      chain: dst.config.name,
      packets: entries.length,
      gasLimit: String(gasLimit),
      tx: tx.hash,
      ms: this.clock.now() - started,
    });
    return tx;
  }
}

/** Each pathway's lazy nonce among `entries`, by `pathwayKey` (unreadable ones left out). */
async function lazyNonces(entries: BatchEntry[], read: (packet: PacketEntity) => Promise<bigint>): Promise<Map<string, bigint>> {
  const pathways = new Map(entries.map(({ packet }) => [pathwayKey(packet), packet]));
  const lazy = new Map<string, bigint>();
  await Promise.all(
    [...pathways].map(async ([key, packet]) => {
      const nonce = await read(packet).catch(() => undefined);
      if (nonce !== undefined) lazy.set(key, nonce);
    }),
  );
  return lazy;
}
