import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { anyValue } from '@nomicfoundation/hardhat-chai-matchers/withArgs';
import fc from 'fast-check';
import { parseEther, parseUnits } from 'ethers';
import { WETH, auctionFixture } from './helpers/auction-fixture';
const DURATION = 3600n;
const WAD = 10n ** 18n;

describe('CollateralAuction', () => {
  it('prices a lot from oracle × 1.2 down linearly to × 0.6 over its duration, then holds the floor', async () => {
    const { auction, kick } = await loadFixture(auctionFixture);
    await kick(1n, parseEther('1'), parseEther('1000'));
    const start = BigInt(await time.latest());
    expect(await auction.lotPrice(1)).to.equal(parseEther('2400'));
    await time.setNextBlockTimestamp(start + DURATION / 2n);
    await ethers.provider.send('evm_mine', []);
    expect(await auction.lotPrice(1)).to.equal(parseEther('1800'));
    await time.increaseTo(start + DURATION * 3n);
    expect(await auction.lotPrice(1)).to.equal(parseEther('1200'));
  });

  it('take: bounded by the max price, pays quote tokens rounded up, closes once the debt is raised and returns the rest', async () => {
    const { auction, kick, taker, vault, weth, usdc } = await loadFixture(auctionFixture);
    await kick(1n, parseEther('2'), parseEther('3000'));
    const asTaker = auction.connect(taker);
    await expect(asTaker.take(1, parseEther('1'), parseEther('2000'), taker.address))
      .to.be.revertedWithCustomError(auction, 'PriceAboveMax')
      .withArgs(1n, anyValue, parseEther('2000'));
    // 0.5 WETH at the price of the take's block (a little under 2,400), paid in USDC rounded up.
    await asTaker.take(1, parseEther('0.5'), parseEther('2400'), taker.address);
    const [taken] = await auction.queryFilter(auction.filters.LotTaken(1n));
    const price = taken.args.price;
    expect(price).to.be.lte(parseEther('2400')).and.gt(parseEther('2399'));
    const spent = parseUnits('1000000', 6) - (await usdc.balanceOf(taker.address));
    expect(spent).to.equal((parseEther('0.5') * price + WAD * 10n ** 12n - 1n) / (WAD * 10n ** 12n));
    expect(taken.args.quotePaid).to.equal(spent);
    expect(await weth.balanceOf(taker.address)).to.equal(parseEther('0.5'));
    // Asking for everything buys only what covers the rest of the debt; the lot closes and returns the remainder.
    await asTaker.take(1, parseEther('10'), ethers.MaxUint256, taker.address);
    const lot = await auction.lot(1);
    expect(lot.status).to.equal(2n);
    expect(lot.proceedsUsd).to.be.gte(parseEther('3000'));
    expect(lot.proceedsUsd - parseEther('3000')).to.be.lt(10n ** 12n);
    const [closed] = await Promise.all([vault.closes(0)]);
    expect(closed.returned).to.equal(parseEther('2') - (await weth.balanceOf(taker.address)));
    expect(closed.proceedsUsd).to.equal(lot.proceedsUsd);
    expect(await weth.balanceOf(await vault.getAddress())).to.equal(parseEther('98') + closed.returned);
    expect(await auction.proceedsHeld()).to.equal(lot.proceedsUsd / 10n ** 12n);
    await expect(asTaker.take(1, 1n, ethers.MaxUint256, taker.address))
      .to.be.revertedWithCustomError(auction, 'LotNotOpen')
      .withArgs(1n);
  });

  it('closes an emptied lot with what it raised (the debt not covered is the hub’s to seize again)', async () => {
    const { auction, kick, taker, vault } = await loadFixture(auctionFixture);
    await kick(1n, parseEther('1'), parseEther('100000'));
    await auction.connect(taker).take(1, parseEther('1'), ethers.MaxUint256, taker.address);
    const closed = await vault.closes(0);
    expect(closed.returned).to.equal(0n);
    expect(closed.seized).to.equal(parseEther('1'));
  });

  it('redo: refused before the floor; at the floor restarts at a fresh price with a tip to the caller', async () => {
    const { auction, kick, keeper, feed, weth } = await loadFixture(auctionFixture);
    await kick(1n, parseEther('10'), parseEther('100000'));
    const floorAt = BigInt((await auction.lot(1)).startedAt) + DURATION;
    await expect(auction.connect(keeper).redo(1)).to.be.revertedWithCustomError(auction, 'NotAtFloor').withArgs(1n, floorAt);
    await time.increaseTo(floorAt);
    await feed.setPrice(parseUnits('1500', 8));
    await expect(auction.connect(keeper).redo(1))
      .to.emit(auction, 'LotRedone')
      .withArgs(1n, keeper.address, parseEther('0.01'), parseEther('1800'), parseEther('1500'));
    expect(await weth.balanceOf(keeper.address)).to.equal(parseEther('0.01'));
    expect((await auction.lot(1)).remaining).to.equal(parseEther('9.99'));
    expect(await auction.lotPrice(1)).to.equal(parseEther('1800'));
  });

  it('a lot kicked without a fresh price cannot be taken until redone', async () => {
    const { auction, kick, taker, feed } = await loadFixture(auctionFixture);
    await feed.setRoundData(parseUnits('2000', 8), 1);
    await kick(1n, parseEther('1'), parseEther('1000'));
    await expect(auction.connect(taker).take(1, 1n, ethers.MaxUint256, taker.address)).to.be.revertedWithCustomError(auction, 'LotUnpriced');
    await feed.setPrice(parseUnits('2000', 8));
    await auction.redo(1);
    expect(await auction.lotPrice(1)).to.equal(parseEther('2400'));
  });

  it('only the vault kicks; sweep sends held proceeds to the treasury; parameters are bounded', async () => {
    const { auction, kick, taker, treasury, usdc, account } = await loadFixture(auctionFixture);
    await expect(auction.connect(taker).kick(9, 1, account.address, WETH, 1n, 1n)).to.be.revertedWithCustomError(auction, 'NotVault');
    await kick(1n, parseEther('1'), parseEther('1000'));
    await expect(kick(1n, parseEther('1'), parseEther('1000'))).to.be.revertedWithCustomError(auction, 'LotExists');
    await auction.connect(taker).take(1, parseEther('1'), ethers.MaxUint256, taker.address);
    const held = await auction.proceedsHeld();
    await expect(auction.connect(taker).sweep(held)).to.be.revertedWithCustomError(auction, 'OwnableUnauthorizedAccount');
    await expect(auction.sweep(held + 1n)).to.be.revertedWithCustomError(auction, 'InsufficientProceeds');
    await expect(auction.sweep(held)).to.emit(auction, 'ProceedsSwept').withArgs(treasury.address, held);
    expect(await usdc.balanceOf(treasury.address)).to.equal(held);
    for (const bad of [
      [WAD, WAD, DURATION, 0n],
      [WAD, 0n, DURATION, 0n],
      [WAD, WAD / 2n, 0n, 0n],
      [WAD, WAD / 2n, DURATION, WAD / 50n],
    ] as const) {
      await expect(auction.setAuctionParams(...bad)).to.be.revertedWithCustomError(auction, 'InvalidAuctionParams');
    }
  });

  it('property: the price never rises between redos, and stays within [floor, start]', async () => {
    const { auction, kick } = await loadFixture(auctionFixture);
    await kick(1n, parseEther('1'), parseEther('1000'));
    const start = BigInt((await auction.lot(1)).startedAt);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 * Number(DURATION) }), { minLength: 2, maxLength: 6 }), async (offsets) => {
        let last = parseEther('2400');
        for (const offset of [...offsets].sort((a, b) => a - b)) {
          const now = BigInt(await time.latest());
          if (start + BigInt(offset) > now) await time.increaseTo(start + BigInt(offset));
          const price = await auction.lotPrice(1);
          expect(price <= last).to.equal(true);
          expect(price >= parseEther('1200') && price <= parseEther('2400')).to.equal(true);
          last = price;
        }
      }),
      { numRuns: 8 },
    );
  });
});
