/**
 * How long a crash takes to clear at the default liquidation rate limit (10 % of open interest per hour).
 * A levered book (10,000 accounts: USDC collateral, one ETH perp, 70 % long with leverage 1–10×, 30 % short) sees
 * ETH fall 50 % in one block; every liquidatable account becomes a candidate counted as the service counts it (the
 * notional its DESIGN plan closes, plus debt × (1 + π) seized when the plan closes everything), and the keeper calls
 * `admit` once a minute. Yardstick in the same run: every account counted at its whole notional plus a full close's
 * deficit (what the service counted before).
 * L_max is a share of the open interest before the crash (the service's trailing high).
 * Run: npx tsx bench/crash-clear.bench.ts   (from risk/)
 */
import {
  DEFAULT_LIQUIDATION_PENALTY,
  DEFAULT_TARGET_HEALTH,
  EMPTY_RATE_LIMIT_STATE,
  RiskBook,
  admitLiquidations,
  planLiquidationWith,
  type LiquidationCandidate,
} from '../src';
import { seededRandom } from './synthetic-book';

const ACCOUNTS = Number(process.env.ACCOUNTS ?? 10_000);
const random = seededRandom(7);
const book = new RiskBook({
  assets: [
    { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
    { id: 'ETH', price: 2_000, weightInit: 0.8, weightMaint: 0.85, imf: 0, volatility: 0.05 },
  ],
  correlations: [],
  chains: [{ eid: 30101, weight: 1 }],
  params: { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 },
});
const positions = new Map<string, { size: number; entry: number; collateral: number }>();
for (let i = 0; i < ACCOUNTS; i++) {
  const collateral = 1_000 + random() * 99_000;
  const leverage = 1 + random() * 9;
  const size = ((random() < 0.7 ? 1 : -1) * collateral * leverage) / 2_000;
  const entry = 2_000 * (0.95 + random() * 0.1);
  positions.set(`a${i}`, { size, entry, collateral });
  book.setAccount(`a${i}`, {
    balances: [{ eid: 30101, assetId: 'USDC', amount: collateral }],
    positions: [{ assetId: 'ETH', size, entryPrice: entry, imr: 0.1, mmr: 0.05 }],
  });
}
const openInterest = (price: number) => [...positions.values()].reduce((s, p) => s + Math.abs(p.size) * price, 0);
const before = openInterest(2_000);
book.onPriceTick('ETH', 1_000);
const planned: LiquidationCandidate[] = [];
const wholeNotional: LiquidationCandidate[] = [];
const penalty = DEFAULT_LIQUIDATION_PENALTY;
for (const summary of book.summaries()) {
  if (!summary.liquidatable) continue;
  const p = positions.get(summary.accountId)!;
  const notional = Math.abs(p.size) * 1_000;
  const fullCloseCash = p.size * (1_000 - p.entry) - penalty * notional;
  const base = { account: summary.accountId, health: summary.health };
  wholeNotional.push({ ...base, notional, seized: Math.min(p.collateral, Math.max(0, -fullCloseCash)) });
  const balances = [{ eid: 30101, assetId: 'USDC', amount: p.collateral }];
  const plan = planLiquidationWith(
    {
      positions: [{ assetId: 'ETH', size: p.size, entryPrice: p.entry, imr: 0.1, mmr: 0.05 }],
      cash: 0,
      priceOf: (id) => (id === 'ETH' ? 1_000 : 1),
      targetHealth: DEFAULT_TARGET_HEALTH,
      liquidationPenalty: penalty,
    },
    (kept, cash) => book.preview({ balances, positions: kept, cash }).health,
  );
  const seized = plan.fraction === 1 ? Math.min(p.collateral, Math.max(0, -plan.cashAfter) * (1 + penalty)) : 0;
  planned.push({ ...base, notional: plan.closedNotional, seized });
}

/** Admits once a minute until the queue is empty: accounts admitted in the first hour, hours to clear. */
function clear(candidates: LiquidationCandidate[]): { firstHour: number; hours: number; cost: number } {
  let state = EMPTY_RATE_LIMIT_STATE;
  let queue = candidates;
  let now = 0;
  let firstHour = 0;
  while (queue.length > 0) {
    const result = admitLiquidations(state, queue, now, before);
    state = result.state;
    queue = result.queued;
    if (now < 3_600) firstHour += result.admitted.length;
    if (queue.length > 0) now += 60;
  }
  return { firstHour, hours: now / 3_600, cost: candidates.reduce((s, c) => s + c.notional + c.seized, 0) };
}

const usd = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`${ACCOUNTS} accounts, open interest ${usd(before)} USD before the crash (${usd(openInterest(1_000))} after)`);
console.log(`ETH −50 %: ${planned.length} liquidatable; L_max ${usd(0.1 * before)} USD per hour`);
for (const [name, candidates] of [
  ['planned (the service)', planned],
  ['whole notional (yardstick)', wholeNotional],
] as const) {
  const r = clear(candidates);
  console.log(
    `  ${name.padEnd(27)} counted ${usd(r.cost)} USD = ${(r.cost / (0.1 * before)).toFixed(2)} × L_max; ` +
      `first hour admits ${r.firstHour}; the queue clears after ${r.hours.toFixed(2)} h`,
  );
}
