import request from 'supertest';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, packCreditEntry, pushCredit } from '@tributary/contracts';
import { evaluateRisk, type RiskResult } from '@tributary/risk';
import { OracleService } from '../../src/oracle/oracle.service';
import { PriceSampleRepository } from '../../src/oracle/price-sample.repository';
import { RiskReader, type AccountRisk } from '../../src/risk/risk-reader';
import { RiskService } from '../../src/risk/risk.service';
import { startAggregator, type Aggregator } from '../support/aggregator';
import { USDC, VAULT_EID, WETH, startDevnet, type Devnet } from '../support/devnet';

const PARAMS = { zInit: 2.33, zMaint: 1.65, horizonDays: 1, stress: 1.25, pnlWeight: 0.5 };

/** The model on explicit inputs: the manifest's risk terms (no EWMA history yet), chain weight 1. */
function reference(
  prices: { usdc: number; weth: number },
  balances: { usdc: number; weth: number },
  positions: { size: number; entryPrice: number }[] = [],
  stableWeth?: number,
): RiskResult {
  return evaluateRisk({
    assets: [
      { id: String(USDC), price: prices.usdc, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
      { id: String(WETH), price: prices.weth, stablePrice: stableWeth, weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.04 },
    ],
    chains: [{ eid: VAULT_EID, weight: 1 }],
    balances: [
      { eid: VAULT_EID, assetId: String(USDC), amount: balances.usdc },
      { eid: VAULT_EID, assetId: String(WETH), amount: balances.weth },
    ],
    positions: positions.map((p) => ({ assetId: String(WETH), ...p, imr: 0.1, mmr: 0.05 })),
    params: PARAMS,
  });
}

function expectSameResult(actual: RiskResult, expected: RiskResult): void {
  for (const [key, value] of Object.entries(expected) as [keyof RiskResult, unknown][]) {
    if (key === 'exposure') {
      expect(Object.keys(actual.exposure).sort()).toEqual(Object.keys(expected.exposure).sort());
      for (const [asset, usd] of Object.entries(expected.exposure)) expect(actual.exposure[asset]).toBeCloseTo(usd, 6);
    } else if (typeof value === 'number') expect([key, actual[key]]).toEqual([key, expect.closeTo(value, 6)]);
    else expect([key, actual[key]]).toEqual([key, value]);
  }
}

/**
 * The live risk engine over real chains: deposits and trades indexed into the ledger, prices read from the
 * devnet's settable Chainlink feeds, the result compared with `evaluateRisk` on the same inputs.
 */
describe('live risk engine (hardhat devnet)', () => {
  let net: Devnet;
  let agg: Aggregator;
  let risk: RiskService;
  let oracle: OracleService;
  const announced: AccountRisk[][] = [];

  beforeAll(async () => {
    const base = process.env.DATABASE_URL ? 18902 : 18900;
    net = await startDevnet({ hub: base, vault: base + 1 });
    agg = await startAggregator({ MANIFEST_PATH: net.manifestPath, ORACLE_POLL_MS: '0', RISK_TICK_MS: '0', RISK_SNAPSHOT_INTERVAL_MS: '0' });
    risk = agg.app.get(RiskService);
    oracle = agg.app.get(OracleService);
    risk.subscribe((changed) => announced.push(changed));
  }, 120_000);

  afterAll(async () => {
    await agg?.close();
    await net?.stop();
  });

  async function settle(): Promise<void> {
    await net.mine(net.vaultSide.provider);
    await agg.indexer.syncAll();
    await oracle.poll();
    await risk.refresh();
  }

  const riskOf = async (address: string) => (await request(agg.http).get(`/v1/accounts/${address}/risk`).expect(200)).body;

  it('is the RiskReader the credit pusher consumes', () => {
    expect(agg.app.get(RiskReader)).toBe(risk);
  });

  it('deposit → ledger → risk equals evaluateRisk on the same inputs', async () => {
    const { alice, vault } = net;
    await (await vault.connect(alice).deposit(USDC, parseUnits('5000', 6), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await (await vault.connect(alice).deposit(WETH, parseEther('2'), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await settle();
    // Attested on the vault, not delivered: the hub's balance (what margin counts) is still 0.
    expect((await riskOf(alice.address)).result.creditLimit).toBe(0);
    await net.toHub();
    await settle();

    const body = await riskOf(alice.address);
    const expected = reference({ usdc: 1, weth: 2000 }, { usdc: 5000, weth: 2 });
    expectSameResult(body.result, expected);
    // By hand: C_init = 5000·0.95 + 2·2000·0.8; VaR_init = 2.33·sqrt((5000·0.001)² + (4000·0.04)²); no floor.
    expect(body.result.collateralInit).toBeCloseTo(7950, 9);
    expect(body.result.creditLimit).toBeCloseTo(7950 - 2.33 * Math.sqrt(25 + 25_600), 9);
    expect(body.result.health).toBeCloseTo((5000 * 0.97 + 4000 * 0.85) / (1.65 * Math.sqrt(25 + 25_600)), 9);
    expect(body).toMatchObject({ account: alice.address, frozen: [] });
    expect(Date.parse(body.computedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.inputs).toEqual({
      balances: [
        { eid: VAULT_EID, assetId: USDC, symbol: 'USDC', amount: 5000, chainWeight: 1 },
        { eid: VAULT_EID, assetId: WETH, symbol: 'WETH', amount: 2, chainWeight: 1 },
      ],
      positions: [],
      prices: [
        { assetId: USDC, symbol: 'USDC', price: 1, stablePrice: 1, status: 'ok' },
        { assetId: WETH, symbol: 'WETH', price: 2000, stablePrice: 2000, status: 'ok' },
      ],
    });
    expect(announced.flat().some((a) => a.account === alice.address.toLowerCase() && a.result.creditLimit === body.result.creditLimit)).toBe(true);
    expect(risk.get(alice.address)?.assets).toEqual([USDC, WETH]);

    const chains = (await request(agg.http).get('/v1/risk/chains').expect(200)).body.chains;
    const block = (await agg.ledger.lastAttestationBlocks()).get(VAULT_EID)!;
    const timestamp = (await net.hubSide.provider.getBlock(block))!.timestamp;
    expect(chains).toEqual([
      {
        eid: VAULT_EID,
        name: 'collateral-a',
        configuredWeight: 1,
        weight: 1,
        lastMessageAt: new Date(timestamp * 1000).toISOString(),
        heartbeatSeconds: 3600,
        decayWindowSeconds: 3600,
      },
    ]);
  });

  it('a perp position: market terms read from PerpMarket, floor and PnL as in evaluateRisk', async () => {
    const { alice, creditManager, market } = net;
    await (await pushCredit(creditManager.connect(net.pusher), 1, [packCreditEntry(alice.address, parseEther('7000'))])).wait();
    await (await market.connect(alice.connect(net.hubSide.provider)).modifyPosition(0, parseEther('-1.5'))).wait();
    await settle();
    const body = await riskOf(alice.address);
    expect(body.inputs.positions).toEqual([{ marketId: 0, assetId: WETH, size: -1.5, entryPrice: 2000, imr: 0.1, mmr: 0.05 }]);
    const expected = reference({ usdc: 1, weth: 2000 }, { usdc: 5000, weth: 2 }, [{ size: -1.5, entryPrice: 2000 }]);
    expectSameResult(body.result, expected);
    expect(body.result.floorInit).toBeCloseTo(1.5 * 2000 * 0.1, 9);
    expect(body.result.exposure[String(WETH)]).toBeCloseTo(0.5 * 2000, 9); // the short offsets the WETH collateral
  });

  it('POST /v1/risk/preview-params answers from the live book what a parameter change would do, and changes nothing', async () => {
    const { alice } = net;
    const before = (await riskOf(alice.address)).result;
    const body = (
      await request(agg.http)
        .post('/v1/risk/preview-params')
        .send({ markets: [{ assetId: WETH, imr: 0.5 }], assets: [{ assetId: USDC, weightInit: 0.5 }] })
        .expect(200)
    ).body;
    // The same account recomputed with the new terms: USDC at half its init weight, the short's floor at 50 %.
    const expected = evaluateRisk({
      assets: [
        { id: String(USDC), price: 1, weightInit: 0.5, weightMaint: 0.97, imf: 0, volatility: 0.001 },
        { id: String(WETH), price: 2000, weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.04 },
      ],
      chains: [{ eid: VAULT_EID, weight: 1 }],
      balances: [
        { eid: VAULT_EID, assetId: String(USDC), amount: 5000 },
        { eid: VAULT_EID, assetId: String(WETH), amount: 2 },
      ],
      positions: [{ assetId: String(WETH), size: -1.5, entryPrice: 2000, imr: 0.5, mmr: 0.05 }],
      params: PARAMS,
    });
    expect(body.accounts).toBeGreaterThanOrEqual(1);
    const alicesImpact = body.hardestHit.find((h: { account: string }) => h.account === alice.address);
    expect(alicesImpact.creditBefore).toBeCloseTo(before.creditLimit, 9);
    expect(alicesImpact.creditAfter).toBeCloseTo(expected.creditLimit, 9);
    expect(body.creditRemoved).toBeGreaterThanOrEqual(before.creditLimit - expected.creditLimit - 1e-9);
    expect((await riskOf(alice.address)).result.creditLimit).toBe(before.creditLimit);
    await request(agg.http)
      .post('/v1/risk/preview-params')
      .send({ assets: [{ assetId: 99, weightInit: 0.5 }] })
      .expect(400);
    await request(agg.http).post('/v1/risk/preview-params').send({}).expect(400);
  });

  it('a lower feed price lowers the credit limit; a jump is held until confirmed; a stale feed freezes credit', async () => {
    const { alice, wethFeed } = net;
    const before = (await riskOf(alice.address)).result;
    const positions = [{ size: -1.5, entryPrice: 2000 }];

    await (await wethFeed.setPrice(parseUnits('1800', 8))).wait(); // −10 %: within maxDeviation 0.2
    await settle();
    let body = await riskOf(alice.address);
    // The stable price lags the fall (δ 2 % per hour of chain time): the short's init side is marked at p⁺ = s.
    const stable = () => body.inputs.prices[1].stablePrice as number;
    expect(stable()).toBeGreaterThan(1800);
    expect(stable()).toBeLessThanOrEqual(2000);
    expectSameResult(body.result, reference({ usdc: 1, weth: 1800 }, { usdc: 5000, weth: 2 }, positions, stable()));
    expect(body.result.creditLimit).toBeLessThan(before.creditLimit);
    expect(body.result.unrealizedPnl).toBeCloseTo(1.5 * 200, 9); // the short gained
    expect(risk.get(alice.address)?.result.creditLimit).toBe(body.result.creditLimit);

    await (await wethFeed.setPrice(parseUnits('1200', 8))).wait(); // −33 %: deviating
    await settle();
    body = await riskOf(alice.address);
    expectSameResult(body.result, reference({ usdc: 1, weth: 1800 }, { usdc: 5000, weth: 2 }, positions, stable())); // last good price kept
    expect(body.frozen).toEqual([{ assetId: WETH, symbol: 'WETH', reason: 'deviating', detail: expect.stringContaining('read 1/3') }]);
    expect(body.inputs.prices[1]).toEqual({ assetId: WETH, symbol: 'WETH', price: 1800, stablePrice: stable(), status: 'deviating' });
    await oracle.poll();
    await settle(); // third consecutive read of the new level
    body = await riskOf(alice.address);
    expect(body.frozen).toEqual([]);
    expectSameResult(body.result, reference({ usdc: 1, weth: 1200 }, { usdc: 5000, weth: 2 }, positions, stable()));

    const updatedAt = (await net.hubSide.provider.getBlock('latest'))!.timestamp - 7200; // older than the 3600 s heartbeat
    await (await wethFeed.setRoundData(parseUnits('1100', 8), updatedAt)).wait();
    await settle();
    body = await riskOf(alice.address);
    expect(body.frozen).toEqual([
      { assetId: WETH, symbol: 'WETH', reason: 'stale', detail: expect.stringMatching(/^price 1100 is \d+ s old \(heartbeat 3600 s\)$/) },
    ]);
    expect(Number(/is (\d+) s old/.exec(body.frozen[0].detail)![1])).toBeGreaterThan(3600); // hardhat's clock runs a little ahead of the wall clock
    expectSameResult(body.result, reference({ usdc: 1, weth: 1200 }, { usdc: 5000, weth: 2 }, positions, stable()));
    expect(risk.get(alice.address)?.frozen.map((f) => f.reason)).toEqual(['stale']);
    expect(announced.at(-1)?.map((a) => [a.account, a.frozen.length])).toEqual([[alice.address.toLowerCase(), 1]]);

    const prices = (await request(agg.http).get('/v1/oracle/prices').expect(200)).body.prices;
    expect(prices).toEqual([
      expect.objectContaining({ assetId: USDC, symbol: 'USDC', price: 1, status: 'ok', detail: '' }),
      expect.objectContaining({ assetId: WETH, symbol: 'WETH', price: 1200, status: 'stale' }),
    ]);
    expect(Date.parse(prices[1].updatedAt)).toBeGreaterThan(Date.now() - 120_000);

    await (await wethFeed.setPrice(parseUnits('1200', 8))).wait();
    await settle();
    expect((await riskOf(alice.address)).frozen).toEqual([]);
  });

  it('the crash tripped the auction breaker; after s caught up, a 40 % spike values WETH at s, which climbs ≤ 2 % per hour of chain time', async () => {
    const { alice, wethFeed } = net;
    const positions = [{ size: -1.5, entryPrice: 2000 }];
    const stress = async () => (await request(agg.http).get('/v1/oracle/stress').expect(200)).body;
    const hub = net.hubSide.provider;
    const crashed = (await stress()).assets[1];
    expect(crashed).toMatchObject({ symbol: 'WETH', price: 1200, breaker: { paused: true, referencePrice: 2000, triggerPrice: 1200 } });
    expect(crashed.stablePrice).toBeGreaterThan(1990); // seconds after 2000 → 1200, s has hardly moved
    expect(crashed.gap).toBeCloseTo(crashed.stablePrice / 1200 - 1, 12);

    await hub.send('evm_increaseTime', [30 * 3600]); // 30 h: s (2 %/h of 2,000 = 40/h) reaches 1200
    await (await wethFeed.setPrice(parseUnits('1200', 8))).wait(); // a fresh round at the new chain time
    await settle();
    expect((await stress()).assets[1]).toMatchObject({ stablePrice: 1200, bookStablePrice: 1200, breaker: { paused: false } });

    await (await wethFeed.setPrice(parseUnits('1680', 8))).wait(); // +40 %: deviating until the third read
    await settle();
    await oracle.poll();
    await settle();
    let body = await riskOf(alice.address);
    expect(body.inputs.prices[1]).toMatchObject({ price: 1680, status: 'ok' });
    const s1 = body.inputs.prices[1].stablePrice as number;
    expect(s1).toBeLessThan(1200 * 1.001);
    expectSameResult(body.result, reference({ usdc: 1, weth: 1680 }, { usdc: 5000, weth: 2 }, positions, s1));
    const undamped = reference({ usdc: 1, weth: 1680 }, { usdc: 5000, weth: 2 }, positions);
    expect(body.result.collateralInit).toBeCloseTo(5000 * 0.95 + 2 * s1 * 0.8, 6);
    expect(undamped.collateralInit - body.result.collateralInit).toBeGreaterThan(700); // 2 WETH · 480 · 0.8 held back
    expect(body.result.health).toBeCloseTo(undamped.health!, 9); // maintenance follows the oracle alone

    await hub.send('evm_increaseTime', [1800]);
    await (await wethFeed.setPrice(parseUnits('1680', 8))).wait();
    await settle();
    body = await riskOf(alice.address);
    const s2 = body.inputs.prices[1].stablePrice as number;
    expect(s2).toBeGreaterThanOrEqual(s1 * 1.01 * (1 - 1e-12));
    expect(s2).toBeLessThanOrEqual(s1 * (1 + (0.02 * (1800 + 120)) / 3600));
    expectSameResult(body.result, reference({ usdc: 1, weth: 1680 }, { usdc: 5000, weth: 2 }, positions, s2));
  });

  it('keeps the risk history newest first and persists price samples', async () => {
    const { alice } = net;
    const current = (await riskOf(alice.address)).result;
    const history = (await request(agg.http).get(`/v1/accounts/${alice.address}/risk/history?limit=2`).expect(200)).body;
    expect(history.total).toBeGreaterThanOrEqual(5);
    expect(history.items).toHaveLength(2);
    expect(history.items[0]).toMatchObject({
      account: alice.address.toLowerCase(),
      creditLimit: current.creditLimit,
      health: current.health,
      liquidatable: false,
    });
    expect(Date.parse(history.items[0].computedAt)).toBeGreaterThanOrEqual(Date.parse(history.items[1].computedAt));
    const all = (await request(agg.http).get(`/v1/accounts/${alice.address}/risk/history?limit=100`).expect(200)).body.items;
    expect(all.at(-1).creditLimit).toBe(0); // first snapshot: before the hub had the deposit

    // One sample per asset per ORACLE_SAMPLE_INTERVAL_S (1 h): the first good price.
    const samples = await agg.app.get(PriceSampleRepository).recent(WETH, 10);
    expect(samples).toEqual([expect.objectContaining({ assetId: WETH, price: 2000 })]);

    await request(agg.http).get(`/v1/accounts/${net.bob.address}/risk`).expect(404);
    await request(agg.http).get(`/v1/accounts/${net.bob.address}/risk/history`).expect(404);
    await request(agg.http).get('/v1/accounts/0x1234/risk').expect(400);
    await request(agg.http).get(`/v1/accounts/${alice.address}/risk/history?limit=0`).expect(400);
  });
});
