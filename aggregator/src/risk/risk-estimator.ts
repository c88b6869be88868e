import { Inject, Injectable } from '@nestjs/common';
import type { ManifestAsset } from '@tributary/protocol';
import { steppedWeight, type RiskBook } from '@tributary/risk';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PriceSampleRepository, type PriceSample } from '../oracle/price-sample.repository';
import { withGovernedWeights } from './governed-params';
import { LiveRiskParams } from './live-params';
import { assetTerms, bookId, sampledCorrelation } from './risk-inputs';

/**
 * Volatility and correlation estimates from the oracle's price samples: EWMA σ per asset (base weights scaled
 * down by it, moving by at most 0.05 per update from the weights applied before: a volatility spike cuts credit
 * in steps, like a governed change) and EWMA ρ per pair once RISK_MIN_SAMPLES samples exist; the manifest's baseline σ and prior ρ
 * until then. Re-estimated whenever the oracle persisted new samples.
 */
@Injectable()
export class RiskEstimator {
  private readonly assets = new Map<number, ManifestAsset>();
  /** Manifest correlations: used until the samples give an EWMA estimate. */
  private readonly priors: readonly { a: number; b: number; rho: number }[];
  /** The weights last put in the book per asset: volatility scaling moves them by ≤ MAX_WEIGHT_STEP per update. */
  private readonly applied = new Map<number, { weightInit: number; weightMaint: number }>();
  /** Oracle sample version the book's terms were estimated from. */
  private version = -1;
  /** LiveRiskParams version the base weights were taken from. */
  private paramsVersion = -1;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    registry: ChainRegistry,
    private readonly samples: PriceSampleRepository,
    private readonly params: LiveRiskParams,
  ) {
    for (const asset of registry.assets) this.assets.set(asset.assetId, asset);
    this.priors = registry.manifest?.correlations ?? [];
  }

  /** Sets σ, weights and ρ in the book if `sampleVersion` is new; the affected accounts go to `touched`. */
  async update(book: RiskBook, sampleVersion: number, touched: Set<string>): Promise<void> {
    if (sampleVersion === this.version && this.params.version === this.paramsVersion) return;
    const paramsVersion = this.params.version;
    const interval = this.config.ORACLE_SAMPLE_INTERVAL_S;
    const min = this.config.RISK_MIN_SAMPLES;
    const history = new Map<number, PriceSample[]>();
    for (const asset of this.assets.values()) {
      const samples = await this.samples.recent(asset.assetId, this.config.ORACLE_SAMPLE_KEEP);
      history.set(asset.assetId, samples);
      const target = assetTerms(withGovernedWeights(asset, this.params.current), samples, min, interval);
      const last = this.applied.get(asset.assetId);
      const terms = {
        ...target,
        weightInit: steppedWeight(last?.weightInit, target.weightInit),
        weightMaint: steppedWeight(last?.weightMaint, target.weightMaint),
      };
      this.applied.set(asset.assetId, { weightInit: terms.weightInit, weightMaint: terms.weightMaint });
      for (const s of book.setAssetRiskTerms(bookId(asset.assetId), terms)) touched.add(s.accountId);
    }
    const priors = new Map(this.priors.map((c) => [`${c.a}:${c.b}`, c.rho]));
    const ids = [...this.assets.keys()];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i], ids[j]];
        const rho = sampledCorrelation(history.get(a)!, history.get(b)!, min, interval) ?? priors.get(`${a}:${b}`) ?? priors.get(`${b}:${a}`) ?? 0;
        for (const s of book.setCorrelation(bookId(a), bookId(b), rho)) touched.add(s.accountId);
      }
    }
    this.version = sampleVersion;
    this.paramsVersion = paramsVersion;
  }
}
