import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devWallet } from '@tributary/contracts';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { TributaryClient } from '@tributary/sdk';
import { Deployment, getJson, waitFor } from '../support/harness';
import { assertTokensConserved, setPriceEverywhere, type LiquidationItem } from '../support/liquidation';

// Liquidation end to end on the devnet's processes and chains (docs/liquidation.md): the aggregator's keeper drives
// every step, the devnet's taker bot clears the auctions. Traders act through the SDK; the checks read the chains
// and the aggregator's API, and assert after every step that every test token is held where it should be.
const PORTS = { chain: 19860, aggregator: 19870, relayer: 19871 };
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
      // A 5 s rate-limit window lets each story's account through at once (the one-hour default queues every
      // account after the first in the hour; the limit itself is tested in risk/ and aggregator/).
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
});
