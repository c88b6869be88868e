/**
 * How long a crash takes to clear at the default liquidation rate limit (10 % of open interest per hour).
 * A levered book (10,000 accounts: USDC collateral, one ETH perp, 70 % long with leverage 1–10×, 30 % short) sees
 * ETH fall 50 % in one block; every liquidatable account becomes a candidate (notional at the new price plus the
 * collateral seized to cover its deficit after a 2 % penalty), and the keeper calls `admit` once a minute.
 * L_max is a share of the open interest before the crash (the service's trailing high).
 * Run: npx tsx bench/crash-clear.bench.ts   (from risk/)
 */
import { DEFAULT_LIQUIDATION_PENALTY, EMPTY_RATE_LIMIT_STATE, RiskBook, admitLiquidations, type LiquidationCandidate } from '../src';
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
const candidates: LiquidationCandidate[] = [];
for (const summary of book.summaries()) {
  if (!summary.liquidatable) continue;
  const p = positions.get(summary.accountId)!;
  const notional = Math.abs(p.size) * 1_000;
  const cashAfter = p.size * (1_000 - p.entry) - DEFAULT_LIQUIDATION_PENALTY * notional;
  candidates.push({ account: summary.accountId, health: summary.health, notional, seized: Math.min(p.collateral, Math.max(0, -cashAfter)) });
}
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
const cost = candidates.reduce((s, c) => s + c.notional + c.seized, 0);
const usd = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`${ACCOUNTS} accounts, open interest ${usd(before)} USD before the crash (${usd(openInterest(1_000))} after)`);
console.log(`ETH −50 %: ${candidates.length} liquidatable; notional + seized ${usd(cost)} USD = ${(cost / (0.1 * before)).toFixed(2)} × L_max`);
console.log(`L_max ${usd(0.1 * before)} USD per hour; first hour admits ${firstHour}; the queue clears after ${(now / 3_600).toFixed(2)} h`);
