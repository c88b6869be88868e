import request from 'supertest';
import { evaluateRisk, planLiquidation } from '@tributary/risk';
import { startAggregator, type Aggregator } from './support/aggregator';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

const body = () => ({
  assets: [
    { id: 'USDC', price: 1, weightInit: 0.95, weightMaint: 0.97, imf: 0, volatility: 0.001 },
    { id: 'WETH', price: 2000, weightInit: 0.8, weightMaint: 0.85, imf: 0.0001, volatility: 0.04 },
  ],
  correlations: [{ a: 'USDC', b: 'WETH', rho: 0.1 }],
  chains: [
    { eid: 40102, weight: 1 },
    { eid: 40103, weight: 0.5 },
  ],
  balances: [
    { eid: 40102, assetId: 'USDC', amount: 5000 },
    { eid: 40103, assetId: 'WETH', amount: 2 },
  ],
  positions: [{ assetId: 'WETH', size: -1.5, entryPrice: 1900, imr: 0.1, mmr: 0.05 }],
  params: { zInit: 2.33, zMaint: 1.65, horizonDays: 1, pnlWeight: 0.5 },
});

/** The risk/oracle API without a manifest: what-if evaluation works, the live parts answer empty / 404. */
describe('risk and oracle API', () => {
  let agg: Aggregator;

  beforeAll(async () => {
    agg = await startAggregator();
  });

  afterAll(() => agg?.close());

  it('POST /v1/risk/evaluate returns evaluateRisk of the body', async () => {
    const response = await request(agg.http).post('/v1/risk/evaluate').send(body()).expect(200);
    expect(response.body).toEqual(evaluateRisk(body()));
    // C_init = 5000·0.95 + 2·2000·0.8·0.5 (WETH on the half-weight chain); U = −1.5·(2000 − 1900): the short lost.
    expect(response.body.collateralInit).toBeCloseTo(6350, 9);
    expect(response.body.unrealizedPnl).toBeCloseTo(-150, 9);
    expect(response.body.liquidatable).toBe(false);
  });

  it('POST /v1/risk/evaluate takes an optional stablePrice per asset: the init side moves, everything else stays at the oracle', async () => {
    const damped = { ...body(), assets: body().assets.map((a) => (a.id === 'WETH' ? { ...a, price: 2800, stablePrice: 2000 } : a)) };
    const oracle = { ...body(), assets: body().assets.map((a) => (a.id === 'WETH' ? { ...a, price: 2800 } : a)) };
    const response = await request(agg.http).post('/v1/risk/evaluate').send(damped).expect(200);
    expect(response.body).toEqual(evaluateRisk(damped));
    const plain = evaluateRisk(oracle);
    // C_init at p⁻ = 2000, the short's floor at p⁺ = 2800; health, VaR and exposure at the oracle.
    expect(response.body.collateralInit).toBeCloseTo(6350, 9);
    expect(response.body.floorInit).toBeCloseTo(plain.floorInit, 9);
    for (const key of ['health', 'varInit', 'varMaint', 'collateralMaint', 'unrealizedPnl', 'exposure'] as const)
      expect(response.body[key]).toEqual(plain[key]);
    expect(response.body.creditLimit).toBeLessThan(plain.creditLimit);
    await request(agg.http)
      .post('/v1/risk/evaluate')
      .send({ ...body(), assets: [{ ...body().assets[0], stablePrice: -1 }, body().assets[1]] })
      .expect(400);
  });

  it('POST /v1/risk/evaluate counts an optional cash at weight 1', async () => {
    const withDebt = { ...body(), cash: -1_000 };
    const response = await request(agg.http).post('/v1/risk/evaluate').send(withDebt).expect(200);
    expect(response.body).toEqual(evaluateRisk(withDebt));
    expect(response.body.collateralInit).toBeCloseTo(6350 - 1_000, 9);
  });

  it('POST /v1/risk/liquidation-plan returns planLiquidation of the body and validates its parameters', async () => {
    // A long of 20 WETH from 2,400 at 2,000 on 5,000 USDC: underwater, the plan closes part of it.
    const underwater = { ...body(), positions: [{ assetId: 'WETH', size: 20, entryPrice: 2_400, imr: 0.1, mmr: 0.08 }] };
    const plan = await request(agg.http).post('/v1/risk/liquidation-plan').send(underwater).expect(200);
    expect(plan.body).toEqual(planLiquidation(underwater));
    expect(plan.body.fraction).toBeGreaterThan(0);
    const strict = { ...underwater, params: { ...underwater.params, targetHealth: 5, liquidationPenalty: 0.05 } };
    expect((await request(agg.http).post('/v1/risk/liquidation-plan').send(strict).expect(200)).body).toEqual(planLiquidation(strict));
    const bad = { ...underwater, params: { ...underwater.params, targetHealth: -1, liquidationPenalty: 3 } };
    const rejected = await request(agg.http).post('/v1/risk/liquidation-plan').send(bad).expect(400);
    expect(rejected.body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(/targetHealth/), expect.stringMatching(/liquidationPenalty/)]),
    );
  });

  it('rejects a malformed body with every problem named', async () => {
    const bad = body() as Record<string, unknown>;
    (bad.assets as { price: number }[])[0].price = -1;
    delete bad.params;
    const response = await request(agg.http).post('/v1/risk/evaluate').send(bad).expect(400);
    expect(response.body.message).toEqual(expect.arrayContaining(['assets.0.price: price must be ≥ 0', expect.stringMatching(/^params: /)]));
    await request(agg.http).post('/v1/risk/evaluate').send('not json').set('content-type', 'application/json').expect(400);
    await request(agg.http).post('/v1/risk/evaluate').send([]).expect(400);
    await request(agg.http).post('/v1/risk/evaluate?x=1').send(body()).expect(400);
  });

  it('rejects asset ids and chains not listed in the request', async () => {
    const bad = body();
    bad.balances.push({ eid: 40102, assetId: 'WBTC', amount: 1 });
    bad.positions.push({ assetId: 'SOL', size: 1, entryPrice: 100, imr: 0.1, mmr: 0.05 });
    bad.correlations.push({ a: 'WETH', b: 'DOGE', rho: 0.5 });
    bad.balances.push({ eid: 1, assetId: 'USDC', amount: 1 });
    const response = await request(agg.http).post('/v1/risk/evaluate').send(bad).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toEqual(
      expect.arrayContaining([
        "balances.2.assetId: balance assetId 'WBTC' is not a listed asset",
        "positions.1.assetId: position assetId 'SOL' is not a listed asset",
        "correlations.1.b: correlation b 'DOGE' is not a listed asset",
        'balances.3.eid: balance eid 1 is not a listed chain',
      ]),
    );
  });

  it('answers the live endpoints with empty lists and 404 when no manifest is configured', async () => {
    expect((await request(agg.http).get('/v1/oracle/prices').expect(200)).body).toEqual({ prices: [] });
    expect((await request(agg.http).get('/v1/risk/chains').expect(200)).body).toEqual({ chains: [] });
    expect((await request(agg.http).get('/v1/risk/book').expect(200)).body).toMatchObject({
      accounts: 0,
      liquidatable: 0,
      unbounded: 0,
      nearest: [],
    });
    await request(agg.http).get('/v1/risk/book?nearest=101').expect(400);
    await request(agg.http).get('/v1/risk/book?x=1').expect(400);
    await request(agg.http).get(`/v1/accounts/${ALICE}/risk`).expect(404);
    await request(agg.http).get(`/v1/accounts/${ALICE}/risk/history`).expect(404);
    await request(agg.http).get('/v1/accounts/0xzz/risk').expect(400);
    await request(agg.http).get('/v1/oracle/prices?x=1').expect(400);
    await request(agg.http)
      .post('/v1/risk/preview-params')
      .send({ chains: [{ eid: 1, weight: 0.5 }] })
      .expect(503);
    await request(agg.http)
      .post('/v1/risk/preview-params')
      .send({ chains: [{ eid: 1, weight: 2 }] })
      .expect(400);
  });

  it('lists the new routes in the OpenAPI document', async () => {
    const paths = Object.keys((await request(agg.http).get('/docs-json').expect(200)).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/risk/evaluate',
        '/v1/risk/chains',
        '/v1/risk/book',
        '/v1/oracle/prices',
        '/v1/accounts/{address}/risk',
        '/v1/accounts/{address}/risk/history',
      ]),
    );
  });
});
