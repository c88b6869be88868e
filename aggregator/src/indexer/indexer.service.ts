import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@tributary/service-kit';
import { ChainClients } from '../chain/chain-client';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerIngestor } from '../ledger/ledger-ingestor';
import { TypeormLedgerStore } from '../ledger/typeorm-ledger.store';
import { ChainIndexer, type TickResult } from './chain-indexer';

/** Runs one ChainIndexer per manifest chain: a polling loop, or `syncAll` on demand (tests, tools). */
@Injectable()
export class IndexerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IndexerService.name);
  private readonly indexers = new Map<number, ChainIndexer>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly applied: Counter<'eid'>;
  private readonly reorgs: Counter<'eid'>;
  private readonly lagBlocks: Gauge<'eid'>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ChainRegistry,
    private readonly clients: ChainClients,
    private readonly store: TypeormLedgerStore,
    private readonly ingestor: LedgerIngestor,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.applied = new Counter({
      name: 'tributary_aggregator_events_applied_total',
      help: 'Chain events applied to the ledger',
      labelNames: ['eid'],
      registers: [metrics],
    });
    this.reorgs = new Counter({ name: 'tributary_aggregator_reorgs_total', help: 'Reorgs rolled back', labelNames: ['eid'], registers: [metrics] });
    this.lagBlocks = new Gauge({
      name: 'tributary_aggregator_indexer_lag_blocks',
      help: 'Head minus last indexed block',
      labelNames: ['eid'],
      registers: [metrics],
    });
    for (const chain of registry.chains) {
      const settings = { maxBlockRange: config.INDEXER_MAX_BLOCK_RANGE, reorgWindow: Math.max(config.INDEXER_REORG_WINDOW, chain.finality + 1) };
      this.indexers.set(chain.eid, new ChainIndexer(chain, clients.for(chain), store, ingestor, settings));
    }
  }

  onApplicationBootstrap(): void {
    if (!this.registry.enabled) {
      this.logger.warn('no MANIFEST_PATH: indexing disabled');
      return;
    }
    if (this.config.INDEXER_POLL_MS > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Ticks every chain until all are caught up (or `maxTicks` per chain). Returns the results in order. */
  async syncAll(maxTicks = 1000): Promise<TickResult[]> {
    const results: TickResult[] = [];
    for (const eid of this.indexers.keys()) {
      for (let i = 0; i < maxTicks; i++) {
        const result = await this.tick(eid);
        results.push(result);
        if (result.kind === 'caught-up') break;
      }
    }
    return results;
  }

  async tick(eid: number): Promise<TickResult> {
    const indexer = this.indexers.get(eid);
    if (!indexer) throw new Error(`unknown eid ${eid}`);
    const result = await indexer.tick();
    const labels = { eid: String(eid) };
    if (result.kind === 'indexed') {
      this.applied.inc(labels, result.applied);
      this.lagBlocks.set(labels, result.headBlock - result.toBlock);
    } else if (result.kind === 'caught-up') {
      this.lagBlocks.set(labels, 0);
    } else if (result.kind === 'reorg') {
      this.reorgs.inc(labels);
      this.logger.warn(
        `reorg on eid ${eid}: rolled back ${result.orphaned} events above block ${result.forkBlock}, rebuilt ${result.rebuiltAccounts} accounts`,
      );
    }
    return result;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce().finally(() => this.schedule(this.config.INDEXER_POLL_MS));
    }, delayMs);
  }

  private async pollOnce(): Promise<void> {
    for (const eid of this.indexers.keys()) {
      try {
        // Catch up in bounded ranges, a few per poll so one slow chain does not starve the others.
        for (let i = 0; i < 10 && !this.stopped; i++) {
          const result = await this.tick(eid);
          // After a rollback, re-read the canonical blocks at once rather than at the next poll.
          if (result.kind !== 'indexed' && result.kind !== 'reorg') break;
        }
      } catch (error) {
        this.logger.error(`indexing eid ${eid} failed: ${(error as Error).message}`);
      }
    }
  }
}
