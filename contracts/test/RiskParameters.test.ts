import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import { PARAM_KINDS, deployRiskParameters, handOverParams, paramKey, parseParamKey } from '../lib';
import { EID_A, WETH, deployProtocol } from './helpers/fixture';

const DELAY = 60;

async function governed() {
  const p = await deployProtocol();
  const params = await deployRiskParameters(p.deployer, {
    hub: await p.hub.getAddress(),
    market: await p.market.getAddress(),
    creditManager: await p.creditManager.getAddress(),
    delaySeconds: DELAY,
  });
  await handOverParams(await params.getAddress(), p);
  await (await params.initializeParam(paramKey('maintWeight', WETH), parseEther('0.9'))).wait();
  await (await params.initializeParam(paramKey('chainWeight', EID_A), parseEther('1'))).wait();
  return { ...p, params };
}

describe('RiskParameters (governed parameters: propose → wait → execute)', () => {
  it('kinds in TypeScript equal the contract constants', async () => {
    const { params } = await loadFixture(governed);
    const names: Record<keyof typeof PARAM_KINDS, string> = {
      initWeight: 'INIT_WEIGHT',
      maintWeight: 'MAINT_WEIGHT',
      chainWeight: 'CHAIN_WEIGHT',
      imr: 'IMR',
      mmr: 'MMR',
      takerFee: 'TAKER_FEE',
      markOverrideHealth: 'MARK_OVERRIDE_HEALTH',
      guardCapacity: 'GUARD_CAPACITY',
      guardRefill: 'GUARD_REFILL',
      liquidationPenalty: 'LIQUIDATION_PENALTY',
      marketOpenInterestCap: 'MARKET_OI_CAP',
      accountOpenInterestCap: 'ACCOUNT_OI_CAP',
      accountExposureCap: 'ACCOUNT_EXPOSURE_CAP',
      stableMaxStep: 'STABLE_MAX_STEP',
      stableInterval: 'STABLE_INTERVAL',
    };
    for (const [kind, constant] of Object.entries(names)) {
      expect(await params.getFunction(constant)(), constant).to.equal(BigInt(PARAM_KINDS[kind as keyof typeof PARAM_KINDS]));
      expect(await params.key(PARAM_KINDS[kind as keyof typeof PARAM_KINDS], 7)).to.equal(paramKey(kind as keyof typeof PARAM_KINDS, 7));
    }
    expect(parseParamKey(paramKey('imr', 3))).to.deep.equal({ kind: 'imr', id: 3n });
  });

  it('a weight change executes only after its delay, and then the hub holds the new weight', async () => {
    const { params, hub } = await loadFixture(governed);
    const key = paramKey('initWeight', WETH);
    const before = (await hub.assetRisk(WETH)).initWeight;
    const target = before - parseEther('0.05');
    await expect(params.proposeParam(key, target)).to.emit(params, 'ParamProposed');
    const eta = BigInt(await time.latest()) + BigInt(DELAY);
    expect(await params.pendingParam(key)).to.deep.equal([target, eta]);
    await expect(params.executeParam(key)).to.be.revertedWithCustomError(params, 'TooEarly').withArgs(key, eta);
    await time.setNextBlockTimestamp(eta - 1n);
    await expect(params.executeParam(key)).to.be.revertedWithCustomError(params, 'TooEarly');
    await time.setNextBlockTimestamp(eta);
    await expect(params.executeParam(key)).to.emit(params, 'ParamExecuted').withArgs(key, before, target);
    expect((await hub.assetRisk(WETH)).initWeight).to.equal(target);
    expect(await params.paramValue(key)).to.equal(target);
    await expect(params.executeParam(key)).to.be.revertedWithCustomError(params, 'NoProposal').withArgs(key);
  });

  it('a weight moves by at most 0.05 per change; ranges hold (init ≤ maint, mmr ≤ imr, fee ≤ max)', async () => {
    const { params, hub } = await loadFixture(governed);
    const init = (await hub.assetRisk(WETH)).initWeight;
    const key = paramKey('initWeight', WETH);
    await expect(params.proposeParam(key, init - parseEther('0.050001')))
      .to.be.revertedWithCustomError(params, 'StepTooLarge')
      .withArgs(key, init, init - parseEther('0.050001'), parseEther('0.05'));
    await expect(params.proposeParam(paramKey('maintWeight', WETH), parseEther('0.95'))).to.emit(params, 'ParamProposed');
    // The init weight may not rise above the maintenance weight (0.9 now).
    if (init + parseEther('0.05') > parseEther('0.9')) {
      await expect(params.proposeParam(key, init + parseEther('0.05'))).to.be.revertedWithCustomError(params, 'OutOfBounds');
    }
    const mmrKey = paramKey('mmr', 0);
    // WETH market: imr 0.1, mmr 0.05: mmr may not rise above imr.
    await expect(params.proposeParam(mmrKey, parseEther('0.1') + 1n)).to.be.revertedWithCustomError(params, 'OutOfBounds');
    await expect(params.proposeParam(paramKey('takerFee', 0), parseEther('0.0026'))).to.be.revertedWithCustomError(params, 'StepTooLarge');
    await expect(params.proposeParam(paramKey('chainWeight', EID_A), parseEther('1.01'))).to.be.revertedWithCustomError(params, 'OutOfBounds');
    await expect(params.proposeParam(paramKey('initWeight', 999), 1n)).to.be.revertedWithCustomError(params, 'UnknownParam');
  });

  it('perp imr/mmr/fee, markOverrideHealth and the pusher guard move through it; the bound is checked again at execution', async () => {
    const { params, market, creditManager } = await loadFixture(governed);
    await params.proposeParam(paramKey('imr', 0), parseEther('0.15'));
    await params.proposeParam(paramKey('mmr', 0), parseEther('0.08'));
    await params.proposeParam(paramKey('takerFee', 0), parseEther('0.001'));
    await params.proposeParam(paramKey('markOverrideHealth'), parseEther('1.5'));
    const [capacity] = await creditManager.increaseGuard();
    await params.proposeParam(paramKey('guardCapacity'), capacity * 2n);
    await expect(params.proposeParam(paramKey('guardCapacity'), capacity * 2n + 1n)).to.be.revertedWithCustomError(params, 'ProposalPending');
    await time.increase(DELAY);
    for (const kind of ['imr', 'mmr', 'takerFee'] as const) await (await params.executeParam(paramKey(kind, 0))).wait();
    await (await params.executeParam(paramKey('markOverrideHealth'))).wait();
    await (await params.executeParam(paramKey('guardCapacity'))).wait();
    const m = await market.market(0);
    expect([m.imr, m.mmr, m.feeRate]).to.deep.equal([parseEther('0.15'), parseEther('0.08'), parseEther('0.001')]);
    expect(await market.markOverrideHealth()).to.equal(parseEther('1.5'));
    expect((await creditManager.increaseGuard())[0]).to.equal(capacity * 2n);

    // mmr proposed at 0.13 (≤ imr 0.15), then imr lowered to 0.12 first: the mmr proposal no longer fits.
    await params.proposeParam(paramKey('mmr', 0), parseEther('0.13'));
    await params.proposeParam(paramKey('imr', 0), parseEther('0.12'));
    await time.increase(DELAY);
    await (await params.executeParam(paramKey('imr', 0))).wait();
    await expect(params.executeParam(paramKey('mmr', 0))).to.be.revertedWithCustomError(params, 'OutOfBounds');
  });

  it('the liquidation penalty moves by at most 0.01 per change, within [0, MAX_LIQUIDATION_PENALTY], after the delay', async () => {
    const { params, market } = await loadFixture(governed);
    const key = paramKey('liquidationPenalty');
    const before = await market.liquidationPenalty();
    expect(await params.paramValue(key)).to.equal(before);
    await expect(params.proposeParam(key, before + parseEther('0.01') + 1n)).to.be.revertedWithCustomError(params, 'StepTooLarge');
    await params.proposeParam(key, before + parseEther('0.01'));
    await expect(params.executeParam(key)).to.be.revertedWithCustomError(params, 'TooEarly');
    await time.increase(DELAY);
    await expect(params.executeParam(key))
      .to.emit(market, 'LiquidationPenaltySet')
      .withArgs(before + parseEther('0.01'));
    expect(await market.liquidationPenalty()).to.equal(before + parseEther('0.01'));
  });

  it('caps: a first value once (initializeParam), then at most ×2 up per change and any cut, after the delay', async () => {
    const { params, market, alice } = await loadFixture(governed);
    const oiKey = paramKey('marketOpenInterestCap', 0);
    const accountKey = paramKey('accountOpenInterestCap', 0);
    const exposureKey = paramKey('accountExposureCap', WETH);
    await expect(params.paramValue(oiKey)).to.be.revertedWithCustomError(params, 'UnknownParam'); // not set: no cap
    await expect(params.proposeParam(oiKey, 1n)).to.be.revertedWithCustomError(params, 'UnknownParam');
    await expect(params.connect(alice).initializeParam(oiKey, 1n)).to.be.revertedWithCustomError(params, 'OwnableUnauthorizedAccount');
    await expect(params.initializeParam(oiKey, 0n)).to.be.revertedWithCustomError(params, 'OutOfBounds');
    await expect(params.initializeParam(oiKey, parseEther('1000')))
      .to.emit(market, 'OpenInterestCapsSet')
      .withArgs(0, parseEther('1000'), 0)
      .and.to.emit(params, 'ParamInitialized');
    await params.initializeParam(accountKey, parseEther('100'));
    await params.initializeParam(exposureKey, parseEther('1000000'));
    await expect(params.initializeParam(oiKey, parseEther('5'))).to.be.revertedWithCustomError(params, 'ParamGoverned');
    await expect(params.initializeParam(paramKey('marketOpenInterestCap', 4), 1n)).to.be.revertedWithCustomError(params, 'UnknownParam');
    await expect(params.initializeParam(paramKey('accountExposureCap', 77), 1n)).to.be.revertedWithCustomError(params, 'UnknownParam');
    expect(await market.openInterest(0)).to.deep.equal([0n, parseEther('1000'), parseEther('100')]);
    expect(await params.paramBound(oiKey)).to.deep.equal([1n, parseEther('1000000000000'), parseEther('1000')]);

    await expect(params.proposeParam(oiKey, parseEther('2000') + 1n)).to.be.revertedWithCustomError(params, 'StepTooLarge');
    await params.proposeParam(oiKey, parseEther('2000'));
    await params.proposeParam(accountKey, 1n); // a cut to (almost) nothing is one step
    await params.proposeParam(exposureKey, parseEther('1500000'));
    await time.increase(DELAY);
    for (const key of [oiKey, accountKey, exposureKey]) await (await params.executeParam(key)).wait();
    expect(await market.openInterest(0)).to.deep.equal([0n, parseEther('2000'), 1n]);
    expect(await market.exposureCap(WETH)).to.equal(parseEther('1500000'));
    expect(await params.paramValue(exposureKey)).to.equal(parseEther('1500000'));
  });

  it('only the owner proposes and cancels; anyone executes; a cancelled proposal is gone', async () => {
    const { params, alice } = await loadFixture(governed);
    const key = paramKey('chainWeight', EID_A);
    await expect(params.connect(alice).proposeParam(key, parseEther('0.95'))).to.be.revertedWithCustomError(params, 'OwnableUnauthorizedAccount');
    await params.proposeParam(key, parseEther('0.95'));
    await expect(params.connect(alice).cancelParam(key)).to.be.revertedWithCustomError(params, 'OwnableUnauthorizedAccount');
    await expect(params.cancelParam(key)).to.emit(params, 'ParamCancelled').withArgs(key, parseEther('0.95'));
    await time.increase(DELAY);
    await expect(params.executeParam(key)).to.be.revertedWithCustomError(params, 'NoProposal');
    await params.proposeParam(key, parseEther('0.95'));
    await time.increase(DELAY);
    await expect(params.connect(alice).executeParam(key)).to.emit(params, 'ParamExecuted');
    expect(await params.paramValue(key)).to.equal(parseEther('0.95'));
    await expect(params.initializeParam(key, parseEther('0.5'))).to.be.revertedWithCustomError(params, 'ParamGoverned');
  });

  it('once it governs, the direct setters refuse everyone else (owner included)', async () => {
    const { hub, market, creditManager, wethFeed, deployer } = await loadFixture(governed);
    const feed = await wethFeed.getAddress();
    const { initWeight } = await hub.assetRisk(WETH);
    await expect(hub.setAssetRisk(WETH, feed, initWeight - 1n))
      .to.be.revertedWithCustomError(hub, 'ParamGoverned')
      .withArgs(deployer.address);
    await expect(hub.setAssetRisk(WETH, feed, initWeight)).to.emit(hub, 'AssetRiskSet'); // same weight: a feed change
    await expect(hub.setAssetRisk(99, feed, parseEther('0.5'))).to.emit(hub, 'AssetRiskSet'); // listing a new asset
    await expect(market.setMarketRisk(0, parseEther('0.2'), parseEther('0.1'), 0)).to.be.revertedWithCustomError(market, 'ParamGoverned');
    await expect(market.setMarkOverrideHealth(parseEther('3'))).to.be.revertedWithCustomError(market, 'ParamGoverned');
    await expect(market.setLiquidationPenalty(parseEther('0.03'))).to.be.revertedWithCustomError(market, 'ParamGoverned');
    await expect(creditManager.setIncreaseGuard(1, 1)).to.be.revertedWithCustomError(creditManager, 'ParamGoverned');
    await expect(market.setOpenInterestCaps(0, 1, 1)).to.be.revertedWithCustomError(market, 'ParamGoverned');
    await expect(market.setExposureCap(WETH, 1)).to.be.revertedWithCustomError(market, 'ParamGoverned');
    await expect(hub.setParamGovernor(deployer.address)).to.be.revertedWithCustomError(hub, 'ParamGoverned');
  });

  it('the delay comes from construction, within [10 s, 30 days]', async () => {
    const p = await loadFixture(deployProtocol);
    const args = { hub: await p.hub.getAddress(), market: await p.market.getAddress(), creditManager: await p.creditManager.getAddress() };
    await expect(deployRiskParameters(p.deployer, { ...args, delaySeconds: 5 })).to.be.reverted;
    const params = await deployRiskParameters(p.deployer, args);
    expect(await params.paramDelay()).to.equal(86_400n);
  });
});
