import { adjustedPnl, healthOf, isLiquidatable, signedCreditLimitOf, valueAtRisk } from './risk-formulas';
import type { RiskMarket } from './risk-market';
import type { RiskResult } from './risk-result';

/**
 * One account inside `RiskBook`: its raw balances/positions (by dense asset and chain index), the
 * per-held-asset terms that only change when balances or chain weights change, and its last result.
 * Plain number arrays: cheaper than typed arrays for 100k small accounts.
 */
export class AccountRiskState {
  // Raw inputs. A balance key is `chainIndex * assetCount + assetIndex`.
  balanceKeys: number[] = [];
  balanceAmounts: number[] = [];
  positionAsset: number[] = [];
  positionSize: number[] = [];
  positionEntry: number[] = [];
  positionImr: number[] = [];
  positionMmr: number[] = [];
  /** Signed USD cash on the trading chain (weight 1 in both collaterals). */
  cash = 0;

  // Derived per held asset j (global asset index heldAssets[j]).
  heldAssets: number[] = [];
  heldChains: number[] = [];
  totalUnits: number[] = [];
  chainWeightedUnits: number[] = [];
  sizeCap: number[] = [];
  netPerpSize: number[] = [];

  // Last result.
  exposure: number[] = [];
  collateralInit = 0;
  collateralMaint = 0;
  unrealizedPnl = 0;
  pnlAdjusted = 0;
  varInit = 0;
  varMaint = 0;
  floorInit = 0;
  floorMaint = 0;
  creditLimit = 0;
  creditLimitSigned = 0;
  /** NaN = unbounded (null health); kept a plain double so updates allocate nothing. */
  healthOrNaN = Number.NaN;

  get health(): number | null {
    return Number.isNaN(this.healthOrNaN) ? null : this.healthOrNaN;
  }

  constructor(readonly accountId: string) {}

  /**
   * Rebuilds the per-held-asset terms from raw balances/positions and the current chain weights.
   * Allocation-free when the set of held assets is unchanged (recomputeAll re-derives every account).
   */
  derive(market: RiskMarket, scratch: DeriveScratch): void {
    const n = market.assetCount;
    const { assetLocal, heldOrder, chainSeen, chainOrder } = scratch;
    let heldCount = 0;
    let chainCount = 0;
    for (let i = 0; i < this.balanceKeys.length; i++) {
      const key = this.balanceKeys[i];
      const k = key % n;
      const c = (key - k) / n;
      if (assetLocal[k] < 0) {
        assetLocal[k] = heldCount;
        heldOrder[heldCount++] = k;
      }
      if (chainSeen[c] === 0) {
        chainSeen[c] = 1;
        chainOrder[chainCount++] = c;
      }
    }
    for (let m = 0; m < this.positionAsset.length; m++) {
      const k = this.positionAsset[m];
      if (assetLocal[k] < 0) {
        assetLocal[k] = heldCount;
        heldOrder[heldCount++] = k;
      }
    }
    if (this.heldAssets.length !== heldCount) {
      this.heldAssets = new Array<number>(heldCount);
      this.totalUnits = new Array<number>(heldCount);
      this.chainWeightedUnits = new Array<number>(heldCount);
      this.sizeCap = new Array<number>(heldCount);
      this.netPerpSize = new Array<number>(heldCount);
      this.exposure = new Array<number>(heldCount);
    }
    if (this.heldChains.length !== chainCount) this.heldChains = new Array<number>(chainCount);
    for (let j = 0; j < chainCount; j++) {
      this.heldChains[j] = chainOrder[j];
      chainSeen[chainOrder[j]] = 0;
    }
    const units = this.totalUnits;
    const weighted = this.chainWeightedUnits;
    const net = this.netPerpSize;
    for (let j = 0; j < heldCount; j++) {
      this.heldAssets[j] = heldOrder[j];
      units[j] = weighted[j] = net[j] = this.exposure[j] = 0;
    }
    for (let i = 0; i < this.balanceKeys.length; i++) {
      const key = this.balanceKeys[i];
      const k = key % n;
      const j = assetLocal[k];
      const amount = this.balanceAmounts[i];
      units[j] += amount;
      weighted[j] += amount * market.chainWeight[(key - k) / n];
    }
    for (let m = 0; m < this.positionAsset.length; m++) net[assetLocal[this.positionAsset[m]]] += this.positionSize[m];
    for (let j = 0; j < heldCount; j++) {
      this.sizeCap[j] = market.sizeCap(heldOrder[j], units[j]);
      assetLocal[heldOrder[j]] = -1;
    }
  }

