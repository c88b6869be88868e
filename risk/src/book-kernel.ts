import type { BookColumns } from './book-columns';
import { adjustedPnl, healthOf, isLiquidatable, signedCreditLimitOf, sizeWeightCap, valueAtRisk } from './risk-formulas';
import type { RiskMarket } from './risk-market';
import type { AccountRiskSummary, RiskResult } from './risk-result';

/**
 * docs/risk-model.md steps 1–8 over one account slot of the columns: `derive` rebuilds the per-asset terms that only
 * balances, positions, chain weights and imf move; `compute` does the rest at the market's current prices. Both are
 * tight loops over typed arrays that allocate nothing.
 */
export class BookKernel {
  /** Work arrays: the held asset indices of the account at hand, and its net perp size per asset. */
  private readonly heldList: Int32Array;
  private readonly netSize: Float64Array;
  private readonly exposure: Float64Array;

  constructor(
    private readonly columns: BookColumns,
    private readonly market: RiskMarket,
  ) {
    this.heldList = new Int32Array(columns.assetCount);
    this.netSize = new Float64Array(columns.assetCount);
    this.exposure = new Float64Array(columns.assetCount);
  }

  /** Step 1 and the chain weighting of step 2: `S_k`, `Σ_c b(c,k)·v_c`, the size cap, and the held masks. */
  derive(slot: number): void {
    const col = this.columns;
    const n = col.assetCount;
    const chains = col.chainCount;
    const { balance, present, units, weightedUnits, sizeCap, heldAsset, heldChain } = col;
    const chainWeight = this.market.chainWeight;
    const base = slot * col.slotsPerAccount;
    const ab = slot * n;
    const pw = slot * col.slotWords;
    const aw = slot * col.assetWords;
    const cw = slot * col.chainWords;
    for (let k = 0; k < n; k++) units[ab + k] = weightedUnits[ab + k] = 0;
    for (let w = 0; w < col.assetWords; w++) heldAsset[aw + w] = 0;
    for (let w = 0; w < col.chainWords; w++) heldChain[cw + w] = 0;
    for (let c = 0; c < chains; c++) {
      const v = chainWeight[c];
      let chainHeld = false;
      for (let k = 0; k < n; k++) {
        const s = c * n + k;
        if (((present[pw + (s >>> 5)] >>> (s & 31)) & 1) === 0) continue;
        const b = balance[base + s];
        units[ab + k] += b;
        weightedUnits[ab + k] += b * v;
        heldAsset[aw + (k >>> 5)] |= 1 << (k & 31);
        chainHeld = true;
      }
      if (chainHeld) heldChain[cw + (c >>> 5)] |= 1 << (c & 31);
    }
    const start = col.positionStart[slot];
    const end = start + col.positionCount[slot];
    const positionAsset = col.positionAsset;
    for (let m = start; m < end; m++) {
      const k = positionAsset[m];
      heldAsset[aw + (k >>> 5)] |= 1 << (k & 31);
    }
    const imf = this.market.imf;
    for (let k = 0; k < n; k++) {
      if (((heldAsset[aw + (k >>> 5)] >>> (k & 31)) & 1) === 1) sizeCap[ab + k] = sizeWeightCap(imf[k], units[ab + k]);
    }
  }

