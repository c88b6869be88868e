import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, MaxUint256, parseUnits } from 'ethers';
import { devWallet } from '@tributary/contracts';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient } from '@tributary/sdk';
import { Deployment, getJson, waitFor } from '../support/harness';
import { assertTokensConserved, setPriceEverywhere, type LiquidationItem } from '../support/liquidation';

// Liquidation end to end on the devnet's processes and chains (docs/liquidation.md): the aggregator's keeper drives
// every step, the devnet's taker bot clears the auctions. Traders act through the SDK; the checks read the chains
// and the aggregator's API, and assert after every step that every test token is held where it should be.
const PORTS = { chain: 18860, aggregator: 18870, relayer: 18871 };
const WBTC_PRICE = 60_000;
const latencies: string[] = [];
/** Trading-chain block of the last price crash (latency in blocks is counted from it). */
let crashBlock = 0;

interface RiskView {
  result: { health: number | null; liquidatable: boolean; collateralMaint: number; requirementMaint: number };
}

describe('liquidation end to end: partial, seizure and auction, insurance fund, bad debt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-liquidation-'));
  let devnet: Devnet;
  let d: Deployment;
  const clients: TributaryClient[] = [];

  beforeAll(async () => {
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      blockTimeMs: 1000,
      heartbeatSeconds: 900,
      decayWindowSeconds: 900,
      simulatePrices: false,
      // Four stories in one run: a 5 s rate-limit window lets each account's liquidation through at once (the
      // one-hour default would queue every account after the first; the limit itself is tested in risk/aggregator).
      liquidationWindowSeconds: 5,
      log: () => undefined,
    });
    d = new Deployment(devnet.manifest);
    expect(devnet.taker).toBeDefined();
    await assertTokensConserved(devnet, d);
  }, 240_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    d?.close();
    await devnet?.stop();
    if (latencies.length) console.log(`keeper latency (crash → step, wall clock):\n${latencies.join('\n')}`);
  });

  const api = <T>(path: string) => getJson<T>(`${devnet.urls.aggregator}${path}`);
  const cashOf = (account: string) => d.pool().cashOf(account);
  const sizeOf = async (account: string) => {
    const market = devnet.sidecar.markets.find((m) => m.symbol === 'WBTC')!.marketId;
    return (await d.perpMarket(devWallet(0, d.providers.get(d.trading.eid)!)).position(account, market)).size;
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

  async function liquidationOf(address: string): Promise<LiquidationItem | undefined> {
    const page = await api<{ items: LiquidationItem[] }>('/v1/liquidations?limit=100');
    return page.items.find((i) => i.account.toLowerCase() === address.toLowerCase());
  }

  /** Waits for the account's run to reach `stage` (or be done), records the latency since `since`, checks conservation. */
  async function reach(address: string, what: string, probe: (i: LiquidationItem) => boolean, since: number, timeoutMs = 180_000) {
    const item = await waitFor(
      `${what} for ${address}`,
      async () => {
        const i = await liquidationOf(address);
        return i && probe(i) ? i : undefined;
      },
      timeoutMs,
      500,
    );
    const blocks = (await d.providers.get(d.trading.eid)!.getBlockNumber()) - crashBlock;
    latencies.push(`  ${what.padEnd(34)} ${((Date.now() - since) / 1000).toFixed(1)} s, ${blocks} trading-chain blocks`);
    await assertTokensConserved(devnet, d);
    return item;
  }

  /** A fresh run is done: waits for `done` and returns it. */
  const done = (address: string, since: number, what: string) => reach(address, what, (i) => i.stage === 'done', since, 240_000);

  /** Crashes WBTC to `usd` and returns the wall-clock time (the trading block is kept in `crashBlock`). */
  async function crash(usd: number): Promise<number> {
    await setPriceEverywhere(devnet, d, 'WBTC', usd);
    crashBlock = await d.providers.get(d.trading.eid)!.getBlockNumber();
    return Date.now();
  }

  async function resetPrice(): Promise<void> {
    await setPriceEverywhere(devnet, d, 'WBTC', WBTC_PRICE);
    await setPriceEverywhere(devnet, d, 'WETH', 3_000);
  }

  it('a price crash makes an account liquidatable; it is partially liquidated to the target health', async () => {
    await resetPrice();
    const client = trader(14);
    await client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '10000' });
    await client.trade({ asset: 'WBTC', size: '1' });
    const before = await sizeOf(client.address);
    const risk = await waitFor('the risk of the new position', async () => {
      const r = await api<RiskView>(`/v1/accounts/${client.address}/risk`);
      return r.result.requirementMaint > 0 ? r : undefined;
    });
    // H(p) ≈ (C + q (p − entry)) / (k q p) with k from the requirement now: aim at H = 0.9 (below 1, partially curable).
    const k = risk.result.requirementMaint / WBTC_PRICE;
    const target = (WBTC_PRICE - risk.result.collateralMaint) / (1 - 0.9 * k);
    const since = await crash(Math.floor(target));
    const liquidated = await reach(client.address, 'partial: crash → liquidated', (i) => i.liquidations >= 1, since);
    expect(liquidated.fraction).toBeGreaterThan(0);
    expect(liquidated.fraction).toBeLessThan(1);
    const after = await sizeOf(client.address);
    expect(after).toBe(before - (before * BigInt(Math.round(liquidated.fraction! * 10))) / 10n);
    const end = await done(client.address, since, 'partial: crash → done (restored)');
    expect(end.outcome).toBe('restored');
    const health = (await api<RiskView>(`/v1/accounts/${client.address}/risk`)).result.health;
    expect(health === null || health >= 1.2 - 1e-6).toBe(true);
    await client.closePosition({ asset: 'WBTC' });
    await resetPrice();
  });

  it('a deeper crash leaves a debt: remote collateral is seized, auctioned, taken by the bot, and the proceeds repay it', async () => {
    const client = trader(15);
    await client.deposit({ chain: 'collateral-b', asset: 'WETH', amount: '4' }); // 12,000 USD on the remote chain
    await client.trade({ asset: 'WBTC', size: '0.5' });
    const takesBefore = devnet.taker!.takes.length;
    const since = await crash(38_000); // −11,000 on the position: health < 0, the 4 WETH cover the debt
    const seized = await reach(client.address, 'debt: crash → seized', (i) => i.seizures >= 1, since);
    expect(seized.liquidations).toBeGreaterThanOrEqual(1);
    expect(await sizeOf(client.address)).toBe(0n);
    const end = await done(client.address, since, 'debt: crash → done (repaid)');
    expect(end.outcome).toBe('repaid');
    expect(devnet.taker!.takes.length).toBeGreaterThan(takesBefore);
    expect(await cashOf(client.address)).toBeGreaterThanOrEqual(0n);
    const lots = await api<{ items: { account: string; status: string; proceedsUsd: string; returned: string | null }[] }>(
      '/v1/auctions/lots?status=all&limit=100',
    );
    const mine = lots.items.filter((l) => l.account.toLowerCase() === client.address.toLowerCase());
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((l) => l.status === 'closed')).toBe(true);
    await resetPrice();
  });

  it('a deeper case exhausts the collateral and the insurance fund pays the rest', async () => {
    // The fund holds quote tokens: 20,000 test USDC deposited by the deployer.
    const trading = d.trading;
    const deployer = d.wallet(0, trading);
    const fundAddress = (trading.contracts as Record<string, string>).insuranceFund;
    const usdc = d.quoteToken(deployer);
    await (await usdc.mint(await deployer.getAddress(), parseUnits('20000', 6))).wait();
    await (await usdc.approve(fundAddress, MaxUint256)).wait();
    await (await new Contract(fundAddress, ['function deposit(uint256)'], deployer).deposit(parseUnits('20000', 6))).wait();
    await assertTokensConserved(devnet, d);

    const client = trader(16);
    await client.deposit({ chain: 'collateral-b', asset: 'WETH', amount: '1' }); // 3,000 USD
    await client.trade({ asset: 'WBTC', size: '0.3' });
    const since = await crash(42_000); // −5,400: more than the collateral
    const end = await done(client.address, since, 'exhausted: crash → done (fund paid)');
    expect(end.outcome).toBe('fund-paid');
    expect(end.settlements).toBe(1);
    expect(await cashOf(client.address)).toBe(0n);
    const fund = await api<{ covers: number; paidFromCashUsd: string; paidFromTokens: string; badDebtUsd: string }>('/v1/insurance-fund');
    expect(fund.covers).toBeGreaterThanOrEqual(1);
    expect(BigInt(fund.paidFromCashUsd) + BigInt(fund.paidFromTokens) * 10n ** 12n).toBeGreaterThan(0n);
    expect(fund.badDebtUsd).toBe('0');
    await resetPrice();
  });

  it('an exhausted fund records socialized bad debt', async () => {
    const client = trader(17);
    await client.deposit({ chain: 'collateral-a', asset: 'USDC', amount: '30000' });
    await client.trade({ asset: 'WBTC', size: '2.5' }); // 150,000 notional
    const since = await crash(40_000); // −50,000: far past the collateral and the fund
    const end = await done(client.address, since, 'bad debt: crash → done');
    expect(end.outcome).toBe('bad-debt');
    expect(await cashOf(client.address)).toBe(0n);
    const badDebt = (await d.pool().badDebtOf(client.address)) as bigint;
    expect(badDebt).toBeGreaterThan(0n);
    const fund = await api<{ badDebtUsd: string; badDebtByAccount: { account: string; amountUsd: string }[] }>('/v1/insurance-fund');
    expect(fund.badDebtByAccount.find((b) => b.account.toLowerCase() === client.address.toLowerCase())?.amountUsd).toBe(badDebt.toString());
    expect(BigInt(fund.badDebtUsd)).toBeGreaterThanOrEqual(badDebt);
    await resetPrice();
  });
});
