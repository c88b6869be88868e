import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther, parseUnits } from 'ethers';
import { MSG_ATTEST, deploySettlementPool, deployTestToken } from '../lib';
import { EID_A, EID_HUB, POOL_SEED, STALE_AFTER, WETH, deployProtocol, type Protocol } from './helpers/fixture';
import { debtFor, seize } from './helpers/money';

const CASH = { RealizedPnl: 0n, TradingFee: 1n, Repayment: 2n, Withdrawal: 3n };
const usdc = (n: number | string) => parseUnits(String(n), 6);
const usd = (n: number | string) => parseEther(String(n));

/** The protocol, with `deployer` also holding the pool's MARKET_ROLE so tests settle PnL directly. */
async function poolFixture() {
  const p = await deployProtocol();
  await p.pool.grantRole(await p.pool.MARKET_ROLE(), p.deployer.address);
  const settle = (account: string, pnl: bigint, fee = 0n) => p.pool.settle(account, pnl, fee);
  return { ...p, settle };
}

/** Alice with `gain` USD of cash and a fresh push of base 0 (her cash alone is her credit). */
async function aliceWithGain(gain: bigint) {
  const p = await loadFixture(poolFixture);
  await p.settle(p.alice.address, gain);
  await p.push([p.alice.address, 0n]);
  return p;
}

