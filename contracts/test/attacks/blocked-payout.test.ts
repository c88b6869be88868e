import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, configureHubAsset } from '../../lib';
import { RestrictedERC20__factory, RevertingRecipient__factory } from '../../typechain-types';
import { EID_A, EID_HUB, deployProtocol } from '../helpers/fixture';
import { STATUS, decidePending, requestWithdraw, seize } from '../helpers/money';

const RUSD = 9;
const usd6 = (n: number) => parseUnits(String(n), 6);

/**
 * Attack: a payout the token refuses (paused token, blocklisted recipient, a recipient whose receive hook reverts)
 * used to revert the vault's lzReceive, so that packet — and every later one on the ordered pathway — could never
 * be delivered. Now the payout is queued for `claim` and the delivery always succeeds.
 */
describe('attack: a payout that cannot be sent blocks the pathway', () => {
  /** A USDC-like token that can be paused and blocklist addresses, listed on vault A; alice holds 1,000 of it. */
  async function restricted() {
    const p = await loadFixture(deployProtocol);
    const token = await new RestrictedERC20__factory(p.deployer).deploy();
    await p.vaultA.listAsset(RUSD, await token.getAddress(), usd6(1_000_000), usd6(100_000), usd6(10));
    await configureHubAsset(p.hub, {
      assetId: RUSD,
      feed: await p.usdcFeed.getAddress(),
      initWeight: parseEther('0.95'),
      chains: [{ eid: EID_A, decimals: 6 }],
    });
    await token.mint(p.alice.address, usd6(1000));
    await token.connect(p.alice).approve(await p.vaultA.getAddress(), ethers.MaxUint256);
    await p.vaultA.connect(p.alice).deposit(RUSD, usd6(1000), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
    await p.settle();
    await p.push([p.alice.address, parseEther('950')]);
    return { p, token };
  }

  it('a paused token: the approved release is queued, the delivery and the settlement go through; claimed once it resumes', async () => {
    const { p, token } = await restricted();
    const id = await requestWithdraw(p, p.alice, RUSD, usd6(400));
    await p.deliver(EID_A, EID_HUB);
    await token.setPaused(true);
    await decidePending(p); // decision delivered to the vault, release attestation back at the hub
    expect((await p.vaultA.withdrawalRequest(id)).status).to.equal(STATUS.Released);
    expect(await p.vaultA.owed(p.alice.address, RUSD)).to.equal(usd6(400));
    const [queued] = await p.vaultA.queryFilter(p.vaultA.filters.PayoutQueued(p.alice.address, RUSD));
    expect(queued.args.refused).to.equal(true);
    expect((await p.hub.attestation(p.alice.address, EID_A, RUSD)).balance).to.equal(usd6(600));
    expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
    await expect(p.vaultA.connect(p.alice).claim(RUSD)).to.be.revertedWithCustomError(token, 'TokenPaused');
    await token.setPaused(false);
    await expect(p.vaultA.connect(p.alice).claim(RUSD)).to.changeTokenBalance(token, p.alice, usd6(400));
  });

  it('a blocklisted recipient: queued, and the recipient claims it to another address', async () => {
    const { p, token } = await restricted();
    await token.setBlocklisted(p.alice.address, true);
    await requestWithdraw(p, p.alice, RUSD, usd6(300));
    await p.deliver(EID_A, EID_HUB);
    await decidePending(p);
    expect(await p.vaultA.owed(p.alice.address, RUSD)).to.equal(usd6(300));
    const other = ethers.Wallet.createRandom().address;
    await expect(p.vaultA.connect(p.alice).claimTo(RUSD, other)).to.emit(p.vaultA, 'PayoutClaimed').withArgs(p.alice.address, RUSD, usd6(300), other);
    expect(await token.balanceOf(other)).to.equal(usd6(300));
  });

  it('a reverting recipient of a SEIZE: queued, the pathway keeps flowing; the guardian cancels it back while paused', async () => {
    const { p, token } = await restricted();
    const recipient = await new RevertingRecipient__factory(p.deployer).deploy();
    await token.setHooked(await recipient.getAddress(), true);
    await seize(p, p.alice.address, RUSD, usd6(250), await recipient.getAddress(), { unmark: true });
    await p.settle();
    expect(await p.vaultA.owed(await recipient.getAddress(), RUSD)).to.equal(usd6(250));
    expect((await p.hub.attestation(p.alice.address, EID_A, RUSD)).balance).to.equal(usd6(750));
    // The next hub → vault packet is delivered too (a rejection: the seizure is still in flight at the hub).
    const id = await requestWithdraw(p, p.alice, RUSD, usd6(100));
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(id)).status).to.equal(STATUS.Rejected);
    // Say the seizure was wrong: the guardian pauses and cancels the queued payout back to alice.
    const [queued] = await p.vaultA.queryFilter(p.vaultA.filters.PayoutQueued(await recipient.getAddress(), RUSD));
    await expect(p.vaultA.connect(p.guardian).cancelPayout(queued.args.payoutId)).to.be.revertedWithCustomError(p.vaultA, 'NotPaused');
    await p.vaultA.connect(p.guardian).setPaused(true);
    await expect(p.vaultA.connect(p.guardian).cancelPayout(queued.args.payoutId, { value: await p.vaultA.quote(MSG_ATTEST) }))
      .to.emit(p.vaultA, 'PayoutCancelled')
      .withArgs(queued.args.payoutId, await recipient.getAddress(), RUSD, p.alice.address, usd6(250));
    expect(await p.vaultA.owed(await recipient.getAddress(), RUSD)).to.equal(0n);
    expect((await p.vaultA.balanceOf(p.alice.address, RUSD)).free).to.equal(usd6(1000));
    await p.settle();
    expect((await p.hub.attestation(p.alice.address, EID_A, RUSD)).balance).to.equal(usd6(1000));
    await expect(p.vaultA.connect(p.guardian).cancelPayout(queued.args.payoutId)).to.be.revertedWithCustomError(p.vaultA, 'UnknownPayout');
  });
});
