import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { RiskParamsRepository } from '../chain/risk-params.repository';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { chainParams, manifestParams, paramChanges, type GovernedParams, type ParamChange } from './governed-params';

/**
 * The risk parameters the live book uses: read from the trading chain's RiskParameters at start and re-read when
 * a ParamExecuted / ParamInitialized log appears (polled every RISK_PARAMS_POLL_MS), so every replica follows the
 * chain without a restart. The manifest's values only when the manifest names no RiskParameters.
 */
@Injectable()
export class LiveRiskParams {
  private readonly logger = new Logger(LiveRiskParams.name);
  private params: GovernedParams;
  private loaded = false;
  private lastPollAt = 0;
  /** Bumped on every change: the estimator re-applies weights when it moves. */
  version = 0;
  /** Unix ms of the last successful read or poll. */
  checkedAt: number | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ChainRegistry,
    private readonly repo: RiskParamsRepository,
    private readonly clock: Clock,
  ) {
    this.params = this.fromManifest();
  }

  get current(): GovernedParams {
    return this.params;
  }

  /** First call: the chain read (or the manifest fallback, logged). Then, when due, a poll for change logs. */
  async update(): Promise<ParamChange[]> {
    if (!this.loaded) return this.load();
    const now = this.clock.now();
    if (this.params.source !== 'chain' || now - this.lastPollAt < this.config.RISK_PARAMS_POLL_MS) return [];
    this.lastPollAt = now;
    try {
      const latest = await this.repo.latestBlock();
      const from = this.params.block! + 1;
      if (latest < from) return [];
      const changed = await this.repo.changeBlocks(from, latest);
      if (!changed.length) {
        this.params = { ...this.params, block: latest };
        this.checkedAt = now;
        return [];
      }
      return this.replace(chainParams(await this.repo.read(latest)));
    } catch (error) {
      this.logger.error(`polling the risk parameters failed: ${(error as Error).message}`);
      return [];
    }
  }

  private async load(): Promise<ParamChange[]> {
    if (!this.repo.available) {
      this.loaded = true;
      this.logger.warn('the manifest names no RiskParameters on the trading chain: risk parameters from the manifest');
      return [];
    }
    try {
      const read = chainParams(await this.repo.read(await this.repo.latestBlock()));
      this.loaded = true;
      this.lastPollAt = this.clock.now();
      this.logger.log(`risk parameters read from RiskParameters ${this.repo.address} at block ${read.block}`);
      return this.replace(read);
    } catch (error) {
      this.logger.error(`reading the risk parameters from chain failed (retried): ${(error as Error).message}`);
      return [];
    }
  }

  private replace(next: GovernedParams): ParamChange[] {
    // Anything the chain has no value for keeps the manifest's (a weight not initialized yet).
    const base = this.fromManifest();
    const merged: GovernedParams = {
      ...next,
      assets: new Map([...base.assets, ...next.assets]),
      chains: new Map([...base.chains, ...next.chains]),
    };
    const changes = paramChanges(this.params, merged);
    this.params = merged;
    this.checkedAt = this.clock.now();
    if (changes.length) {
      this.version++;
      for (const c of changes) this.logger.log(`risk parameter ${c.kind} ${c.id}: ${c.old ?? '-'} -> ${c.value ?? '-'} (block ${merged.block})`);
    }
    return changes;
  }

  private fromManifest(): GovernedParams {
    return manifestParams(
      this.registry.assets,
      this.registry.chains.filter((c) => c.role === 'collateral').map((c) => ({ eid: c.eid, weight: c.manifest.weight })),
    );
  }
}
