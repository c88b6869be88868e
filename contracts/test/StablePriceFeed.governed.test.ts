import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { deployRiskParameters, deployStablePriceFeed, handOverParams, paramKey } from '../lib';
import { USDC, WETH, deployProtocol } from './helpers/fixture';

const DELAY = 60;
const GAP = 300n;
const WAD = 10n ** 18n;
const usd = (n: number) => parseUnits(String(n), 8);

/** StablePrice.step in integers. */
function step(s: bigint, p: bigint, elapsed: bigint, delta: bigint, tau: bigint): bigint {
  const allowance = (s * delta * elapsed) / (tau * WAD);
  if (p > s) return p - s <= allowance ? p : s + allowance;
  return s - p <= allowance ? p : s - allowance;
}

/** The hub values WETH through a StablePriceFeed that RiskParameters governs (USDC keeps its plain oracle feed). */
async function governedFeed() {
  const p = await deployProtocol();
  const params = await deployRiskParameters(p.deployer, {
    hub: await p.hub.getAddress(),
    market: await p.market.getAddress(),
    creditManager: await p.creditManager.getAddress(),
    delaySeconds: DELAY,
  });
  const feed = await deployStablePriceFeed(p.deployer, { source: await p.wethFeed.getAddress() });
  await (await p.hub.setAssetRisk(WETH, await feed.getAddress(), (await p.hub.assetRisk(WETH)).initWeight)).wait();
  await handOverParams(await params.getAddress(), p);
  await expect(feed.setParamGovernor(await params.getAddress())).to.emit(feed, 'ParamGovernorSet');
  return { ...p, params, feed };
}

