import { sizeWeightCap, stressedCorrelation } from './risk-formulas';
import { DEFAULT_STRESS, type RiskAsset, type RiskChain, type RiskCorrelation, type RiskParams } from './risk-request.schema';
import { RiskInputError } from './risk-result';

export type MarketParams = Omit<RiskParams, 'stress'> & { stress?: number };
export type AssetRiskTerms = Omit<RiskAsset, 'id' | 'price' | 'stablePrice'>;

/** Market-wide inputs of the risk model: assets, stressed covariance, chain weights, parameters. */
export interface MarketConfig {
  assets: RiskAsset[];
  correlations?: RiskCorrelation[];
  chains: RiskChain[];
  params: MarketParams;
}

/**
 * Dense per-asset arrays (indexed by the asset's position in `assets`) and the stressed covariance
 * matrix `Σ_kl = σ_k σ_l ρs_kl`, kept up to date as prices, volatilities and correlations change.
 */
export class RiskMarket {
  readonly assetIds: readonly string[];
  readonly assetCount: number;
  readonly price: Float64Array;
  /** Dampened price per asset for the init side; NaN = none (the oracle price is used). */
  readonly stablePrice: Float64Array;
  readonly weightInit: Float64Array;
  readonly weightMaint: Float64Array;
  readonly imf: Float64Array;
  readonly volatility: Float64Array;
  /** Row-major n×n stressed covariance. */
  readonly covariance: Float64Array;
  readonly chainEids: readonly number[];
  readonly chainWeight: Float64Array;
  params: Required<MarketParams>;
  private readonly rawCorrelation: Float64Array;
  private readonly assetIndexById: Map<string, number>;
  private readonly chainIndexByEid: Map<number, number>;

  constructor(config: MarketConfig) {
    const n = config.assets.length;
    this.assetIds = config.assets.map((asset) => asset.id);
    this.assetCount = n;
    this.assetIndexById = new Map(this.assetIds.map((id, i) => [id, i]));
    if (this.assetIndexById.size !== n) throw new RiskInputError('asset ids must be unique');
    this.price = Float64Array.from(config.assets, (asset) => asset.price);
    this.stablePrice = Float64Array.from(config.assets, (asset) => asset.stablePrice ?? Number.NaN);
    this.weightInit = Float64Array.from(config.assets, (asset) => asset.weightInit);
    this.weightMaint = Float64Array.from(config.assets, (asset) => asset.weightMaint);
    this.imf = Float64Array.from(config.assets, (asset) => asset.imf);
    this.volatility = Float64Array.from(config.assets, (asset) => asset.volatility);
    this.chainEids = config.chains.map((chain) => chain.eid);
    this.chainIndexByEid = new Map(this.chainEids.map((eid, i) => [eid, i]));
    if (this.chainIndexByEid.size !== this.chainEids.length) throw new RiskInputError('chain eids must be unique');
    this.chainWeight = Float64Array.from(config.chains, (chain) => chain.weight);
    this.params = { ...config.params, stress: config.params.stress ?? DEFAULT_STRESS };
    this.rawCorrelation = new Float64Array(n * n);
    for (const corr of config.correlations ?? []) {
      const a = this.assetIndex(corr.a);
      const b = this.assetIndex(corr.b);
      if (a !== b) this.rawCorrelation[a * n + b] = this.rawCorrelation[b * n + a] = corr.rho;
    }
    this.covariance = new Float64Array(n * n);
    this.rebuildCovariance();
  }

  /** The market as a config a new RiskMarket can be built from (prices, stable prices and correlations included). */
  config(): MarketConfig {
    const n = this.assetCount;
    const correlations: RiskCorrelation[] = [];
    for (let k = 0; k < n; k++)
      for (let l = k + 1; l < n; l++) {
        const rho = this.rawCorrelation[k * n + l];
        if (rho !== 0) correlations.push({ a: this.assetIds[k], b: this.assetIds[l], rho });
      }
    return {
      assets: this.assetIds.map((id, k) => ({
        id,
        price: this.price[k],
        ...(Number.isNaN(this.stablePrice[k]) ? {} : { stablePrice: this.stablePrice[k] }),
        weightInit: this.weightInit[k],
        weightMaint: this.weightMaint[k],
        imf: this.imf[k],
        volatility: this.volatility[k],
      })),
      correlations,
      chains: this.chainEids.map((eid, c) => ({ eid, weight: this.chainWeight[c] })),
      params: { ...this.params },
    };
  }