describe('SettlementPool', () => {
  it('settle: cash += pnl − fee, one event per part, totals split by sign; market-only', async () => {
    const p = await loadFixture(poolFixture);
    await expect(p.pool.connect(p.alice).settle(p.alice.address, 1n, 0n)).to.be.revertedWithCustomError(p.pool, 'AccessControlUnauthorizedAccount');
    await expect(p.settle(p.alice.address, usd(100), usd(1)))
      .to.emit(p.pool, 'CashChanged')
      .withArgs(p.alice.address, CASH.RealizedPnl, usd(100), usd(100))
      .and.to.emit(p.pool, 'CashChanged')
      .withArgs(p.alice.address, CASH.TradingFee, usd(-1), usd(99));
    expect([await p.pool.totalPositiveCash(), await p.pool.totalDebt()]).to.deep.equal([usd(99), 0n]);
    // Crossing zero moves the account from one total to the other.
    await p.settle(p.alice.address, usd(-150), usd(2));
    expect(await p.pool.cashOf(p.alice.address)).to.equal(usd(-53));
    expect([await p.pool.totalPositiveCash(), await p.pool.totalDebt()]).to.deep.equal([0n, usd(53)]);
    await p.settle(p.bob.address, usd(10));
    const [tokenUsd, positive, debt, equity] = await p.pool.solvency();
    expect([tokenUsd, positive, debt]).to.deep.equal([POOL_SEED * 10n ** 12n, usd(10), usd(53)]);
    expect(equity).to.equal(tokenUsd + usd(53) - usd(10));
  });

  it('repay credits token units × 1e12 to any account; fund adds equity and no cash', async () => {
    const p = await loadFixture(poolFixture);
    await p.settle(p.alice.address, usd(-12_000));
    const repay = p.pool.connect(p.bob).repay(p.alice.address, usdc(12_000));
    await expect(repay).to.emit(p.pool, 'CashChanged').withArgs(p.alice.address, CASH.Repayment, usd(12_000), 0n);
    await expect(repay).to.changeTokenBalances(p.quote, [p.bob, p.pool], [-usdc(12_000), usdc(12_000)]);
    expect(await p.pool.totalDebt()).to.equal(0n);
    await expect(p.pool.connect(p.bob).fund(usdc(5)))
      .to.emit(p.pool, 'Funded')
      .withArgs(p.bob.address, usdc(5));
    expect(await p.pool.cashOf(p.bob.address)).to.equal(0n);
    await expect(p.pool.repay(p.alice.address, 0n)).to.be.revertedWithCustomError(p.pool, 'ZeroAmount');
    await expect(p.pool.connect(p.bob).repay(ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(p.pool, 'ZeroAddress');
    await expect(p.pool.fund(0n)).to.be.revertedWithCustomError(p.pool, 'ZeroAmount');
  });

  it('withdrawCash pays positive cash as the quote token; withdrawableCash names the largest amount that passes', async () => {
    const p = await aliceWithGain(usd('250.5'));
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(usd('250.5'));
    const withdraw = p.pool.connect(p.alice).withdrawCash(usd(200));
    await expect(withdraw).to.emit(p.pool, 'CashChanged').withArgs(p.alice.address, CASH.Withdrawal, usd(-200), usd('50.5'));
    await expect(withdraw).to.changeTokenBalances(p.quote, [p.alice, p.pool], [usdc(200), -usdc(200)]);
    expect(await p.creditManager.creditBalance(p.alice.address)).to.equal(usd('50.5'));
    // Cash may not go below zero, even with credit to spare (1 WETH attested: 1,600 of collateral).
    await p.vaultA.connect(p.alice).deposit(WETH, parseEther('1'), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
    await p.deliver(EID_A, EID_HUB);
    await p.push([p.alice.address, usd(1_000)]);
    await expect(p.pool.connect(p.alice).withdrawCash(usd(51)))
      .to.be.revertedWithCustomError(p.pool, 'InsufficientCash')
      .withArgs(p.alice.address, usd(51), usd('50.5'));
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(usd('50.5'));
  });

  it('withdrawCash refuses: zero, fractions of a token unit, stale push, liquidation mark, credit short', async () => {
    const p = await aliceWithGain(usd(100));
    const w = p.pool.connect(p.alice);
    await expect(w.withdrawCash(0n)).to.be.revertedWithCustomError(p.pool, 'ZeroAmount');
    await expect(w.withdrawCash(10n ** 12n + 1n))
      .to.be.revertedWithCustomError(p.pool, 'AmountNotTokenMultiple')
      .withArgs(10n ** 12n + 1n, 10n ** 12n);
    // The cash is there but the account's risk does not allow taking it: a base of −60 leaves 40 of credit.
    await p.push([p.alice.address, usd(-60)]);
    await expect(w.withdrawCash(usd(41)))
      .to.be.revertedWithCustomError(p.pool, 'InsufficientCredit')
      .withArgs(p.alice.address, usd(41), usd(40));
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(usd(40));
    await p.push([p.alice.address, 0n, true]);
    await expect(w.withdrawCash(usd(1)))
      .to.be.revertedWithCustomError(p.pool, 'AccountLiquidatable')
      .withArgs(p.alice.address);
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(0n);
    await p.push([p.alice.address, 0n]);
    await time.increase(STALE_AFTER + 1);
    await expect(w.withdrawCash(usd(1))).to.be.revertedWithCustomError(p.pool, 'CreditStale');
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(0n);
    await expect(p.pool.connect(p.bob).withdrawCash(usd(1))).to.be.revertedWithCustomError(p.pool, 'CreditStale'); // never pushed
  });

  it('withdrawCash refuses while a seizure of the account is in flight', async () => {
    const p = await aliceWithGain(usd(100));
    await p.vaultA.connect(p.alice).deposit(WETH, parseEther('1'), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
    await p.deliver(EID_A, EID_HUB);
    await seize(p as unknown as Protocol, p.alice.address, debtFor(parseEther('1'), parseEther('2000')), { unmark: true });
    expect(await p.hub.seizuresInFlight(p.alice.address)).to.equal(1n);
    await expect(p.pool.connect(p.alice).withdrawCash(usd(1)))
      .to.be.revertedWithCustomError(p.pool, 'SeizureInFlight')
      .withArgs(p.alice.address, 1n);
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(0n);
  });

  it('withdrawCash refuses more tokens than the pool holds (claims beyond the seed wait for losers to repay)', async () => {
    const gain = POOL_SEED * 10n ** 12n + usd(1);
    const p = await aliceWithGain(gain);
    await expect(p.pool.connect(p.alice).withdrawCash(gain))
      .to.be.revertedWithCustomError(p.pool, 'InsufficientPoolLiquidity')
      .withArgs(POOL_SEED + usdc(1), POOL_SEED);
    expect(await p.pool.withdrawableCash(p.alice.address)).to.equal(POOL_SEED * 10n ** 12n);
    expect((await p.pool.solvency()).equity).to.equal(-usd(1));
  });

  it('constructor refuses zero addresses and a quote token with more than 18 decimals', async () => {
    const p = await loadFixture(poolFixture);
    const [cm, hub] = [await p.creditManager.getAddress(), await p.hub.getAddress()];
    const wide = await deployTestToken(p.deployer, { name: 'Wide', symbol: 'W', decimals: 19 });
    await expect(deploySettlementPool(p.deployer, { quoteToken: await wide.getAddress(), creditManager: cm, hub })).to.be.revertedWithCustomError(
      p.pool,
      'UnsupportedQuoteDecimals',
    );
    await expect(deploySettlementPool(p.deployer, { quoteToken: ethers.ZeroAddress, creditManager: cm, hub })).to.be.revertedWithCustomError(
      p.pool,
      'ZeroAddress',
    );
    await expect(
      deploySettlementPool(p.deployer, { quoteToken: await p.quote.getAddress(), creditManager: cm, hub: ethers.ZeroAddress }),
    ).to.be.revertedWithCustomError(p.pool, 'ZeroAddress');
  });

  it('property: totals equal the sums over accounts and tokens equal funded + repaid − withdrawn, for any sequence', async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('settle' as const),
        who: fc.integer({ min: 0, max: 2 }),
        pnl: fc.integer({ min: -5_000, max: 5_000 }),
        fee: fc.integer({ min: 0, max: 20 }),
      }),
      fc.record({ kind: fc.constant('repay' as const), who: fc.integer({ min: 0, max: 2 }), amount: fc.integer({ min: 1, max: 3_000 }) }),
      fc.record({ kind: fc.constant('withdraw' as const), who: fc.integer({ min: 0, max: 1 }), amount: fc.integer({ min: 1, max: 3_000 }) }),
      fc.record({ kind: fc.constant('fund' as const), amount: fc.integer({ min: 1, max: 3_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
        const p = await loadFixture(poolFixture);
        const accounts = [p.alice, p.bob, p.insurance];
        let expectedTokens = POOL_SEED;
        for (const s of steps) {
          if (s.kind === 'settle') await p.settle(accounts[s.who].address, usd(s.pnl), usd(s.fee));
          else if (s.kind === 'repay') {
            await p.pool.connect(p.alice).repay(accounts[s.who].address, usdc(s.amount));
            expectedTokens += usdc(s.amount);
          } else if (s.kind === 'fund') {
            await p.pool.connect(p.bob).fund(usdc(s.amount));
            expectedTokens += usdc(s.amount);
          } else {
            const who = accounts[s.who];
            await p.push([who.address, 0n]);
            const amount = usd(s.amount);
            if (amount <= (await p.pool.withdrawableCash(who.address))) {
              await p.pool.connect(who).withdrawCash(amount);
              expectedTokens -= usdc(s.amount);
            } else {
              await expect(p.pool.connect(who).withdrawCash(amount)).to.be.reverted;
            }
          }
          const cash = await Promise.all(accounts.map((a) => p.pool.cashOf(a.address)));
          const [tokenUsd, positive, debt, equity] = await p.pool.solvency();
          expect(positive).to.equal(cash.reduce((sum, c) => sum + (c > 0n ? c : 0n), 0n));
          expect(debt).to.equal(cash.reduce((sum, c) => sum + (c < 0n ? -c : 0n), 0n));
          expect(await p.quote.balanceOf(await p.pool.getAddress())).to.equal(expectedTokens);
          expect(tokenUsd).to.equal(expectedTokens * 10n ** 12n);
          expect(equity).to.equal(tokenUsd + debt - positive);
        }
      }),
      { numRuns: 10 },
    );
  });
});
