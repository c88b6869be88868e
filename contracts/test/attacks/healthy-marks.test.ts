import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { STALE_AFTER, WETH, deployProtocol } from '../helpers/fixture';
import { deposit } from '../helpers/money';

/**
 * Attack: marks cost nothing: a stolen pusher key marks well-margined accounts liquidatable and a keeper closes
 * them (fees and the liquidation loss on the victims). Now a mark counts only while its push is fresh, and
 * `liquidate` refuses any account whose on-chain conservative health (attested collateral × price × init weight
 * + cash + uPnL over maintenance margin) is at least markOverrideHealth (2).
 */
describe('attack: liquidation marks on healthy accounts', () => {
  async function aliceLong(wethCollateral: string, size: string) {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther(wethCollateral));
    await p.settle();
    await p.push([p.alice.address, parseEther('100000')]);
    await p.market.connect(p.alice).modifyPosition(0, parseEther(size));
    return p;
  }

  it('a fresh mark on a well-margined account: liquidate refused, the position stays', async () => {
    const p = await aliceLong('10', '10'); // 16,000 of collateral, 1,000 of maintenance margin: health ≈ 16
    await p.push([p.alice.address, parseEther('100000'), true]);
    expect(await p.creditManager.isLiquidatable(p.alice.address)).to.equal(true);
    await expect(p.market.connect(p.bob).liquidate(p.alice.address, 10n ** 18n)).to.be.revertedWithCustomError(p.market, 'ConservativelyHealthy');
    expect((await p.market.position(p.alice.address, 0)).size).to.equal(parseEther('10'));
  });

  it('a mark older than staleAfter no longer counts, even on an account the conservative check would let go', async () => {
    const p = await aliceLong('1', '5'); // 1,600 of collateral, 5 ETH long
    await p.wethFeed.setPrice(parseUnits('1850', 8)); // (1,480 − 2.5 − 750) / 462.5 ≈ 1.57
    const health = await p.market.conservativeHealth(p.alice.address);
    expect(health).to.be.lt(parseEther('2'));
    await p.push([p.alice.address, 0n, true]);
    await time.increase(STALE_AFTER + 1);
    await expect(p.market.connect(p.bob).liquidate(p.alice.address, 10n ** 18n))
      .to.be.revertedWithCustomError(p.market, 'NotLiquidatable')
      .withArgs(p.alice.address);
    expect((await p.market.position(p.alice.address, 0)).size).to.equal(parseEther('5'));
  });
});
