import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, mine, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import { MSG_WITHDRAW_REQUEST, lzContract } from '../../lib';
import { DECISION_TIMEOUT, EID_A, EID_HUB, USDC, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { sentPackets, verifyAndCommit } from '../helpers/packets';
import { REASON, STATUS, decisionsOf, deposit, requestWithdraw, debtFor, seize, tokenTotals } from '../helpers/money';

/** Alice: 10 WETH on chain A, base 10,000 pushed (16,000 of haircut collateral: credit, not collateral, binds). */
async function funded() {
  const p = await loadFixture(deployProtocol);
  await deposit(p, p.alice, WETH, parseEther('10'));
  await p.settle();
  await p.push([p.alice.address, parseEther('10000')]);
  return { p, totals: await tokenTotals(p) };
}

/** Nothing lost: tokens where they were, the vault balance whole and unlocked, no credit left reserved. */
async function expectNothingLost(p: Protocol, totals: Awaited<ReturnType<typeof tokenTotals>>, free = parseEther('10')) {
  expect(await tokenTotals(p)).to.deep.equal(totals);
  const balance = await p.vaultA.balanceOf(p.alice.address, WETH);
  expect([balance.free, balance.locked]).to.deep.equal([free, 0n]);
  expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
  expect(await p.hub.withdrawableBalance(p.alice.address, EID_A, WETH)).to.equal(free);
}

describe('withdrawal bad input and faults: a clear revert or rejection, nothing lost, the reservation released', () => {
  it('more than the balance or an unlisted asset: the vault reverts before anything is sent', async () => {
    const { p, totals } = await funded();
    const fee = await p.vaultA.quote(MSG_WITHDRAW_REQUEST);
    await expect(p.vaultA.connect(p.alice).requestWithdraw(WETH, parseEther('10.01'), { value: fee }))
      .to.be.revertedWithCustomError(p.vaultA, 'InsufficientFreeBalance')
      .withArgs(parseEther('10.01'), parseEther('10'));
    await expect(p.vaultA.connect(p.alice).requestWithdraw(77, 1n, { value: fee }))
      .to.be.revertedWithCustomError(p.vaultA, 'AssetNotListed')
      .withArgs(77);
    expect(await sentPackets(p, EID_A, EID_HUB)).to.have.length(1); // the deposit's attestation only
    await expectNothingLost(p, totals);
  });

  it('while paused: no request leaves; a decision waits at the paused vault and lands after unpause', async () => {
    const { p, totals } = await funded();
    await p.vaultA.connect(p.guardian).setPaused(true);
    await expect(
      p.vaultA.connect(p.alice).requestWithdraw(WETH, 1n, { value: await p.vaultA.quote(MSG_WITHDRAW_REQUEST) }),
    ).to.be.revertedWithCustomError(p.vaultA, 'VaultPaused');
    await p.vaultA.setPaused(false); // only the owner resumes
    const id = await requestWithdraw(p, p.alice, WETH, parseEther('1'));
    await p.deliver(EID_A, EID_HUB);
    await p.vaultA.connect(p.guardian).setPaused(true);
    await p.decide(EID_A, id, false, REASON.PostWithdrawalCreditBelowFloor);
    expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n); // released at the hub at once
    await expect(p.deliver(EID_HUB, EID_A)).to.be.revertedWithCustomError(p.vaultA, 'VaultPaused');
    expect((await p.vaultA.balanceOf(p.alice.address, WETH)).locked).to.equal(parseEther('1'));
    await p.vaultA.setPaused(false);
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(id)).status).to.equal(STATUS.Rejected);
    await expectNothingLost(p, totals);
  });

  it('while another withdrawal is in flight: the second is judged net of the first (balance and credit)', async () => {
    const { p, totals } = await funded();
    const first = await requestWithdraw(p, p.alice, WETH, parseEther('5')); // 8,000 reserved of 10,000
    await p.deliver(EID_A, EID_HUB);
    const overBalance = await requestWithdraw(p, p.alice, WETH, parseEther('5')); // the vault's free balance is 5 …
    await p.deliver(EID_A, EID_HUB);
    // … but credit binds: 5 WETH = 8,000 > the 2,000 left.
    expect((await decisionsOf(p, overBalance))[0].reason).to.equal(BigInt(REASON.InsufficientCredit));
    await p.deliver(EID_HUB, EID_A); // the vault unlocks the rejected 5
    const fits = await requestWithdraw(p, p.alice, WETH, parseEther('1.25')); // exactly 2,000
    await p.deliver(EID_A, EID_HUB);
    expect((await p.hub.pendingWithdrawal(EID_A, fits)).reservedValue).to.equal(parseEther('2000'));
    expect(await p.creditManager.availableCredit(p.alice.address)).to.equal(0n);
    expect(await p.hub.withdrawableBalance(p.alice.address, EID_A, WETH)).to.equal(parseEther('3.75'));
    // The aggregator rejects both (say its price moved): every reservation comes back.
    await p.decide(EID_A, first, false, REASON.PostWithdrawalHealthBelowOne);
    await p.decide(EID_A, fits, false, REASON.PostWithdrawalHealthBelowOne);
    await p.settle();
    await expectNothingLost(p, totals);
  });

  it('while a seizure is in flight: rejected on arrival, and a pending one is rejected at decision', async () => {
    const { p } = await funded();
    const pending = await requestWithdraw(p, p.alice, WETH, parseEther('1'));
    await p.deliver(EID_A, EID_HUB);
    const seizureId = await seize(p, p.alice.address, debtFor(parseEther('2'), parseEther('2000')), { unmark: true });
    const seized = (await p.hub.seizure(seizureId)).amount;
    const late = await requestWithdraw(p, p.alice, WETH, parseEther('1'));
    await p.deliver(EID_A, EID_HUB);
    expect((await decisionsOf(p, late))[0].reason).to.equal(BigInt(REASON.SeizureInFlight));
    await p.decide(EID_A, pending, true);
    expect((await decisionsOf(p, pending))[0].reason).to.equal(BigInt(REASON.SeizureInFlight));
    await p.settle();
    expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
    // The seizure took ≈ 2 WETH into the auction; both requests were unlocked.
    expect(seized).to.be.closeTo(parseEther('2'), 1n);
    const balance = await p.vaultA.balanceOf(p.alice.address, WETH);
    expect([balance.free, balance.locked]).to.deep.equal([parseEther('10') - seized, 0n]);
    expect(await p.weth.balanceOf(await p.auctionA.getAddress())).to.equal(seized);
  });

  for (const order of ['request first', 'open first'] as const) {
    it(`racing a position open in the same block (${order}): never both, credit balance stays ≥ 0`, async () => {
      const { p } = await funded();
      await requestWithdraw(p, p.alice, WETH, parseEther('5')); // 8,000 of the 10,000
      const [packet] = (await sentPackets(p, EID_A, EID_HUB)).slice(-1);
      await verifyAndCommit(p, EID_HUB, [packet]);
      const endpoint = lzContract('EndpointV2', p.endpoints[EID_HUB].endpoint, p.deployer);
      const receive = () =>
        endpoint.lzReceive({ srcEid: EID_A, sender: packet.sender, nonce: packet.nonce }, packet.receiver, packet.guid, packet.message, '0x', {
          gasLimit: 1_000_000,
        });
      const open = () => p.market.connect(p.alice).modifyPosition(0, parseEther('30'), { gasLimit: 1_000_000 }); // 6,000 + fee 30
      await ethers.provider.send('evm_setAutomine', [false]);
      const sent = order === 'request first' ? [await receive(), await open()] : [await open(), await receive()];
      await mine();
      await ethers.provider.send('evm_setAutomine', [true]);
      const receipts = await Promise.all(sent.map((tx) => ethers.provider.getTransactionReceipt(tx.hash)));
      expect(receipts[0]!.blockNumber).to.equal(receipts[1]!.blockNumber);
      expect(receipts[0]!.index).to.be.lessThan(receipts[1]!.index);
      const [receiveReceipt, openReceipt] = order === 'request first' ? receipts : [receipts[1], receipts[0]];
      expect(receiveReceipt!.status).to.equal(1); // delivery never fails: a loser is rejected, not reverted
      const pendingCount = (await p.hub.queryFilter(p.hub.filters.WithdrawalPending())).length;
      if (order === 'request first') {
        expect([pendingCount, openReceipt!.status]).to.deep.equal([1, 0]);
      } else {
        expect([pendingCount, openReceipt!.status]).to.deep.equal([0, 1]);
        expect((await decisionsOf(p, 1n))[0].reason).to.equal(BigInt(REASON.InsufficientCredit));
      }
      expect(await p.creditManager.creditBalance(p.alice.address)).to.be.gte(0n);
    });
  }

  it('an aggregator that is down: nothing is approved by default; after the timeout anyone expires the request', async () => {
    const { p, totals } = await funded();
    const id = await requestWithdraw(p, p.alice, WETH, parseEther('3'));
    await p.deliver(EID_A, EID_HUB);
    await time.increase(DECISION_TIMEOUT - 5);
    await expect(p.hub.connect(p.bob).expireWithdrawal(EID_A, id)).to.be.revertedWithCustomError(p.hub, 'DecisionNotExpired');
    expect((await p.vaultA.withdrawalRequest(id)).status).to.equal(STATUS.Pending);
    await time.increase(10);
    await p.hub.connect(p.bob).expireWithdrawal(EID_A, id);
    await p.settle();
    expect((await decisionsOf(p, id))[0].reason).to.equal(BigInt(REASON.DecisionTimeout));
    expect((await p.vaultA.withdrawalRequest(id)).status).to.equal(STATUS.Rejected);
    await expectNothingLost(p, totals);
  });

  it('a USDC withdrawal of an account with debt is rejected even with no position open', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, USDC, 1_000_000_000n); // 1,000 USDC
    await p.settle();
    await p.push([p.alice.address, parseEther('950')]);
    await p.pool.grantRole(await p.pool.MARKET_ROLE(), p.deployer.address);
    await p.pool.settle(p.alice.address, parseEther('-900'), 0n); // a loss realized since the push
    await requestWithdraw(p, p.alice, USDC, 100_000_000n); // 95 of credit needed, 50 left
    await p.deliver(EID_A, EID_HUB);
    expect((await decisionsOf(p, 1n))[0].reason).to.equal(BigInt(REASON.InsufficientCredit));
  });
});
