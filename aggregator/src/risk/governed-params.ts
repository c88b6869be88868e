import { formatUnits } from 'ethers';
import type { ParamKind } from '@tributary/contracts';
import type { ManifestAsset } from '@tributary/protocol';
import type { StablePriceParams } from '@tributary/risk';
import type { ChainParamReads } from '../chain/risk-params.repository';

/** Where the live risk parameters came from: the trading chain's RiskParameters, or the manifest (older deployments). */
export type ParamSource = 'chain' | 'manifest';

/** The governed inputs of the risk model, as fractions (on chain 1e18). */
export interface GovernedParams {
  source: ParamSource;
  /** Trading-chain block they were read at; null for the manifest. */
  block: number | null;
  /** Base weights per asset id (before volatility scaling). */
  assets: Map<number, { weightInit: number; weightMaint: number }>;
  /** Configured chain weight v_c per eid (before liveness decay). */
  chains: Map<number, number>;
  /** Margin ratios and taker fee per listed PerpMarket id. */
  markets: Map<number, MarketParamValues>;
  /** Caps per listed PerpMarket id (units of the asset; null = no cap): shown and watched, not modelled. */
  marketCaps: Map<number, MarketCaps>;
  /** Per-account exposure cap per traded asset id (USD; null = no cap). */
  exposureCaps: Map<number, number | null>;
  /** The stable price's δ and τ per asset id (kinds stableMaxStep, stableInterval); absent: the env defaults. */
  stable: Map<number, StablePriceParams>;
  /** PerpMarket's liquidation parameters (kinds markOverrideHealth, liquidationPenalty); null for the manifest. */
  liquidation: { markOverrideHealth: number; penalty: number } | null;
  /** The CreditManager's book-wide credit-increase guard on the pusher (kinds guardCapacity, guardRefill); null for the manifest. */
  pusherGuard: { capacityUsd: number; refillUsdPerSecond: number } | null;
}

export interface MarketCaps {
  assetId: number;
  openInterestCap: number | null;
  accountOpenInterestCap: number | null;
}

export interface MarketParamValues {
  imr: number;
  mmr: number;
  takerFee: number;
}

/** One parameter whose value differs between two reads (id 0 for a global kind). */
export interface ParamChange {
  kind: ParamKind;
  id: number;
  old: number | undefined;
  value: number | undefined;
}

/** A 1e18 fixed-point value as a fraction. */
export const fromWad = (value: bigint): number => Number(formatUnits(value, 18));

/** The manifest's values: what the aggregator uses when the trading chain has no RiskParameters. */
export function manifestParams(
  assets: readonly Pick<ManifestAsset, 'assetId' | 'weightInit' | 'weightMaint'>[],
  chains: readonly { eid: number; weight: number }[],
  markets: ReadonlyMap<number, MarketParamValues> = new Map(),
): GovernedParams {
  return {
    source: 'manifest',
    block: null,
    assets: new Map(assets.map((a) => [a.assetId, { weightInit: a.weightInit, weightMaint: a.weightMaint }])),
    chains: new Map(chains.map((c) => [c.eid, c.weight])),
    markets: new Map(markets),
    marketCaps: new Map(),
    exposureCaps: new Map(),
    stable: new Map(),
    liquidation: null,
    pusherGuard: null,
  };
}

const capOf = (word: bigint): number | null => (word === 0n ? null : fromWad(word));

export function chainParams(reads: ChainParamReads): GovernedParams {
  return {
    source: 'chain',
    block: reads.block,
    assets: new Map(reads.assets.map((a) => [a.assetId, { weightInit: fromWad(a.initWeight), weightMaint: fromWad(a.maintWeight) }])),
    chains: new Map(reads.chains.map((c) => [c.eid, fromWad(c.weight)])),
    markets: new Map(reads.markets.map((m) => [m.marketId, { imr: fromWad(m.imr), mmr: fromWad(m.mmr), takerFee: fromWad(m.takerFee) }])),
    marketCaps: new Map(
      reads.markets.map((m) => [
        m.marketId,
        { assetId: m.assetId, openInterestCap: capOf(m.openInterestCap), accountOpenInterestCap: capOf(m.accountOpenInterestCap) },
      ]),
    ),
    exposureCaps: new Map(reads.exposureCaps.map((e) => [e.assetId, capOf(e.cap)])),
    stable: new Map(reads.stable.map((s) => [s.assetId, { maxStep: fromWad(s.maxStep), intervalSeconds: Number(s.intervalSeconds) }])),
    liquidation: reads.globals && {
      markOverrideHealth: fromWad(reads.globals.markOverrideHealth),
      penalty: fromWad(reads.globals.liquidationPenalty),
    },
    pusherGuard: reads.globals && {
      capacityUsd: fromWad(reads.globals.guardCapacity),
      refillUsdPerSecond: fromWad(reads.globals.guardRefill),
    },
  };
}

/** Every parameter that differs between `before` and `after` (ids ascending within a kind). */
export function paramChanges(before: GovernedParams, after: GovernedParams): ParamChange[] {
  const out: ParamChange[] = [];
  const diff = <T>(kind: ParamChange['kind'], a: Map<number, T>, b: Map<number, T>, pick: (v: T) => number | null) => {
    const ids = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
    for (const id of ids) {
      const old = a.has(id) ? (pick(a.get(id)!) ?? undefined) : undefined;
      const value = b.has(id) ? (pick(b.get(id)!) ?? undefined) : undefined;
      if (old !== value) out.push({ kind, id, old, value });
    }
  };
  diff('initWeight', before.assets, after.assets, (v) => v.weightInit);
  diff('maintWeight', before.assets, after.assets, (v) => v.weightMaint);
  diff('chainWeight', before.chains, after.chains, (v) => v);
  diff('imr', before.markets, after.markets, (v) => v.imr);
  diff('mmr', before.markets, after.markets, (v) => v.mmr);
  diff('marketOpenInterestCap', before.marketCaps, after.marketCaps, (v) => v.openInterestCap);
  diff('accountOpenInterestCap', before.marketCaps, after.marketCaps, (v) => v.accountOpenInterestCap);
  diff('accountExposureCap', before.exposureCaps, after.exposureCaps, (v) => v);
  diff('takerFee', before.markets, after.markets, (v) => v.takerFee);
  diff('stableMaxStep', before.stable, after.stable, (v) => v.maxStep);
  diff('stableInterval', before.stable, after.stable, (v) => v.intervalSeconds);
  const single = <T>(value: T | null) => new Map<number, T>(value === null ? [] : [[0, value]]);
  diff('markOverrideHealth', single(before.liquidation), single(after.liquidation), (v) => v.markOverrideHealth);
  diff('liquidationPenalty', single(before.liquidation), single(after.liquidation), (v) => v.penalty);
  diff('guardCapacity', single(before.pusherGuard), single(after.pusherGuard), (v) => v.capacityUsd);
  diff('guardRefill', single(before.pusherGuard), single(after.pusherGuard), (v) => v.refillUsdPerSecond);
  return out;
}

/** The manifest asset with its base weights replaced by the governed ones (unchanged if the asset has none). */
export function withGovernedWeights(asset: ManifestAsset, params: GovernedParams): ManifestAsset {
  const governed = params.assets.get(asset.assetId);
  return governed ? { ...asset, weightInit: governed.weightInit, weightMaint: governed.weightMaint } : asset;
}
