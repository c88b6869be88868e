/** Small formula pieces of the risk model (docs/risk-model.md), shared by `evaluateRisk` and `RiskBook`. */

/** Step 1: `min(w0, 1.1 / (1 + imf * sqrt(S)))` — large holdings of an asset get a smaller weight. */
export function sizeAdjustedWeight(baseWeight: number, imf: number, totalUnits: number): number {
  return Math.min(baseWeight, sizeWeightCap(imf, totalUnits));
}

/** The size-dependent cap `1.1 / (1 + imf * sqrt(S))` of step 1. */
export function sizeWeightCap(imf: number, totalUnits: number): number {
  return 1.1 / (1 + imf * Math.sqrt(totalUnits));
}

/** Step 5: stress strengthens co-movement (`min(stress·ρ, 1)`) and weakens hedges (`ρ / stress`). */
export function stressedCorrelation(rho: number, stress: number): number {
  return rho >= 0 ? Math.min(stress * rho, 1) : rho / stress;
}

/** Step 3: a net loss counts fully, a net gain only by `pnlWeight`. */
export function adjustedPnl(unrealizedPnl: number, pnlWeight: number): number {
  return unrealizedPnl < 0 ? unrealizedPnl : pnlWeight * unrealizedPnl;
}

/** Step 6: `z * sqrt(h) * sqrt(max(0, eᵀΣe))`. */
export function valueAtRisk(z: number, horizonDays: number, quadraticForm: number): number {
  return z * Math.sqrt(horizonDays) * Math.sqrt(Math.max(0, quadraticForm));
}

/** Step 7: `null` means unbounded (nothing is required). */
export function healthOf(collateralMaint: number, pnlAdjusted: number, requirementMaint: number): number | null {
  return requirementMaint === 0 ? null : (collateralMaint + pnlAdjusted) / requirementMaint;
}

/** Step 8: `max(0, C^init + Ua − max(0, VaR^init − F^init))`. */
export function creditLimitOf(collateralInit: number, pnlAdjusted: number, varInit: number, floorInit: number): number {
  return Math.max(0, signedCreditLimitOf(collateralInit, pnlAdjusted, varInit, floorInit));
}

/** Step 8 before its `max(0, ·)`: negative when a debt exceeds what the collateral covers (the chain's signed limit). */
export function signedCreditLimitOf(collateralInit: number, pnlAdjusted: number, varInit: number, floorInit: number): number {
  return collateralInit + pnlAdjusted - Math.max(0, varInit - floorInit);
}

export function isLiquidatable(health: number | null): boolean {
  return health !== null && health < 1;
}
