import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import { MSG_ATTEST, MSG_AUCTION_RESULT, MSG_SEIZE, MSG_WITHDRAW_DECISION } from '../../lib';
import { EID_A, EID_HUB, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { STATUS, decidePending, deposit, debtFor, seize } from '../helpers/money';

/**
 * Attack: the hub paid every WITHDRAW_DECISION and the vault every release attestation from their own native
 * balance, so a user sending 1-wei withdrawals made the protocol pay two deliveries each. Now the request carries
 * the decision's fee and the decision the attestation's (enforced options): the user pays `quoteWithdraw`, the hub
 * and the vault end every round trip with the balance they started with.
 */
describe("attack: free reply messages drain the hub's and the vaults' native balances", () => {
  async function balances(p: Protocol) {
    return Promise.all([p.hub.getAddress(), p.vaultA.getAddress()].map(async (a) => ethers.provider.getBalance(a)));
  }

  it('an approved round trip: the user paid quoteWithdraw, hub and vault balances are unchanged', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('5'));
    await p.settle();
    await p.push([p.alice.address, parseEther('8000')]);
    const before = await balances(p);
    const fee = await p.vaultA.quoteWithdraw();
    expect(fee).to.be.gt((await p.hub.quote(EID_A, MSG_WITHDRAW_DECISION)) + (await p.vaultA.quote(MSG_ATTEST)));
    const tx = p.vaultA.connect(p.alice).requestWithdraw(WETH, parseEther('1'), { value: fee });
    await expect(tx).to.changeEtherBalance(p.alice, -fee);
    await p.settle();
    expect(await decidePending(p)).to.deep.equal([1n]);
    expect((await p.vaultA.withdrawalRequest(1n)).status).to.equal(STATUS.Released);
    expect(await balances(p)).to.deep.equal(before);
  });

  it('a hundred 1-wei withdrawals, rejected on arrival, cost the protocol nothing; the unused value goes back', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('1'));
    await p.settle(); // no push: the hub rejects every request on arrival
    const before = await balances(p);
    for (let i = 0; i < 100; i++) await p.vaultA.connect(p.alice).requestWithdraw(WETH, 1n, { value: await p.vaultA.quoteWithdraw() });
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(100n)).status).to.equal(STATUS.Rejected);
    expect(await balances(p)).to.deep.equal(before);
    const returned = await p.vaultA.queryFilter(p.vaultA.filters.RejectionValueReturned());
    expect(returned).to.have.length(100);
    expect(returned.every((e) => e.args.sent && e.args.amount === returned[0].args.amount)).to.equal(true);
  });

  it("a seizure: the liquidator pays the SEIZE, the vault's re-attestation and the AUCTION_RESULT", async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('2'));
    await p.settle();
    const before = await balances(p);
    expect(await p.hub.quote(EID_A, MSG_SEIZE)).to.be.gt((await p.vaultA.quote(MSG_ATTEST)) + (await p.vaultA.quote(MSG_AUCTION_RESULT)));
    const seizureId = await seize(p, p.alice.address, debtFor(parseEther('1'), parseEther('2000')));
    await p.deliver(EID_HUB, EID_A);
    await p.deliver(EID_A, EID_HUB);
    const lot = await p.auctionA.lot(seizureId);
    expect(await p.weth.balanceOf(await p.auctionA.getAddress())).to.equal(lot.remaining);
    // The taker who closes the lot pays no message fee: the AUCTION_RESULT was prepaid with the SEIZE.
    await p.auctionA.connect(p.bob).take(seizureId, lot.remaining, ethers.MaxUint256, p.bob.address);
    await p.deliver(EID_A, EID_HUB);
    expect(await p.hub.seizuresInFlight(p.alice.address)).to.equal(0n);
    expect(await balances(p)).to.deep.equal(before);
  });
});
