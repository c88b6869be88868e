import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { deployPerpMarket, packCreditEntry, pushCredit } from '../lib';
import { STALE, marketFixture } from './helpers/market-fixture';

const CASH = { RealizedPnl: 0n, TradingFee: 1n };
const WAD = 10n ** 18n;

describe('PerpMarket', () => {
  it('opens a long consuming |size| × price × imr, adds at a weighted entry, realizes PnL on reduce and close; settles PnL and fees into cash', async () => {
    const { cm, pool, market, alice, setPrice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    // Fee = 10 × 2000 × 0.0005 = 10 USD.
    await expect(m.modifyPosition(0, parseEther('10')))
      .to.emit(market, 'PositionOpened')
      .withArgs(
        alice.address,
        0,
        parseEther('10'),
        parseEther('10'),
        parseEther('2000'),
        parseEther('2000'),
        0n,
        parseEther('2000'),
        parseEther('10'),
      )
      .and.to.emit(pool, 'CashChanged')
      .withArgs(alice.address, CASH.TradingFee, parseEther('-10'), parseEther('-10'));
    expect((await cm.account(alice.address)).used).to.equal(parseEther('2000'));
    expect(await cm.availableCredit(alice.address)).to.equal(parseEther('7990'));
    await setPrice(2200);
    await expect(m.modifyPosition(0, parseEther('10')))
      .to.emit(market, 'PositionModified')
      .withArgs(
        alice.address,
        0,
        parseEther('10'),
        parseEther('20'),
        parseEther('2100'),
        parseEther('2200'),
        0n,
        parseEther('4200'),
        parseEther('11'),
      );
    await setPrice(2300);
    // Reduce by 5 at 2300: realized 5 × (2300 − 2100) = 1000; margin released pro rata (4200 × 15/20); fee 5.75.
    await expect(m.modifyPosition(0, parseEther('-5')))
      .to.emit(market, 'PositionModified')
      .withArgs(
        alice.address,
        0,
        parseEther('-5'),
        parseEther('15'),
        parseEther('2100'),
        parseEther('2300'),
        parseEther('1000'),
        parseEther('3150'),
        parseEther('5.75'),
      )
      .and.to.emit(pool, 'CashChanged')
      .withArgs(alice.address, CASH.RealizedPnl, parseEther('1000'), parseEther('979'));
    await setPrice(2000);
    await expect(m.modifyPosition(0, parseEther('-15')))
      .to.emit(market, 'PositionClosed')
      .withArgs(alice.address, 0, parseEther('-15'), 0n, 0n, parseEther('2000'), parseEther('-1500'), 0n, parseEther('15'));
    expect((await cm.account(alice.address)).used).to.equal(0n);
    // −10 − 11 + 1000 − 5.75 − 1500 − 15
    const cash = parseEther('-541.75');
    expect(await pool.cashOf(alice.address)).to.equal(cash);
    expect(await cm.creditBalance(alice.address)).to.equal(parseEther('10000') + cash);
    expect([await pool.totalDebt(), await pool.totalPositiveCash()]).to.deep.equal([-cash, 0n]);
  });

  it('shorts gain when the price falls, and a flip re-margins the new side', async () => {
    const { cm, pool, market, alice, setPrice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await m.modifyPosition(0, parseEther('-4'));
    await setPrice(1500);
    await expect(m.modifyPosition(0, parseEther('6')))
      .to.emit(market, 'PositionModified')
      .withArgs(
        alice.address,
        0,
        parseEther('6'),
        parseEther('2'),
        parseEther('1500'),
        parseEther('1500'),
        parseEther('2000'),
        parseEther('300'),
        parseEther('4.5'),
      );
    expect((await cm.account(alice.address)).used).to.equal(parseEther('300'));
    expect(await pool.cashOf(alice.address)).to.equal(parseEther('1991.5')); // −4 + 2000 − 4.5
  });

  it('a realized loss lowers available credit at once, before any push', async () => {
    const { cm, market, alice, setPrice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await m.modifyPosition(0, parseEther('40')); // margin 8,000, fee 40
    expect(await cm.availableCredit(alice.address)).to.equal(parseEther('1960'));
    await setPrice(1900);
    await m.modifyPosition(0, parseEther('-20')); // realized −2,000, fee 19, releases 4,000
    expect(await cm.creditBalance(alice.address)).to.equal(parseEther('10000') - parseEther('59') - parseEther('2000') - parseEther('4000'));
    // Re-adding 21 ETH (margin 3,990 + fee 19.95) would fit the 5,941 left without the loss; with it, it does not.
    await expect(m.modifyPosition(0, parseEther('21'))).to.be.revertedWithCustomError(cm, 'InsufficientCredit');
  });

  it('checks an open net of its own fee', async () => {
    const { cm, market, pusher, alice } = await loadFixture(marketFixture);
    // 10 ETH at 2000: margin 2,000 + fee 10.
    await pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, parseEther('2009.99'))]);
    await expect(market.connect(alice).modifyPosition(0, parseEther('10')))
      .to.be.revertedWithCustomError(cm, 'InsufficientCredit')
      .withArgs(alice.address, parseEther('2000'), parseEther('1999.99'));
    await pushCredit(cm.connect(pusher), 3, [packCreditEntry(alice.address, parseEther('2010'))]);
    await market.connect(alice).modifyPosition(0, parseEther('10'));
    expect(await cm.creditBalance(alice.address)).to.equal(0n);
  });

  it('refuses new risk beyond credit or with stale credit, but always lets the position be reduced', async () => {
    const { cm, market, alice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await expect(m.modifyPosition(0, parseEther('50'))).to.be.revertedWithCustomError(cm, 'InsufficientCredit'); // 10,000 + fee 50
    await m.modifyPosition(0, parseEther('10'));
    await time.increase(STALE + 1);
    await expect(m.modifyPosition(0, parseEther('1'))).to.be.revertedWithCustomError(cm, 'CreditStale');
    await expect(m.modifyPosition(0, parseEther('-20'))).to.be.revertedWithCustomError(cm, 'CreditStale'); // a flip adds risk
    await m.modifyPosition(0, parseEther('-10'));
    expect((await market.position(alice.address, 0)).size).to.equal(0n);
  });

  it('liquidates only accounts the pusher marked: closes the fraction at the oracle price, penalty half to the caller, half to the fund', async () => {
    const { cm, pool, market, collateral, pusher, alice, keeper, fund, registry, setPrice } = await loadFixture(marketFixture);
    await market.connect(alice).modifyPosition(0, parseEther('10'));
    await expect(market.connect(keeper).liquidate(alice.address, WAD))
      .to.be.revertedWithCustomError(market, 'NotLiquidatable')
      .withArgs(alice.address);
    await setPrice(1000);
    await collateral.set(alice.address, parseEther('900')); // (900 − 10 fee − 10,000) / 500 < 0: health 0
    await pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, 0n, true)]);
    expect(await market.conservativeHealth(alice.address)).to.equal(0n);
    for (const bad of [0n, WAD + 1n]) {
      await expect(market.connect(keeper).liquidate(alice.address, bad)).to.be.revertedWithCustomError(market, 'InvalidFraction').withArgs(bad);
    }
    // Half: 5 ETH closed at 1,000 (−5,000 realized), penalty 2 % × 5,000 = 100, no trading fee.
    await expect(market.connect(keeper).liquidate(alice.address, WAD / 2n))
      .to.emit(market, 'Liquidated')
      .withArgs(alice.address, 0, keeper.address, parseEther('5'), parseEther('1000'), parseEther('-5000'), parseEther('100'))
      .and.to.emit(market, 'LiquidationExecuted')
      .withArgs(1n, alice.address, keeper.address, WAD / 2n, parseEther('5000'), parseEther('100'), 0n)
      .and.to.emit(registry, 'LiquidationOpened')
      .withArgs(1n, alice.address, await market.getAddress());
    expect((await market.position(alice.address, 0)).size).to.equal(parseEther('5'));
    expect((await cm.account(alice.address)).used).to.equal(parseEther('1000'));
    expect(await pool.cashOf(alice.address)).to.equal(parseEther('-5110'));
    expect(await pool.cashOf(keeper.address)).to.equal(parseEther('50'));
    expect(await pool.cashOf(fund.address)).to.equal(parseEther('50'));
    // The rest: same liquidation id; cash is conserved across account, keeper and fund.
    await market.connect(keeper).liquidate(alice.address, WAD);
    expect((await market.position(alice.address, 0)).size).to.equal(0n);
    expect((await cm.account(alice.address)).used).to.equal(0n);
    expect(await pool.cashOf(alice.address)).to.equal(parseEther('-10210'));
    expect((await pool.cashOf(keeper.address)) + (await pool.cashOf(fund.address))).to.equal(parseEther('200'));
    expect(await registry.activeLiquidation(alice.address)).to.equal(1n);
    await expect(market.connect(keeper).liquidate(alice.address, WAD)).to.be.revertedWithCustomError(market, 'NoPositions');
  });

  it('setLiquidationPenalty is bounded and owner-only; liquidate needs the registry and the fund', async () => {
    const { market, alice } = await loadFixture(marketFixture);
    await expect(market.connect(alice).setLiquidationPenalty(1n)).to.be.revertedWithCustomError(market, 'OwnableUnauthorizedAccount');
    await expect(market.setLiquidationPenalty(parseEther('0.11'))).to.be.revertedWithCustomError(market, 'InvalidLiquidationPenalty');
    await expect(market.setLiquidationPenalty(parseEther('0.05')))
      .to.emit(market, 'LiquidationPenaltySet')
      .withArgs(parseEther('0.05'));
    await expect(market.setInsuranceFund(alice.address)).to.be.revertedWithCustomError(market, 'AlreadySet');
    const bare = await deployPerpMarket(alice, {
      creditManager: await market.creditManager(),
      settlementPool: await market.settlementPool(),
      maxPriceAgeSeconds: 1,
    });
    await expect(bare.liquidate(alice.address, WAD)).to.be.revertedWithCustomError(bare, 'LiquidationNotConfigured');
  });

  it('refuses a mark the chain sees as wrong: conservative health ≥ markOverrideHealth, or a mark whose push expired', async () => {
    const { cm, market, collateral, pusher, alice, keeper, setPrice } = await loadFixture(marketFixture);
    await market.connect(alice).modifyPosition(0, parseEther('10')); // maintenance 10 × 2000 × 0.05 = 1,000
    await collateral.set(alice.address, parseEther('2010')); // 2,010 − 10 fee = 2,000 of equity: health exactly 2
    expect(await market.conservativeHealth(alice.address)).to.equal(parseEther('2'));
    await pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, 0n, true)]);
    await expect(market.connect(keeper).liquidate(alice.address, WAD))
      .to.be.revertedWithCustomError(market, 'ConservativelyHealthy')
      .withArgs(alice.address, parseEther('2'));
    await setPrice(1990); // −100 of PnL: 1.9
    await time.increase(STALE + 1);
    await expect(market.connect(keeper).liquidate(alice.address, WAD)).to.be.revertedWithCustomError(market, 'NotLiquidatable');
    await pushCredit(cm.connect(pusher), 3, [packCreditEntry(alice.address, 0n, true)]);
    await expect(market.connect(alice).setMarkOverrideHealth(parseEther('3'))).to.be.revertedWithCustomError(market, 'OwnableUnauthorizedAccount');
    await expect(market.setMarkOverrideHealth(parseEther('0.99'))).to.be.revertedWithCustomError(market, 'InvalidMarkOverrideHealth');
    await expect(market.setMarkOverrideHealth(parseEther('1.5')))
      .to.emit(market, 'MarkOverrideHealthSet')
      .withArgs(parseEther('1.5'));
    await expect(market.connect(keeper).liquidate(alice.address, WAD)).to.be.revertedWithCustomError(market, 'ConservativelyHealthy');
    await market.setMarkOverrideHealth(parseEther('2'));
    await expect(market.connect(keeper).liquidate(alice.address, WAD)).to.emit(market, 'Liquidated');
    expect(await market.conservativeHealth(alice.address)).to.equal(ethers.MaxUint256); // no position left
  });

  it('a market listed without a fee settles only PnL', async () => {
    const { cm, pool, market, feed, alice } = await loadFixture(marketFixture);
    await market.listMarket(7, await feed.getAddress(), parseEther('0.1'), parseEther('0.05'), 0);
    await expect(market.connect(alice).modifyPosition(1, parseEther('1'))).to.not.emit(pool, 'CashChanged');
    expect(await cm.creditBalance(alice.address)).to.equal(parseEther('9800'));
  });

  it('reverts: stale or non-positive price, unlisted market, zero delta, bad ratios or fee, non-owner listing', async () => {
    const { market, feed, alice } = await loadFixture(marketFixture);
    const m = market.connect(alice);
    await expect(m.modifyPosition(3, 1n)).to.be.revertedWithCustomError(market, 'MarketNotListed').withArgs(3);
    await expect(m.modifyPosition(0, 0n)).to.be.revertedWithCustomError(market, 'ZeroSizeDelta');
    await feed.setRoundData(parseUnits('2000', 8), (await time.latest()) - 3601);
    await expect(m.modifyPosition(0, 1n)).to.be.revertedWithCustomError(market, 'PriceStale');
    await feed.setPrice(0);
    await expect(m.modifyPosition(0, 1n)).to.be.revertedWithCustomError(market, 'PriceNotPositive');
    const feedAddress = await feed.getAddress();
    await expect(market.listMarket(1, feedAddress, parseEther('0.05'), parseEther('0.1'), 0)).to.be.revertedWithCustomError(
      market,
      'InvalidMarginRatios',
    );
    await expect(market.listMarket(1, feedAddress, parseEther('0.1'), 0, 0)).to.be.revertedWithCustomError(market, 'InvalidMarginRatios');
    await expect(market.listMarket(1, feedAddress, parseEther('0.1'), parseEther('0.05'), parseEther('0.0101')))
      .to.be.revertedWithCustomError(market, 'InvalidFeeRate')
      .withArgs(parseEther('0.0101'));
    await expect(m.listMarket(1, feedAddress, parseEther('0.1'), parseEther('0.05'), 0)).to.be.revertedWithCustomError(
      market,
      'OwnableUnauthorizedAccount',
    );
  });
});
