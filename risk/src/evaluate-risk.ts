import { adjustedPnl, healthOf, isLiquidatable, signedCreditLimitOf, sizeAdjustedWeight, stressedCorrelation, valueAtRisk } from './risk-formulas';
import { DEFAULT_STRESS, type RiskRequestInput } from './risk-request.schema';
import { RiskInputError, type RiskResult } from './risk-result';

/**
 * docs/risk-model.md steps 1–8 with the cash term and the stable-price dampener, written as directly as
 * the formulas read. This is the reference
 * the what-if API uses and the one `RiskBook` is tested against. Input is expected to have passed
 * `riskRequestSchema`; unknown asset ids or chains still throw `RiskInputError` here.
 */
export function evaluateRisk(request: RiskRequestInput): RiskResult {
  const { assets, chains, params } = request;
  const correlations = request.correlations ?? [];
  const balances = request.balances ?? [];
  const positions = request.positions ?? [];
  const stress = params.stress ?? DEFAULT_STRESS;
  const cash = request.cash ?? 0;

  const assetIndex = new Map(assets.map((asset, i) => [asset.id, i]));
  const chainWeight = new Map(chains.map((chain) => [chain.eid, chain.weight]));
  const indexOf = (assetId: string, where: string): number => {
    const index = assetIndex.get(assetId);
    if (index === undefined) throw new RiskInputError(`${where}: asset '${assetId}' is not listed`);
    return index;
  };
  const n = assets.length;

  // 1. Total units per asset over all chains, and the size-adjusted weights.
  const totalUnits = new Array<number>(n).fill(0);
  for (const balance of balances) totalUnits[indexOf(balance.assetId, 'balances')] += balance.amount;
  const weightInit = assets.map((asset, k) => sizeAdjustedWeight(asset.weightInit, asset.imf, totalUnits[k]));
  const weightMaint = assets.map((asset, k) => sizeAdjustedWeight(asset.weightMaint, asset.imf, totalUnits[k]));

  // Stable-price dampener: the init side values assets at p⁻ = min(p, s) and liabilities at p⁺ = max(p, s).
  const priceLow = assets.map((asset) => Math.min(asset.price, asset.stablePrice ?? asset.price));
  const priceHigh = assets.map((asset) => Math.max(asset.price, asset.stablePrice ?? asset.price));

  // 2. Collateral value, each balance weighted by its asset and its chain; cash counts at weight 1.
  let collateralInit = cash;
  let collateralMaint = cash;
  for (const balance of balances) {
    const k = indexOf(balance.assetId, 'balances');
    const v = chainWeight.get(balance.eid);
    if (v === undefined) throw new RiskInputError(`balances: chain eid ${balance.eid} is not listed`);
    collateralInit += balance.amount * priceLow[k] * weightInit[k] * v;
    collateralMaint += balance.amount * assets[k].price * weightMaint[k] * v;
  }

  // 3. Unrealized PnL of the perps; 4. exposure; 6. margin floors.
  // The init side marks a long at p⁻ and a short at p⁺ (a dampened price never flatters the account).
  let unrealizedPnl = 0;
  let unrealizedPnlInit = 0;
  let floorInit = 0;
  let floorMaint = 0;
  const exposure = assets.map((asset, k) => totalUnits[k] * asset.price);
  for (const position of positions) {
    const k = indexOf(position.assetId, 'positions');
    const price = assets[k].price;
    unrealizedPnl += position.size * (price - position.entryPrice);
    unrealizedPnlInit += position.size * ((position.size > 0 ? priceLow[k] : priceHigh[k]) - position.entryPrice);
    exposure[k] += position.size * price;
    floorInit += Math.abs(position.size) * priceHigh[k] * position.imr;
    floorMaint += Math.abs(position.size) * price * position.mmr;
  }
  const pnlAdjusted = adjustedPnl(unrealizedPnl, params.pnlWeight);
  const pnlAdjustedInit = adjustedPnl(unrealizedPnlInit, params.pnlWeight);

  // 5. Stressed correlation matrix (identity on the diagonal, missing pairs 0), then eᵀΣe.
  const rho: number[][] = assets.map((_, k) => assets.map((__, l) => (k === l ? 1 : 0)));
  for (const corr of correlations) {
    const a = indexOf(corr.a, 'correlations');
    const b = indexOf(corr.b, 'correlations');
    if (a === b) continue;
    rho[a][b] = rho[b][a] = stressedCorrelation(corr.rho, stress);
  }
  let quadraticForm = 0;
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      quadraticForm += exposure[k] * exposure[l] * assets[k].volatility * assets[l].volatility * rho[k][l];
    }
  }

  // 6–8. VaR, requirement, health, credit.
  const varInit = valueAtRisk(params.zInit, params.horizonDays, quadraticForm);
  const varMaint = valueAtRisk(params.zMaint, params.horizonDays, quadraticForm);
  const requirementInit = Math.max(varInit, floorInit);
  const requirementMaint = Math.max(varMaint, floorMaint);
  const health = healthOf(collateralMaint, pnlAdjusted, requirementMaint);
  return {
    collateralInit,
    collateralMaint,
    unrealizedPnl,
    pnlAdjusted,
    exposure: Object.fromEntries(assets.map((asset, k) => [asset.id, exposure[k]])),
    varInit,
    varMaint,
    floorInit,
    floorMaint,
    requirementInit,
    requirementMaint,
    health,
    creditLimit: Math.max(0, signedCreditLimitOf(collateralInit, pnlAdjustedInit, varInit, floorInit)),
    creditLimitSigned: signedCreditLimitOf(collateralInit, pnlAdjustedInit, varInit, floorInit),
    liquidatable: isLiquidatable(health),
  };
}