describe('StablePriceFeed δ and τ through RiskParameters (kinds 14, 15)', () => {
  it('a δ change executes after the delay and settles s at the old δ first: nothing retroactive', async () => {
    const { params, feed, wethFeed } = await loadFixture(governedFeed);
    const key = paramKey('stableMaxStep', WETH);
    const delta = 2n * 10n ** 16n;
    expect(await params.paramValue(key)).to.equal(delta);
    expect(await params.paramValue(paramKey('stableInterval', WETH))).to.equal(3600n);
    await wethFeed.setPrice(usd(2800));
    await feed.poke();
    const [s0, last] = await feed.stablePrice();
    await expect(params.proposeParam(key, 2n * delta)).to.emit(params, 'ParamProposed');
    const eta = BigInt(await time.latest()) + BigInt(DELAY);
    await expect(params.executeParam(key)).to.be.revertedWithCustomError(params, 'TooEarly').withArgs(key, eta);
    expect(await feed.maxStep()).to.equal(delta);
    await time.setNextBlockTimestamp(eta);
    const settled = step(s0, usd(2800), eta - last, delta, 3600n);
    await expect(params.executeParam(key))
      .to.emit(params, 'ParamExecuted')
      .withArgs(key, delta, 2n * delta)
      .and.to.emit(feed, 'StablePriceUpdated')
      .withArgs(usd(2800), settled)
      .and.to.emit(feed, 'StableParamsSet')
      .withArgs(2n * delta, 3600n);
    // The time before the change moved s at the old δ (a retroactive change would have given more).
    expect(settled).to.be.lessThan(step(s0, usd(2800), eta - last, 2n * delta, 3600n));
    expect(await feed.stablePrice()).to.deep.equal([settled, eta]);
    await time.setNextBlockTimestamp(eta + GAP);
    await feed.poke();
    expect((await feed.stablePrice())[0]).to.equal(step(settled, usd(2800), GAP, 2n * delta, 3600n));
  });

  it('τ moves the same way; the feed answers p⁻ at the new rate from the change on', async () => {
    const { params, feed, wethFeed } = await loadFixture(governedFeed);
    const key = paramKey('stableInterval', WETH);
    await (await params.proposeParam(key, 7200n)).wait();
    await time.increase(DELAY);
    await expect(params.executeParam(key))
      .to.emit(feed, 'StableParamsSet')
      .withArgs(2n * 10n ** 16n, 7200n);
    const [s, at] = await feed.stablePrice();
    await wethFeed.setPrice(usd(3000));
    await time.setNextBlockTimestamp(at + GAP);
    await feed.poke();
    expect((await feed.stablePrice())[0]).to.equal(step(s, usd(3000), GAP, 2n * 10n ** 16n, 7200n));
  });

  it('bounds: δ in [0.001, 0.2] and τ in [max(300 s, maxGap), 1 day], each at most ×2 or ÷2 per change; nothing changes on a refusal', async () => {
    const { params, feed } = await loadFixture(governedFeed);
    const d = paramKey('stableMaxStep', WETH);
    const t = paramKey('stableInterval', WETH);
    const delta = 2n * 10n ** 16n;
    expect(await params.paramBound(d)).to.deep.equal([delta / 2n, parseEther('0.2'), delta]);
    expect(await params.paramBound(t)).to.deep.equal([1800n, 86_400n, 3600n]);
    await expect(params.proposeParam(d, 2n * delta + 1n))
      .to.be.revertedWithCustomError(params, 'StepTooLarge')
      .withArgs(d, delta, 2n * delta + 1n, delta);
    await expect(params.proposeParam(d, delta / 2n - 1n))
      .to.be.revertedWithCustomError(params, 'OutOfBounds')
      .withArgs(d, delta / 2n - 1n, delta / 2n, parseEther('0.2'));
    await expect(params.proposeParam(t, 7201n)).to.be.revertedWithCustomError(params, 'StepTooLarge');
    await expect(params.proposeParam(t, 1799n)).to.be.revertedWithCustomError(params, 'OutOfBounds');
    expect((await params.pendingParam(d))[1]).to.equal(0n);
    expect((await params.pendingParam(t))[1]).to.equal(0n);
    // Down to the floor over a few changes: 3600 → 1800 → 900 → 450 → 300 (maxGap), not below.
    for (const next of [1800n, 900n, 450n, 300n]) {
      await (await params.proposeParam(t, next)).wait();
      await time.increase(DELAY);
      await (await params.executeParam(t)).wait();
    }
    expect(await feed.interval()).to.equal(300n);
    await expect(params.proposeParam(t, 299n)).to.be.revertedWithCustomError(params, 'OutOfBounds').withArgs(t, 299n, 300n, 86_400n);
    expect(await feed.interval()).to.equal(300n);
  });

  it('only the governor sets δ and τ on the feed once it has one; bad values and a second governor are refused', async () => {
    const { params, feed, deployer } = await loadFixture(governedFeed);
    await expect(feed.setStableParams(parseEther('0.04'), 3600n))
      .to.be.revertedWithCustomError(feed, 'ParamGoverned')
      .withArgs(deployer.address);
    await expect(feed.setParamGovernor(deployer.address)).to.be.revertedWithCustomError(feed, 'ParamGoverned');
    const loose = await deployStablePriceFeed(deployer, { source: await feed.source() });
    await expect(loose.setStableParams(0n, 3600n)).to.be.revertedWithCustomError(loose, 'InvalidStableParams');
    await expect(loose.setStableParams(WAD, 3600n)).to.be.revertedWithCustomError(loose, 'InvalidStableParams');
    await expect(loose.setStableParams(parseEther('0.02'), GAP - 1n)).to.be.revertedWithCustomError(loose, 'InvalidStableParams');
    await expect(loose.setStableParams(parseEther('0.02'), 1n << 24n)).to.be.revertedWithCustomError(loose, 'InvalidStableParams');
    expect([await loose.maxStep(), await loose.interval()]).to.deep.equal([parseEther('0.02'), 3600n]);
    const [, alice] = await ethers.getSigners();
    await expect(loose.connect(alice).setStableParams(parseEther('0.04'), 3600n)).to.be.revertedWithCustomError(loose, 'ParamGoverned');
    await expect(loose.setStableParams(parseEther('0.04'), 3600n)).to.emit(loose, 'StableParamsSet'); // the owner, before a governor
    expect(await params.paramValue(paramKey('stableMaxStep', WETH))).to.equal(parseEther('0.02'));
  });

  it('an asset whose hub feed is not a StablePriceFeed governed by RiskParameters has no kind 14/15', async () => {
    const { params, hub, feed, deployer } = await loadFixture(governedFeed);
    await expect(params.paramValue(paramKey('stableMaxStep', USDC))).to.be.revertedWithCustomError(params, 'UnknownParam');
    await expect(params.proposeParam(paramKey('stableInterval', USDC), 1800n)).to.be.revertedWithCustomError(params, 'UnknownParam');
    const other = await deployStablePriceFeed(deployer, { source: await feed.source() });
    await (await hub.setAssetRisk(WETH, await other.getAddress(), (await hub.assetRisk(WETH)).initWeight)).wait();
    await expect(params.paramValue(paramKey('stableMaxStep', WETH))).to.be.revertedWithCustomError(params, 'UnknownParam');
  });
});
