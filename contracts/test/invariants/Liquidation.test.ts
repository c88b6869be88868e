import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther, parseUnits } from 'ethers';
import { WETH, deployProtocol } from '../helpers/fixture';
import { deposit } from '../helpers/money';

const WAD = 10n ** 18n;

describe('invariant: no liquidation of an account the chain sees at health ≥ 1 (markOverrideHealth = 1)', () => {
  it('for any price move, liquidate succeeds only below conservative health 1, even with a fresh mark', async () => {
    const base = async () => {
      const p = await loadFixture(deployProtocol);
      await p.market.setMarkOverrideHealth(WAD);
      await deposit(p, p.alice, WETH, parseEther('5'));
      await p.settle();
      await p.push([p.alice.address, parseEther('100000')]);
      await p.market.connect(p.alice).modifyPosition(0, parseEther('30'));
      return p;
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1500, max: 2600 }), fc.integer({ min: 1, max: 10 }), async (price, tenths) => {
        const p = await loadFixture(base);
        await p.wethFeed.setPrice(parseUnits(String(price), 8));
        await p.push([p.alice.address, parseEther('100000'), true]); // a mark on every account, right or wrong
        const health = await p.market.conservativeHealth(p.alice.address);
        const call = p.market.connect(p.liquidator).liquidate(p.alice.address, (WAD * BigInt(tenths)) / 10n);
        if (health >= WAD) await expect(call).to.be.revertedWithCustomError(p.market, 'ConservativelyHealthy');
        else await expect(call).to.emit(p.market, 'LiquidationExecuted');
      }),
      { numRuns: 16 },
    );
  });
});
