import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { DECISION_TIMEOUT, EID_A, EID_HUB, WETH, deployProtocol } from './helpers/fixture';
import { REASON, STATUS, deposit, lastDecision, requestWithdraw, debtFor, seize } from './helpers/money';

const VALUE_2_WETH = parseEther('3200'); // 2 × 2000 × 0.8

/** Alice: 10 WETH attested on chain A, base 10,000 pushed, a 2 WETH withdrawal pending at the hub (3,200 reserved). */
async function pendingWithdrawal() {
  const p = await loadFixture(deployProtocol);
  await deposit(p, p.alice, WETH, parseEther('10'));
  await p.settle();
  await p.push([p.alice.address, parseEther('10000')]);
  const requestId = await requestWithdraw(p, p.alice, WETH, parseEther('2'));
  await p.deliver(EID_A, EID_HUB);
  return { p, requestId };
}

describe('MarginHub two-key withdrawals', () => {
  it('a request that passes the hub is reserved and pending until the decider answers; no reply is sent yet', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('10'));
    await p.settle();
    await p.push([p.alice.address, parseEther('10000')]);
    await requestWithdraw(p, p.alice, WETH, parseEther('2'));
    const [delivered] = await p.deliver(EID_A, EID_HUB);
    const deadline = BigInt((await delivered.receiveReceipt.getBlock()).timestamp + DECISION_TIMEOUT);
    await expect(delivered.receiveReceipt.hash)
      .to.emit(p.hub, 'WithdrawalPending')
      .withArgs(EID_A, 1n, p.alice.address, WETH, parseEther('2'), VALUE_2_WETH, deadline)
      .and.to.emit(p.creditManager, 'CreditReserved')
      .withArgs(p.alice.address, VALUE_2_WETH, VALUE_2_WETH);
    await expect(delivered.receiveReceipt.hash).to.not.emit(p.hub, 'WithdrawalDecided');
    const pending = await p.hub.pendingWithdrawal(EID_A, 1n);
    expect([pending.account, pending.deadline, pending.approved, pending.reservedValue]).to.deep.equal([
      p.alice.address,
      deadline,
      false,
      VALUE_2_WETH,
    ]);
    expect(await p.hub.withdrawableBalance(p.alice.address, EID_A, WETH)).to.equal(parseEther('8'));
    expect(await p.deliver(EID_HUB, EID_A)).to.have.length(0);
    expect((await p.vaultA.withdrawalRequest(1n)).status).to.equal(STATUS.Pending);
  });

  it('approve: WITHDRAW_DECISION approved, vault releases, the release attestation moves the reservation to settling', async () => {
    const { p, requestId } = await pendingWithdrawal();
    await expect(p.decide(EID_A, requestId, true))
      .to.emit(p.hub, 'WithdrawalDecided')
      .withArgs(EID_A, requestId, p.alice.address, true, 0, VALUE_2_WETH);
    expect((await p.hub.pendingWithdrawal(EID_A, requestId)).approved).to.equal(true);
    await expect(p.decide(EID_A, requestId, true))
      .to.be.revertedWithCustomError(p.hub, 'WithdrawalNotAwaitingDecision')
      .withArgs(EID_A, requestId);
    await expect(p.hub.expireWithdrawal(EID_A, requestId)).to.be.revertedWithCustomError(p.hub, 'WithdrawalNotAwaitingDecision');
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(requestId)).status).to.equal(STATUS.Released);
    expect(await p.weth.balanceOf(p.alice.address)).to.equal(parseEther('992'));
    expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
    expect(await p.creditManager.settlingCredit(p.alice.address)).to.equal(VALUE_2_WETH);
    expect((await p.hub.pendingWithdrawal(EID_A, requestId)).account).to.equal('0x0000000000000000000000000000000000000000');
  });

  it("reject with the decider's reason: reservation cancelled (not settling), vault unlocks and hears the reason", async () => {
    const { p, requestId } = await pendingWithdrawal();
    await expect(p.decide(EID_A, requestId, false, REASON.PostWithdrawalHealthBelowOne))
      .to.emit(p.hub, 'WithdrawalDecided')
      .withArgs(EID_A, requestId, p.alice.address, false, REASON.PostWithdrawalHealthBelowOne, 0n)
      .and.to.emit(p.creditManager, 'ReservationCancelled')
      .withArgs(p.alice.address, VALUE_2_WETH, 0n);
    expect(await p.creditManager.settlingCredit(p.alice.address)).to.equal(0n);
    expect(await p.creditManager.availableCredit(p.alice.address)).to.equal(parseEther('10000'));
    expect(await p.hub.withdrawableBalance(p.alice.address, EID_A, WETH)).to.equal(parseEther('10'));
    await p.settle();
    await expect((await p.vaultA.queryFilter(p.vaultA.filters.WithdrawalRejected()))[0].args.reason).to.equal(
      BigInt(REASON.PostWithdrawalHealthBelowOne),
    );
    const balance = await p.vaultA.balanceOf(p.alice.address, WETH);
    expect([balance.free, balance.locked]).to.deep.equal([parseEther('10'), 0n]);
  });

  it('only the decider decides; a rejection names a valid reason; unknown requests revert', async () => {
    const { p, requestId } = await pendingWithdrawal();
    await expect(p.hub.connect(p.alice).decideWithdrawal(EID_A, requestId, true, 0)).to.be.revertedWithCustomError(
      p.hub,
      'AccessControlUnauthorizedAccount',
    );
    await expect(p.decide(EID_A, requestId, false, 0))
      .to.be.revertedWithCustomError(p.hub, 'InvalidRejectReason')
      .withArgs(0);
    await expect(p.decide(EID_A, requestId, false, 12))
      .to.be.revertedWithCustomError(p.hub, 'InvalidRejectReason')
      .withArgs(12);
    await expect(p.decide(EID_A, 99n, true))
      .to.be.revertedWithCustomError(p.hub, 'WithdrawalNotAwaitingDecision')
      .withArgs(EID_A, 99n);
    await expect(p.decide(EID_HUB, requestId, true)).to.be.revertedWithCustomError(p.hub, 'WithdrawalNotAwaitingDecision');
  });

  describe('the hub turns an approval into a rejection when its own checks fail at decision time', () => {
    const cases: [string, number, (p: Awaited<ReturnType<typeof pendingWithdrawal>>['p']) => Promise<unknown>][] = [
      ['liquidation mark', REASON.Liquidatable, (p) => p.push([p.alice.address, parseEther('10000'), true])],
      ['stale push', REASON.StaleCredit, (p) => p.creditManager.setStaleAfter(0)],
      ['deadline passed', REASON.DecisionTimeout, () => time.increase(DECISION_TIMEOUT + 1)],
      ['seizure in flight', REASON.SeizureInFlight, (p) => seize(p, p.alice.address, debtFor(parseEther('1'), parseEther('2000')), { unmark: true })],
      [
        'a loss realized after the request (creditBalance < 0 with the reservation counted)',
        REASON.InsufficientCredit,
        async (p) => {
          await p.market.connect(p.alice).modifyPosition(0, parseEther('30')); // margin 6,000 + fee 30 of the 6,800 left
          await p.wethFeed.setPrice(parseUnits('1700', 8));
          await p.market.connect(p.alice).modifyPosition(0, parseEther('-30')); // −9,000 realized, fee 25.5
        },
      ],
    ];
    for (const [name, reason, setup] of cases) {
      it(name, async () => {
        const { p, requestId } = await pendingWithdrawal();
        await setup(p);
        await expect(p.decide(EID_A, requestId, true))
          .to.emit(p.hub, 'WithdrawalDecided')
          .withArgs(EID_A, requestId, p.alice.address, false, reason, 0n);
        expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
        // Unlocked: only a seizure in flight keeps its reserved collateral out of the withdrawable balance.
        const reserved = await p.hub.seizureReserved(p.alice.address, EID_A, WETH);
        expect(await p.hub.withdrawableBalance(p.alice.address, EID_A, WETH)).to.equal(parseEther('10') - reserved);
        await p.deliver(EID_HUB, EID_A);
        expect((await p.vaultA.withdrawalRequest(requestId)).status).to.equal(STATUS.Rejected);
      });
    }
  });

  it('expireWithdrawal: refused before the deadline; after it anyone rejects with DecisionTimeout and the reservation is released', async () => {
    const { p, requestId } = await pendingWithdrawal();
    const { deadline } = await p.hub.pendingWithdrawal(EID_A, requestId);
    await expect(p.hub.connect(p.bob).expireWithdrawal(EID_A, requestId))
      .to.be.revertedWithCustomError(p.hub, 'DecisionNotExpired')
      .withArgs(EID_A, requestId, deadline);
    await time.increaseTo(deadline + 1n);
    await expect(p.hub.connect(p.bob).expireWithdrawal(EID_A, requestId))
      .to.emit(p.hub, 'WithdrawalDecided')
      .withArgs(EID_A, requestId, p.alice.address, false, REASON.DecisionTimeout, 0n);
    expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
    await expect(p.decide(EID_A, requestId, true)).to.be.revertedWithCustomError(p.hub, 'WithdrawalNotAwaitingDecision');
    await p.settle();
    expect((await p.vaultA.balanceOf(p.alice.address, WETH)).free).to.equal(parseEther('10'));
    expect((await lastDecision(p)).reason).to.equal(BigInt(REASON.DecisionTimeout));
  });

  it('rejects on arrival while a seizure of the account is in flight', async () => {
    const p = await loadFixture(deployProtocol);
    await deposit(p, p.alice, WETH, parseEther('10'));
    await p.settle();
    await p.push([p.alice.address, parseEther('10000')]);
    await seize(p, p.alice.address, debtFor(parseEther('1'), parseEther('2000')), { unmark: true });
    expect(await p.hub.seizuresInFlight(p.alice.address)).to.equal(1n);
    await requestWithdraw(p, p.alice, WETH, parseEther('1'));
    await p.deliver(EID_A, EID_HUB);
    expect((await lastDecision(p)).reason).to.equal(BigInt(REASON.SeizureInFlight));
    expect(await p.creditManager.reserved(p.alice.address)).to.equal(0n);
  });

  it('setDecisionTimeout is owner-only and applies to later requests', async () => {
    const p = await loadFixture(deployProtocol);
    await expect(p.hub.connect(p.alice).setDecisionTimeout(1)).to.be.revertedWithCustomError(p.hub, 'OwnableUnauthorizedAccount');
    await expect(p.hub.setDecisionTimeout(0)).to.be.revertedWithCustomError(p.hub, 'InvalidDecisionTimeout').withArgs(0);
    await expect(p.hub.setDecisionTimeout(30 * 86_400 + 1)).to.be.revertedWithCustomError(p.hub, 'InvalidDecisionTimeout');
    await expect(p.hub.setDecisionTimeout(60)).to.emit(p.hub, 'DecisionTimeoutSet').withArgs(60n);
    expect(await p.hub.decisionTimeout()).to.equal(60n);
  });
});
