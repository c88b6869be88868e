import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatUnits } from 'ethers';
import { devWallet } from '@tributary/contracts';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient } from '@tributary/sdk';
import { Deployment, getJson, waitFor } from '../support/harness';
import { assertConserved, moves, snapshot } from '../support/conservation';
import type { LiquidationItem } from '../support/liquidation';
import {
  clearingTime,
  creditRiseBound,
  isoSeconds,
  revertName,
  stableRiseBound,
  type LiquidationQueueView,
  type OracleStressView,
  type StressAssetView,
  type StressRiskView,
} from '../support/stress';

// Breakers and dampeners in an extreme market, on the devnet's processes and chains (docs/breakers-and-dampeners.md):
// a 40 % spike up leaves credit where the stable price allows, a 50 % crash liquidates at the pace of the book-wide
// rate limit (default window: 10 % of the reference open interest per hour, lowest health first) and trips the
// auction breaker. Traders act through the SDK; the checks read the chains and the aggregator's API.
const PORTS = { chain: 19920, aggregator: 19930, relayer: 19931, verifier: 19932 };
const PRICE = 3_000;
/** Chain seconds the spike is held after the oracle accepted it: long enough for the book's stable price to step. */
const SPIKE_HOLD_S = 20;
/** Crash story: four longs of 10,000 USDC each, riskiest last; a −50 % fall makes each liquidatable but curable by a partial close. */
const LONGS = [
  { index: 7, size: 6.1 },
  { index: 8, size: 6.15 },
  { index: 9, size: 6.2 },
  { index: 10, size: 6.25 },
];
/**
 * A healthy short that carries most of the open interest: L_max = 10 % of the reference (74,100 of longs + 96,000 of
 * short = 170,100 at 3,000 → 17,010) admits the two riskiest longs per hour, each counted at the ~7,000 of notional
 * its plan closes; the third would pass the limit.
 */
const SHORT = { index: 11, size: -32, usdc: '100000' };
const report: string[] = [];

const usd = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

