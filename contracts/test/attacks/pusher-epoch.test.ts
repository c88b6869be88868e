import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import { packCreditEntry, pushCredit } from '../../lib';
import { deployProtocol } from '../helpers/fixture';

const MAX_EPOCH = 2n ** 64n - 1n;

/**
 * Attack: one push with epoch 2^64 − 1 used to be accepted (epochs only had to increase), after which no push
 * could ever land again: every account's credit went stale for good. Epochs are now exactly lastEpoch + 1.
 */
describe('attack: a pusher key jumps the epoch', () => {
  it('epoch 2^64 − 1 is refused and the next epoch still lands', async () => {
    const p = await loadFixture(deployProtocol);
    await p.push([p.alice.address, parseEther('100')]);
    const jump = pushCredit(p.creditManager.connect(p.pusher), MAX_EPOCH, [packCreditEntry(p.alice.address, 0n, true)]);
    await expect(jump).to.be.revertedWithCustomError(p.creditManager, 'EpochNotNext').withArgs(MAX_EPOCH, 2n);
    expect(await p.creditManager.lastEpoch()).to.equal(1n);
    expect(await p.creditManager.isLiquidatable(p.alice.address)).to.equal(false);
    await p.push([p.alice.address, parseEther('90')]);
    expect(await p.creditManager.lastEpoch()).to.equal(2n);
    expect((await p.creditManager.account(p.alice.address)).limit).to.equal(parseEther('90'));
  });

  it('a second pusher replica is fenced: of two batches with the same epoch in one block, exactly one lands', async () => {
    const p = await loadFixture(deployProtocol);
    const rival = p.insurance;
    await p.creditManager.grantRole(await p.creditManager.PUSHER_ROLE(), rival.address);
    await ethers.provider.send('evm_setAutomine', [false]);
    try {
      const first = await pushCredit(p.creditManager.connect(p.pusher), 1, [packCreditEntry(p.alice.address, parseEther('1'))], {
        gasLimit: 500_000,
      });
      const second = await pushCredit(p.creditManager.connect(rival), 1, [packCreditEntry(p.alice.address, parseEther('2'))], { gasLimit: 500_000 });
      await ethers.provider.send('evm_mine', []);
      const statuses = await Promise.all([first, second].map(async (tx) => (await ethers.provider.getTransactionReceipt(tx.hash))!.status));
      expect(statuses.sort()).to.deep.equal([0, 1]);
    } finally {
      await ethers.provider.send('evm_setAutomine', [true]);
    }
    expect(await p.creditManager.lastEpoch()).to.equal(1n);
  });
});
