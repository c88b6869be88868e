import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY } from '@tributary/service-kit';
import { ChainClients } from '../chain/chain-client';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import { compareRow, inFlightOf, type BalanceDifference, type InFlightAttestation, type ReconciliationReport } from './reconciliation';

/**
 * Compares the ledger's balances with each vault's custody (at the vault chain's last indexed block) and with
 * the hub's stored attestations (at the trading chain's last indexed block). Differences go to a metric, the
 * log and the API; the ledger is never overwritten from these reads.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconciliationService.name);
  private last: ReconciliationReport | null = null;
  private readonly differencesGauge: Gauge<'eid' | 'source'>;
  private readonly runs: Counter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ChainRegistry,
    private readonly ledger: LedgerQueryRepository,
    private readonly clients: ChainClients,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.differencesGauge = new Gauge({
      name: 'tributary_aggregator_reconciliation_differences',
      help: 'Ledger balances differing from the chain at the last reconciliation',
      labelNames: ['eid', 'source'],
      registers: [metrics],
    });
    this.runs = new Counter({ name: 'tributary_aggregator_reconciliation_runs_total', help: 'Reconciliation runs', registers: [metrics] });
  }

  onApplicationBootstrap(): void {
    if (!this.registry.enabled || this.config.RECONCILE_INTERVAL_MS === 0) return;
    const interval = setInterval(() => {
      this.reconcile().catch((error: unknown) => this.logger.error(`reconciliation failed: ${(error as Error).message}`));
    }, this.config.RECONCILE_INTERVAL_MS);
    this.scheduler.addInterval('reconciliation', interval);
  }

  lastReport(): ReconciliationReport | null {
    return this.last;
  }

  /**
   * Reads run at each chain's last indexed block; if the indexer moved a cursor meanwhile the ledger rows may be
   * newer than those blocks, so the comparison is redone (a few times) rather than reporting a false difference.
   */
  async reconcile(): Promise<ReconciliationReport> {
    let report: ReconciliationReport | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await this.cursorBlocks();
      report = await this.compare(before);
      if (sameCursors(before, await this.cursorBlocks())) break;
    }
    this.publish(report!);
    return report!;
  }

  private async cursorBlocks(): Promise<Map<number, number>> {
    return new Map((await this.ledger.cursors()).map((c) => [c.eid, c.nextBlock - 1]));
  }

  private async compare(cursors: Map<number, number>): Promise<ReconciliationReport> {
    const trading = this.registry.tradingChain;
    const hubAddress = trading?.contracts.find((c) => c.role === 'hub')?.address;
    const hubBlock = trading ? cursors.get(trading.eid) : undefined;
    const report: ReconciliationReport = { ranAt: new Date(this.clock.now()).toISOString(), checked: 0, differences: [], inFlight: [], chains: [] };

    for (const chain of this.registry.chains) {
      const vault = chain.contracts.find((c) => c.role === 'vault')?.address;
      if (!vault) continue;
      const vaultBlock = cursors.get(chain.eid);
      const rows = await this.ledger.collateralOnChain(chain.eid);
      if (vaultBlock === undefined || vaultBlock < 0) {
        report.chains.push({ eid: chain.eid, block: null, rows: rows.length, skipped: 'not indexed yet' });
        continue;
      }
      const vaultClient = this.clients.for(chain);
      for (const row of rows) {
        const vaultBalance = await vaultClient.vaultBalance(vault, row.account, row.assetId, vaultBlock);
        const hub =
          trading && hubAddress && hubBlock !== undefined && hubBlock >= 0
            ? {
                block: hubBlock,
                balance: (await this.clients.for(trading).hubAttestation(hubAddress, row.account, row.eid, row.assetId, hubBlock)).balance,
              }
            : undefined;
        report.differences.push(...compareRow(row, { vault: { block: vaultBlock, balance: vaultBalance }, hub }));
        const inFlight = inFlightOf(row);
        if (inFlight) report.inFlight.push(inFlight);
        report.checked++;
      }
      report.chains.push({ eid: chain.eid, block: vaultBlock, rows: rows.length });
    }
    return report;
  }

  private publish(report: ReconciliationReport): void {
    this.runs.inc();
    this.differencesGauge.reset();
    for (const chain of this.registry.chains)
      for (const source of ['vault', 'hub'] as const) this.differencesGauge.set({ eid: String(chain.eid), source }, 0);
    for (const d of report.differences) {
      this.differencesGauge.inc({ eid: String(d.eid), source: d.source });
      this.logger.warn(`reconciliation: ${describe(d)}`);
    }
    this.last = report;
  }
}

function sameCursors(a: Map<number, number>, b: Map<number, number>): boolean {
  return a.size === b.size && [...a].every(([eid, block]) => b.get(eid) === block);
}

function describe(d: BalanceDifference): string {
  return `${d.source} balance of ${d.account} asset ${d.assetId} on eid ${d.eid} at block ${d.block}: ledger ${d.ledger}, chain ${d.onChain}`;
}

export type { BalanceDifference, InFlightAttestation };
