import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import { MSG_ATTEST, addressToBytes32 } from '../lib';
import { EID_A, EID_B, EID_HUB, WETH, WETH_RATE_CAPACITY, deployProtocol } from './helpers/fixture';
import { decidePending, deposit, requestWithdraw } from './helpers/money';

describe('CollateralVault: guardian, origin and outflow limits', () => {
  it('the guardian is never the owner, either way round', async () => {
    const p = await loadFixture(deployProtocol);
    expect(await p.vaultA.guardian()).to.equal(p.guardian.address);
    await expect(p.vaultA.setGuardian(p.deployer.address)).to.be.revertedWithCustomError(p.vaultA, 'GuardianIsOwner').withArgs(p.deployer.address);
    await expect(p.vaultA.transferOwnership(p.guardian.address)).to.be.revertedWithCustomError(p.vaultA, 'GuardianIsOwner');
    await expect(p.vaultA.connect(p.guardian).setGuardian(p.bob.address)).to.be.revertedWithCustomError(p.vaultA, 'OwnableUnauthorizedAccount');
  });

  it('peers only with the hub eid', async () => {
    const p = await loadFixture(deployProtocol);
    await expect(p.vaultA.setPeer(EID_B, addressToBytes32(p.bob.address)))
      .to.be.revertedWithCustomError(p.vaultA, 'PeerNotHub')
      .withArgs(EID_B);
    expect(await p.vaultA.peers(EID_HUB)).to.equal(addressToBytes32(await p.hub.getAddress()));
  });

  it('lists an asset only with an outflow limit', async () => {
    const p = await loadFixture(deployProtocol);
    const token = await p.weth.getAddress();
    await expect(p.vaultA.listAsset(7, token, 1n, 0, 1))
      .to.be.revertedWithCustomError(p.vaultA, 'RateLimitRequired')
      .withArgs(7);
    await expect(p.vaultA.listAsset(7, token, 1n, 1, 0))
      .to.be.revertedWithCustomError(p.vaultA, 'RateLimitRequired')
      .withArgs(7);
    await expect(p.vaultA.listAsset(7, token, 100n, 10n, 1n))
      .to.emit(p.vaultA, 'RateLimitSet')
      .withArgs(7, true, 10n, 1n);
  });

  it('queued payouts: claimed oldest first; cancelled only while paused, by the guardian or owner, back to the account', async () => {
    const p = await loadFixture(deployProtocol);
    const big = WETH_RATE_CAPACITY; // each withdrawal drains the bucket: the next one queues
    await deposit(p, p.alice, WETH, big * 3n);
    await p.settle();
    await p.push([p.alice.address, parseEther('1000000')]);
    for (let i = 0; i < 3; i++) await requestWithdraw(p, p.alice, WETH, big);
    await p.settle();
    await decidePending(p);
    expect(await p.vaultA.owed(p.alice.address, WETH)).to.equal(big * 2n);
    const ids = (await p.vaultA.queryFilter(p.vaultA.filters.PayoutQueued(p.alice.address, WETH))).map((e) => e.args.payoutId);
    expect(ids).to.deep.equal([1n, 2n]);
    await expect(p.vaultA.connect(p.bob).cancelPayout(2n)).to.be.revertedWithCustomError(p.vaultA, 'NotGuardianOrOwner');
    await p.vaultA.connect(p.guardian).setPaused(true);
    await expect(p.vaultA.connect(p.guardian).claimTo(WETH, ethers.ZeroAddress)).to.be.revertedWithCustomError(p.vaultA, 'VaultPaused');
    await p.vaultA.connect(p.guardian).cancelPayout(2n, { value: await p.vaultA.quote(MSG_ATTEST) });
    expect(await p.vaultA.queuedPayout(2n)).to.deep.equal([p.alice.address, BigInt(WETH), p.alice.address, 0n]);
    expect((await p.vaultA.balanceOf(p.alice.address, WETH)).free).to.equal(big);
    await p.vaultA.setPaused(false);
    await p.settle();
    expect((await p.hub.attestation(p.alice.address, EID_A, WETH)).balance).to.equal(big);
    await expect(p.vaultA.connect(p.alice).claimTo(WETH, ethers.ZeroAddress)).to.be.revertedWithCustomError(p.vaultA, 'ZeroAddress');
    await ethers.provider.send('evm_increaseTime', [200]);
    await expect(p.vaultA.connect(p.alice).claim(WETH)).to.emit(p.vaultA, 'PayoutClaimed').withArgs(p.alice.address, WETH, big, p.alice.address);
    expect((await p.vaultA.queuedPayout(1n))[3]).to.equal(0n);
    await expect(p.vaultA.connect(p.alice).claim(WETH)).to.be.revertedWithCustomError(p.vaultA, 'NothingOwed');
  });
});
