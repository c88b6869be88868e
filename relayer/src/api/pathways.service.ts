import { Injectable } from '@nestjs/common';
import { getAddress, zeroPadValue } from 'ethers';
import { ChainRegistry } from '../chain/chain-registry';
import type { Pathway } from '../config/relayer-config.schema';
import { Clock } from '@tributary/service-kit';
import { ACTIVE_STATUSES, PACKET_STATUSES } from '../core/packet-state';
import { SignerBalances } from '../balances/signer-balances';
import { PathwayStatsRepository, type DeliveryTimes, type PathwayKey, type PathwayStatusCount } from '../store/pathway-stats.repository';
import { LATENCY_SAMPLE_SIZE, pathwaysResponseSchema, type PathwayView, type PathwaysResponse } from './pathways.schemas';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Nearest-rank percentile (q in (0, 1]) of unsorted values; null for none. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1];
}

/** p50/p99 delivery latency in seconds over delivered packets' confirmation → delivery times. */
export function latencySummary(deliveries: readonly DeliveryTimes[]): PathwayView['latency'] {
  const seconds = deliveries.map((d) => Math.max(0, d.deliveredAt - d.confirmedAt) / 1000);
  return { samples: seconds.length, p50Seconds: percentile(seconds, 0.5), p99Seconds: percentile(seconds, 0.99) };
}

/** Statuses counted per pathway: all but 'delivered', so the view never scans the delivered bulk of the table. */
const COUNTED_STATUSES = PACKET_STATUSES.filter((s) => s !== 'delivered' && s !== 'verified');

/** Backlog and parked counts and the oldest undelivered packet of one pathway. */
export function pathwayCounts(counts: readonly PathwayStatusCount[]): Pick<PathwayView, 'backlog' | 'oldestUndeliveredSeenAt' | 'parked'> {
  const active = counts.filter((c) => ACTIVE_STATUSES.includes(c.status));
  const sum = (rows: readonly PathwayStatusCount[]) => rows.reduce((n, c) => n + c.count, 0);
  return {
    backlog: sum(active),
    oldestUndeliveredSeenAt: iso(active.length ? Math.min(...active.map((c) => c.oldestSeenAt)) : null),
    parked: sum(counts.filter((c) => c.status === 'parked')),
  };
}

/** The pathway as packet rows store it (see the watcher's decoder). */
export function storedKey(pathway: Pathway): PathwayKey {
  return {
    srcEid: pathway.srcEid,
    sender: zeroPadValue(pathway.sender, 32).toLowerCase(),
    dstEid: pathway.dstEid,
    receiver: getAddress(pathway.receiver),
  };
}

const sameKey = (a: PathwayKey, b: PathwayKey) =>
  a.srcEid === b.srcEid &&
  a.dstEid === b.dstEid &&
  a.sender.toLowerCase() === b.sender.toLowerCase() &&
  a.receiver.toLowerCase() === b.receiver.toLowerCase();

/** GET /v1/pathways: per configured pathway its last packet, backlog, parked count and latency; the signers' balances. */
@Injectable()
export class PathwaysService {
  constructor(
    private readonly chains: ChainRegistry,
    private readonly stats: PathwayStatsRepository,
    private readonly balances: SignerBalances,
    private readonly clock: Clock,
  ) {}

  async pathways(): Promise<PathwaysResponse> {
    const counts = await this.stats.countsByStatus(COUNTED_STATUSES);
    const pathways: PathwayView[] = [];
    for (const pathway of this.chains.pathways) {
      const key = storedKey(pathway);
      const last = await this.stats.lastPacket(key);
      pathways.push({
        srcEid: pathway.srcEid,
        srcChain: this.chains.nameOf(pathway.srcEid),
        dstEid: pathway.dstEid,
        dstChain: this.chains.nameOf(pathway.dstEid),
        sender: getAddress(pathway.sender),
        receiver: key.receiver,
        lastPacket: last && {
          nonce: last.nonce,
          guid: last.guid,
          status: last.status,
          srcBlockNumber: last.srcBlockNumber,
          srcTxHash: last.srcTxHash,
          seenAt: iso(last.seenAt)!,
          deliveredAt: iso(last.deliveredAt),
        },
        ...pathwayCounts(counts.filter((c) => sameKey(c, key))),
        latency: latencySummary(await this.stats.recentDeliveries(key, LATENCY_SAMPLE_SIZE)),
      });
    }
    await this.balances.ensureRead();
    const signers = this.balances.current().map((s) => ({
      chain: s.chain,
      eid: s.eid,
      address: s.address,
      balanceWei: s.balanceWei === null ? null : s.balanceWei.toString(),
      readAt: iso(s.readAt),
      error: s.error,
    }));
    return pathwaysResponseSchema.parse({ generatedAt: iso(this.clock.now()), pathways, signers });
  }
}