  assetIndex(assetId: string): number {
    const index = this.assetIndexById.get(assetId);
    if (index === undefined) throw new RiskInputError(`asset '${assetId}' is not listed`);
    return index;
  }

  chainIndex(eid: number): number {
    const index = this.chainIndexByEid.get(eid);
    if (index === undefined) throw new RiskInputError(`chain eid ${eid} is not listed`);
    return index;
  }

  /** `1.1 / (1 + imf_k sqrt(S))` for asset k. */
  sizeCap(assetIndex: number, totalUnits: number): number {
    return sizeWeightCap(this.imf[assetIndex], totalUnits);
  }

  setPrice(assetIndex: number, price: number): void {
    requireFinite(price, 'price', 0);
    this.price[assetIndex] = price;
  }

  /** `null` drops the stable price (the init side then uses the oracle price). */
  setStablePrice(assetIndex: number, stablePrice: number | null): void {
    if (stablePrice !== null) requireFinite(stablePrice, 'stablePrice', 0);
    this.stablePrice[assetIndex] = stablePrice ?? Number.NaN;
  }

  setAssetRiskTerms(assetIndex: number, terms: AssetRiskTerms): void {
    requireFraction(terms.weightInit, 'weightInit');
    requireFraction(terms.weightMaint, 'weightMaint');
    requireFinite(terms.imf, 'imf', 0);
    requireFinite(terms.volatility, 'volatility', 0);
    this.weightInit[assetIndex] = terms.weightInit;
    this.weightMaint[assetIndex] = terms.weightMaint;
    this.imf[assetIndex] = terms.imf;
    this.volatility[assetIndex] = terms.volatility;
    this.rebuildCovariance();
  }

  setCorrelation(a: number, b: number, rho: number): void {
    if (!Number.isFinite(rho) || rho < -1 || rho > 1) throw new RiskInputError('rho must be in [-1, 1]');
    if (a === b) throw new RiskInputError('the correlation of an asset with itself is always 1');
    const n = this.assetCount;
    this.rawCorrelation[a * n + b] = this.rawCorrelation[b * n + a] = rho;
    this.rebuildCovariance();
  }

  setChainWeight(chainIndex: number, weight: number): void {
    requireFraction(weight, 'chain weight');
    this.chainWeight[chainIndex] = weight;
  }

  setParams(params: MarketParams): void {
    for (const field of ['zInit', 'zMaint'] as const) requireFinite(params[field], field, 0);
    requireFraction(params.pnlWeight, 'pnlWeight');
    if (!(params.horizonDays > 0) || !Number.isFinite(params.horizonDays)) throw new RiskInputError('horizonDays must be > 0');
    const stress = params.stress ?? DEFAULT_STRESS;
    if (!(stress > 0) || !Number.isFinite(stress)) throw new RiskInputError('stress must be > 0');
    this.params = { ...params, stress };
    this.rebuildCovariance();
  }

  private rebuildCovariance(): void {
    const n = this.assetCount;
    for (let k = 0; k < n; k++) {
      for (let l = 0; l < n; l++) {
        const rho = k === l ? 1 : stressedCorrelation(this.rawCorrelation[k * n + l], this.params.stress);
        this.covariance[k * n + l] = this.volatility[k] * this.volatility[l] * rho;
      }
    }
  }
}

function requireFinite(value: number, field: string, min: number): void {
  if (!Number.isFinite(value) || value < min) throw new RiskInputError(`${field} must be a finite number ≥ ${min}`);
}

function requireFraction(value: number, field: string): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new RiskInputError(`${field} must be in [0, 1]`);
}
