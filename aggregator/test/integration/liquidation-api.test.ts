import { getAddress } from 'ethers';
import request from 'supertest';
import { startCreditApp, type CreditApp } from '../support/credit-app';
import { startCreditChain, type CreditChain } from '../support/credit-chain';
import { FakeRiskReader } from '../support/credit-fake-risk';

/**
 * The liquidation API against a trading chain without a hub, registry or insurance fund (PORT 18924): the keeper
 * is disabled (listing only, it says why), accounts below health 1 are listed with stage `pending`, the ledger
 * endpoints answer empty, bad input is a 400. The keeper's steps are covered by liquidation-keeper.test.ts
 * (restarts) and the devnet e2e (real contracts).
 */
describe('liquidation API', () => {
  let chain: CreditChain;
  let app: CreditApp;
  const risk = new FakeRiskReader();

  beforeAll(async () => {
    chain = await startCreditChain(18924);
    app = await startCreditApp(risk, { MANIFEST_PATH: chain.manifestPath, AGGREGATOR_PUSHER_PRIVATE_KEY: chain.pusher.privateKey });
  });
  afterAll(async () => {
    await app?.close();
    await chain?.stop();
  });

  const get = async (path: string) => (await request(app.http).get(path).expect(200)).body;

  it('lists accounts below health 1 (stage pending: no keeper run) lowest health first, paginated', async () => {
    expect(app.keeper.disabledReason).toMatch(/no liquidationRegistry, insuranceFund in the manifest|no hub/);
    const a = '0x00000000000000000000000000000000000000a1';
    const b = '0x00000000000000000000000000000000000000b2';
    risk.set(a, { creditLimit: 0, health: 0.1, collateralMaint: 10, requirementMaint: 100 });
    risk.set(b, { creditLimit: 0, health: 0.2 });
    risk.set('0x00000000000000000000000000000000000000c3', { creditLimit: 10, health: 3 });
    await app.keeper.tick();
    const page = await get('/v1/liquidations?limit=1&offset=1');
    expect(page.total).toBe(2);
    expect(page.items).toEqual([expect.objectContaining({ account: getAddress(b), stage: 'pending', run: null, liquidatable: true })]);
    expect((await get('/v1/liquidations?limit=1')).items[0]).toEqual({
      account: getAddress(a),
      health: 0.1,
      collateralMaint: 10,
      requirementMaint: 100,
      liquidatable: true,
      run: null,
      stage: 'pending',
      outcome: null,
      fraction: null,
      liquidations: 0,
      seizures: 0,
      settlements: 0,
      startedAt: null,
      liquidatedAt: null,
      seizedAt: null,
      doneAt: null,
      txHash: null,
      error: null,
    });
  });

  it('ledger endpoints answer empty before any liquidation; bad input is a 400, an unknown id a 404', async () => {
    expect(await get('/v1/auctions/lots')).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    expect(await get('/v1/auctions/lots?status=open&limit=5')).toEqual({ items: [], total: 0, limit: 5, offset: 0 });
    expect(await get('/v1/insurance-fund')).toMatchObject({ balanceUsd: '0', covers: 0, badDebtUsd: '0', badDebtByAccount: [] });
    await request(app.http).get('/v1/liquidations/7').expect(404);
    await request(app.http).get('/v1/liquidations/abc').expect(400);
    await request(app.http).get('/v1/liquidations?limit=0').expect(400);
    await request(app.http).get('/v1/liquidations?sort=health').expect(400);
    await request(app.http).get('/v1/auctions/lots?status=sold').expect(400);
    await request(app.http).get('/v1/insurance-fund?x=1').expect(400);
    const metrics = (await request(app.http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/tributary_aggregator_liquidatable_accounts 2/);
    expect(metrics).toMatch(/tributary_aggregator_liquidation_runs\{stage="done"\} 0/);
    expect(metrics).toMatch(/tributary_aggregator_insurance_fund_balance_usd 0/);
    expect(metrics).toMatch(/tributary_aggregator_auction_lots\{status="open"\} 0/);
  });
});
