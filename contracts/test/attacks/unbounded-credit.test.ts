import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import { EID_A, EID_HUB, GUARD_CAPACITY, WETH, deployProtocol } from '../helpers/fixture';
import { REASON, deposit, lastDecision, requestWithdraw } from '../helpers/money';

/**
 * Attack: a stolen pusher key writes the largest base the increase guard lets through for an account it controls
 * and spends it (positions, withdrawals). Usable credit is now min(pushed, what the hub sees) + cash: the pushed
 * number alone buys nothing beyond the attested collateral × price × init weight.
 */
describe('attack: a stolen pusher key pushes a huge credit base', () => {
  it('the base cannot be used beyond the chain-visible collateral (1 WETH = 1,600 USD)', async () => {
    const p = await loadFixture(deployProtocol);
    const attacker = p.bob;
    await deposit(p, attacker, WETH, parseEther('1'));
    await p.settle();
    await p.push([attacker.address, GUARD_CAPACITY]); // a million USD of base
    expect((await p.creditManager.account(attacker.address)).limit).to.equal(GUARD_CAPACITY);
    expect(await p.creditManager.availableCredit(attacker.address)).to.equal(parseEther('1600'));
    // A 50 ETH long needs 10,000 of margin.
    await expect(p.market.connect(attacker).modifyPosition(0, parseEther('50'))).to.be.revertedWithCustomError(p.creditManager, 'InsufficientCredit');
    // What the chain sees can be used: a 7 ETH long (1,400 of margin, 7 of fee).
    await p.market.connect(attacker).modifyPosition(0, parseEther('7'));
    expect(await p.creditManager.availableCredit(attacker.address)).to.equal(parseEther('193'));
    // Taking the collateral out under the pushed base: 1 WETH is 1,600 of value, 193 left.
    await requestWithdraw(p, attacker, WETH, parseEther('1'));
    await p.deliver(EID_A, EID_HUB);
    expect((await lastDecision(p)).reason).to.equal(BigInt(REASON.InsufficientCredit));
    await expect(p.pool.connect(attacker).withdrawCash(parseEther('100'))).to.be.revertedWithCustomError(p.pool, 'InsufficientCash');
  });

  it('an account with no collateral at all gets nothing from a pushed base', async () => {
    const p = await loadFixture(deployProtocol);
    const stranger = ethers.Wallet.createRandom().address;
    await p.push([stranger, GUARD_CAPACITY / 2n], [p.alice.address, GUARD_CAPACITY / 2n]);
    expect(await p.creditManager.creditBalance(stranger)).to.equal(0n);
    expect(await p.creditManager.availableCredit(p.alice.address)).to.equal(0n);
    await expect(p.market.connect(p.alice).modifyPosition(0, parseEther('0.01'))).to.be.revertedWithCustomError(
      p.creditManager,
      'InsufficientCredit',
    );
  });
});
