import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MaxUint256, parseUnits } from 'ethers';
import { ICollateralAuction__factory, IInsuranceFund__factory, devWallet } from '@tributary/contracts';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient } from '@tributary/sdk';
import { assertConserved, moves, snapshot, type Snapshot } from '../support/conservation';
import { Deployment, getJson, waitFor } from '../support/harness';
import { auctionFlows, formatTimeline, liquidationTimeline, lotMoves, type LiquidationItem, type StageAt } from '../support/liquidation';

// Liquidation end to end on the devnet's processes and chains (docs/liquidation.md): the aggregator's keeper drives
// every step, the devnet's taker bot clears the auctions. Traders act through the SDK; the checks read the chains
// and the aggregator's API, and assert after every step that every test token is where the books say
// (support/conservation.ts). One devnet for the four stories, in order: the fund the third one fills is what the
// fourth one exhausts.
const PORTS = { chain: 19970, aggregator: 19980, relayer: 19981, verifier: 19982 };
const WBTC_PRICE = 60_000;
/**
 * The lots' curve: 1.05 × oracle → 0.6 × over 120 s (0.375 % a second). The bot takes at the oracle price, 13 s in;
 * the debt story's collateral covers its debt with ~5 % to spare, so the take may land up to ~13 s late (a loaded
 * machine) and still repay it.
 */
const AUCTION = { seconds: 120, startFactor: 1.05 };
const USD_PER_USDC_UNIT = 10n ** 12n;
const timelines: string[] = [];
/** Conservation snapshots taken and the time they took (ms). */
const checks = { count: 0, ms: 0 };

interface RiskView {
  result: { health: number | null; liquidatable: boolean; collateralMaint: number; requirementMaint: number };
}

