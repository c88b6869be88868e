import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther } from 'ethers';
import { SeizureMathHarness__factory } from '../../typechain-types';

const WAD = 10n ** 18n;
const PENALTY = parseEther('0.02');
const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);

async function deployHarness() {
  const [deployer] = await ethers.getSigners();
  return { math: await new SeizureMathHarness__factory(deployer).deploy() };
}

describe('SeizureMath', () => {
  it('seizes debt × (1 + π) at the oracle price, rounded up to whole units; the lot must raise the debt', async () => {
    const { math } = await loadFixture(deployHarness);
    // 100 USD owed at 2,000 USD per WETH: 102 USD of WETH = 0.051 WETH, the lot raises 100.
    const [amount, debt, value] = await math.plan(parseEther('100'), PENALTY, parseEther('5'), parseEther('2000'), 18);
    expect([amount, debt, value]).to.deep.equal([parseEther('0.051'), parseEther('100'), parseEther('102')]);
  });

  it('a seizure capped by the balance must raise its whole value: nothing returns to an account still in debt', async () => {
    const { math } = await loadFixture(deployHarness);
    // 10,000 USD owed, 1 WETH at 3,000 there: all of it, and the lot must raise 3,000 (not 3,000 / 1.02).
    const [amount, debt, value] = await math.plan(parseEther('10000'), PENALTY, parseEther('1'), parseEther('3000'), 18);
    expect([amount, debt, value]).to.deep.equal([parseEther('1'), parseEther('3000'), parseEther('3000')]);
    // Worth between the debt and debt × 1.02: the whole debt (1,000), not 1,005 / 1.02 = 985.29.
    const [, debtBetween, valueBetween] = await math.plan(parseEther('1000'), PENALTY, parseEther('0.335'), parseEther('3000'), 18);
    expect([debtBetween, valueBetween]).to.deep.equal([parseEther('1000'), parseEther('1005')]);
    // 30,000 USDC (6 decimals) against 52,000 owed: all of it, raising 30,000.
    const [usdc, usdcDebt] = await math.plan(parseEther('52000'), PENALTY, 30_000_000_000n, WAD, 6);
    expect([usdc, usdcDebt]).to.deep.equal([30_000_000_000n, parseEther('30000')]);
  });

  it('property: value ≤ uncovered × (1 + π) + one unit, debt ≤ min(uncovered, value); a capped lot sold whole at or below 0.99 × oracle returns nothing', async () => {
    const { math } = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: parseEther('1000000') }),
        fc.bigInt({ min: 0n, max: parseEther('0.1') }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 10n ** 10n, max: parseEther('100000') }),
        fc.constantFrom(6, 8, 18),
        async (uncovered, penalty, available, price, decimals) => {
          const unit = 10n ** BigInt(decimals);
          const [amount, debt, value] = await math.plan(uncovered, penalty, available, price, decimals);
          expect(amount <= available).to.equal(true);
          expect(value).to.equal((amount * price) / unit);
          expect(value <= (uncovered * (WAD + penalty)) / WAD + ceilDiv(price, unit) + 1n).to.equal(true);
          expect(debt <= uncovered && debt <= value).to.equal(true);
          const capped = ceilDiv(ceilDiv(uncovered * (WAD + penalty), WAD) * unit, price) >= available;
          if (capped) {
            expect(debt).to.equal(value < uncovered ? value : uncovered);
            // A take of the whole lot at 0.99 × oracle costs no more than the lot's debt (when the debt is its value;
            // from 100 wei of value on, where the 1 % gap is at least the take's rounding up).
            if (value <= uncovered && value >= 100n) expect(ceilDiv(amount * ((price * 99n) / 100n), unit) <= debt).to.equal(true);
          } else {
            expect(debt).to.equal((value * WAD) / (WAD + penalty) < uncovered ? (value * WAD) / (WAD + penalty) : uncovered);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
