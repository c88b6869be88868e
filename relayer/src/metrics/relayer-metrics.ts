import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import type { PacketStatus } from '../core/packet-state';

/** Which service registers the metrics: 'relayer' (default) or 'verifier' (the same set under tributary_verifier_). */
export const METRICS_ROLE = Symbol('METRICS_ROLE');

/** Every relayer metric; collectors that read the database are registered by RelayerMetricsCollector. */
@Injectable()
export class RelayerMetrics {
  readonly packets: Gauge<'src_chain' | 'dst_chain' | 'status'>;
  readonly queueLength: Gauge<'chain' | 'stage'>;
  readonly deliveryLatency: Histogram<'src_chain' | 'dst_chain'>;
  readonly batchSize: Histogram<'chain'>;
  readonly rpcErrors: Counter<'chain' | 'method'>;
  readonly stepErrors: Counter<'chain' | 'stage' | 'kind'>;
  readonly transactions: Counter<'chain' | 'action' | 'result'>;
  readonly parked: Counter<'src_chain' | 'dst_chain'>;
  readonly discovered: Counter<'src_chain' | 'dst_chain'>;
  readonly reorgs: Counter<'chain' | 'stage'>;
  readonly scannedBlock: Gauge<'chain' | 'stage'>;
  readonly heartbeats: Counter<'chain' | 'result'>;
  readonly chainQuietSeconds: Gauge<'chain'>;

  constructor(
    @Inject(METRICS_REGISTRY) readonly registry: Registry,
    @Optional() @Inject(METRICS_ROLE) role?: 'relayer' | 'verifier',
  ) {
    const registers = [registry];
    // The verifier runs the same pipeline under its own names (tributary_verifier_*).
    const PREFIX = role === 'verifier' ? 'tributary_verifier_' : 'tributary_relayer_';
    this.packets = new Gauge({
      name: `${PREFIX}packets`,
      help: 'Packets by pathway and status',
      labelNames: ['src_chain', 'dst_chain', 'status'],
      registers,
    });
    this.heartbeats = new Counter({
      name: `${PREFIX}heartbeats_total`,
      help: 'vault.heartbeat() transactions the relayer sent for a quiet chain (result = sent | failed)',
      labelNames: ['chain', 'result'],
      registers,
    });
    this.chainQuietSeconds = new Gauge({
      name: `${PREFIX}chain_quiet_seconds`,
      help: "Seconds since the chain's last outgoing vault message (PacketSent seen or own heartbeat sent, wall clock)",
      labelNames: ['chain'],
      registers,
    });
    this.queueLength = new Gauge({
      name: `${PREFIX}queue_length`,
      help: 'Due packets by destination chain and pipeline stage (stage=send: transactions waiting for the nonce queue)',
      labelNames: ['chain', 'stage'],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: `${PREFIX}delivery_latency_seconds`,
      help: 'Source confirmation reached → lzReceive mined',
      labelNames: ['src_chain', 'dst_chain'],
      buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 900],
      registers,
    });
    this.batchSize = new Histogram({
      name: `${PREFIX}delivery_batch_packets`,
      help: 'Packets per DeliveryWorker batch transaction, by destination chain',
      labelNames: ['chain'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers,
    });
    this.rpcErrors = new Counter({ name: `${PREFIX}rpc_errors_total`, help: 'Failed JSON-RPC calls', labelNames: ['chain', 'method'], registers });
    this.stepErrors = new Counter({
      name: `${PREFIX}step_errors_total`,
      help: 'Failed pipeline steps by chain, stage and kind (transient = RPC/transport, revert = on-chain revert)',
      labelNames: ['chain', 'stage', 'kind'],
      registers,
    });
    this.transactions = new Counter({
      name: `${PREFIX}transactions_total`,
      help: 'Destination transactions',
      labelNames: ['chain', 'action', 'result'],
      registers,
    });
    this.parked = new Counter({
      name: `${PREFIX}packets_parked_total`,
      help: 'Packets parked after lzReceive kept reverting',
      labelNames: ['src_chain', 'dst_chain'],
      registers,
    });
    this.discovered = new Counter({
      name: `${PREFIX}packets_discovered_total`,
      help: 'Packets of our pathways seen on the source',
      labelNames: ['src_chain', 'dst_chain'],
      registers,
    });
    this.reorgs = new Counter({
      name: `${PREFIX}reorgs_total`,
      help: 'Reorgs detected (watch: cursor rewound; finality: packet dropped or moved)',
      labelNames: ['chain', 'stage'],
      registers,
    });
    this.scannedBlock = new Gauge({ name: `${PREFIX}scanned_block`, help: 'Last source block scanned', labelNames: ['chain', 'stage'], registers });
  }

  setPacketCounts(rows: { srcChain: string; dstChain: string; status: PacketStatus; count: number }[]): void {
    this.packets.reset();
    for (const row of rows) this.packets.set({ src_chain: row.srcChain, dst_chain: row.dstChain, status: row.status }, row.count);
  }
}
