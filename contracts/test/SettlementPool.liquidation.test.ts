import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther } from 'ethers';
import { deployProtocol } from './helpers/fixture';

/** CashReason numbers of the liquidation moves. */
const REASON = { LiquidationPenalty: 4n, LiquidationReward: 5n, InsuranceShare: 6n, AuctionProceeds: 7n, InsuranceCover: 8n, BadDebtWriteOff: 9n };

/** The protocol, with `deployer` as market (it holds MARKET_ROLE) and also as hub and fund for these unit tests. */
async function poolFixture() {
  const p = await loadFixture(deployProtocol);
  await p.pool.grantRole(await p.pool.HUB_ROLE(), p.deployer.address);
  await p.pool.grantRole(await p.pool.FUND_ROLE(), p.deployer.address);
  const settle = (account: string, pnl: bigint) => p.pool.settle(account, pnl, 0n);
  return { ...p, settle };
}

describe('SettlementPool: liquidation moves', () => {
  it('chargePenalty moves cash from the account, half to the keeper, the rest to the fund; Σ cash unchanged', async () => {
    const p = await poolFixture();
    const [alice, keeper, fund] = [p.alice.address, p.liquidator.address, p.insurance.address];
    await expect(p.pool.connect(p.alice).chargePenalty(1, alice, 1n, keeper, fund)).to.be.revertedWithCustomError(
      p.pool,
      'AccessControlUnauthorizedAccount',
    );
    await expect(p.pool.chargePenalty(7, alice, 101n, keeper, fund))
      .to.emit(p.pool, 'PenaltyCharged')
      .withArgs(7n, alice, keeper, fund, 101n, 50n, 51n)
      .and.to.emit(p.pool, 'CashChanged')
      .withArgs(alice, REASON.LiquidationPenalty, -101n, -101n);
    expect([await p.pool.cashOf(alice), await p.pool.cashOf(keeper), await p.pool.cashOf(fund)]).to.deep.equal([-101n, 50n, 51n]);
    expect([await p.pool.totalPositiveCash(), await p.pool.totalDebt()]).to.deep.equal([101n, 101n]);
  });

  it('creditAuctionProceeds is the hub’s; coverFromCash is bounded by the fund’s cash and the debt', async () => {
    const p = await poolFixture();
    const alice = p.alice.address;
    await expect(p.pool.connect(p.alice).creditAuctionProceeds(1, 1, alice, 1n)).to.be.revertedWithCustomError(
      p.pool,
      'AccessControlUnauthorizedAccount',
    );
    await p.settle(alice, -parseEther('100'));
    await expect(p.pool.creditAuctionProceeds(1, 2, alice, parseEther('30')))
      .to.emit(p.pool, 'AuctionProceedsCredited')
      .withArgs(1n, 2n, alice, parseEther('30'));
    expect(await p.pool.cashOf(alice)).to.equal(-parseEther('70'));
    // The deployer is the "fund" here: it needs positive cash to cover from.
    await p.settle(p.deployer.address, parseEther('50'));
    await expect(p.pool.coverFromCash(alice, parseEther('51'))).to.be.revertedWithCustomError(p.pool, 'CoverExceedsAvailable');
    await p.pool.coverFromCash(alice, parseEther('50'));
    expect([await p.pool.cashOf(alice), await p.pool.cashOf(p.deployer.address)]).to.deep.equal([-parseEther('20'), 0n]);
    await expect(p.pool.coverFromCash(alice, 1n)).to.be.revertedWithCustomError(p.pool, 'CoverExceedsAvailable');
  });

  it('socializeLoss writes the debt off and shrinks every positive balance pro rata in O(1); debts untouched', async () => {
    const p = await poolFixture();
    const [alice, bob, carol, dave] = [p.alice.address, p.bob.address, p.insurance.address, p.guardian.address];
    await p.settle(alice, -parseEther('200'));
    await p.settle(bob, parseEther('300'));
    await p.settle(carol, parseEther('100'));
    await p.settle(dave, -parseEther('50'));
    await expect(p.pool.socializeLoss(alice, parseEther('201'))).to.be.revertedWithCustomError(p.pool, 'WriteOffExceedsDebt');
    await expect(p.pool.socializeLoss(alice, parseEther('200')))
      .to.emit(p.pool, 'LossSocialized')
      .withArgs(alice, parseEther('200'), parseEther('200'), 0n, 5n * 10n ** 35n);
    expect(await p.pool.cashOf(alice)).to.equal(0n);
    expect(await p.pool.cashOf(bob)).to.equal(parseEther('150'));
    expect(await p.pool.cashOf(carol)).to.equal(parseEther('50'));
    expect(await p.pool.cashOf(dave)).to.equal(-parseEther('50'));
    expect([await p.pool.totalPositiveCash(), await p.pool.totalDebt()]).to.deep.equal([parseEther('200'), parseEther('50')]);
    expect([await p.pool.badDebtOf(alice), await p.pool.totalBadDebt(), await p.pool.unsocializedLoss()]).to.deep.equal([
      parseEther('200'),
      parseEther('200'),
      0n,
    ]);
    // A balance written after the loss counts at the new index: bob gains 10 on top of his 150.
    await p.settle(bob, parseEther('10'));
    expect(await p.pool.cashOf(bob)).to.equal(parseEther('160'));
  });

  it('with no positive cash left the loss lowers pool equity (unsocialized)', async () => {
    const p = await poolFixture();
    await p.settle(p.alice.address, -parseEther('10'));
    const [, , , equity] = await p.pool.solvency();
    await p.pool.socializeLoss(p.alice.address, parseEther('10'));
    expect(await p.pool.unsocializedLoss()).to.equal(parseEther('10'));
    const [, , , after] = await p.pool.solvency();
    expect(equity - after).to.equal(parseEther('10'));
  });

  it('property: Σ positive cash read through the index never exceeds the total, and the loss moves equity by the unsocialized part only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 24n }), { minLength: 1, maxLength: 4 }),
        fc.bigInt({ min: 1n, max: 10n ** 25n }),
        async (gains, loss) => {
          const p = await poolFixture();
          const holders = [p.bob, p.insurance, p.guardian, p.verifier].slice(0, gains.length).map((s) => s.address);
          for (const [i, gain] of gains.entries()) await p.settle(holders[i], gain);
          await p.settle(p.alice.address, -loss);
          const [, , , equity] = await p.pool.solvency();
          await p.pool.socializeLoss(p.alice.address, loss);
          const sum = (await Promise.all(holders.map((h) => p.pool.cashOf(h)))).reduce((a, b) => a + b, 0n);
          expect(sum <= (await p.pool.totalPositiveCash())).to.equal(true);
          expect((await p.pool.totalPositiveCash()) - sum <= BigInt(holders.length)).to.equal(true);
          const [, , , after] = await p.pool.solvency();
          expect(equity - after).to.equal(await p.pool.unsocializedLoss());
        },
      ),
      { numRuns: 10 },
    );
  });
});
