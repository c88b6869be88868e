import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, configureHubAsset } from '../../lib';
import { RestrictedERC20__factory } from '../../typechain-types';
import { EID_A, EID_HUB, deployProtocol } from '../helpers/fixture';
import { STATUS, decidePending, requestWithdraw, debtFor, seize } from '../helpers/money';

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

  it('a SEIZE the token refuses (blocklisted auction): nothing seized, the shortfall is reported, the pathway keeps flowing', async () => {
    const { p, token } = await restricted();
    const auction = await p.auctionA.getAddress();
    await p.auctionA.configureAsset(RUSD, await token.getAddress(), await p.usdcFeed.getAddress());
    await token.setBlocklisted(auction, true);
    const seizureId = await seize(p, p.alice.address, debtFor(usd6(250), parseEther('1'), 6), { unmark: true });
    expect(await p.hub.seizuresInFlight(p.alice.address)).to.equal(1n);
    await p.settle();
    const [shortfall] = await p.vaultA.queryFilter(p.vaultA.filters.SeizureShortfall(seizureId));
    expect(shortfall.args.seized).to.equal(0n);
    const [applied] = await p.hub.queryFilter(p.hub.filters.AuctionResultApplied(seizureId));
    expect([applied.args.seized, applied.args.shortfall, applied.args.proceedsUsd]).to.deep.equal([0n, usd6(250) - 0n, 0n]);
    // The reservation is gone, nothing moved, and the next hub → vault packet flows.
    expect(await p.hub.seizuresInFlight(p.alice.address)).to.equal(0n);
    expect(await p.hub.seizureReserved(p.alice.address, EID_A, RUSD)).to.equal(0n);
    expect(await token.balanceOf(auction)).to.equal(0n);
    expect((await p.vaultA.balanceOf(p.alice.address, RUSD)).free).to.equal(usd6(1000));
    expect((await p.hub.attestation(p.alice.address, EID_A, RUSD)).balance).to.equal(usd6(1000));
    const id = await requestWithdraw(p, p.alice, RUSD, usd6(100));
    await p.settle();
    await decidePending(p);
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(id)).status).to.not.equal(STATUS.Pending);
  });
});
