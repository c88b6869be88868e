import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, MSG_WITHDRAW_REQUEST, packCreditEntry } from '../../lib';
import { EID_A, EID_HUB, USDC, deployProtocol } from '../helpers/fixture';

const usdc = (n: number) => parseUnits(String(n), 6);

describe('money adds up (issue 14)', () => {
  it('a loser cannot withdraw the collateral that backs the loss: 5,000 USDC, −12,000 USD realized, withdrawal rejected', async () => {
    const p = await loadFixture(deployProtocol);
    const { alice, pusher } = p;
    await p.vaultA.connect(alice).deposit(USDC, usdc(5000), alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
    await p.settle();
    // The aggregator's limit for 5,000 USDC at init weight 0.95.
    await p.creditManager.connect(pusher).pushCreditLimits(1, [packCreditEntry(alice.address, parseEther('4750'))]);
    await p.market.connect(alice).modifyPosition(0, parseEther('20')); // 20 ETH long at 2,000: margin 4,000
    await p.wethFeed.setPrice(parseUnits('1400', 8));
    await expect(p.market.connect(alice).modifyPosition(0, parseEther('-20')))
      .to.emit(p.market, 'PositionClosed')
      .withArgs(alice.address, 0, parseEther('-20'), 0n, 0n, parseEther('1400'), parseEther('-12000'), 0n);

    await p.vaultA.connect(alice).requestWithdraw(USDC, usdc(5000), { value: await p.vaultA.quote(MSG_WITHDRAW_REQUEST) });
    await p.deliver(EID_A, EID_HUB);
    const decided = (await p.hub.queryFilter(p.hub.filters.WithdrawalDecided())).at(-1)!.args;
    expect(decided.approved, 'withdrawal of collateral backing a 12,000 USD loss').to.equal(false);
    await p.settle();
    expect((await p.vaultA.balanceOf(alice.address, USDC)).free).to.equal(usdc(5000));
  });
});
