import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { EID_A, EID_B, EID_HUB, USDC, WETH, deployProtocol } from '../helpers/fixture';
import { REASON, STATUS, deposit, lastDecision, requestWithdraw, tokenTotals, usdc } from '../helpers/money';

const CASH = { RealizedPnl: 0n, TradingFee: 1n, Repayment: 2n, Withdrawal: 3n };

describe('money adds up (issue 14)', () => {
  it('a loser cannot withdraw the collateral that backs the loss: 5,000 USDC, −12,000 USD realized, withdrawal rejected', async () => {
    const p = await loadFixture(deployProtocol);
    const { alice } = p;
    const totals = await tokenTotals(p);
    await deposit(p, alice, USDC, usdc(5000));
    await p.settle();
    // The aggregator's limit for 5,000 USDC at init weight 0.95, pushed with cash 0: base = 4,750.
    await p.push([alice.address, parseEther('4750')]);
    await p.market.connect(alice).modifyPosition(0, parseEther('20')); // 20 ETH long at 2,000: margin 4,000, fee 20
    await p.wethFeed.setPrice(parseUnits('1400', 8));
    await expect(p.market.connect(alice).modifyPosition(0, parseEther('-20')))
      .to.emit(p.market, 'PositionClosed')
      .withArgs(alice.address, 0, parseEther('-20'), 0n, 0n, parseEther('1400'), parseEther('-12000'), 0n, parseEther('14'))
      .and.to.emit(p.pool, 'CashChanged')
      .withArgs(alice.address, CASH.RealizedPnl, parseEther('-12000'), parseEther('-12020'));

    // The debt is visible on chain, and counts against credit before any push.
    const debt = parseEther('12034');
    expect(await p.pool.cashOf(alice.address)).to.equal(-debt);
    expect(await p.pool.totalDebt()).to.equal(debt);
    expect(await p.creditManager.creditBalance(alice.address)).to.equal(parseEther('4750') - debt);

    const first = await requestWithdraw(p, alice, USDC, usdc(5000));
    await p.deliver(EID_A, EID_HUB);
    const decided = await lastDecision(p);
    expect(decided.approved, 'withdrawal of collateral backing a 12,000 USD loss').to.equal(false);
    expect(decided.reason).to.equal(BigInt(REASON.InsufficientCredit));
    expect(await p.creditManager.reserved(alice.address)).to.equal(0n);
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(first)).status).to.equal(STATUS.Rejected);
    expect((await p.vaultA.balanceOf(alice.address, USDC)).free).to.equal(usdc(5000));

    // Repaying the debt with USDC on the trading chain makes the same withdrawal approvable.
    await expect(p.pool.connect(alice).repay(alice.address, usdc(12_034)))
      .to.emit(p.pool, 'CashChanged')
      .withArgs(alice.address, CASH.Repayment, debt, 0n);
    const second = await requestWithdraw(p, alice, USDC, usdc(5000));
    await p.deliver(EID_A, EID_HUB);
    expect((await p.hub.pendingWithdrawal(EID_A, second)).reservedValue).to.equal(parseEther('4750'));
    await p.decide(EID_A, second, true); // the aggregator: L' = 0 ≥ F^init = 0
    expect((await lastDecision(p)).approved).to.equal(true);
    await p.settle();
    expect((await p.vaultA.withdrawalRequest(second)).status).to.equal(STATUS.Released);
    expect(await p.usdc.balanceOf(alice.address)).to.equal(usdc(1_000_000));
    expect(await p.creditManager.reserved(alice.address)).to.equal(0n);
    expect(await tokenTotals(p)).to.deep.equal(totals);
  });

  it('a winner withdraws the gain as USDC from the pool', async () => {
    const p = await loadFixture(deployProtocol);
    const { bob } = p;
    const totals = await tokenTotals(p);
    await deposit(p, bob, WETH, parseEther('10'), p.vaultB);
    await p.settle();
    expect((await p.hub.attestation(bob.address, EID_B, WETH)).balance).to.equal(parseEther('10'));
    await p.push([bob.address, parseEther('16000')]);
    await p.market.connect(bob).modifyPosition(0, parseEther('20'));
    await p.wethFeed.setPrice(parseUnits('2600', 8));
    await p.market.connect(bob).modifyPosition(0, parseEther('-20')); // +12,000, fees 20 + 26
    const gain = parseEther('11954');
    expect(await p.pool.cashOf(bob.address)).to.equal(gain);
    expect(await p.pool.withdrawableCash(bob.address)).to.equal(gain);
    const withdraw = p.pool.connect(bob).withdrawCash(gain);
    await expect(withdraw).to.emit(p.pool, 'CashChanged').withArgs(bob.address, CASH.Withdrawal, -gain, 0n);
    await expect(withdraw).to.changeTokenBalances(p.quote, [bob, p.pool], [usdc(11_954), -usdc(11_954)]);
    const [tokenUsd, positive, debt, equity] = await p.pool.solvency();
    expect([positive, debt]).to.deep.equal([0n, 0n]);
    expect(equity).to.equal(tokenUsd);
    expect(await tokenTotals(p)).to.deep.equal(totals);
  });
});