describe('liquidation end to end: partial, seizure and auction, insurance fund, bad debt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-liquidation-'));
  let devnet: Devnet;
  let d: Deployment;
  const clients: TributaryClient[] = [];
  let last: Snapshot | undefined;
  const started = Date.now();

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
      // A 5 s rate-limit window lets each story's account through at once (the one-hour default queues every
      // account after the first in the hour; the limit itself is tested in risk/ and aggregator/).
      liquidationWindowSeconds: 5,
      auctionDurationSeconds: AUCTION.seconds,
      auctionStartFactor: AUCTION.startFactor,
      log: (line) => appendFileSync(join(dir, 'devnet.log'), `${new Date().toISOString()} ${line}\n`),
    });
    d = new Deployment(devnet.manifest);
    expect(devnet.taker).toBeDefined();
    for (const chain of devnet.manifest.chains.filter((c) => c.contracts.auction)) {
      expect(await ICollateralAuction__factory.connect(chain.contracts.auction!, d.providers.get(chain.eid)!).duration()).toBe(
        BigInt(AUCTION.seconds),
      );
    }
    await conserved('devnet started');
  }, 240_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    d?.close();
    await devnet?.stop();
    if (timelines.length) console.log(`keeper latency (chain blocks; 1 s blocks on every chain):\n${timelines.join('\n')}`);
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    console.log(`liquidation e2e: ${seconds(Date.now() - started)} s; ${checks.count} conservation snapshots, ${seconds(checks.ms)} s of it`);
  });

  const api = <T>(path: string) => getJson<T>(`${devnet.urls.aggregator}${path}`);
  const cashOf = (account: string) => d.pool().cashOf(account);
  const sizeOf = async (account: string) => {
    const market = devnet.sidecar.markets.find((m) => m.symbol === 'WBTC')!.marketId;
    return (await d.perpMarket(devWallet(0, d.providers.get(d.trading.eid)!)).position(account, market)).size;
  };

  /** Snapshot of every chain, conservation asserted against the books and against the previous snapshot. */
  async function conserved(label: string): Promise<Snapshot> {
    const t0 = Date.now();
    const now = await snapshot(devnet, d, label);
    assertConserved(now, last);
    last = now;
    checks.count += 1;
    checks.ms += Date.now() - t0;
    return now;
  }

  function trader(index: number): TributaryClient {
    const client = new TributaryClient({
      manifest: devnet.manifestPath,
      aggregatorUrl: devnet.urls.aggregator,
      privateKey: devWallet(index).privateKey,
    });
    clients.push(client);
    return client;
  }

  async function liquidationOf(address: string): Promise<LiquidationItem | undefined> {
    const page = await api<{ items: LiquidationItem[] }>('/v1/liquidations?limit=100');
    return page.items.find((i) => i.account.toLowerCase() === address.toLowerCase());
  }

  /** Waits until the account's run satisfies `probe`, then checks conservation. */
  async function reach(address: string, what: string, probe: (i: LiquidationItem) => boolean, timeoutMs = 120_000) {
    const item = await waitFor(
      `${what} for ${address}`,
      async () => {
        const i = await liquidationOf(address);
        return i && probe(i) ? i : undefined;
      },
      timeoutMs,
      500,
    );
    return { item, snapshot: await conserved(what) };
  }

  const done = (address: string, what: string) => reach(address, what, (i) => i.stage === 'done');

  /** Crashes WBTC to `usd`: the trading feed's block and time. */
  async function crash(usd: number): Promise<StageAt> {
    const { block } = await d.setPrice('WBTC', usd);
    const time = (await d.providers.get(d.trading.eid)!.getBlock(block))!.timestamp;
    return { chain: d.trading.name, block, time };
  }

  /** Reads the account's stages from the chains and keeps them (with the takes' prices) for the latency report. */
  async function record(name: string, account: string, at: StageAt) {
    const stages = await liquidationTimeline(d, account, at);
    const takes = (await auctionFlows(d, account)).flatMap((f) => f.takeRatios.map((r) => `${f.symbol} at ${r.toFixed(4)} × oracle`));
    timelines.push(formatTimeline(name, at, stages) + (takes.length ? `\n    takes: ${takes.join(', ')}` : ''));
    return stages;
  }

  /** Only WBTC moves in these stories; each starts from the same price, whatever the last one's outcome. */
  afterEach(async () => {
    await d.setPrice('WBTC', WBTC_PRICE);
  });

  /** GET /v1/insurance-fund once the ledger has indexed `covers` covers. */
  const fundView = <T extends { covers: number }>(covers: number) =>
    waitFor(`${covers} covers on /v1/insurance-fund`, async () => {
      const view = await api<T>('/v1/insurance-fund');
      return view.covers >= covers ? view : undefined;
    });

  it('a price crash makes an account liquidatable; it is partially liquidated to the target health', async () => {
    const client = trader(14);
    await client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '10000' });
    await client.trade({ asset: 'WBTC', size: '1' });
    const before = await sizeOf(client.address);
    const risk = await waitFor('the risk of the new position', async () => {
      const r = await api<RiskView>(`/v1/accounts/${client.address}/risk`);
      return r.result.requirementMaint > 0 ? r : undefined;
    });
    const opened = await conserved('partial: opened');
    // H(p) ≈ (C + q (p − entry)) / (k q p) with k from the requirement now: aim at H = 0.9 (below 1, partially curable).
    const k = risk.result.requirementMaint / WBTC_PRICE;
    const at = await crash(Math.floor((WBTC_PRICE - risk.result.collateralMaint) / (1 - 0.9 * k)));
    const liquidated = await reach(client.address, 'partial: liquidated', (i) => i.liquidations >= 1);
    expect(liquidated.item.fraction).toBeGreaterThan(0);
    expect(liquidated.item.fraction).toBeLessThan(1);
    expect(await sizeOf(client.address)).toBe(before - (before * BigInt(Math.round(liquidated.item.fraction! * 10))) / 10n);
    const end = await done(client.address, 'partial: done');
    expect(end.item.outcome).toBe('restored');
    expect(moves(opened, end.snapshot)).toEqual({}); // a liquidation moves cash, never tokens
    const health = (await api<RiskView>(`/v1/accounts/${client.address}/risk`)).result.health;
    expect(health === null || health >= 1.2 - 1e-6).toBe(true);
    const stages = await record('partial', client.address, at);
    expect(stages.liquidated!.block).toBeGreaterThanOrEqual(stages.mark!.block);
    expect(stages.seized).toBeUndefined();
    await client.closePosition({ asset: 'WBTC' });
  });

  it('a deeper crash leaves a debt: remote collateral is seized, auctioned, taken by the bot, and the proceeds repay it', async () => {
    const client = trader(15);
    await client.deposit({ chain: 'collateral-b', asset: 'WETH', amount: '4' }); // 12,000 USD on the remote chain
    await client.trade({ asset: 'WBTC', size: '0.5' });
    const takesBefore = devnet.taker!.takes.length;
    const opened = await conserved('debt: opened');
    const at = await crash(38_000); // −11,000 on the position: health < 0, the 4 WETH cover the debt
    const seized = await reach(client.address, 'debt: seized', (i) => i.seizures >= 1);
    expect(seized.item.liquidations).toBeGreaterThanOrEqual(1);
    expect(await sizeOf(client.address)).toBe(0n);
    const debt = -(await cashOf(client.address));
    expect(debt).toBeGreaterThan(0n);
    const end = await done(client.address, 'debt: repaid');
    expect(end.item.outcome).toBe('repaid');
    expect(devnet.taker!.takes.length).toBeGreaterThan(takesBefore);
    // The auction sold only what repays the debt (the rest went back to the vault) for the quote tokens it holds;
    // the cash credited is exactly what the taker paid.
    const flows = await auctionFlows(d, client.address);
    expect(flows.map((f) => [f.chain, f.symbol])).toEqual([['collateral-b', 'WETH']]);
    expect(flows[0]!.returned).toBeGreaterThan(0n);
    expect(moves(opened, end.snapshot)).toEqual(lotMoves(flows));
    const cash = await cashOf(client.address);
    expect(cash).toBe(flows[0]!.quotePaid * USD_PER_USDC_UNIT - debt);
    expect(cash >= 0n && cash < USD_PER_USDC_UNIT).toBe(true); // rounded up to whole quote units
    await waitFor('the lots closed on /v1/auctions/lots', async () => {
      const lots = await api<{ items: { account: string; status: string }[] }>('/v1/auctions/lots?status=all&limit=100');
      const mine = lots.items.filter((l) => l.account.toLowerCase() === client.address.toLowerCase());
      return mine.length === flows[0]!.lots && mine.every((l) => l.status === 'closed') ? true : undefined;
    });
    const stages = await record('debt', client.address, at);
    expect(stages.taken!.time).toBeGreaterThanOrEqual(stages.kicked!.time);
    expect(stages.result!.time).toBeGreaterThanOrEqual(stages.taken!.time);
  });

  it('a deeper case exhausts the collateral and the insurance fund pays the rest', async () => {
    // The fund holds quote tokens: 20,000 test USDC minted to and deposited by the deployer.
    const deployer = d.wallet(0, d.trading);
    const fundAddress = d.trading.contracts.insuranceFund!;
    const usdc = d.quoteToken(deployer);
    await (await usdc.mint(await deployer.getAddress(), parseUnits('20000', 6))).wait();
    await (await usdc.approve(fundAddress, MaxUint256)).wait();
    await (await IInsuranceFund__factory.connect(fundAddress, deployer).deposit(parseUnits('20000', 6))).wait();
    const funded = await conserved('fund: deposited');
    expect(funded.tokens.get(`${d.trading.name}:USDC:fund`)).toBe(parseUnits('20000', 6));

    const client = trader(16);
    await client.deposit({ chain: 'collateral-b', asset: 'WETH', amount: '1' }); // 3,000 USD
    await client.trade({ asset: 'WBTC', size: '0.3' });
    const opened = await conserved('exhausted: opened');
    const at = await crash(42_000); // −5,400: more than the collateral
    const end = await done(client.address, 'exhausted: fund paid');
    expect(end.item.outcome).toBe('fund-paid');
    expect(end.item.settlements).toBe(1);
    // All of the WETH sold (a capped lot raises its whole value), then the fund paid from its cash and tokens.
    const flows = await auctionFlows(d, client.address);
    expect(flows).toHaveLength(1);
    expect([flows[0]!.seized, flows[0]!.sold, flows[0]!.returned]).toEqual([10n ** 18n, 10n ** 18n, 0n]);
    const fund = await fundView<{ covers: number; paidFromCashUsd: string; paidFromTokens: string; badDebtUsd: string }>(1);
    expect(fund.covers).toBe(1);
    expect(fund.badDebtUsd).toBe('0');
    const fromTokens = BigInt(fund.paidFromTokens);
    expect(BigInt(fund.paidFromCashUsd)).toBeGreaterThan(0n);
    expect(fromTokens).toBeGreaterThan(0n);
    const fundMoves = { [`${d.trading.name}:USDC:fund`]: -fromTokens, [`${d.trading.name}:USDC:pool`]: fromTokens };
    expect(moves(opened, end.snapshot)).toEqual({ ...lotMoves(flows), ...fundMoves });
    const cash = await cashOf(client.address);
    expect(cash >= 0n && cash < USD_PER_USDC_UNIT).toBe(true); // the fund pays whole quote units
    const stages = await record('exhausted', client.address, at);
    expect(stages.covered!.block).toBeGreaterThanOrEqual(stages.result!.block);
  });

  it('an exhausted fund records socialized bad debt', async () => {
    const client = trader(17);
    await client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '30000' });
    await client.trade({ asset: 'WBTC', size: '2.5' }); // 150,000 notional
    const opened = await conserved('bad debt: opened');
    const fundTokens = opened.tokens.get(`${d.trading.name}:USDC:fund`)!;
    const at = await crash(36_000); // −60,000: far past the collateral (30,000) and the fund (< 20,000)
    const end = await done(client.address, 'bad debt: written off');
    expect(end.item.outcome).toBe('bad-debt');
    expect(await cashOf(client.address)).toBe(0n);
    const badDebt = (await d.pool().badDebtOf(client.address)) as bigint;
    expect(badDebt).toBeGreaterThan(0n);
    // The fund paid every token it had into the pool; the lots sold the USDC collateral for USDC.
    expect(end.snapshot.tokens.get(`${d.trading.name}:USDC:fund`)).toBe(0n);
    const flows = await auctionFlows(d, client.address);
    const fundMoves = { [`${d.trading.name}:USDC:fund`]: -fundTokens, [`${d.trading.name}:USDC:pool`]: fundTokens };
    expect(moves(opened, end.snapshot)).toEqual({ ...lotMoves(flows), ...fundMoves });
    const fund = await fundView<{ covers: number; badDebtUsd: string; badDebtByAccount: { account: string; amountUsd: string }[] }>(2);
    expect(fund.badDebtByAccount.find((b) => b.account.toLowerCase() === client.address.toLowerCase())?.amountUsd).toBe(badDebt.toString());
    expect(BigInt(fund.badDebtUsd)).toBe(badDebt);
    expect(await d.pool().totalBadDebt()).toBe(badDebt);
    await record('bad debt', client.address, at);
  });
});
