import { formatUnits } from 'ethers';
import type { AccountRiskBody, RiskRequestBody, RiskResultBody } from '../api/types';
import { read, type TraderContext } from '../chain/context';
import { TributaryError } from '../core/errors';
import { parseAmount, parseSize, usd } from '../core/units';

/**
 * The risk model's parameters as the aggregator runs them by default (aggregator/src/config/risk-config.ts:
 * RISK_Z_INIT, RISK_Z_MAINT, RISK_HORIZON_DAYS, RISK_STRESS, RISK_PNL_WEIGHT); the API does not publish them.
 */
export const DEFAULT_MODEL_PARAMS: RiskRequestBody['params'] = { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 };

/** One hypothetical change; amounts and sizes as in the actions (human units; a size is signed). */
export type WhatIfChange =
  | { deposit: { chain: string; asset: string; amount: string } }
  | { withdraw: { chain: string; asset: string; amount: string } }
  | { trade: { asset: string; size: string } }
  | { cash: string };

export interface WhatIfResult {
  /** The aggregator's live risk of the account now (null: the ledger does not know it yet). */
  live: RiskResultBody | null;
  /** The model on the inputs the SDK rebuilt (no change), and with the changes: compare these two. */
  before: RiskResultBody;
  after: RiskResultBody;
  /** The POST /v1/risk/evaluate body of `after`. */
  request: RiskRequestBody;
  notes: string[];
}

/**
 * The account's live inputs as an evaluate request: balances and positions from GET /v1/accounts/:a/risk (what the
 * live engine counts), prices from /v1/oracle/prices, current chain weights from /v1/risk/chains, cash from the
 * SettlementPool; asset weights, baseline volatilities and prior correlations from the manifest and the model
 * parameters of `DEFAULT_MODEL_PARAMS` (the live engine may have moved these: EWMA volatility, scaled weights).
 */
export async function liveRiskRequest(
  ctx: TraderContext,
  account: string,
  params: RiskRequestBody['params'] = DEFAULT_MODEL_PARAMS,
): Promise<{ request: RiskRequestBody; risk: AccountRiskBody | null }> {
  const d = ctx.deployment;
  const pool = d.trading.contracts.settlementPool ? d.settlementPool() : null;
  const [risk, prices, chains, cash] = await Promise.all([
    ctx.api.accountRisk(account),
    ctx.api.oraclePrices(),
    ctx.api.riskChains(),
    read('reading cash', () => (pool ? pool.cashOf(account) : Promise.resolve(0n))),
  ]);
  const priceOf = new Map(prices.prices.map((p) => [p.assetId, p.price ?? 0]));
  const request: RiskRequestBody = {
    assets: d.manifest.assets.map((a) => ({
      id: String(a.assetId),
      price: priceOf.get(a.assetId) ?? 0,
      weightInit: a.weightInit,
      weightMaint: a.weightMaint,
      imf: a.imf,
      volatility: a.volatility,
    })),
    correlations: d.manifest.correlations.filter((c) => c.a !== c.b).map((c) => ({ a: String(c.a), b: String(c.b), rho: c.rho })),
    chains: chains.chains.map((c) => ({ eid: c.eid, weight: c.weight })),
    balances: (risk?.inputs.balances ?? []).map((b) => ({ eid: b.eid, assetId: String(b.assetId), amount: b.amount })),
    positions: (risk?.inputs.positions ?? []).map((p) => ({
      assetId: String(p.assetId),
      size: p.size,
      entryPrice: p.entryPrice,
      imr: p.imr,
      mmr: p.mmr,
    })),
    cash: usd(cash),
    params,
  };
  return { request, risk };
}

