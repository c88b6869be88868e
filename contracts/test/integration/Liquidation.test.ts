import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST } from '../../lib';
import { AUCTION_DURATION, EID_A, EID_B, USDC, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { tokenTotals } from '../helpers/money';

const WAD = 10n ** 18n;
const USD_PER_USDC_UNIT = 10n ** 12n;

/** Pool equity (USD) and what the auctions hold as proceeds (USD): a credit of proceeds moves one into the other. */
async function claims(p: Protocol) {
  const [, , , equity] = await p.pool.solvency();
  const held = (await p.auctionA.proceedsHeld()) + (await p.auctionB.proceedsHeld());
  return { equity, proceeds: held * USD_PER_USDC_UNIT };
}

/** SEIZE for `account` paid by the liquidator, delivered; returns the seizure id. */
async function seizeNext(p: Protocol, account: string): Promise<bigint> {
  const { nativeFee } = await p.hub.quoteSeize(account);
  await (await p.hub.connect(p.liquidator).seize(account, { value: nativeFee })).wait();
  await p.settle();
  return p.hub.nextSeizureId();
}

/** Refreshes both feeds (they go stale while lots wait for their floor). */
async function refreshPrices(p: Protocol, eth: number) {
  await p.wethFeed.setPrice(parseUnits(String(eth), 8));
  await p.usdcFeed.setPrice(parseUnits('1', 8));
}

describe('liquidation end to end through EndpointV2 + ULN302: liquidate → seize → auction → AUCTION_RESULT → cash → fund → bad debt', () => {
  it('winds an account down and conserves every token at every step', async () => {
    const p = await loadFixture(deployProtocol);
    const { alice, bob, liquidator } = p;
    const fund = await p.fund.getAddress();
    await p.vaultA.connect(alice).deposit(USDC, parseUnits('5000', 6), alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
    await p.vaultB.connect(alice).deposit(WETH, parseEther('2'), alice.address, { value: await p.vaultB.quote(MSG_ATTEST) });
    await p.settle();
    // Bob holds positive cash (he bears any socialized loss); the fund holds 1,000 quote tokens.
    await p.pool.connect(bob).repay(bob.address, parseUnits('10000', 6));
    await p.quote.mint(p.deployer.address, parseUnits('1000', 6));
    await p.quote.approve(fund, parseUnits('1000', 6));
    await p.fund.deposit(parseUnits('1000', 6));
    const totals = await tokenTotals(p);

    await p.push([alice.address, parseEther('7000')]);
    await p.market.connect(alice).modifyPosition(0, parseEther('20')); // fee 20
    await refreshPrices(p, 1400);
    await p.push([alice.address, 0n, true]);

    // 1. Positions: half, then the rest. Penalty 2 % of 14,000 closed each time: 280, half to the caller.
    await expect(p.market.connect(liquidator).liquidate(alice.address, WAD / 2n))
      .to.emit(p.market, 'LiquidationExecuted')
      .withArgs(1n, alice.address, liquidator.address, WAD / 2n, parseEther('14000'), parseEther('280'), 0n);
    expect((await p.market.position(alice.address, 0)).size).to.equal(parseEther('10'));
    await p.market.connect(liquidator).liquidate(alice.address, WAD);
    expect(await p.pool.cashOf(alice.address)).to.equal(parseEther('-12580'));
    expect(await p.pool.cashOf(liquidator.address)).to.equal(parseEther('280'));
    expect(await p.pool.cashOf(fund)).to.equal(parseEther('280'));
    expect(await tokenTotals(p)).to.deep.equal(totals);

    // 2–3. The riskiest collateral first: 2 WETH on B. Nobody takes until the floor (0.6 × 1,400 = 840): the lot
    // empties for 1,680, less than its debt, and returns nothing.
    let before = await claims(p);
    const first = await seizeNext(p, alice.address);
    expect((await p.hub.seizure(first)).eid).to.equal(BigInt(EID_B));
    // All of alice's WETH (2 × 1,400 < 12,580 × 1.02): the lot must raise its whole value.
    expect((await p.hub.seizure(first)).debtUsd).to.equal(parseEther('2800'));
    expect(await p.weth.balanceOf(await p.auctionB.getAddress())).to.equal(parseEther('2'));
    expect((await p.hub.attestation(alice.address, EID_B, WETH)).balance).to.equal(0n);
    await time.increase(AUCTION_DURATION);
    await refreshPrices(p, 1400);
    await p.auctionB.connect(bob).take(first, parseEther('2'), parseEther('840'), bob.address);
    await p.settle();
    expect(await p.pool.cashOf(alice.address)).to.equal(parseEther('-10900'));
    let after = await claims(p);
    expect(before.equity - after.equity).to.equal(parseEther('1680'));
    expect(after.proceeds - before.proceeds).to.equal(parseEther('1680'));
    expect(await p.hub.seizuresInFlight(alice.address)).to.equal(0n);
    expect(await tokenTotals(p)).to.deep.equal(totals);

    // Then USDC on A: all 5,000 of it (capped by the balance), so the lot must raise its whole value, 5,000. Taken
    // at once at 1.2 (a taker paying above the oracle price): only what covers the debt is sold, the rest returns
    // to alice's vault balance (attested by the AUCTION_RESULT).
    before = await claims(p);
    const second = await seizeNext(p, alice.address);
    const debt = (await p.hub.seizure(second)).debtUsd;
    expect(debt).to.equal(parseEther('5000'));
    await p.auctionA.connect(bob).take(second, parseUnits('5000', 6), parseEther('1.2'), bob.address);
    await p.settle();
    const lot = await p.auctionA.lot(second);
    const returned = (await p.vaultA.balanceOf(alice.address, USDC)).free;
    expect(returned).to.be.gt(0n);
    expect((await p.hub.attestation(alice.address, EID_A, USDC)).balance).to.equal(returned);
    expect(lot.proceedsUsd).to.be.gte(debt);
    expect(await p.pool.cashOf(alice.address)).to.equal(parseEther('-10900') + lot.proceedsUsd);
    after = await claims(p);
    expect(before.equity - after.equity).to.equal(after.proceeds - before.proceeds);
    expect(await tokenTotals(p)).to.deep.equal(totals);

    // The returned USDC is seized again and sold at the floor: collateral exhausted.
    const third = await seizeNext(p, alice.address);
    await time.increase(AUCTION_DURATION);
    await refreshPrices(p, 1400);
    await p.auctionA.connect(bob).take(third, returned, parseEther('0.6'), bob.address);
    await p.settle();
    expect(await p.registry.collateralExhausted(alice.address)).to.equal(true);
    expect(await tokenTotals(p)).to.deep.equal(totals);

    // 4. The fund pays from its cash (280) and tokens (1,000); the rest is socialized over bob's and the
    // liquidator's positive cash, pro rata.
    const debtLeft = -(await p.pool.cashOf(alice.address));
    const positiveBefore = await p.pool.totalPositiveCash();
    const bobBefore = await p.pool.cashOf(bob.address);
    const [, , , equityBefore] = await p.pool.solvency();
    await expect(p.fund.connect(bob).cover(alice.address)).to.emit(p.fund, 'DebtCovered');
    const bad = await p.pool.badDebtOf(alice.address);
    expect(bad).to.equal(debtLeft - parseEther('1280'));
    expect(await p.pool.cashOf(alice.address)).to.equal(0n);
    expect(await p.pool.cashOf(fund)).to.equal(0n);
    expect(await p.quote.balanceOf(fund)).to.equal(0n);
    const positiveAfter = await p.pool.totalPositiveCash();
    expect(positiveBefore - positiveAfter).to.equal(bad + parseEther('280')); // the fund's cash went to alice first
    const bobAfter = await p.pool.cashOf(bob.address);
    // bob's share of the loss: bad × bob / (bob + liquidator), within rounding.
    expect(bobBefore - bobAfter).to.be.closeTo((bad * bobBefore) / (bobBefore + parseEther('280')), 10n);
    // The pool's equity lost nothing: the fund's tokens repaid 1,000 and the loss moved to positive cash.
    const [, , , equityAfter] = await p.pool.solvency();
    expect(equityAfter).to.equal(equityBefore);
    expect(await p.registry.activeLiquidation(alice.address)).to.equal(0n);
    expect(await tokenTotals(p)).to.deep.equal(totals);
  });
});
