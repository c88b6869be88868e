import { getAddress, parseEther, parseUnits, type HDNodeWallet } from 'ethers';
import request from 'supertest';
import { Clock } from '@tributary/service-kit';
import { startCreditApp, type CreditApp } from '../support/credit-app';
import { startCreditChain, type CreditChain } from '../support/credit-chain';
import { FakeRiskReader } from '../support/credit-fake-risk';

/** Liquidation watch against a real CreditManager + PerpMarket, risk from a fake RiskReader (PORT 18924). */
describe('liquidation watch', () => {
  let chain: CreditChain;
  let app: CreditApp;
  let clock: Clock;
  let offsetMs = 0;
  const risk = new FakeRiskReader();

  beforeAll(async () => {
    chain = await startCreditChain(18924);
    app = await startCreditApp(risk, { MANIFEST_PATH: chain.manifestPath, AGGREGATOR_PUSHER_PRIVATE_KEY: chain.pusher.privateKey });
    clock = app.clock;
    clock.now = () => Date.now() + offsetMs;
  });
  afterAll(async () => {
    await app?.close();
    await chain?.stop();
  });

  const liquidations = async (query = '') => (await request(app.http).get(`/v1/liquidations${query}`).expect(200)).body;
  const size = async (trader: HDNodeWallet) => (await chain.market.position(trader.address, 0)).size;

  /** Credit pushed, then a 1 ETH long opened against it by the trader. */
  async function openLong(trader: HDNodeWallet): Promise<void> {
    risk.set(trader.address, { creditLimit: 10_000, health: 3 });
    await app.pusher.pushNow();
    await (await chain.market.connect(trader).modifyPosition(0, parseEther('1'))).wait();
    expect(await size(trader)).toBe(parseEther('1'));
  }

  it('lists accounts below health 1, liquidates once the mark landed, and only once per mark', async () => {
    const trader = chain.trader(6);
    await openLong(trader);
    risk.set(trader.address, { creditLimit: 0, health: 0.8, collateralMaint: 800, requirementMaint: 1000 });
    await app.watch.tick();
    expect(await liquidations()).toEqual({
      items: [
        {
          account: getAddress(trader.address),
          health: 0.8,
          collateralMaint: 800,
          requirementMaint: 1000,
          markedOnChain: false,
          lastAttempt: null,
          txHash: null,
          error: null,
        },
      ],
      total: 1,
    });
    expect(await size(trader)).toBe(parseEther('1')); // not marked yet: nothing sent

    expect((await app.pusher.pushNow()).kind).toBe('pushed');
    expect(await chain.creditManager.isLiquidatable(trader.address)).toBe(true);
    await app.watch.tick();
    expect(await size(trader)).toBe(0n);
    const [item] = (await liquidations()).items;
    expect(item).toMatchObject({ markedOnChain: true, error: null });
    const receipt = await chain.provider.getTransactionReceipt(item.txHash);
    expect(receipt?.logs.some((l) => l.topics[0] === chain.market.interface.getEvent('Liquidated').topicHash)).toBe(true);

    await app.watch.tick();
    expect((await liquidations()).items[0]).toEqual(item); // no second call for the same mark
    expect(await app.metrics.getSingleMetricAsString('tributary_aggregator_liquidations_total')).toMatch(/result="liquidated"} 1/);

    // recovered (unmarked), trades again, falls below 1 again: a new mark, a new liquidation
    risk.set(trader.address, { creditLimit: 10_000, health: 3 });
    await app.pusher.pushNow();
    await app.watch.tick();
    expect((await liquidations()).total).toBe(0);
    await (await chain.market.connect(trader).modifyPosition(0, parseEther('-2'))).wait();
    risk.set(trader.address, { creditLimit: 0, health: 0.5 });
    await app.pusher.pushNow();
    await app.watch.tick();
    expect(await size(trader)).toBe(0n);
    expect((await liquidations()).items[0].txHash).not.toBe(item.txHash);
  });

  it('a failing liquidation is recorded, not resent before its backoff, then retried', async () => {
    const trader = chain.trader(7);
    await openLong(trader);
    const { timestamp } = (await chain.provider.getBlock('latest'))!;
    await (await chain.feed.connect(chain.deployer).setRoundData(parseUnits('2000', 8), timestamp - 90_000)).wait(); // older than maxPriceAge
    risk.set(trader.address, { creditLimit: 0, health: 0.9 });
    await app.pusher.pushNow();
    await app.watch.tick();
    const failed = (await liquidations()).items.find((i: { account: string }) => i.account === getAddress(trader.address));
    expect(failed.error).toMatch(/^PriceStale\(/);
    expect(failed.txHash).toBeNull(); // the simulation failed: nothing was sent
    expect(await size(trader)).toBe(parseEther('1'));

    await (await chain.feed.connect(chain.deployer).setPrice(parseUnits('1900', 8))).wait();
    await app.watch.tick();
    expect((await liquidations()).items.find((i: { account: string }) => i.account === getAddress(trader.address)).lastAttempt).toBe(
      failed.lastAttempt,
    );
    expect(await size(trader)).toBe(parseEther('1'));

    offsetMs = 2_500; // past the first backoff step (2 s)
    await app.watch.tick();
    expect(await size(trader)).toBe(0n);
    const done = (await liquidations()).items.find((i: { account: string }) => i.account === getAddress(trader.address));
    expect(done).toMatchObject({ error: null, markedOnChain: true });
    expect(done.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('paginates, lowest health first, and rejects bad queries', async () => {
    const a = '0x00000000000000000000000000000000000000a1';
    const b = '0x00000000000000000000000000000000000000b2';
    risk.set(a, { creditLimit: 0, health: 0.1 });
    risk.set(b, { creditLimit: 0, health: 0.2 });
    const page = await liquidations('?limit=1&offset=1');
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].account).toBe(getAddress(b));
    expect((await liquidations('?limit=1')).items[0].account).toBe(getAddress(a));
    await request(app.http).get('/v1/liquidations?limit=0').expect(400);
    await request(app.http).get('/v1/liquidations?limit=abc').expect(400);
    await request(app.http).get('/v1/liquidations?sort=health').expect(400);
    const metrics = (await request(app.http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/tributary_aggregator_liquidatable_accounts \d+/);
  });
});