/** `request` with `change` applied (a new object). A trade fills at the asset's price and pays the market's fee. */
export async function applyChange(ctx: TraderContext, request: RiskRequestBody, change: WhatIfChange): Promise<RiskRequestBody> {
  const d = ctx.deployment;
  const next: RiskRequestBody = structuredClone(request);
  next.balances ??= [];
  next.positions ??= [];
  if ('deposit' in change || 'withdraw' in change) {
    const { chain: name, asset: symbol, amount } = 'deposit' in change ? change.deposit : change.withdraw;
    const chain = d.collateralChain(name);
    const asset = d.chainAsset(chain, symbol);
    const units = Number(formatUnits(parseAmount(amount, asset.decimals), asset.decimals)) * ('deposit' in change ? 1 : -1);
    const row = next.balances.find((b) => b.eid === chain.eid && b.assetId === String(asset.assetId));
    const after = (row?.amount ?? 0) + units;
    if (after < -1e-12)
      throw new TributaryError(
        'insufficient-balance',
        `what-if: the account counts ${row?.amount ?? 0} ${asset.symbol} on ${chain.name}, less than ${amount}`,
      );
    if (row) row.amount = Math.max(0, after);
    else next.balances.push({ eid: chain.eid, assetId: String(asset.assetId), amount: Math.max(0, after) });
    if (!next.chains.some((c) => c.eid === chain.eid)) next.chains.push({ eid: chain.eid, weight: chain.weight });
  } else if ('trade' in change) {
    const market = await read('reading perp markets', () => d.market(change.trade.asset));
    const delta = Number(formatUnits(parseSize(change.trade.size), 18));
    const id = String(market.assetId);
    const price = next.assets.find((a) => a.id === id)?.price ?? 0;
    const index = next.positions.findIndex((p) => p.assetId === id);
    const current = index >= 0 ? next.positions[index]! : { assetId: id, size: 0, entryPrice: price, imr: market.imr, mmr: market.mmr };
    const size = current.size + delta;
    let entryPrice = current.entryPrice;
    if (current.size === 0 || Math.sign(size) !== Math.sign(current.size)) entryPrice = price;
    else if (Math.abs(size) > Math.abs(current.size)) entryPrice = (current.size * current.entryPrice + delta * price) / size;
    const closed = Math.sign(delta) !== Math.sign(current.size) ? Math.min(Math.abs(delta), Math.abs(current.size)) * Math.sign(current.size) : 0;
    next.cash = (next.cash ?? 0) + closed * (price - current.entryPrice) - Math.abs(delta) * price * market.feeRate;
    const position = { ...current, size, entryPrice, imr: market.imr, mmr: market.mmr };
    if (index >= 0) next.positions.splice(index, 1);
    if (Math.abs(size) > 1e-18) next.positions.push(position);
  } else {
    const value = Number(change.cash);
    if (!Number.isFinite(value)) throw new TributaryError('invalid-argument', `what-if: cash change must be a number, got "${change.cash}"`);
    next.cash = (next.cash ?? 0) + value;
  }
  return next;
}

/** "What if I deposit X / open Y / withdraw Z": the model before and after `changes`, beside the live risk. */
export async function whatIf(
  ctx: TraderContext,
  account: string,
  changes: WhatIfChange[],
  params?: RiskRequestBody['params'],
): Promise<WhatIfResult> {
  const { request: base, risk } = await liveRiskRequest(ctx, account, params);
  let request = base;
  for (const change of changes) request = await applyChange(ctx, request, change);
  const [before, after] = await Promise.all([ctx.api.evaluate(base), ctx.api.evaluate(request)]);
  const notes: string[] = [];
  const live = risk?.result ?? null;
  if (live && Math.abs(live.creditLimit - before.creditLimit) > Math.max(0.01 * Math.abs(live.creditLimit), 1))
    notes.push(
      `the live engine's credit limit (${live.creditLimit.toFixed(2)}) differs from the rebuilt model's (${before.creditLimit.toFixed(2)}): ` +
        'it runs on EWMA volatilities, correlations and scaled weights the API does not publish; compare `after` with `before`',
    );
  if (risk?.frozen.length) notes.push(`credit increases are frozen now: ${risk.frozen.map((f) => `${f.symbol} ${f.reason}`).join(', ')}`);
  return { live, before, after, request, notes };
}
