import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { MaxUint256, parseEther, parseUnits } from 'ethers';
import { EID_A, EID_B, USDC, WETH, deployProtocol } from './helpers/fixture';
import { deployStablePriceFeed } from '../lib';
import { deposit, seize } from './helpers/money';

const PENALTY = parseEther('0.02');
const WAD = 10n ** 18n;

/** Alice with 1,000 USDC and 1 WETH on A and 1 WETH on B, all attested. */
async function collateralFixture() {
  const p = await loadFixture(deployProtocol);
  await deposit(p, p.alice, USDC, parseUnits('1000', 6));
  await deposit(p, p.alice, WETH, parseEther('1'));
  await deposit(p, p.alice, WETH, parseEther('1'), p.vaultB);
  await p.settle();
  return p;
}

describe('LiquidationRegistry', () => {
  it('openLiquidation: the market opens freely; anyone else only for a marked, debt-only account', async () => {
    const p = await collateralFixture();
    const asBob = p.registry.connect(p.bob);
    await expect(asBob.openLiquidation(p.alice.address)).to.be.revertedWithCustomError(p.registry, 'NotLiquidatable');
    await p.push([p.alice.address, 0n, true]);
    await expect(asBob.openLiquidation(p.alice.address)).to.be.revertedWithCustomError(p.registry, 'NoUncoveredDebt');
    await p.push([p.alice.address, parseEther('10000')]);
    await p.market.connect(p.alice).modifyPosition(0, parseEther('1'));
    await p.push([p.alice.address, parseEther('10000'), true]);
    await expect(asBob.openLiquidation(p.alice.address)).to.be.revertedWithCustomError(p.registry, 'PositionsOpen');
    await p.market.setMarkOverrideHealth(MaxUint256); // well margined, but the mark decides here
    await p.market.connect(p.liquidator).liquidate(p.alice.address, WAD);
    // Closed at the same price: the fee and the penalty are a debt; the market's liquidation is open already.
    expect(await p.registry.activeLiquidation(p.alice.address)).to.equal(1n);
    expect(await asBob.openLiquidation.staticCall(p.alice.address)).to.equal(1n);
  });

  it('planSeizure takes the riskiest asset first and never more than debt × (1 + π) plus one unit', async () => {
    const p = await collateralFixture();
    await seize(p, p.alice.address, parseEther('100'));
    const first = await p.hub.seizure(1n);
    expect([first.eid, first.assetId]).to.deep.equal([BigInt(EID_A), BigInt(WETH)]); // WETH (0.85) before USDC (0.97)
    // 100 USD × 1.02 at 2,000: 0.051 WETH.
    expect(first.amount).to.equal(parseEther('0.051'));
    await expect(p.registry.closeLiquidation(p.alice.address)).to.be.revertedWithCustomError(p.registry, 'LiquidationActive');
    await expect(p.registry.onSeizureSent(1)).to.be.revertedWithCustomError(p.registry, 'NotHub');
    await expect(p.registry.onAuctionResult(p.alice.address, 1)).to.be.revertedWithCustomError(p.registry, 'NotHub');
  });

  it('sizes a seizure at the oracle price even when the hub values collateral through a StablePriceFeed (p⁻ after a rally)', async () => {
    const p = await collateralFixture();
    const stable = await deployStablePriceFeed(p.deployer, { source: await p.wethFeed.getAddress() });
    await (await p.hub.setAssetRisk(WETH, await stable.getAddress(), (await p.hub.assetRisk(WETH)).initWeight)).wait();
    await p.wethFeed.setPrice(parseUnits('4000', 8)); // s stays near 2,000: the hub's p⁻ is ~2,000
    expect((await stable.latestRoundData())[1]).to.be.lessThan(parseUnits('2001', 8));
    await seize(p, p.alice.address, parseEther('100'));
    // 100 USD × 1.02 at the oracle's 4,000: 0.0255 WETH (at p⁻ it would be 0.051).
    expect((await p.hub.seizure(1n)).amount).to.equal(parseEther('0.0255'));
  });

  it('property: seized value ≤ uncovered debt × (1 + π) + one token unit, and the lot’s debt ≤ the uncovered debt', async () => {
    const p = await collateralFixture();
    await p.push([p.alice.address, 0n, true]);
    await p.pool.connect(p.deployer).settle(p.alice.address, -1n, 0n);
    await p.registry.connect(p.deployer).openLiquidation(p.alice.address);
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: parseEther('10000') }), async (extra) => {
        await p.pool.connect(p.deployer).settle(p.alice.address, -extra, 0n);
        const uncovered = await p.registry.uncoveredDebt(p.alice.address);
        const plan = await p.registry.planSeizure(p.alice.address);
        const unit = plan.assetId === BigInt(USDC) ? parseEther('1') / 10n ** 6n : parseEther('2000') / WAD;
        expect(plan.value <= (uncovered * (WAD + PENALTY)) / WAD + unit + 1n).to.equal(true);
        expect(plan.debtUsd <= uncovered).to.equal(true);
        expect([BigInt(EID_A), BigInt(EID_B)]).to.include(plan.eid);
      }),
      { numRuns: 12 },
    );
  });
});