describe('breakers and dampeners: a spike is damped, a crash liquidates at the rate limit and pauses auctions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-stress-'));
  let devnet: Devnet;
  let d: Deployment;
  const clients: TributaryClient[] = [];

  beforeAll(async () => {
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      verifierPort: PORTS.verifier,
      blockTimeMs: 1000,
      heartbeatSeconds: 900,
      decayWindowSeconds: 900,
      simulatePrices: false,
      log: () => undefined,
    });
    d = new Deployment(devnet.manifest);
  }, 240_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    d?.close();
    await devnet?.stop();
    if (report.length) console.log(report.join('\n'));
  });

  const api = <T>(path: string) => getJson<T>(`${devnet.urls.aggregator}${path}`);
  const weth = () => devnet.manifest.assets.find((a) => a.symbol === 'WETH')!;
  const wethMarket = () => devnet.sidecar.markets.find((m) => m.symbol === 'WETH')!;
  const stressOf = async (symbol: string): Promise<StressAssetView & { maxStep: number; intervalSeconds: number }> => {
    const view = await api<OracleStressView>('/v1/oracle/stress');
    return { ...view.assets.find((a) => a.symbol === symbol)!, ...view.stablePrice };
  };
  const riskOf = (account: string) => api<StressRiskView>(`/v1/accounts/${account}/risk`);
  const sizeOf = async (account: string) =>
    Number(formatUnits((await d.perpMarket(devWallet(0, d.providers.get(d.trading.eid)!)).position(account, wethMarket().marketId)).size, 18));
  /** The pushed base (limit − cash at the push) and the available credit on the CreditManager, in USD. */
  const creditOf = async (account: string) => {
    const cm = d.creditManager();
    const [entry, available] = await Promise.all([cm.account(account), cm.availableCredit(account)]);
    return { base: Number(formatUnits(entry.limit, 18)), available: Number(formatUnits(available, 18)), marked: entry.liquidatable };
  };

  function trader(index: number): TributaryClient {
    const client = new TributaryClient({
      manifest: devnet.manifestPath,
      aggregatorUrl: devnet.urls.aggregator,
      privateKey: devWallet(index).privateKey,
    });
    clients.push(client);
    return client;
  }

  /** Sets WETH's price on every feed and waits for the aggregator's oracle to accept it (a jump needs three reads). */
  async function setWeth(price: number): Promise<StressAssetView> {
    await d.setPrice('WETH', price);
    return waitFor(`the oracle to accept WETH at ${price}`, async () => {
      const view = await stressOf('WETH');
      return view.price === price ? view : undefined;
    });
  }

  /** Waits until the credit pusher has nothing left to push. */
  const pusherIdle = () =>
    waitFor('the credit pusher to be idle', async () => {
      const status = await api<{ pendingAccounts: number; lastError: string | null }>('/v1/credit/status');
      return status.pendingAccounts === 0 ? status : undefined;
    });

  /**
   * The asset's auctions are paused: the aggregator's breaker tripped, and every collateral chain's auction pauses
   * it (the taker bot showed each the crashed price), as the API and the metric say.
   */
  async function assertAuctionsPaused(symbol: string): Promise<StressAssetView> {
    const view = await stressOf(symbol);
    expect(view.breaker.paused).toBe(true);
    expect(view.breaker.largestDrop).toBeGreaterThan((await api<OracleStressView>('/v1/oracle/stress')).auctionBreaker.maxDrop);
    const onChain = await waitFor(`every auction of ${symbol} to pause on chain`, async () => {
      const chains = (await stressOf(symbol)).onChain;
      return chains.length > 0 && chains.every((b) => b.paused) ? chains : undefined;
    });
    const metrics = await (await fetch(`${devnet.urls.aggregator}/metrics`)).text();
    for (const b of onChain) expect(metrics).toContain(`tributary_auction_breaker_paused{chain="${b.chain}",asset="${symbol}"} 1`);
    return { ...view, onChain };
  }

  it('a 40 % spike up leaves every account’s credit within the stable price’s bound', async () => {
    const holder = trader(5);
    const long = trader(6);
    await Promise.all([
      holder.deposit({ chain: 'collateral-b', asset: 'WETH', amount: '5' }),
      (async () => {
        await long.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '10000' });
        await long.trade({ asset: 'WETH', size: '2' });
      })(),
    ]);
    await pusherIdle();
    const accounts = (await api<{ items: { address: string }[] }>('/v1/accounts?limit=100')).items.map((a) => a.address.toLowerCase());
    expect(accounts).toEqual(expect.arrayContaining([holder.address.toLowerCase(), long.address.toLowerCase()]));
    const before = new Map<string, { risk: StressRiskView; credit: Awaited<ReturnType<typeof creditOf>> }>();
    for (const a of accounts) before.set(a, { risk: await riskOf(a), credit: await creditOf(a) });
    const stable1 = await stressOf('WETH');
    expect(stable1.stablePrice).toBe(PRICE);
    const epoch = await d.creditManager().lastEpoch();

    const spiked = await setWeth(PRICE * 1.4);
    const acceptedAt = isoSeconds(spiked.stableUpdatedAt);
    // The spike's risk is pushed (the holder's VaR charge grows: a decrease), then the spike is held until the book's
    // stable price has stepped and the pusher is idle again: any credit the stable price mints would be on chain.
    await waitFor('a credit push after the spike', async () => ((await d.creditManager().lastEpoch()) > epoch ? true : undefined));
    const stable2 = await waitFor(`${SPIKE_HOLD_S} s of chain time at the spiked price`, async () => {
      const view = await stressOf('WETH');
      return isoSeconds(view.stableUpdatedAt) >= acceptedAt + SPIKE_HOLD_S && view.bookStablePrice! > PRICE ? view : undefined;
    });
    await pusherIdle();
    const pushes = Number((await d.creditManager().lastEpoch()) - epoch);

    // The stable price moved toward the oracle by no more than δ per τ of chain time.
    const dt = isoSeconds(stable2.stableUpdatedAt) - isoSeconds(stable1.stableUpdatedAt);
    const stableBound = stableRiseBound(stable1.stablePrice!, dt, stable2.maxStep, stable2.intervalSeconds);
    expect(stable2.stablePrice!).toBeGreaterThan(stable1.stablePrice!);
    expect(stable2.stablePrice! - stable1.stablePrice!).toBeLessThanOrEqual(stableBound * (1 + 1e-9));
    expect(stable2.bookStablePrice!).toBeLessThanOrEqual(stable2.stablePrice!);
    report.push(
      `spike WETH ${PRICE} → ${PRICE * 1.4}: stable price ${stable1.stablePrice} → ${stable2.stablePrice!.toFixed(4)} (book ${stable2.bookStablePrice!.toFixed(4)}) ` +
        `over ${dt} s of chain time (bound ${stableBound.toFixed(4)}), ${pushes} credit push(es) after the spike`,
    );

    const w = weth();
    for (const account of accounts) {
      const b = before.get(account)!;
      const risk = await riskOf(account);
      expect(risk.inputs.prices.find((p) => p.assetId === w.assetId)!.price).toBe(PRICE * 1.4);
      const credit = await creditOf(account);
      const bound = creditRiseBound(b.risk, risk, w.assetId, w.weightInit);
      const tolerance = 0.01; // 1e18 flooring of the pushed base
      expect(risk.result.creditLimit - b.risk.result.creditLimit).toBeLessThanOrEqual(bound + tolerance);
      expect(credit.base - b.credit.base).toBeLessThanOrEqual(bound + tolerance);
      expect(credit.available - b.credit.available).toBeLessThanOrEqual(bound + tolerance);
      // Undamped, the init side would see the oracle: every WETH unit (weighted) and every long unit gains 40 %.
      const units = b.risk.inputs.balances.filter((x) => x.assetId === w.assetId).reduce((s, x) => s + x.amount * w.weightInit * x.chainWeight, 0);
      const longUnits = Math.max(0, b.risk.inputs.positions.find((p) => p.assetId === w.assetId)?.size ?? 0);
      report.push(
        `  ${account}: ${units.toFixed(2)} weighted WETH + ${longUnits} long; undamped value rise +${usd((units + longUnits) * PRICE * 0.4)}; ` +
          `credit limit ${usd(b.risk.result.creditLimit)} → ${usd(risk.result.creditLimit)} (on chain ${usd(b.credit.base)} → ${usd(credit.base)}), bound +${usd(bound)}`,
      );
    }

    // The holder cannot trade on credit the spike would have minted: a long whose margin lies between the damped
    // available credit and the credit an undamped init side would give reverts with InsufficientCredit.
    const h = before.get(holder.address.toLowerCase())!;
    // The spike's risk reached the chain: the holder's VaR charge grew with the oracle price, its pushed limit fell.
    expect((await creditOf(holder.address)).base).toBeLessThan(h.credit.base);
    const heldUnits = h.risk.inputs.balances.reduce((s, x) => s + (x.assetId === w.assetId ? x.amount * w.weightInit * x.chainWeight : 0), 0);
    const damped = (await creditOf(holder.address)).available;
    const undamped = (await riskOf(holder.address)).result.creditLimit + heldUnits * (PRICE * 1.4 - stable2.bookStablePrice!);
    const { imr, feeRate } = wethMarket();
    const size = (damped + undamped) / 2 / (PRICE * 1.4 * (imr + feeRate));
    expect(await revertName(holder.trade({ asset: 'WETH', size: size.toFixed(4) }))).toBe('InsufficientCredit');
    report.push(
      `  a ${size.toFixed(2)} WETH long needs ${usd(size * PRICE * 1.4 * (imr + feeRate))}: damped credit ${usd(damped)}, undamped ${usd(undamped)} → InsufficientCredit`,
    );

    const restored = await setWeth(PRICE);
    expect(restored.breaker.paused).toBe(false);
  });

  it('a 50 % crash liquidates at most the window’s limit, lowest health first, and pauses WETH’s auctions', async () => {
    const longs = LONGS.map((l) => ({ ...l, client: trader(l.index) }));
    const short = trader(SHORT.index);
    await Promise.all([
      ...longs.map(async (l) => {
        await l.client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '10000' });
        await l.client.trade({ asset: 'WETH', size: String(l.size) });
      }),
      (async () => {
        await short.deposit({ chain: 'collateral-a', asset: 'USDC', amount: SHORT.usdc });
        await short.trade({ asset: 'WETH', size: String(SHORT.size) });
      })(),
    ]);
    await pusherIdle();
    const calm = await api<LiquidationQueueView>('/v1/liquidations/queue');
    expect(calm.admittable.length + calm.queued.length).toBe(0);
    const sizes = new Map(await Promise.all(longs.map(async (l) => [l.client.address.toLowerCase(), await sizeOf(l.client.address)] as const)));
    for (const l of longs) expect(sizes.get(l.client.address.toLowerCase())).toBe(l.size);
    const before = await snapshot(devnet, d, 'before the crash');
    assertConserved(before);

    const crashedAt = Date.now();
    await setWeth(PRICE / 2);
    // The keeper admits what the window allows at once; wait for those runs to finish (partial closes, no seizure).
    const admittedRuns = await waitFor(
      'the admitted liquidations to finish',
      async () => {
        const q = await api<LiquidationQueueView>('/v1/liquidations/queue');
        if (q.window.length === 0) return undefined;
        const items = (await api<{ items: LiquidationItem[] }>('/v1/liquidations?limit=100')).items;
        const runs = q.window.map((a) => items.find((i) => same(i.account, a.account)));
        return runs.every((r) => r?.stage === 'done' && r.liquidations >= 1) ? runs.map((r) => r!) : undefined;
      },
      120_000,
      500,
    );
    const clearedIn = (Date.now() - crashedAt) / 1000;
    const queue = await api<LiquidationQueueView>('/v1/liquidations/queue');

    // At most L_max in the window, and the next in line did not fit (strict order, no healthier account jumped it).
    expect(queue.windowSeconds).toBe(3600);
    expect(queue.limit).toBeCloseTo(queue.maxFractionOfOpenInterest * queue.referenceOpenInterest, 6);
    expect(queue.used).toBeLessThanOrEqual(queue.limit);
    expect(queue.admittable).toEqual([]);
    expect(queue.queued.length).toBeGreaterThan(0);
    expect(queue.used + queue.queued[0].notional + queue.queued[0].seized).toBeGreaterThan(queue.limit);

    // Lowest health first: the admitted accounts are the most leveraged longs, the queue holds the rest in health order.
    const byRisk = [...longs].sort((a, b) => b.size - a.size).map((l) => l.client.address.toLowerCase());
    const admitted = queue.window.map((a) => a.account.toLowerCase());
    expect(admitted).toEqual(byRisk.slice(0, 2));
    expect(queue.queued.map((c) => c.account.toLowerCase())).toEqual(byRisk.slice(2));
    const healths = queue.queued.map((c) => c.health!);
    expect(healths).toEqual([...healths].sort((a, b) => a - b));
    expect(Math.max(...healths)).toBeLessThan(1);

    // On chain: the admitted positions were partially closed, the queued ones are untouched (and marked, not liquidated).
    const closed = new Map<string, number>();
    for (const run of admittedRuns) {
      expect(run.outcome).toBe('restored');
      const before = sizes.get(run.account.toLowerCase())!;
      const after = await sizeOf(run.account);
      expect(after).toBeGreaterThan(0);
      expect(after).toBeCloseTo(before * (1 - run.fraction!), 12);
      closed.set(run.account.toLowerCase(), (before - after) * (PRICE / 2));
    }
    const items = (await api<{ items: LiquidationItem[] }>('/v1/liquidations?limit=100')).items;
    for (const c of queue.queued) {
      expect(await sizeOf(c.account)).toBe(sizes.get(c.account.toLowerCase()));
      const item = items.find((i) => same(i.account, c.account))!;
      expect(item.run).toBeNull();
      expect(item.liquidations).toBe(0);
    }

    const paused = await assertAuctionsPaused('WETH');

    // Nothing left the collateral chains (no seizure); every token is where it should be.
    const after = await snapshot(devnet, d, 'after the admitted liquidations');
    assertConserved(after, before);
    expect(Object.keys(moves(before, after)).filter((key) => !key.startsWith(`${d.trading.name}:`))).toEqual([]);

    const cost = (c: { notional: number; seized: number }) => c.notional + c.seized;
    const clear = clearingTime(queue);
    report.push(
      `crash WETH ${PRICE} → ${PRICE / 2}: L_max ${usd(queue.limit)} (${queue.maxFractionOfOpenInterest * 100} % of the reference open interest ${usd(queue.referenceOpenInterest)}; live ${usd(queue.openInterest)}), ` +
        `window used ${usd(queue.used)}`,
      ...queue.window.map(
        (a) => `  admitted ${a.account} cost ${usd(a.cost)} (closed ${usd(closed.get(a.account.toLowerCase())!)} of notional, nothing seized)`,
      ),
      ...queue.queued.map((c) => `  queued   ${c.account} health ${c.health!.toFixed(3)} cost ${usd(cost(c))}`),
      `  admitted runs done ${clearedIn.toFixed(1)} s after the crash; auction breaker: drop ${(paused.breaker.largestDrop * 100).toFixed(1)} %, paused until ${paused.breaker.pausedUntil}; on chain paused on ${paused.onChain.map((b) => b.chain).join(', ')}`,
      `  the queue clears in ${clear.windows} more window(s): the last admission ${clear.hours.toFixed(2)} h after the first (default limits)`,
    );
  });
});
