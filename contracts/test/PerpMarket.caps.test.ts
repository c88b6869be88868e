import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { deployPriceFeed, packCreditEntry, pushCredit } from '../lib';
import { WETH, marketFixture } from './helpers/market-fixture';

const WAD = 10n ** 18n;
const EID_A = 40102;
const EID_B = 40103;

/** The market fixture with a second funded trader (bob) and market 0 (WETH at 2,000 USD). */
async function capsFixture() {
  const f = await marketFixture();
  const [, , , , , , bob] = await ethers.getSigners();
  await f.collateral.set(bob.address, parseEther('1000000'));
  await pushCredit(f.cm.connect(f.pusher), 2, [
    packCreditEntry(f.alice.address, parseEther('100000')),
    packCreditEntry(bob.address, parseEther('100000')),
  ]);
  const oi = async () => (await f.market.openInterest(0)).total;
  return { ...f, bob, oi };
}

describe('PerpMarket caps (docs/breakers-and-dampeners.md#caps)', () => {
  it('tracks the gross open interest Σ |size| through opens, adds, reductions, flips and liquidations', async () => {
    const { market, alice, bob, oi, cm, pusher, keeper, collateral, setPrice } = await loadFixture(capsFixture);
    await market.connect(alice).modifyPosition(0, parseEther('10'));
    await market.connect(bob).modifyPosition(0, parseEther('-4'));
    expect(await oi()).to.equal(parseEther('14'));
    await market.connect(alice).modifyPosition(0, parseEther('-3')); // 10 → 7
    await market.connect(bob).modifyPosition(0, parseEther('9')); // -4 → 5 (a flip)
    expect(await oi()).to.equal(parseEther('12'));
    await setPrice(1000);
    await collateral.set(alice.address, 0n);
    await pushCredit(cm.connect(pusher), 3, [packCreditEntry(alice.address, 0n, true)]);
    await market.connect(keeper).liquidate(alice.address, WAD / 2n); // 7 → 3.5
    expect(await oi()).to.equal(parseEther('8.5'));
    await market.connect(bob).modifyPosition(0, parseEther('-5'));
    expect(await oi()).to.equal(parseEther('3.5'));
  });

  it('a trade past the market cap reverts MarketOpenInterestCap with the figures; one up to the cap passes', async () => {
    const { market, alice, bob, oi } = await loadFixture(capsFixture);
    await expect(market.setOpenInterestCaps(0, parseEther('15'), 0))
      .to.emit(market, 'OpenInterestCapsSet')
      .withArgs(0, parseEther('15'), 0);
    await market.connect(alice).modifyPosition(0, parseEther('10'));
    await expect(market.connect(bob).modifyPosition(0, parseEther('-5.1')))
      .to.be.revertedWithCustomError(market, 'MarketOpenInterestCap')
      .withArgs(0, parseEther('15.1'), parseEther('15'));
    await market.connect(bob).modifyPosition(0, parseEther('-5'));
    expect(await oi()).to.equal(parseEther('15'));
    // A flip that does not raise |size| passes at the cap; one that does is refused.
    await market.connect(bob).modifyPosition(0, parseEther('9'));
    await expect(market.connect(bob).modifyPosition(0, parseEther('-9.5'))).to.be.revertedWithCustomError(market, 'MarketOpenInterestCap');
  });

  it('a cap lowered below the open interest closes nothing: reductions pass, increases wait until it is back under', async () => {
    const { market, alice, bob, oi } = await loadFixture(capsFixture);
    await market.connect(alice).modifyPosition(0, parseEther('10'));
    await market.setOpenInterestCaps(0, parseEther('6'), 0);
    await market.connect(alice).modifyPosition(0, parseEther('-2'));
    await expect(market.connect(bob).modifyPosition(0, parseEther('1'))).to.be.revertedWithCustomError(market, 'MarketOpenInterestCap');
    await market.connect(alice).modifyPosition(0, parseEther('-3'));
    await market.connect(bob).modifyPosition(0, parseEther('1'));
    expect(await oi()).to.equal(parseEther('6'));
  });

  it('the per-account cap holds each account’s |size| in the market, either side', async () => {
    const { market, alice, bob } = await loadFixture(capsFixture);
    await market.setOpenInterestCaps(0, 0, parseEther('5'));
    await expect(market.connect(alice).modifyPosition(0, parseEther('6')))
      .to.be.revertedWithCustomError(market, 'AccountOpenInterestCap')
      .withArgs(alice.address, 0, parseEther('6'), parseEther('5'));
    await market.connect(alice).modifyPosition(0, parseEther('5'));
    await market.connect(bob).modifyPosition(0, parseEther('-5'));
    await expect(market.connect(alice).modifyPosition(0, parseEther('-10.5')))
      .to.be.revertedWithCustomError(market, 'AccountOpenInterestCap')
      .withArgs(alice.address, 0, parseEther('5.5'), parseEther('5'));
    await market.connect(alice).modifyPosition(0, parseEther('-10')); // long 5 → short 5
    expect((await market.position(alice.address, 0)).size).to.equal(parseEther('-5'));
  });

  it('the exposure cap counts attested collateral on every chain and every market of the asset; a hedge always passes', async () => {
    const { market, alice, collateral, feed, owner } = await loadFixture(capsFixture);
    // A second WETH market (another feed at the same 2,000 USD).
    const feed2 = await deployPriceFeed(owner, { description: 'ETH / USD 2', price: parseUnits('2000', 8) });
    await market.listMarket(WETH, await feed2.getAddress(), parseEther('0.1'), parseEther('0.05'), 0);
    // 3 WETH on chain A (18 decimals) and 2 on chain B (a 6-decimal WETH there): 5 units of collateral.
    await collateral.setBalance(alice.address, EID_A, WETH, 18, parseEther('3'));
    await collateral.setBalance(alice.address, EID_B, WETH, 6, 2_000_000n);
    expect(await market.exposureUnits(alice.address, WETH)).to.equal(parseEther('5'));
    await expect(market.setExposureCap(WETH, parseEther('20000')))
      .to.emit(market, 'ExposureCapSet')
      .withArgs(WETH, parseEther('20000'));
    // 5 held + 5 long = 10 units × 2,000 = 20,000 USD: at the cap.
    await market.connect(alice).modifyPosition(0, parseEther('4'));
    await market.connect(alice).modifyPosition(1, parseEther('1'));
    expect(await market.exposureUnits(alice.address, WETH)).to.equal(parseEther('10'));
    await expect(market.connect(alice).modifyPosition(1, parseEther('0.5')))
      .to.be.revertedWithCustomError(market, 'AccountExposureCap')
      .withArgs(alice.address, WETH, parseEther('21000'), parseEther('20000'));
    // A price rise moves nobody's position; a trade that cuts exposure passes even above the cap.
    await feed.setPrice(parseUnits('2500', 8));
    await market.connect(alice).modifyPosition(0, parseEther('-1'));
    // Shorts against the collateral: |5 + 3 + 1 − 9| = 0 … −4 is a hedge; −14 net is not.
    await market.connect(alice).modifyPosition(0, parseEther('-12'));
    expect(await market.exposureUnits(alice.address, WETH)).to.equal(parseEther('-3'));
    await market.connect(alice).modifyPosition(0, parseEther('-5'));
    await expect(market.connect(alice).modifyPosition(0, parseEther('-0.1')))
      .to.be.revertedWithCustomError(market, 'AccountExposureCap')
      .withArgs(alice.address, WETH, parseEther('8.1') * 2500n, parseEther('20000'));
  });

  it('caps are governed setters: owner until a governor exists, then only it; 0 = no cap; bounded by uint128', async () => {
    const { market, alice, owner } = await loadFixture(capsFixture);
    await expect(market.connect(alice).setOpenInterestCaps(0, 1, 1)).to.be.revertedWithCustomError(market, 'OwnableUnauthorizedAccount');
    await expect(market.connect(alice).setExposureCap(WETH, 1)).to.be.revertedWithCustomError(market, 'OwnableUnauthorizedAccount');
    await expect(market.setOpenInterestCaps(5, 1, 1)).to.be.revertedWithCustomError(market, 'MarketNotListed');
    await expect(market.setExposureCap(9, 1)).to.be.revertedWithCustomError(market, 'AssetWithoutMarket').withArgs(9);
    await expect(market.setOpenInterestCaps(0, 2n ** 128n, 0)).to.be.revertedWithCustomError(market, 'InvalidCap');
    await market.setParamGovernor(alice.address);
    await expect(market.setOpenInterestCaps(0, 1, 1))
      .to.be.revertedWithCustomError(market, 'ParamGoverned')
      .withArgs(owner.address);
    await market.connect(alice).setOpenInterestCaps(0, parseEther('1'), parseEther('2'));
    expect(await market.openInterest(0)).to.deep.equal([0n, parseEther('1'), parseEther('2')]);
  });
});
