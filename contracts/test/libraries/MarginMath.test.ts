import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther, parseUnits } from 'ethers';
import { deployPriceFeed } from '../../lib';
import { MarginMathHarness__factory } from '../../typechain-types';

const WAD = 10n ** 18n;
const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);

async function deployHarness() {
  const [deployer] = await ethers.getSigners();
  return { deployer, math: await new MarginMathHarness__factory(deployer).deploy() };
}

describe('MarginMath', () => {
  describe('haircutValue (collateral: rounds down)', () => {
    it('values token units at a 1e18 USD price times the weight', async () => {
      const { math } = await loadFixture(deployHarness);
      // 2.5 WETH (18 decimals) at 2,000 USD, weight 0.8: 5,000 USD worth, 4,000 USD counted.
      expect(await math.haircutValue(parseEther('2.5'), 18, parseEther('2000'), parseEther('0.8'))).to.equal(parseEther('4000'));
      // 1,000 USDC (6 decimals) at 1 USD, weight 0.95: 950 USD.
      expect(await math.haircutValue(parseUnits('1000', 6), 6, parseEther('1'), parseEther('0.95'))).to.equal(parseEther('950'));
      expect(await math.haircutValue(parseEther('1'), 18, parseEther('2000'), 0n)).to.equal(0n);
    });

    it('rounds each division down, so a dust amount counts for nothing', async () => {
      const { math } = await loadFixture(deployHarness);
      // The smallest unit of a 6-decimal token at 1 USD is worth 1e12 wei; a weight of 1e-18 leaves 1e-6 wei → 0.
      expect(await math.haircutValue(1n, 6, parseEther('1'), 1n)).to.equal(0n);
      // The smallest unit of an 18-decimal token at 1e-18 USD is worth 1e-18 wei: 0 before the weight applies.
      expect(await math.haircutValue(1n, 18, 1n, WAD)).to.equal(0n);
      expect(await math.haircutValue(3n, 0, 5n, WAD / 2n)).to.equal(7n); // 15 wei × 0.5 = 7.5 → 7
    });

    it('equals floor(floor(amount × price / 10^decimals) × weight / 1e18) for random inputs', async () => {
      const { math } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 10n ** 30n }),
          fc.integer({ min: 0, max: 36 }),
          fc.bigInt({ min: 0n, max: 10n ** 24n }),
          fc.bigInt({ min: 0n, max: WAD }),
          async (amount, decimals, price, weight) => {
            const expected = (((amount * price) / 10n ** BigInt(decimals)) * weight) / WAD;
            expect(await math.haircutValue(amount, decimals, price, weight)).to.equal(expected);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('reverts on overflow instead of wrapping', async () => {
      const { math } = await loadFixture(deployHarness);
      await expect(math.haircutValue(1n << 200n, 18, 1n << 60n, WAD)).to.be.revertedWithPanic(0x11);
    });
  });

  describe('margin (a requirement: rounds up)', () => {
    it('is |size| × price × ratio', async () => {
      const { math } = await loadFixture(deployHarness);
      // A 10 ETH position at 2,000 USD with a 10% initial margin ratio needs 2,000 USD.
      expect(await math.margin(parseEther('10'), parseEther('2000'), parseEther('0.1'))).to.equal(parseEther('2000'));
      expect(await math.margin(0n, parseEther('2000'), parseEther('0.1'))).to.equal(0n);
    });

    it('rounds the notional and the margin up: any exposure needs at least 1 wei', async () => {
      const { math } = await loadFixture(deployHarness);
      // Size 1e-18 at a price of 1e-18 USD: notional 1e-18 wei → 1 wei; margin 0.1 wei → 1 wei.
      expect(await math.margin(1n, 1n, parseEther('0.1'))).to.equal(1n);
      // Size 3e-18 at 0.5 USD: notional 1.5 wei → 2 wei; margin 2 × 0.5 = 1 wei (exact 0.75, so up).
      expect(await math.margin(3n, WAD / 2n, WAD / 2n)).to.equal(1n);
    });

    it('never falls below the exact product and exceeds it by less than 2 wei (ratio ≤ 1), for random inputs', async () => {
      const { math } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 10n ** 30n }),
          fc.bigInt({ min: 0n, max: 10n ** 24n }),
          fc.bigInt({ min: 0n, max: WAD }),
          async (size, price, ratio) => {
            const margin = await math.margin(size, price, ratio);
            expect(margin).to.equal(ceilDiv(ceilDiv(size * price, WAD) * ratio, WAD));
            const exactTimesWad2 = size * price * ratio;
            expect(margin * WAD * WAD >= exactTimesWad2, 'not below exact').to.equal(true);
            expect((margin - 2n) * WAD * WAD < exactTimesWad2 || margin < 2n, 'less than 2 wei above exact').to.equal(true);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe('readPrice', () => {
    it('scales the feed answer to 1e18 from any number of decimals', async () => {
      const { deployer, math } = await loadFixture(deployHarness);
      const at = async (decimals: number, answer: bigint) =>
        math.readPrice(await deployPriceFeed(deployer, { decimals, description: 'X / USD', price: answer }), 3600);
      expect(await at(8, 2000_00000000n)).to.equal(parseEther('2000'));
      expect(await at(18, parseEther('1.5'))).to.equal(parseEther('1.5'));
      expect(await at(0, 5n)).to.equal(parseEther('5'));
      // More than 18 decimals: divided, rounding down (the last two digits are lost).
      expect(await at(20, 123456789012345678901n)).to.equal(1234567890123456789n);
    });

    it('refuses an answer that is zero or negative', async () => {
      const { deployer, math } = await loadFixture(deployHarness);
      const feed = await deployPriceFeed(deployer, { description: 'X / USD', price: 0n });
      await expect(math.readPrice(feed, 3600))
        .to.be.revertedWithCustomError(math, 'PriceNotPositive')
        .withArgs(await feed.getAddress(), 0n);
      await feed.setPrice(-1n);
      await expect(math.readPrice(feed, 3600))
        .to.be.revertedWithCustomError(math, 'PriceNotPositive')
        .withArgs(await feed.getAddress(), -1n);
    });

    it('accepts an answer exactly maxAge old and refuses one a second older', async () => {
      const { deployer, math } = await loadFixture(deployHarness);
      const feed = await deployPriceFeed(deployer, { description: 'X / USD', price: 1_00000000n });
      const updatedAt = (await time.latest()) - 100;
      await feed.setRoundData(1_00000000n, updatedAt);
      const maxAge = 600;
      // As transactions, so the block timestamp is the one set here.
      await time.setNextBlockTimestamp(updatedAt + maxAge);
      await expect(math.readPrice.send(feed, maxAge)).not.to.be.reverted;
      await time.setNextBlockTimestamp(updatedAt + maxAge + 1);
      await expect(math.readPrice.send(feed, maxAge))
        .to.be.revertedWithCustomError(math, 'PriceStale')
        .withArgs(await feed.getAddress(), updatedAt);
    });
  });

  describe('abs', () => {
    it('is |x| for every int256 but the minimum, which reverts', async () => {
      const { math } = await loadFixture(deployHarness);
      expect(await math.abs(-5n)).to.equal(5n);
      expect(await math.abs(5n)).to.equal(5n);
      expect(await math.abs(0n)).to.equal(0n);
      expect(await math.abs(ethers.MaxInt256)).to.equal(ethers.MaxInt256);
      expect(await math.abs(-ethers.MaxInt256)).to.equal(ethers.MaxInt256);
      await expect(math.abs(ethers.MinInt256)).to.be.revertedWithPanic(0x11);
    });
  });
});
