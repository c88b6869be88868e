import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, packCreditEntry, pushCredit } from '../../lib';
import { EID_A, EID_B, USDC, WETH, deployProtocol } from '../helpers/fixture';

describe('lifecycle across two vault chains and the trading chain', () => {
  it('deposit on A and B → credit push → trade → price drop → liquidation → seizure on B', async () => {
    const p = await loadFixture(deployProtocol);
    const { alice, pusher, liquidator } = p;
    await p.vaultA.connect(alice).deposit(USDC, parseUnits('5000', 6), alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
    await p.vaultB.connect(alice).deposit(WETH, parseEther('2'), alice.address, { value: await p.vaultB.quote(MSG_ATTEST) });
    expect(await p.settle()).to.equal(2);
    expect((await p.hub.attestation(alice.address, EID_A, USDC)).balance).to.equal(parseUnits('5000', 6));
    expect((await p.hub.attestation(alice.address, EID_B, WETH)).balance).to.equal(parseEther('2'));

    // The aggregator prices the ledger and pushes a limit; the market consumes initial margin from it.
    await pushCredit(p.creditManager.connect(pusher), 1, [packCreditEntry(alice.address, parseEther('7000'))]);
    await p.market.connect(alice).modifyPosition(0, parseEther('20')); // 20 ETH × 2000 × 10% = 4000
    expect((await p.creditManager.account(alice.address)).used).to.equal(parseEther('4000'));

    // ETH falls 30%: the aggregator marks the account liquidatable; a keeper closes the perp.
    await p.wethFeed.setPrice(parseUnits('1400', 8));
    await pushCredit(p.creditManager.connect(pusher), 2, [packCreditEntry(alice.address, 0n, true)]);
    await expect(p.market.liquidate(alice.address, parseEther('1')))
      .to.emit(p.market, 'Liquidated')
      .withArgs(alice.address, 0, p.deployer.address, parseEther('20'), parseEther('1400'), parseEther('-12000'), parseEther('560'));
    // The loss, the opening fee and the 2 % penalty are a debt to the settlement pool.
    expect(await p.pool.cashOf(alice.address)).to.equal(parseEther('-12580'));

    // The debt is covered by seizing the riskiest collateral first (WETH on chain B) into B's auction.
    const { eid, nativeFee } = await p.hub.quoteSeize(alice.address);
    expect(eid).to.equal(BigInt(EID_B));
    await p.hub.connect(liquidator).seize(alice.address, { value: nativeFee });
    await p.settle();
    expect(await p.weth.balanceOf(await p.auctionB.getAddress())).to.equal(parseEther('2'));
    expect((await p.hub.attestation(alice.address, EID_B, WETH)).balance).to.equal(0n);
    expect((await p.vaultB.balanceOf(alice.address, WETH)).free).to.equal(0n);
    expect((await p.creditManager.account(alice.address)).used).to.equal(0n);
  });
});
