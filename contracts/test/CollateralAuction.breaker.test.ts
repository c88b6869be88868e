import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { ZeroAddress, parseEther, parseUnits } from 'ethers';
import { WETH, auctionFixture } from './helpers/auction-fixture';

const HOUR = 3600;
const usd = (n: number) => parseUnits(String(n), 8);

async function breakerFixture() {
  const f = await auctionFixture();
  const [, , , , , guardian] = await ethers.getSigners();
  await f.auction.setGuardian(guardian.address);
  /** Sets the feed and shows the chain that price at the next block. */
  const pokeAt = async (price: number) => {
    await f.feed.setPrice(usd(price));
    return f.auction.poke(WETH);
  };
  return { ...f, guardian, pokeAt };
}

/** The full-history rule (risk/src/auction-breaker.ts): trips when px < (1 − β) · max(points in [t − window, t]). */
function exactTrips(points: { at: number; price: number }[], drop = 0.3, window = HOUR): boolean {
  const last = points[points.length - 1]!;
  const high = Math.max(...points.filter((p) => p.at >= last.at - window).map((p) => p.price));
  return last.price * 1e18 < high * (1e18 - drop * 1e18);
}

describe('CollateralAuction breaker (docs/breakers-and-dampeners.md#auction-breaker)', () => {
  it('a fall of more than β within the window pauses takes and redos of the asset until the window has passed', async () => {
    const { auction, kick, taker, keeper, pokeAt } = await loadFixture(breakerFixture);
    await kick(1n, parseEther('1'), parseEther('1000'));
    await pokeAt(1500); // −25 %
    expect(await auction.isPaused(WETH)).to.equal(false);
    const tx = await pokeAt(1390); // −30.5 % from the kick's 2,000
    const at = await time.latest();
    await expect(tx)
      .to.emit(auction, 'AuctionPaused')
      .withArgs(WETH, parseEther('2000'), parseEther('1390'), at + HOUR);
    expect(await auction.isPaused(WETH)).to.equal(true);
    const state = await auction.breaker(WETH);
    expect([state.paused, state.pausedUntil, state.trippedAt, state.referencePrice]).to.deep.equal([
      true,
      BigInt(at + HOUR),
      BigInt(at),
      parseEther('2000'),
    ]);
    await expect(auction.connect(taker).take(1, parseEther('1'), ethers.MaxUint256, taker.address))
      .to.be.revertedWithCustomError(auction, 'BreakerPaused')
      .withArgs(WETH, at + HOUR);
    await time.increase(2 * HOUR);
    await expect(auction.connect(keeper).redo(1)).to.emit(auction, 'AuctionResumed').withArgs(WETH, ZeroAddress);
    expect(await auction.isPaused(WETH)).to.equal(false);
    await expect(auction.connect(taker).take(1, parseEther('0.1'), ethers.MaxUint256, taker.address)).to.emit(auction, 'LotTaken');
  });

  it('a lot kicked while paused opens unpriced and starts its curve with a redo once the pause is over', async () => {
    const { auction, kick, taker, keeper, pokeAt } = await loadFixture(breakerFixture);
    await pokeAt(2000);
    await pokeAt(1000);
    await kick(1n, parseEther('1'), parseEther('1000'));
    expect((await auction.lot(1)).startPrice).to.equal(0n);
    await expect(auction.connect(taker).take(1, 1n, ethers.MaxUint256, taker.address)).to.be.revertedWithCustomError(auction, 'LotUnpriced');
    await expect(auction.connect(keeper).redo(1)).to.be.revertedWithCustomError(auction, 'BreakerPaused');
    await time.increase(HOUR);
    await auction.connect(keeper).redo(1);
    expect(await auction.lotPrice(1)).to.equal(parseEther('1200')); // 1,000 × 1.2
  });

  it('a fall spread over more than the window does not trip: the high leaves the window and the next point takes its place', async () => {
    const { auction, pokeAt } = await loadFixture(breakerFixture);
    const start = await time.latest();
    await pokeAt(2000);
    await time.setNextBlockTimestamp(start + 40 * 60);
    await pokeAt(1700);
    await time.setNextBlockTimestamp(start + 90 * 60);
    await expect(pokeAt(1300)).to.not.emit(auction, 'AuctionPaused'); // −23.5 % from 1,700; 2,000 is 90 min old
    expect((await auction.breaker(WETH)).high).to.equal(parseEther('1700'));
    await time.setNextBlockTimestamp(start + 95 * 60);
    await expect(pokeAt(1189)).to.emit(auction, 'AuctionPaused'); // −30.06 % from 1,700
  });

  it('the guardian (or owner) resumes at once; the points seen before no longer count', async () => {
    const { auction, guardian, taker, pokeAt } = await loadFixture(breakerFixture);
    await pokeAt(2000);
    await pokeAt(1000);
    await expect(auction.connect(taker).resume(WETH)).to.be.revertedWithCustomError(auction, 'NotGuardianOrOwner').withArgs(taker.address);
    await expect(auction.connect(guardian).resume(WETH)).to.emit(auction, 'AuctionResumed').withArgs(WETH, guardian.address);
    const state = await auction.breaker(WETH);
    expect([state.paused, state.high, state.resumedAt]).to.deep.equal([false, 0n, BigInt(await time.latest())]);
    await expect(auction.connect(guardian).resume(WETH)).to.be.revertedWithCustomError(auction, 'NotPaused');
    await expect(pokeAt(990)).to.not.emit(auction, 'AuctionPaused');
    expect(await auction.isPaused(WETH)).to.equal(false);
  });

  it('a take whose own price point trips the breaker records the pause and buys nothing', async () => {
    const { auction, kick, taker, feed, weth, usdc } = await loadFixture(breakerFixture);
    await kick(1n, parseEther('1'), parseEther('1000'));
    await feed.setPrice(usd(1200));
    const before = [await weth.balanceOf(taker.address), await usdc.balanceOf(taker.address)];
    expect([...(await auction.connect(taker).take.staticCall(1, parseEther('1'), ethers.MaxUint256, taker.address))]).to.deep.equal([0n, 0n]);
    await expect(auction.connect(taker).take(1, parseEther('1'), ethers.MaxUint256, taker.address)).to.emit(auction, 'AuctionPaused');
    expect([await weth.balanceOf(taker.address), await usdc.balanceOf(taker.address)]).to.deep.equal(before);
    expect(await auction.isPaused(WETH)).to.equal(true);
  });

  it('β and the window: bounded direct setter while configuring, then only propose → delay → execute with bounded steps', async () => {
    const { auction, taker } = await loadFixture(breakerFixture);
    const drop = ethers.zeroPadValue(ethers.toBeHex(1n << 64n), 32);
    const window = ethers.zeroPadValue(ethers.toBeHex(2n << 64n), 32);
    expect([await auction.paramValue(drop), await auction.paramValue(window), await auction.paramDelay()]).to.deep.equal([
      parseEther('0.3'),
      3600n,
      0n,
    ]);
    await expect(auction.setBreakerParams(parseEther('0.95'), HOUR)).to.be.revertedWithCustomError(auction, 'OutOfBounds');
    await expect(auction.setBreakerParams(parseEther('0.3'), 60)).to.be.revertedWithCustomError(auction, 'OutOfBounds');
    await expect(auction.connect(taker).setBreakerParams(parseEther('0.3'), HOUR)).to.be.revertedWithCustomError(
      auction,
      'OwnableUnauthorizedAccount',
    );
    await expect(auction.setBreakerParams(parseEther('0.25'), 2 * HOUR))
      .to.emit(auction, 'BreakerParamsSet')
      .withArgs(parseEther('0.25'), 2 * HOUR);
    await auction.activateGovernance(60);
    await expect(auction.setBreakerParams(parseEther('0.3'), HOUR)).to.be.revertedWithCustomError(auction, 'ParamGoverned');
    await expect(auction.proposeParam(drop, parseEther('0.35'))).to.be.revertedWithCustomError(auction, 'StepTooLarge');
    await expect(auction.proposeParam(window, HOUR - 1)).to.be.revertedWithCustomError(auction, 'StepTooLarge'); // more than half
    await auction.proposeParam(drop, parseEther('0.3'));
    await auction.proposeParam(window, HOUR);
    await expect(auction.executeParam(drop)).to.be.revertedWithCustomError(auction, 'TooEarly');
    await time.increase(60);
    await auction.connect(taker).executeParam(drop);
    await expect(auction.connect(taker).executeParam(window)).to.emit(auction, 'BreakerParamsSet').withArgs(parseEther('0.3'), HOUR);
    await expect(auction.paramValue(ethers.zeroPadValue('0x03', 32))).to.be.revertedWithCustomError(auction, 'UnknownParam');
  });

  it('property: the chain never invents a trip, and agrees with the full-history rule when points are more than half a window apart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 2 * HOUR }), price: fc.integer({ min: 500, max: 3000 }) }), {
          minLength: 2,
          maxLength: 12,
        }),
        fc.boolean(),
        async (steps, sparse) => {
          const { auction, feed } = await loadFixture(breakerFixture);
          const points: { at: number; price: number }[] = [];
          let at = await time.latest();
          for (const step of steps) {
            at += sparse ? HOUR / 2 + 1 + (step.gap % HOUR) : step.gap + 1;
            await time.setNextBlockTimestamp(at - 1);
            await feed.setPrice(usd(step.price));
            await time.setNextBlockTimestamp(at);
            const receipt = await (await auction.poke(WETH)).wait();
            points.push({ at, price: step.price });
            const tripped = receipt!.logs.some((l) => auction.interface.parseLog(l)?.name === 'AuctionPaused');
            const exact = exactTrips(points);
            if (tripped) expect(exact, `trip at ${at}`).to.equal(true);
            if (sparse) expect(tripped).to.equal(exact);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
