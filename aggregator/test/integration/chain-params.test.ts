import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { parseEther, parseUnits } from 'ethers';
import {
  MSG_ATTEST,
  deployRiskParameters,
  deployStablePriceFeed,
  handOverParams,
  paramKey,
  type ParamKind,
  type RiskParameters,
} from '@tributary/contracts';
import type { RiskParamsResponse as RiskParamsView } from '../../src/api/param-responses';
import { OracleService } from '../../src/oracle/oracle.service';
import { fromWad } from '../../src/risk/governed-params';
import { LiveRiskParams } from '../../src/risk/live-params';
import { RiskService } from '../../src/risk/risk.service';
import { startAggregator, type Aggregator } from '../support/aggregator';
import { HUB_EID, USDC, VAULT_EID, WETH, startDevnet, type Devnet } from '../support/devnet';

const DELAY = 60;
const POLL_MS = 100;

/**
 * Governed risk parameters over real chains: RiskParameters deployed on the devnet's trading chain and named in
 * the manifest; two aggregator replicas (one database: a PostgreSQL schema when DATABASE_URL is set) read their
 * weights from it and follow an executed proposal without a restart.
 */
describe('risk parameters from the trading chain (hardhat devnet, two replicas)', () => {
  let net: Devnet;
  let governor: RiskParameters;
  let a: Aggregator;
  let b: Aggregator;

  beforeAll(async () => {
    const base = process.env.DATABASE_URL ? 18962 : 18960;
    net = await startDevnet({ hub: base, vault: base + 1 });
    const deployer = net.hubSide.deployer;
    governor = await deployRiskParameters(deployer, {
      hub: await net.hub.getAddress(),
      market: await net.market.getAddress(),
      creditManager: await net.creditManager.getAddress(),
      delaySeconds: DELAY,
    });
    await handOverParams(await governor.getAddress(), { hub: net.hub, market: net.market, creditManager: net.creditManager });
    await (await governor.initializeParam(paramKey('maintWeight', USDC), parseEther('0.97'))).wait();
    await (await governor.initializeParam(paramKey('maintWeight', WETH), parseEther('0.85'))).wait();
    await (await governor.initializeParam(paramKey('chainWeight', VAULT_EID), parseEther('1'))).wait();
    const manifest = JSON.parse(readFileSync(net.manifestPath, 'utf8'));
    const trading = manifest.chains.find((c: { eid: number }) => c.eid === HUB_EID);
    trading.contracts.riskParameters = await governor.getAddress();
    writeFileSync(net.manifestPath, JSON.stringify(manifest, null, 2));
    const env = {
      MANIFEST_PATH: net.manifestPath,
      ORACLE_POLL_MS: '0',
      RISK_TICK_MS: '0',
      RISK_SNAPSHOT_INTERVAL_MS: '0',
      RISK_PARAMS_POLL_MS: String(POLL_MS),
    };
    a = await startAggregator(env);
    b = await startAggregator(env, a.db);
  }, 180_000);

  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
    await net?.stop();
  });

  async function settle(agg: Aggregator): Promise<void> {
    await new Promise((r) => setTimeout(r, POLL_MS + 20)); // the next refresh polls the chain
    await agg.app.get(OracleService).poll();
    await agg.app.get(RiskService).refresh();
  }

  const paramsOf = (agg: Aggregator) => agg.app.get(LiveRiskParams).current;
  const limitOf = async (address: string) =>
    (await request(a.http).get(`/v1/accounts/${address}/risk`).expect(200)).body.result.creditLimit as number;

  it('reads the weights from RiskParameters at start and follows an executed proposal; both replicas agree', async () => {
    const { alice, vault } = net;
    await (await vault.connect(alice).deposit(USDC, parseUnits('5000', 6), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await (await vault.connect(alice).deposit(WETH, parseEther('2'), alice.address, { value: await vault.quote(MSG_ATTEST) })).wait();
    await net.toHub();
    await a.indexer.syncAll();
    await settle(a);
    await settle(b);
    for (const agg of [a, b]) {
      expect(paramsOf(agg)).toMatchObject({ source: 'chain' });
      expect(paramsOf(agg).assets.get(WETH)).toEqual({ weightInit: 0.8, weightMaint: 0.85 });
      expect(paramsOf(agg).chains.get(VAULT_EID)).toBe(1);
      expect(paramsOf(agg).markets.get(0)).toEqual({ imr: 0.1, mmr: 0.05, takerFee: 0 });
    }
    const before = await limitOf(alice.address);
    expect(before).toBeCloseTo(7950 - 2.33 * Math.sqrt(25 + 25_600), 6);

    // Every kind RiskParameters holds is on GET /v1/risk/params, as the chain reads it.
    const chainValue = async (kind: ParamKind, id = 0) => fromWad(await governor.paramValue(paramKey(kind, id)));
    const expectChainValues = async (view: RiskParamsView) => {
      expect(view.markets).toEqual([
        expect.objectContaining({ marketId: 0, imr: await chainValue('imr'), mmr: await chainValue('mmr'), takerFee: await chainValue('takerFee') }),
      ]);
      expect(view.liquidation).toEqual({
        markOverrideHealth: await chainValue('markOverrideHealth'),
        penalty: await chainValue('liquidationPenalty'),
      });
      expect(view.pusherGuard).toEqual({ capacityUsd: await chainValue('guardCapacity'), refillUsdPerSecond: await chainValue('guardRefill') });
    };
    const initial = (await request(a.http).get('/v1/risk/params').expect(200)).body as RiskParamsView;
    await expectChainValues(initial);
    expect(initial.markets[0]).toMatchObject({ imr: 0.1, mmr: 0.05, takerFee: 0 });
    expect(initial.liquidation).toEqual({ markOverrideHealth: 2, penalty: 0.02 });

    // One change of each kind the risk model has no term for executes with the weight: the API follows all of them.
    const guard = initial.pusherGuard!;
    const changes: [string, bigint][] = [
      [paramKey('initWeight', WETH), parseEther('0.75')],
      [paramKey('takerFee', 0), parseEther('0.0007')],
      [paramKey('markOverrideHealth'), parseEther('2.5')],
      [paramKey('liquidationPenalty'), parseEther('0.025')],
      [paramKey('guardCapacity'), parseEther(String(guard.capacityUsd * 1.5))],
      [paramKey('guardRefill'), parseEther(String(guard.refillUsdPerSecond / 2))],
    ];
    for (const [k, value] of changes) await (await governor.proposeParam(k, value)).wait();
    const key = paramKey('initWeight', WETH);
    await expect(governor.executeParam(key)).rejects.toThrow(/TooEarly|reverted/);
    await settle(a);
    expect(paramsOf(a).assets.get(WETH)?.weightInit).toBe(0.8); // proposed, not executed: nothing moves
    expect(paramsOf(a).liquidation?.markOverrideHealth).toBe(2);

    await net.hubSide.provider.send('evm_increaseTime', [DELAY + 1]);
    for (const [k] of changes.slice(1)) await (await governor.executeParam(k)).wait();
    const executed = await (await governor.executeParam(key)).wait();
    await settle(a);
    await settle(b);
    for (const agg of [a, b]) {
      expect(paramsOf(agg).assets.get(WETH)).toEqual({ weightInit: 0.75, weightMaint: 0.85 });
      expect(paramsOf(agg).block).toBeGreaterThanOrEqual(executed!.blockNumber);
    }
    const [viewA, viewB] = await Promise.all([a, b].map(async (agg) => (await request(agg.http).get('/v1/risk/params').expect(200)).body));
    const { checkedAt: _a, block: blockA, ...restA } = viewA;
    const { checkedAt: _b, block: blockB, ...restB } = viewB;
    expect(restB).toEqual(restA);
    expect(Math.min(blockA, blockB)).toBeGreaterThanOrEqual(executed!.blockNumber);
    expect(restA).toMatchObject({ source: 'chain', riskParameters: await governor.getAddress() });
    expect(restA.assets).toEqual([
      { assetId: USDC, weightInit: 0.95, weightMaint: 0.97 },
      { assetId: WETH, weightInit: 0.75, weightMaint: 0.85 },
    ]);
    await expectChainValues(viewA);
    expect(restA.markets).toEqual([expect.objectContaining({ marketId: 0, imr: 0.1, mmr: 0.05, takerFee: 0.0007, openInterestCap: null })]);
    expect(restA.liquidation).toEqual({ markOverrideHealth: 2.5, penalty: 0.025 });
    expect(restA.pusherGuard).toEqual({ capacityUsd: guard.capacityUsd * 1.5, refillUsdPerSecond: guard.refillUsdPerSecond / 2 });
    const metrics = (await request(a.http).get('/metrics').expect(200)).text;
    expect(metrics).toContain('tributary_aggregator_risk_param{kind="initWeight",id="2",source="chain"} 0.75');
    expect(metrics).toContain('tributary_aggregator_risk_param{kind="markOverrideHealth",id="0",source="chain"} 2.5');
    expect(metrics).toContain('tributary_aggregator_risk_param{kind="takerFee",id="0",source="chain"} 0.0007');
    // C_init loses 2 WETH · 2000 · 0.05; the VaR term does not depend on the weights.
    expect((await limitOf(alice.address)) - before).toBeCloseTo(-200, 6);
  }, 120_000);

  it('shows the caps the market enforces once they have a value, and previews what a proposed cap finds on the book', async () => {
    const { alice } = net;
    await (await governor.initializeParam(paramKey('marketOpenInterestCap', 0), parseEther('1000'))).wait();
    await (await governor.initializeParam(paramKey('accountExposureCap', WETH), parseEther('1000000'))).wait();
    await settle(a);
    const view = (await request(a.http).get('/v1/risk/params').expect(200)).body;
    expect(view.markets).toEqual([
      { marketId: 0, imr: 0.1, mmr: 0.05, takerFee: 0.0007, openInterestCap: 1000, accountOpenInterestCap: null, openInterest: expect.any(Number) },
    ]);
    expect(view.exposureCaps).toEqual([{ assetId: WETH, accountExposureCap: 1_000_000 }]);
    const metrics = (await request(a.http).get('/metrics').expect(200)).text;
    expect(metrics).toContain('tributary_aggregator_risk_param{kind="marketOpenInterestCap",id="0",source="chain"} 1000');

    // alice holds 2 WETH (4,000 USD of exposure, no position): a 3,000 USD cap finds her over it; credit is untouched.
    const preview = (
      await request(a.http)
        .post('/v1/risk/preview-params')
        .send({ assets: [{ assetId: WETH, accountExposureCap: 3000 }], markets: [{ assetId: WETH, accountOpenInterestCap: 5 }] })
        .expect(200)
    ).body;
    expect(preview.creditAdded + preview.creditRemoved).toBe(0);
    expect(preview.caps.exposure).toEqual([
      { assetId: WETH, accountExposureCap: 3000, accountsOver: 1, largestOver: [{ account: alice.address, value: 4000 }] },
    ]);
    expect(preview.caps.markets).toEqual([
      {
        assetId: WETH,
        openInterest: 0,
        openInterestCap: null,
        openInterestOver: 0,
        accountOpenInterestCap: 5,
        accountsOver: 0,
        largestOver: [],
      },
    ]);
    const withoutCaps = (
      await request(a.http)
        .post('/v1/risk/preview-params')
        .send({ chains: [{ eid: VAULT_EID, weight: 0.9 }] })
        .expect(200)
    ).body;
    expect(withoutCaps.caps).toBeNull();
    await request(a.http)
      .post('/v1/risk/preview-params')
      .send({ markets: [{ assetId: WETH, openInterestCap: -1 }] })
      .expect(400);
  }, 60_000);

  it('the stable price’s δ follows RiskParameters into the tracker (both replicas); the preview shows its effect first', async () => {
    const deployer = net.hubSide.deployer;
    const risk = await net.hub.assetRisk(WETH);
    const feed = await deployStablePriceFeed(deployer, { source: risk.feed });
    await (await net.hub.setAssetRisk(WETH, await feed.getAddress(), risk.initWeight)).wait(); // same weight: a feed change
    await (await feed.setParamGovernor(await governor.getAddress())).wait();
    const key = paramKey('stableMaxStep', WETH);
    await (await governor.proposeParam(key, parseEther('0.04'))).wait(); // the proposal reads the new feed
    await settle(a);
    const view = (await request(a.http).get('/v1/risk/params').expect(200)).body as RiskParamsView;
    expect(view.stablePrice.find((s) => s.assetId === WETH)).toEqual({ assetId: WETH, maxStep: 0.02, intervalSeconds: 3600, source: 'chain' });
    expect(view.stablePrice.find((s) => s.assetId === USDC)?.source).toBe('default');

    const preview = (
      await request(a.http)
        .post('/v1/risk/preview-params')
        .send({ assets: [{ assetId: WETH, stableMaxStep: 0.04 }] })
        .expect(200)
    ).body;
    expect(preview.stable.assets).toEqual([
      expect.objectContaining({
        assetId: WETH,
        current: expect.objectContaining({ maxStep: 0.02 }),
        proposed: expect.objectContaining({ maxStep: 0.04 }),
      }),
    ]);
    expect(preview.stable.proposed.liquidatable).toBe(preview.stable.current.liquidatable);
    await request(a.http)
      .post('/v1/risk/preview-params')
      .send({ assets: [{ assetId: WETH, stableMaxStep: 1.5 }] })
      .expect(400);

    await net.hubSide.provider.send('evm_increaseTime', [DELAY + 1]);
    await expect(governor.executeParam(key)).resolves.toBeDefined();
    expect(await feed.maxStep()).toBe(parseEther('0.04'));
    await settle(a);
    await settle(b);
    for (const agg of [a, b]) {
      expect(paramsOf(agg).stable.get(WETH)).toEqual({ maxStep: 0.04, intervalSeconds: 3600 });
      expect(agg.app.get(OracleService).stress.paramsOf(WETH)).toEqual({ maxStep: 0.04, intervalSeconds: 3600 });
    }
    const metrics = (await request(a.http).get('/metrics').expect(200)).text;
    expect(metrics).toContain(`tributary_aggregator_risk_param{kind="stableMaxStep",id="${WETH}",source="chain"} 0.04`);
  }, 60_000);
});
