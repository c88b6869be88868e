import { expect } from 'chai';
import { ethers } from 'hardhat';
import { time } from '@nomicfoundation/hardhat-network-helpers';
import { TokenBucketHarness__factory } from '../../typechain-types';

describe('TokenBucket', () => {
  async function bucket(capacity: bigint, rate: bigint) {
    const harness = await new TokenBucketHarness__factory((await ethers.getSigners())[0]).deploy();
    await harness.configure(true, capacity, rate);
    return harness;
  }

  it('starts full, consumes, refills at the rate and never above capacity', async () => {
    const b = await bucket(100n, 2n);
    expect(await b.available()).to.equal(100n);
    await b.consume(70n);
    expect(await b.available()).to.equal(30n);
    await time.increase(10);
    expect(await b.available()).to.equal(50n);
    await time.increase(1000);
    expect(await b.available()).to.equal(100n);
  });

  it('reverts RateLimited above what is available and changes nothing on a failed tryConsume', async () => {
    const b = await bucket(10n, 0n);
    await expect(b.consume(11n)).to.be.revertedWithCustomError(b, 'RateLimited').withArgs(11n, 10n);
    expect(await b.tryConsume.staticCall(11n)).to.equal(false);
    await b.tryConsume(11n);
    expect(await b.available()).to.equal(10n);
  });

  it('allows everything when disabled and clamps tokens to a lowered capacity', async () => {
    const b = await bucket(100n, 0n);
    await b.configure(false, 0n, 0n);
    await b.consume(10n ** 30n);
    expect(await b.available()).to.equal(ethers.MaxUint256);
    const c = await bucket(100n, 0n);
    await c.configure(true, 40n, 0n);
    expect(await c.available()).to.equal(40n);
  });

  it('refund puts back what an outflow took, never above capacity', async () => {
    const b = await bucket(100n, 0n);
    await b.consume(70n);
    await b.refund(30n);
    expect(await b.available()).to.equal(60n);
    await b.refund(1000n);
    expect(await b.available()).to.equal(100n);
  });
});
