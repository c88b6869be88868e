import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { deployCreditManager, deployPerpMarket, deployPriceFeed, grantCreditRoles, packCreditEntry } from '../lib';

const WETH = 2;
const STALE = 600;

async function marketFixture() {
  const [owner, pusher, alice, keeper] = await ethers.getSigners();
  const cm = await deployCreditManager(owner, { staleAfterSeconds: STALE, guardCapacity: parseEther('1000000'), guardRefillPerSecond: 0 });
  const market = await deployPerpMarket(owner, { creditManager: await cm.getAddress(), maxPriceAgeSeconds: 3600 });
  const feed = await deployPriceFeed(owner, { description: 'ETH / USD', price: parseUnits('2000', 8) });
  await grantCreditRoles(cm, { pusher: pusher.address, market: await market.getAddress() });
  await market.listMarket(WETH, await feed.getAddress(), parseEther('0.1'), parseEther('0.05'));
  await cm.connect(pusher).pushCreditLimits(1, [packCreditEntry(alice.address, parseEther('10000'))]);
  const setPrice = (usd: number) => feed.setPrice(parseUnits(String(usd), 8));
  return { cm, market, feed, owner, pusher, alice, keeper, setPrice };
}

describe('PerpMarket', () => {
  it('opens a long consuming |size| × price × imr, adds at a weighted entry, realizes PnL on reduce and close', async () => {
    const { cm, market, alice, setPrice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await expect(m.modifyPosition(0, parseEther('10')))
      .to.emit(market, 'PositionOpened')
      .withArgs(alice.address, 0, parseEther('10'), parseEther('10'), parseEther('2000'), parseEther('2000'), 0n, parseEther('2000'));
    expect((await cm.account(alice.address)).used).to.equal(parseEther('2000'));
    await setPrice(2200);
    await expect(m.modifyPosition(0, parseEther('10')))
      .to.emit(market, 'PositionModified')
      .withArgs(alice.address, 0, parseEther('10'), parseEther('20'), parseEther('2100'), parseEther('2200'), 0n, parseEther('4200'));
    await setPrice(2300);
    // Reduce by 5 at 2300: realized 5 × (2300 − 2100) = 1000; margin released pro rata (4200 × 15/20).
    await expect(m.modifyPosition(0, parseEther('-5')))
      .to.emit(market, 'PositionModified')
      .withArgs(alice.address, 0, parseEther('-5'), parseEther('15'), parseEther('2100'), parseEther('2300'), parseEther('1000'), parseEther('3150'));
    await setPrice(2000);
    await expect(m.modifyPosition(0, parseEther('-15')))
      .to.emit(market, 'PositionClosed')
      .withArgs(alice.address, 0, parseEther('-15'), 0n, 0n, parseEther('2000'), parseEther('-1500'), 0n);
    expect((await cm.account(alice.address)).used).to.equal(0n);
  });

  it('shorts gain when the price falls, and a flip re-margins the new side', async () => {
    const { cm, market, alice, setPrice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await m.modifyPosition(0, parseEther('-4'));
    await setPrice(1500);
    await expect(m.modifyPosition(0, parseEther('6')))
      .to.emit(market, 'PositionModified')
      .withArgs(alice.address, 0, parseEther('6'), parseEther('2'), parseEther('1500'), parseEther('1500'), parseEther('2000'), parseEther('300'));
    expect((await cm.account(alice.address)).used).to.equal(parseEther('300'));
  });

  it('refuses new risk beyond credit or with stale credit, but always lets the position be reduced', async () => {
    const { cm, market, alice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await expect(m.modifyPosition(0, parseEther('50.1'))).to.be.revertedWithCustomError(cm, 'InsufficientCredit');
    await m.modifyPosition(0, parseEther('10'));
    await time.increase(STALE + 1);
    await expect(m.modifyPosition(0, parseEther('1'))).to.be.revertedWithCustomError(cm, 'CreditStale');
    await expect(m.modifyPosition(0, parseEther('-20'))).to.be.revertedWithCustomError(cm, 'CreditStale'); // a flip adds risk
    await m.modifyPosition(0, parseEther('-10'));
    expect((await market.position(alice.address, 0)).size).to.equal(0n);
  });

  it('liquidates only accounts the pusher marked, closing every position at the oracle price', async () => {
    const { cm, market, pusher, alice, keeper, setPrice } = await loadFixture(marketFixture);
    await market.connect(alice).modifyPosition(0, parseEther('10'));
    await expect(market.connect(keeper).liquidate(alice.address)).to.be.revertedWithCustomError(market, 'NotLiquidatable').withArgs(alice.address);
    await setPrice(1000);
    await cm.connect(pusher).pushCreditLimits(2, [packCreditEntry(alice.address, 0n, true)]);
    await expect(market.connect(keeper).liquidate(alice.address))
      .to.emit(market, 'Liquidated')
      .withArgs(alice.address, 0, keeper.address, parseEther('10'), parseEther('1000'), parseEther('-10000'));
    expect((await market.position(alice.address, 0)).size).to.equal(0n);
    expect((await cm.account(alice.address)).used).to.equal(0n);
  });

  it('reverts: stale or non-positive price, unlisted market, zero delta, bad ratios, non-owner listing', async () => {
    const { market, feed, alice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await expect(m.modifyPosition(3, 1n)).to.be.revertedWithCustomError(market, 'MarketNotListed').withArgs(3);
    await expect(m.modifyPosition(0, 0n)).to.be.revertedWithCustomError(market, 'ZeroSizeDelta');
    await feed.setRoundData(parseUnits('2000', 8), (await time.latest()) - 3601);
    await expect(m.modifyPosition(0, 1n)).to.be.revertedWithCustomError(market, 'PriceStale');
    await feed.setPrice(0);
    await expect(m.modifyPosition(0, 1n)).to.be.revertedWithCustomError(market, 'PriceNotPositive');
    const feedAddress = await feed.getAddress();
    await expect(market.listMarket(1, feedAddress, parseEther('0.05'), parseEther('0.1'))).to.be.revertedWithCustomError(
      market,
      'InvalidMarginRatios',
    );
    await expect(market.listMarket(1, feedAddress, parseEther('0.1'), 0)).to.be.revertedWithCustomError(market, 'InvalidMarginRatios');
    await expect(m.listMarket(1, feedAddress, parseEther('0.1'), parseEther('0.05'))).to.be.revertedWithCustomError(
      market,
      'OwnableUnauthorizedAccount',
    );
  });
});
