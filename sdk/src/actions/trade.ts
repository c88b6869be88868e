import { read, transact, waitStage, type TraderContext } from '../chain/context';
import { onChainCredit } from '../chain/credit';
import { TributaryError } from '../core/errors';
import type { PerpMarketInfo } from '../chain/deployment';
import { Operation, type StageListener, type StageRecorder } from '../core/operation';
import { formatAmount, parseSize, usd } from '../core/units';

export interface TradeParams {
  /** Underlying symbol of the perp market, e.g. `WETH`. */
  asset: string;
  /** Signed size change in units of the underlying: `"2"` buys 2, `"-0.5"` sells 0.5. */
  size: string;
}

export interface TradeResult {
  account: string;
  market: string;
  marketId: number;
  txHash: string;
  /** Position after the fill (units, signed) and its entry price (USD). */
  size: string;
  entryPrice: number;
  /** Fill price, taker fee charged to cash, realized PnL of the reduced part (USD). */
  price: number;
  fee: number;
  realizedPnl: number;
  /** Initial margin the position holds from the credit, and the credit left (USD). */
  margin: number;
  availableCredit: number;
}

const FILL_EVENTS = new Set(['PositionOpened', 'PositionModified', 'PositionClosed']);

/**
 * Opens, changes or closes a perp position (`PerpMarket.modifyPosition`): a risk-increasing change needs fresh credit
 * covering the margin and the fee, else `insufficient-credit` (or `credit-stale`, `account-liquidatable`); a trade past
 * a governed cap is `position-cap` (the error names the cap: `MarketOpenInterestCap`, `AccountOpenInterestCap`,
 * `AccountExposureCap`). Stages:
 * sent → confirmed (the fill) → indexed (the ledger shows the new size) → risk (the aggregator's risk counts it).
 */
export function trade(ctx: TraderContext, params: TradeParams, listener?: StageListener): Operation<TradeResult> {
  return new Operation(
    'trade',
    async (recorder) => {
      const delta = parseSize(params.size);
      const market = await read('reading perp markets', () => ctx.deployment.market(params.asset));
      return fill(ctx, recorder, market, delta);
    },
    listener,
  );
}

/** Closes the whole position on `asset`'s market (`no-position` when there is none); the same stages as a trade. */
export function close(ctx: TraderContext, params: { asset: string }, listener?: StageListener): Operation<TradeResult> {
  return new Operation(
    'close',
    async (recorder) => {
      const market = await read('reading perp markets', () => ctx.deployment.market(params.asset));
      const position = await read('reading the position', () => ctx.deployment.perpMarket().position(ctx.address, market.marketId));
      if (position.size === 0n) throw new TributaryError('no-position', `${ctx.address} has no ${market.symbol} position`);
      return fill(ctx, recorder, market, -position.size);
    },
    listener,
  );
}

async function fill(ctx: TraderContext, recorder: StageRecorder, market: PerpMarketInfo, delta: bigint): Promise<TradeResult> {
  const d = ctx.deployment;
  const perp = d.perpMarket(ctx.signer(d.trading));
  const human = `${formatAmount(delta, 18)} ${market.symbol}`;
  await read(`price of ${market.symbol}`, () => perp.price(market.marketId));

  const receipt = await transact(recorder, `trade ${human}`, d.trading, () => perp.modifyPosition(market.marketId, delta), { market: market.symbol });
  const parsed = receipt.logs.map((log) => perp.interface.parseLog(log)).find((p) => p && FILL_EVENTS.has(p.name));
  if (!parsed) throw new TributaryError('reverted', `trade ${receipt.hash}: no fill event`);
  const size = parsed.args.size as bigint;
  const result = {
    size: formatAmount(size, 18),
    entryPrice: usd(parsed.args.entryPrice as bigint),
    price: usd(parsed.args.price as bigint),
    fee: usd(parsed.args.fee as bigint),
    realizedPnl: usd(parsed.args.realizedPnl as bigint),
    margin: usd(parsed.args.margin as bigint),
  };
  recorder.stage('confirmed', { block: receipt.blockNumber, event: parsed.name, ...result });

  await waitStage(
    ctx,
    'indexed',
    `the aggregator's ledger to show the ${market.symbol} position at ${result.size}`,
    async () => {
      const ledger = await ctx.api.account(ctx.address);
      const row = ledger?.positions.find((p) => p.marketId === market.marketId);
      return BigInt(row?.size ?? '0') === size ? true : undefined;
    },
    'is the aggregator indexing the trading chain?',
  );
  recorder.stage('indexed', { size: result.size });

  const expected = Number(result.size);
  const risk = await waitStage(
    ctx,
    'risk',
    `the aggregator's risk to count the ${market.symbol} position`,
    async () => {
      const r = await ctx.api.accountRisk(ctx.address);
      const counted = r?.inputs.positions.find((p) => p.marketId === market.marketId)?.size ?? 0;
      return r && Math.abs(counted - expected) <= 1e-12 * Math.max(1, Math.abs(expected)) ? r : undefined;
    },
    'is the aggregator running its risk engine?',
  );
  recorder.stage('risk', { health: risk.result.health, creditLimit: risk.result.creditLimit, liquidatable: risk.result.liquidatable });

  const credit = await onChainCredit(ctx, ctx.address);
  return {
    account: ctx.address,
    market: market.symbol,
    marketId: market.marketId,
    txHash: receipt.hash,
    ...result,
    availableCredit: usd(credit.available),
  };
}