  /** Steps 2–8 on the derived terms: O(held assets² + positions). */
  compute(market: RiskMarket): void {
    const { price, stablePrice, weightInit, weightMaint, covariance, assetCount: n, params } = market;
    const held = this.heldAssets;
    const exposure = this.exposure;
    // Init side at the dampened prices p⁻ = min(p, s), p⁺ = max(p, s); a NaN stable price means "none".
    let collateralInit = this.cash;
    let collateralMaint = this.cash;
    for (let j = 0; j < held.length; j++) {
      const k = held[j];
      const p = price[k];
      const s = stablePrice[k];
      const cap = this.sizeCap[j];
      collateralInit += this.chainWeightedUnits[j] * (s < p ? s : p) * Math.min(weightInit[k], cap);
      collateralMaint += this.chainWeightedUnits[j] * p * Math.min(weightMaint[k], cap);
      exposure[j] = (this.totalUnits[j] + this.netPerpSize[j]) * p;
    }
    let unrealizedPnl = 0;
    let unrealizedPnlInit = 0;
    let floorInit = 0;
    let floorMaint = 0;
    for (let m = 0; m < this.positionAsset.length; m++) {
      const k = this.positionAsset[m];
      const p = price[k];
      const s = stablePrice[k];
      const high = s > p ? s : p;
      const size = this.positionSize[m];
      unrealizedPnl += size * (p - this.positionEntry[m]);
      unrealizedPnlInit += size * ((size > 0 ? (s < p ? s : p) : high) - this.positionEntry[m]);
      floorInit += Math.abs(size) * high * this.positionImr[m];
      floorMaint += Math.abs(size) * p * this.positionMmr[m];
    }
    let quadraticForm = 0;
    for (let j = 0; j < held.length; j++) {
      const ej = exposure[j];
      if (ej === 0) continue;
      const row = held[j] * n;
      let cross = 0;
      for (let l = j + 1; l < held.length; l++) cross += exposure[l] * covariance[row + held[l]];
      quadraticForm += ej * (ej * covariance[row + held[j]] + 2 * cross);
    }
    const pnlAdjusted = adjustedPnl(unrealizedPnl, params.pnlWeight);
    this.collateralInit = collateralInit;
    this.collateralMaint = collateralMaint;
    this.unrealizedPnl = unrealizedPnl;
    this.pnlAdjusted = pnlAdjusted;
    this.varInit = valueAtRisk(params.zInit, params.horizonDays, quadraticForm);
    this.varMaint = valueAtRisk(params.zMaint, params.horizonDays, quadraticForm);
    this.floorInit = floorInit;
    this.floorMaint = floorMaint;
    this.healthOrNaN = healthOf(collateralMaint, pnlAdjusted, Math.max(this.varMaint, floorMaint)) ?? Number.NaN;
    this.creditLimitSigned = signedCreditLimitOf(collateralInit, adjustedPnl(unrealizedPnlInit, params.pnlWeight), this.varInit, floorInit);
    this.creditLimit = Math.max(0, this.creditLimitSigned);
  }

  summary(): AccountRiskSummary {
    return {
      accountId: this.accountId,
      collateralInit: this.collateralInit,
      collateralMaint: this.collateralMaint,
      unrealizedPnl: this.unrealizedPnl,
      pnlAdjusted: this.pnlAdjusted,
      varInit: this.varInit,
      varMaint: this.varMaint,
      floorInit: this.floorInit,
      floorMaint: this.floorMaint,
      requirementInit: Math.max(this.varInit, this.floorInit),
      requirementMaint: Math.max(this.varMaint, this.floorMaint),
      health: this.health,
      creditLimit: this.creditLimit,
      creditLimitSigned: this.creditLimitSigned,
      liquidatable: isLiquidatable(this.health),
    };
  }

  result(market: RiskMarket): RiskResult {
    const exposure: Record<string, number> = Object.fromEntries(market.assetIds.map((id) => [id, 0]));
    this.heldAssets.forEach((k, j) => (exposure[market.assetIds[k]] = this.exposure[j]));
    const { accountId: _accountId, ...summary } = this.summary();
    return { ...summary, exposure };
  }
}

/** Reusable work arrays for `derive` (one per book; sized by asset and chain count). */
export class DeriveScratch {
  readonly assetLocal: Int32Array;
  readonly heldOrder: Int32Array;
  readonly chainSeen: Uint8Array;
  readonly chainOrder: Int32Array;

  constructor(assetCount: number, chainCount: number) {
    this.assetLocal = new Int32Array(assetCount).fill(-1);
    this.heldOrder = new Int32Array(assetCount);
    this.chainSeen = new Uint8Array(chainCount);
    this.chainOrder = new Int32Array(chainCount);
  }
}

/** A `RiskResult` without the exposure map, tagged with its account. */
export type AccountRiskSummary = Omit<RiskResult, 'exposure'> & { accountId: string };
