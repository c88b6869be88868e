import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther, parseUnits } from 'ethers';
import { deployPriceFeed, deployStablePriceFeed } from '../lib';
import { EID_A, WETH, deployProtocol } from './helpers/fixture';

const usd = (n: number) => parseUnits(String(n), 8);
const DELTA = 2n * 10n ** 16n; // 2 %
const TAU = 3600n;
const GAP = 300n;

/** risk/src/stable-price.ts in integers: s ± min(|p − s|, s · δ · elapsed / τ). */
function step(s: bigint, p: bigint, elapsed: bigint): bigint {
  const allowance = (s * DELTA * elapsed) / (TAU * 10n ** 18n);
  if (p > s) return p - s <= allowance ? p : s + allowance;
  return s - p <= allowance ? p : s - allowance;
}

async function stableFixture() {
  const [owner] = await ethers.getSigners();
  const oracle = await deployPriceFeed(owner, { description: 'ETH / USD', price: usd(2000) });
  const stable = await deployStablePriceFeed(owner, { source: await oracle.getAddress() });
  const answer = async () => (await stable.latestRoundData())[1];
  return { oracle, stable, answer };
}

describe('StablePriceFeed (the init side’s p⁻ = min(p, s) on chain)', () => {
  it('a one-block spike adds nothing; s climbs δ per τ of pokes; a fall counts at once', async () => {
    const { oracle, stable, answer } = await loadFixture(stableFixture);
    expect(await stable.decimals()).to.equal(8n);
    expect(await stable.description()).to.equal('stable ETH / USD');
    expect(await answer()).to.equal(usd(2000));
    await oracle.setPrice(usd(2800)); // +40 %
    const spikeAt = BigInt(await time.latest());
    const [, lastUpdate] = await stable.stablePrice();
    expect(await answer()).to.equal(step(usd(2000), usd(2800), spikeAt - lastUpdate));
    expect(await answer()).to.be.lessThan(usd(2000.1));
    // Poked every 5 minutes for an hour: s = 2000 · (1 + 0.02/12)^12 ≈ 2040.37.
    let s = usd(2000);
    let last = lastUpdate;
    for (let i = 0; i < 12; i++) {
      await time.setNextBlockTimestamp(last + GAP);
      await expect(stable.poke()).to.emit(stable, 'StablePriceUpdated');
      s = step(s, usd(2800), GAP);
      last += GAP;
    }
    expect((await stable.stablePrice())[0]).to.equal(s);
    expect(s).to.be.within(usd(2040.3), usd(2040.4));
    await oracle.setPrice(usd(1500));
    expect(await answer()).to.equal(usd(1500));
  });

  it('time nobody poked is not saved up: after a quiet day a spike moves p⁻ by at most one gap’s allowance', async () => {
    const { oracle, stable, answer } = await loadFixture(stableFixture);
    await time.increase(86_400);
    await oracle.setPrice(usd(3000));
    expect(await answer()).to.equal(step(usd(2000), usd(3000), GAP)); // 2000 · (1 + 0.02 / 12)
    await stable.poke();
    await time.increase(86_400);
    expect(await answer()).to.equal(step(step(usd(2000), usd(3000), GAP), usd(3000), GAP));
  });

  it('refuses bad parameters and a non-positive source answer; passes the source’s round and time through', async () => {
    const { oracle, stable } = await loadFixture(stableFixture);
    const [owner] = await ethers.getSigners();
    const source = await oracle.getAddress();
    await expect(deployStablePriceFeed(owner, { source, maxStep: 10n ** 18n })).to.be.reverted;
    await expect(deployStablePriceFeed(owner, { source, maxGapSeconds: 7200 })).to.be.reverted;
    await oracle.setRoundData(usd(2000), 12345);
    const round = await stable.latestRoundData();
    expect([round[0], round[3]]).to.deep.equal([(await oracle.latestRoundData())[0], 12345n]);
    await oracle.setPrice(0);
    await expect(stable.poke()).to.be.revertedWithCustomError(stable, 'SourcePriceInvalid').withArgs(0);
    expect((await stable.latestRoundData())[1]).to.equal(0n); // passed through: the reader refuses it
  });

  it('property: poked s equals the risk library’s tracker step by step (gaps ≤ maxGap), and p⁻ never exceeds p', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 300 }), price: fc.integer({ min: 500, max: 6000 }) }), { minLength: 1, maxLength: 15 }),
        async (steps) => {
          const { oracle, stable, answer } = await loadFixture(stableFixture);
          let [s, last] = await stable.stablePrice();
          for (const { gap, price } of steps) {
            await oracle.setPrice(usd(price));
            const at = BigInt(await time.latest()) + BigInt(gap);
            await time.setNextBlockTimestamp(at);
            await stable.poke();
            s = step(s, usd(price), at - last < GAP ? at - last : GAP);
            last = at;
            expect((await stable.stablePrice())[0]).to.equal(s);
            expect(await answer()).to.equal(s < usd(price) ? s : usd(price));
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('the hub values a withdrawal at p⁻ through it: a spike adds no withdrawable value', async () => {
    const p = await loadFixture(deployProtocol);
    const stable = await deployStablePriceFeed(p.deployer, { source: await p.wethFeed.getAddress() });
    const { initWeight } = await p.hub.assetRisk(WETH);
    await p.hub.setAssetRisk(WETH, await stable.getAddress(), initWeight);
    const before = await p.hub.withdrawalValue(EID_A, WETH, parseEther('1'));
    await p.wethFeed.setPrice(usd(2800));
    expect(await p.hub.withdrawalValue(EID_A, WETH, parseEther('1'))).to.be.lessThan((before * 1001n) / 1000n);
    await p.wethFeed.setPrice(usd(1000));
    expect(await p.hub.withdrawalValue(EID_A, WETH, parseEther('1'))).to.equal(before / 2n);
  });
});
