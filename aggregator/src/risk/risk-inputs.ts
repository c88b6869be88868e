import type { ManifestAsset } from '@tributary/protocol';
import {
  ewmaCorrelation,
  ewmaVolatility,
  volatilityScaledWeight,
  type AccountHoldings,
  type AssetRiskTerms,
  type MarketConfig,
  type MarketParams,
} from '@tributary/risk';
import type { RegisteredChain } from '../chain/chain-registry';
import type { AppConfig } from '../config/app-config';
import type { OraclePrice } from '../oracle/oracle.service';
import type { PriceSample } from '../oracle/price-sample.repository';
import type { CreditFreeze } from './risk-reader';

/** The book's asset id of a manifest asset id. */
export const bookId = (assetId: number): string => String(assetId);

export function riskParams(config: AppConfig): MarketParams {
  return {
    zInit: config.RISK_Z_INIT,
    zMaint: config.RISK_Z_MAINT,
    horizonDays: config.RISK_HORIZON_DAYS,
    stress: config.RISK_STRESS,
    pnlWeight: config.RISK_PNL_WEIGHT,
  };
}

/** Market of the live book: manifest assets (unpriced = 0, conservative), prior correlations, collateral chains. */
export function marketConfig(
  assets: readonly ManifestAsset[],
  priors: readonly { a: number; b: number; rho: number }[],
  chains: readonly RegisteredChain[],
  params: MarketParams,
): MarketConfig {
  return {
    assets: assets.map((a) => ({
      id: bookId(a.assetId),
      price: 0,
      weightInit: a.weightInit,
      weightMaint: a.weightMaint,
      imf: a.imf,
      volatility: a.volatility,
    })),
    correlations: priors.filter((c) => c.a !== c.b).map((c) => ({ a: bookId(c.a), b: bookId(c.b), rho: c.rho })),
    chains: chains.map((c) => ({ eid: c.eid, weight: c.manifest.weight })),
    params,
  };
}

export interface BalanceInput {
  eid: number;
  assetId: number;
  symbol: string;
  /** Token units (balance / 10^decimals). */
  amount: number;
}

export interface PositionInput {
  marketId: number;
  assetId: number;
  size: number;
  entryPrice: number;
  imr: number;
  mmr: number;
}

/** One account's inputs as the ledger holds them, converted to the model's units (`RiskBookSync.inputsOf` reads them back from the book). */
export interface AccountInputs {
  balances: BalanceInput[];
  positions: PositionInput[];
  /** Signed USD cash on the trading chain (SettlementPool), at weight 1 in both collaterals. */
  cash: number;
  /** The same cash, exact (1e18 USD): what a pushed base subtracts. */
  cashWad: bigint;
}

export function holdingsOf(inputs: AccountInputs): AccountHoldings {
  return {
    balances: inputs.balances.map((b) => ({ eid: b.eid, assetId: bookId(b.assetId), amount: b.amount })),
    positions: inputs.positions.map((p) => ({ assetId: bookId(p.assetId), size: p.size, entryPrice: p.entryPrice, imr: p.imr, mmr: p.mmr })),
    cash: inputs.cash,
  };
}

/** Asset ids the account holds collateral in or trades, ascending. */
export function heldAssets(inputs: AccountInputs): number[] {
  return [...new Set([...inputs.balances.map((b) => b.assetId), ...inputs.positions.map((p) => p.assetId)])].sort((a, b) => a - b);
}

/** Freezes for the held assets whose guarded price is not ok (an asset without a feed counts as unavailable). */
export function freezesOf(
  assets: readonly number[],
  price: (assetId: number) => OraclePrice | undefined,
  symbol: (assetId: number) => string,
): CreditFreeze[] {
  const out: CreditFreeze[] = [];
  for (const assetId of assets) {
    const p = price(assetId);
    if (!p) out.push({ assetId, symbol: symbol(assetId), reason: 'unavailable', detail: 'no oracle for this asset' });
    else if (p.status !== 'ok') out.push({ assetId, symbol: p.symbol, reason: p.status, detail: p.detail });
  }
  return out;
}

/**
 * σ and base weights of one asset from its sample history: EWMA daily volatility once `minSamples` samples exist
 * (else the baseline), weights scaled by `min(1, σ_base / σ)`.
 */
export function assetTerms(asset: ManifestAsset, samples: readonly PriceSample[], minSamples: number, sampleIntervalSeconds: number): AssetRiskTerms {
  const volatility =
    samples.length >= minSamples
      ? ewmaVolatility(
          samples.map((s) => s.price),
          { sampleIntervalDays: sampleIntervalSeconds / 86_400 },
        )
      : asset.volatility;
  return {
    weightInit: volatilityScaledWeight(asset.weightInit, asset.volatility, volatility),
    weightMaint: volatilityScaledWeight(asset.weightMaint, asset.volatility, volatility),
    imf: asset.imf,
    volatility,
  };
}

/** EWMA correlation over the sampling intervals both assets have a sample in; undefined below `minSamples` of them. */
export function sampledCorrelation(
  a: readonly PriceSample[],
  b: readonly PriceSample[],
  minSamples: number,
  sampleIntervalSeconds: number,
): number | undefined {
  const bucket = (s: PriceSample) => Math.floor(s.observedAt / sampleIntervalSeconds);
  const byBucket = new Map(b.map((s) => [bucket(s), s.price]));
  const pa: number[] = [];
  const pb: number[] = [];
  for (const s of a) {
    const other = byBucket.get(bucket(s));
    if (other !== undefined) {
      pa.push(s.price);
      pb.push(other);
    }
  }
  if (pa.length < minSamples) return undefined;
  return ewmaCorrelation(pa, pb, { sampleIntervalDays: sampleIntervalSeconds / 86_400 });
}