  /** Steps 2–8 on the derived terms at the current prices: O(held assets² + positions). */
  compute(slot: number): void {
    const col = this.columns;
    const { price, stablePrice, weightInit, weightMaint, covariance, params } = this.market;
    const n = col.assetCount;
    const ab = slot * n;
    const held = this.heldList;
    const net = this.netSize;
    const exposure = this.exposure;
    const heldCount = this.collectHeld(slot);
    const start = col.positionStart[slot];
    const end = start + col.positionCount[slot];
    const { positionAsset, positionSize, positionEntry, positionImr, positionMmr } = col;
    // The init side at the dampened prices p⁻ = min(p, s), p⁺ = max(p, s); a NaN stable price means "none".
    let unrealizedPnl = 0;
    let unrealizedPnlInit = 0;
    let floorInit = 0;
    let floorMaint = 0;
    for (let m = start; m < end; m++) {
      const k = positionAsset[m];
      const p = price[k];
      const s = stablePrice[k];
      const high = s > p ? s : p;
      const size = positionSize[m];
      const entry = positionEntry[m];
      unrealizedPnl += size * (p - entry);
      unrealizedPnlInit += size * ((size > 0 ? (s < p ? s : p) : high) - entry);
      floorInit += Math.abs(size) * high * positionImr[m];
      floorMaint += Math.abs(size) * p * positionMmr[m];
      net[k] += size;
    }
    const cash = col.cash[slot];
    let collateralInit = cash;
    let collateralMaint = cash;
    const { units, weightedUnits, sizeCap } = col;
    for (let j = 0; j < heldCount; j++) {
      const k = held[j];
      const p = price[k];
      const s = stablePrice[k];
      const cap = sizeCap[ab + k];
      const weighted = weightedUnits[ab + k];
      collateralInit += weighted * (s < p ? s : p) * Math.min(weightInit[k], cap);
      collateralMaint += weighted * p * Math.min(weightMaint[k], cap);
      exposure[j] = (units[ab + k] + net[k]) * p;
    }
    let quadraticForm = 0;
    for (let j = 0; j < heldCount; j++) {
      const ej = exposure[j];
      if (ej === 0) continue;
      const row = held[j] * n;
      let cross = 0;
      for (let l = j + 1; l < heldCount; l++) cross += exposure[l] * covariance[row + held[l]];
      quadraticForm += ej * (ej * covariance[row + held[j]] + 2 * cross);
    }
    const pnlAdjusted = adjustedPnl(unrealizedPnl, params.pnlWeight);
    const varInit = valueAtRisk(params.zInit, params.horizonDays, quadraticForm);
    const varMaint = valueAtRisk(params.zMaint, params.horizonDays, quadraticForm);
    const r = col.result;
    r.collateralInit[slot] = collateralInit;
    r.collateralMaint[slot] = collateralMaint;
    r.unrealizedPnl[slot] = unrealizedPnl;
    r.pnlAdjusted[slot] = pnlAdjusted;
    r.varInit[slot] = varInit;
    r.varMaint[slot] = varMaint;
    r.floorInit[slot] = floorInit;
    r.floorMaint[slot] = floorMaint;
    r.health[slot] = healthOf(collateralMaint, pnlAdjusted, Math.max(varMaint, floorMaint)) ?? Number.NaN;
    r.creditLimitSigned[slot] = signedCreditLimitOf(collateralInit, adjustedPnl(unrealizedPnlInit, params.pnlWeight), varInit, floorInit);
  }

  /** The account's net exposure per asset (USD, by asset index; 0 for assets it does not hold). */
  exposureOf(slot: number): Float64Array {
    const col = this.columns;
    const out = new Float64Array(col.assetCount);
    const heldCount = this.collectHeld(slot);
    const start = col.positionStart[slot];
    for (let m = start; m < start + col.positionCount[slot]; m++) this.netSize[col.positionAsset[m]] += col.positionSize[m];
    for (let j = 0; j < heldCount; j++) {
      const k = this.heldList[j];
      out[k] = (col.units[slot * col.assetCount + k] + this.netSize[k]) * this.market.price[k];
    }
    return out;
  }

  summary(slot: number, accountId: string): AccountRiskSummary {
    const r = this.columns.result;
    const healthOrNaN = r.health[slot];
    const health = Number.isNaN(healthOrNaN) ? null : healthOrNaN;
    const creditLimitSigned = r.creditLimitSigned[slot];
    return {
      accountId,
      collateralInit: r.collateralInit[slot],
      collateralMaint: r.collateralMaint[slot],
      unrealizedPnl: r.unrealizedPnl[slot],
      pnlAdjusted: r.pnlAdjusted[slot],
      varInit: r.varInit[slot],
      varMaint: r.varMaint[slot],
      floorInit: r.floorInit[slot],
      floorMaint: r.floorMaint[slot],
      requirementInit: Math.max(r.varInit[slot], r.floorInit[slot]),
      requirementMaint: Math.max(r.varMaint[slot], r.floorMaint[slot]),
      health,
      creditLimit: Math.max(0, creditLimitSigned),
      creditLimitSigned,
      liquidatable: isLiquidatable(health),
    };
  }

  /** Full result, shaped like `evaluateRisk`'s (exposure lists every market asset). */
  result(slot: number): RiskResult {
    const exposureByIndex = this.exposureOf(slot);
    const exposure: Record<string, number> = {};
    this.market.assetIds.forEach((id, k) => (exposure[id] = exposureByIndex[k]));
    const { accountId: _accountId, ...summary } = this.summary(slot, '');
    return { ...summary, exposure };
  }

  /** Fills `heldList` with the slot's held asset indices (ascending), zeroes their net sizes; returns the count. */
  private collectHeld(slot: number): number {
    const col = this.columns;
    const heldAsset = col.heldAsset;
    const aw = slot * col.assetWords;
    let count = 0;
    for (let k = 0; k < col.assetCount; k++) {
      if (((heldAsset[aw + (k >>> 5)] >>> (k & 31)) & 1) === 1) {
        this.heldList[count++] = k;
        this.netSize[k] = 0;
      }
    }
    return count;
  }
}
