import { expect } from 'chai';
import { ethers } from 'hardhat';
import fc from 'fast-check';
import { CashAccountingHarness__factory } from '../../typechain-types';

describe('CashAccounting', () => {
  async function harness() {
    return new CashAccountingHarness__factory((await ethers.getSigners())[0]).deploy();
  }

  it('moves an account between the totals when its cash crosses zero; equity = tokens + debt − positive', async () => {
    const h = await harness();
    await h.set(1, 100n);
    await h.set(2, -30n);
    expect(await h.totals()).to.deep.equal([100n, 30n]);
    await h.set(1, -50n);
    expect(await h.totals()).to.deep.equal([0n, 80n]);
    await h.set(2, 0n);
    expect(await h.totals()).to.deep.equal([0n, 50n]);
    expect(await h.equity(1_000n)).to.equal(1_050n);
  });

  it('reverts (SafeCast) rather than wrap a total above 2^128', async () => {
    const h = await harness();
    await h.set(1, 2n ** 128n - 1n);
    await expect(h.set(2, 1n)).to.be.revertedWithCustomError(h, 'SafeCastOverflowedUintDowncast');
  });

  it('property: totals equal the sums of the positive and negative parts after any sequence of changes', async () => {
    const h = await harness();
    const model = new Map<number, bigint>();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), async (account, value) => {
        await h.set(account, value);
        model.set(account, value);
        const values = [...model.values()];
        const positive = values.reduce((s, v) => s + (v > 0n ? v : 0n), 0n);
        const debt = values.reduce((s, v) => s + (v < 0n ? -v : 0n), 0n);
        expect(await h.totals()).to.deep.equal([positive, debt]);
      }),
      { numRuns: 40 },
    );
  });
});
