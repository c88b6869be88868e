import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { parseEther } from 'ethers';
import {
  MAX_CREDIT_BASE,
  MIN_CREDIT_BASE,
  connectSettlementPool,
  deployCreditManager,
  deploySettlementPool,
  deployTestToken,
  grantCreditRoles,
  packCreditEntry,
  pushCredit,
  unpackCreditEntry,
} from '../lib';
import { CollateralValueStub__factory } from '../typechain-types';

const CAPACITY = parseEther('1000');
const REFILL = parseEther('1');
const STALE = 300;

/**
 * The `market` signer holds the CreditManager's and the pool's MARKET_ROLE, so tests move cash with `pool.settle`;
 * the `hub` signer holds HUB_ROLE. The chain-visible collateral comes from a stub (`collateral`): alice and bob
 * start with a million USD of it, so the pushed base is what binds unless a test lowers it.
 */
async function creditFixture() {
  const [admin, pusher, market, hub, alice, bob] = await ethers.getSigners();
  const cm = await deployCreditManager(admin, { staleAfterSeconds: STALE, guardCapacity: CAPACITY, guardRefillPerSecond: REFILL });
  await grantCreditRoles(cm, { pusher: pusher.address, market: market.address, hub: hub.address });
  const collateral = await new CollateralValueStub__factory(admin).deploy();
  for (const who of [alice, bob]) await collateral.set(who.address, parseEther('1000000'));
  await cm.setHub(await collateral.getAddress());
  const usdc = await deployTestToken(admin, { name: 'USD Coin', symbol: 'USDC', decimals: 6 });
  const pool = await deploySettlementPool(admin, { quoteToken: await usdc.getAddress(), creditManager: await cm.getAddress(), hub: hub.address });
  await connectSettlementPool({ creditManager: cm, pool, market: market.address });
  const settle = (account: string, pnl: bigint, fee = 0n) => pool.connect(market).settle(account, pnl, fee);
  return { cm, pool, settle, collateral, admin, pusher, market, hub, alice, bob };
}

describe('CreditManager', () => {
  it('packs and unpacks entries with a signed 95-bit base', () => {
    const account = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    expect(unpackCreditEntry(packCreditEntry(account, 123n, true))).to.deep.equal({ account, base: 123n, liquidatable: true });
    expect(unpackCreditEntry(packCreditEntry(account, -5n, true))).to.deep.equal({ account, base: -5n, liquidatable: true });
    for (const base of [MAX_CREDIT_BASE, MIN_CREDIT_BASE, -1n, 0n]) {
      expect(unpackCreditEntry(packCreditEntry(account, base))).to.deep.equal({ account, base, liquidatable: false });
    }
    // A negative base never spills into the liquidation bit or the account.
    expect(BigInt(packCreditEntry(account, -1n)) >> 95n).to.equal(BigInt(account) << 1n);
    expect(() => packCreditEntry(account, MAX_CREDIT_BASE + 1n)).to.throw(RangeError);
    expect(() => packCreditEntry(account, MIN_CREDIT_BASE - 1n)).to.throw(RangeError);
  });

  describe('pushCreditLimits', () => {
    it('stores limits with the push time and liquidation marks: an index per new account, one event per batch', async () => {
      const { cm, pusher, alice, bob } = await loadFixture(creditFixture);
      const tx = pushCredit(cm.connect(pusher), 1, [
        packCreditEntry(alice.address, parseEther('100')),
        packCreditEntry(bob.address, parseEther('5'), true),
      ]);
      await expect(tx)
        .to.emit(cm, 'AccountIndexed')
        .withArgs(alice.address, 0n)
        .and.to.emit(cm, 'AccountIndexed')
        .withArgs(bob.address, 1n)
        .and.to.emit(cm, 'CreditBatchPushed')
        .withArgs(1n, 2n, parseEther('105'));
      const a = await cm.account(alice.address);
      expect(a.limit).to.equal(parseEther('100'));
      expect(a.updatedAt).to.equal(BigInt(await time.latest()));
      expect(await cm.isLiquidatable(bob.address)).to.equal(true);
      expect(await cm.lastEpoch()).to.equal(1n);
      expect(await cm.isStale(alice.address)).to.equal(false);
    });

    it('takes exactly lastEpoch + 1: a replay, an older epoch or a jump reverts EpochNotNext and changes nothing', async () => {
      const { cm, pusher, alice } = await loadFixture(creditFixture);
      await expect(pushCredit(cm.connect(pusher), 5, []))
        .to.be.revertedWithCustomError(cm, 'EpochNotNext')
        .withArgs(5, 1);
      for (let epoch = 1; epoch <= 5; epoch++) await pushCredit(cm.connect(pusher), epoch, [packCreditEntry(alice.address, 10n)]);
      for (const epoch of [5n, 4n, 0n, 7n, 2n ** 64n - 1n]) {
        await expect(pushCredit(cm.connect(pusher), epoch, [packCreditEntry(alice.address, 99n)]))
          .to.be.revertedWithCustomError(cm, 'EpochNotNext')
          .withArgs(epoch, 6);
      }
      expect((await cm.account(alice.address)).limit).to.equal(10n);
      expect(await cm.lastEpoch()).to.equal(5n);
    });

    it('stores a negative base sign-extended; the guard counts increases of the base, from below zero too', async () => {
      const { cm, pusher, alice, bob } = await loadFixture(creditFixture);
      await expect(
        pushCredit(cm.connect(pusher), 1, [packCreditEntry(alice.address, parseEther('-300'), true), packCreditEntry(bob.address, MIN_CREDIT_BASE)]),
      )
        .to.emit(cm, 'CreditBatchPushed')
        .withArgs(1n, 2n, 0n);
      expect((await cm.account(alice.address)).limit).to.equal(parseEther('-300'));
      expect((await cm.account(bob.address)).limit).to.equal(MIN_CREDIT_BASE);
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('-300'));
      expect(await cm.availableCredit(alice.address)).to.equal(0n);
      await expect(pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, parseEther('200'))]))
        .to.emit(cm, 'CreditBatchPushed')
        .withArgs(2n, 1n, parseEther('500'));
      await expect(pushCredit(cm.connect(pusher), 3, [packCreditEntry(bob.address, parseEther('1'))])).to.be.revertedWithCustomError(
        cm,
        'CreditIncreaseRateLimited',
      );
    });

    it('is pusher-only', async () => {
      const { cm, alice } = await loadFixture(creditFixture);
      await expect(pushCredit(cm.connect(alice), 1, [])).to.be.revertedWithCustomError(cm, 'AccessControlUnauthorizedAccount');
    });

    it('bounds total credit increase by the token bucket; decreases always pass; refills over time', async () => {
      const { cm, pusher, alice, bob } = await loadFixture(creditFixture);
      const push = (epoch: number, entries: string[]) => pushCredit(cm.connect(pusher), epoch, entries);
      await push(1, [packCreditEntry(alice.address, parseEther('600')), packCreditEntry(bob.address, parseEther('300'))]);
      expect(await cm.increaseAllowance()).to.be.closeTo(parseEther('100'), parseEther('2'));
      expect(await cm.increaseGuard()).to.deep.equal([CAPACITY, REFILL]);
      await expect(push(2, [packCreditEntry(alice.address, parseEther('800'))])).to.be.revertedWithCustomError(cm, 'CreditIncreaseRateLimited');
      // A lowered limit frees no allowance, and passes even with an empty bucket.
      await push(2, [packCreditEntry(bob.address, 0n)]);
      await time.increase(200);
      await push(3, [packCreditEntry(alice.address, parseEther('800'))]);
      expect((await cm.account(alice.address)).limit).to.equal(parseEther('800'));
    });
  });

  describe('consume, release, reserve', () => {
    async function funded() {
      const f = await loadFixture(creditFixture);
      await pushCredit(f.cm.connect(f.pusher), 1, [packCreditEntry(f.alice.address, parseEther('100'))]);
      return f;
    }

    it('consumes and releases margin within the limit', async () => {
      const { cm, market, alice } = await funded();
      await expect(cm.connect(market).consume(alice.address, parseEther('60')))
        .to.emit(cm, 'CreditConsumed')
        .withArgs(alice.address, parseEther('60'), parseEther('60'));
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('40'));
      await expect(cm.connect(market).consume(alice.address, parseEther('41')))
        .to.be.revertedWithCustomError(cm, 'InsufficientCredit')
        .withArgs(alice.address, parseEther('41'), parseEther('40'));
      await cm.connect(market).release(alice.address, parseEther('60'));
      await expect(cm.connect(market).release(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'ReleaseExceedsUsed');
    });

    it('stale credit allows releasing risk, not adding it', async () => {
      const { cm, market, alice } = await funded();
      await cm.connect(market).consume(alice.address, parseEther('10'));
      await time.increase(STALE + 1);
      expect(await cm.isStale(alice.address)).to.equal(true);
      await expect(cm.connect(market).consume(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'CreditStale');
      await cm.connect(market).release(alice.address, parseEther('10'));
    });

    it('refuses new risk for an account marked liquidatable', async () => {
      const { cm, pusher, market, alice } = await funded();
      await pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, parseEther('100'), true)]);
      await expect(cm.connect(market).consume(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'AccountLiquidatable');
    });

    it('reservations count against available credit; only the hub reserves', async () => {
      const { cm, market, hub, alice } = await funded();
      await cm.connect(market).consume(alice.address, parseEther('50'));
      await expect(cm.connect(hub).reserve(alice.address, parseEther('30')))
        .to.emit(cm, 'CreditReserved')
        .withArgs(alice.address, parseEther('30'), parseEther('30'));
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('20'));
      await expect(cm.connect(hub).reserve(alice.address, parseEther('21'))).to.be.revertedWithCustomError(cm, 'InsufficientCredit');
      await expect(cm.connect(market).reserve(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'AccessControlUnauthorizedAccount');
      await expect(cm.connect(hub).unreserve(alice.address, parseEther('31'))).to.be.revertedWithCustomError(cm, 'ReleaseExceedsReserved');
      await cm.connect(hub).unreserve(alice.address, parseEther('10'));
      await cm.connect(hub).unreserve(alice.address, parseEther('20'));
      expect(await cm.reserved(alice.address)).to.equal(0n);
      // Settled withdrawals keep counting (accumulated) until the next push for the account.
      expect(await cm.settlingCredit(alice.address)).to.equal(parseEther('30'));
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('20'));
    });

    it('counts the pool cash realized since the push: creditBalance = base + cash − used − reserved − settling', async () => {
      const { cm, settle, market, hub, alice } = await funded();
      await cm.connect(market).consume(alice.address, parseEther('30'));
      await cm.connect(hub).reserve(alice.address, parseEther('20'));
      await cm.connect(hub).reserve(alice.address, parseEther('5'));
      await cm.connect(hub).unreserve(alice.address, parseEther('5'));
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('45')); // 100 − 30 − 20 − 5
      await settle(alice.address, parseEther('-70'), parseEther('1'));
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('-26'));
      expect(await cm.availableCredit(alice.address)).to.equal(0n);
      await expect(cm.connect(market).consume(alice.address, 1n))
        .to.be.revertedWithCustomError(cm, 'InsufficientCredit')
        .withArgs(alice.address, 1n, 0n);
      await settle(alice.address, parseEther('100'));
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('74'));
    });

    it('checks every reservation, also of an account that uses nothing (fresh push, no mark, enough credit)', async () => {
      const { cm, pusher, hub, alice, bob } = await funded();
      await expect(cm.connect(hub).reserve(bob.address, 1n)).to.be.revertedWithCustomError(cm, 'CreditStale');
      await expect(cm.connect(hub).reserve(alice.address, parseEther('100.01'))).to.be.revertedWithCustomError(cm, 'InsufficientCredit');
      await pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, parseEther('100'), true)]);
      await expect(cm.connect(hub).reserve(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'AccountLiquidatable');
      await time.increase(STALE + 1);
      await expect(cm.connect(hub).reserve(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'CreditStale');
    });

    it('cancelReservation returns a reservation without moving it to settling; hub-only', async () => {
      const { cm, market, hub, alice } = await funded();
      await cm.connect(hub).reserve(alice.address, parseEther('60'));
      await expect(cm.connect(market).cancelReservation(alice.address, 1n)).to.be.revertedWithCustomError(cm, 'AccessControlUnauthorizedAccount');
      await expect(cm.connect(hub).cancelReservation(alice.address, parseEther('61'))).to.be.revertedWithCustomError(cm, 'ReleaseExceedsReserved');
      await expect(cm.connect(hub).cancelReservation(alice.address, parseEther('60')))
        .to.emit(cm, 'ReservationCancelled')
        .withArgs(alice.address, parseEther('60'), 0n);
      expect(await cm.settlingCredit(alice.address)).to.equal(0n);
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('100'));
    });

    it('a push after settlement clears the settling amount', async () => {
      const { cm, pusher, hub, alice } = await funded();
      await cm.connect(hub).reserve(alice.address, parseEther('40'));
      await cm.connect(hub).unreserve(alice.address, parseEther('40'));
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('60'));
      await pushCredit(cm.connect(pusher), 2, [packCreditEntry(alice.address, parseEther('70'))]);
      expect(await cm.settlingCredit(alice.address)).to.equal(0n);
      expect(await cm.availableCredit(alice.address)).to.equal(parseEther('70'));
    });

    it('names the settlement pool once, admin-only', async () => {
      const { cm, pool, alice } = await funded();
      expect(await cm.settlementPool()).to.equal(await pool.getAddress());
      await expect(cm.setSettlementPool(alice.address))
        .to.be.revertedWithCustomError(cm, 'SettlementPoolAlreadySet')
        .withArgs(await pool.getAddress());
      const fresh = await deployCreditManager((await ethers.getSigners())[0], { staleAfterSeconds: 1, guardCapacity: 1, guardRefillPerSecond: 1 });
      await expect(fresh.connect(alice).setSettlementPool(alice.address)).to.be.revertedWithCustomError(fresh, 'AccessControlUnauthorizedAccount');
      await expect(fresh.setSettlementPool(ethers.ZeroAddress)).to.be.revertedWithCustomError(fresh, 'ZeroAddress');
      expect(await fresh.creditBalance(alice.address)).to.equal(0n); // no pool yet: cash counts as 0
      await expect(fresh.setSettlementPool(await pool.getAddress()))
        .to.emit(fresh, 'SettlementPoolSet')
        .withArgs(await pool.getAddress());
    });

    it('admin setters are admin-only', async () => {
      const { cm, alice } = await funded();
      await expect(cm.connect(alice).setStaleAfter(1)).to.be.revertedWithCustomError(cm, 'AccessControlUnauthorizedAccount');
      await expect(cm.connect(alice).setIncreaseGuard(1, 1)).to.be.revertedWithCustomError(cm, 'AccessControlUnauthorizedAccount');
      await expect(cm.setStaleAfter(10)).to.emit(cm, 'StaleAfterSet').withArgs(10n);
    });
  });

  describe('bounds on the pusher', () => {
    it('caps usable credit by the hub-attested collateral: min(base − settling, collateral) + cash − used − reserved', async () => {
      const { cm, pusher, market, hub, settle, collateral, alice } = await loadFixture(creditFixture);
      await collateral.set(alice.address, parseEther('50'));
      await pushCredit(cm.connect(pusher), 1, [packCreditEntry(alice.address, parseEther('100'))]);
      expect(await cm.collateralValue(alice.address)).to.equal(parseEther('50'));
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('50'));
      await expect(cm.connect(market).consume(alice.address, parseEther('60')))
        .to.be.revertedWithCustomError(cm, 'InsufficientCredit')
        .withArgs(alice.address, parseEther('60'), parseEther('50'));
      await settle(alice.address, parseEther('30')); // cash counts on top of the capped side
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('80'));
      await cm.connect(market).consume(alice.address, parseEther('60'));
      await cm.connect(hub).reserve(alice.address, parseEther('15'));
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('5'));
      // Released: settling lowers the pushed side only (the hub's side already sees the lower balance).
      await cm.connect(hub).unreserve(alice.address, parseEther('15'));
      await collateral.set(alice.address, parseEther('35'));
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('5')); // min(100 − 15, 35) + 30 − 60
      await collateral.set(alice.address, parseEther('1000'));
      expect(await cm.creditBalance(alice.address)).to.equal(parseEther('55')); // min(85, 1000) + 30 − 60
    });

    it('without a hub no collateral is visible: only cash can be used; the hub is named once, admin-only', async () => {
      const { pool, settle, collateral, alice } = await loadFixture(creditFixture);
      const [admin, pusher] = await ethers.getSigners();
      const fresh = await deployCreditManager(admin, { staleAfterSeconds: STALE, guardCapacity: CAPACITY, guardRefillPerSecond: REFILL });
      await grantCreditRoles(fresh, { pusher: pusher.address });
      await fresh.setSettlementPool(await pool.getAddress());
      await pushCredit(fresh.connect(pusher), 1, [packCreditEntry(alice.address, parseEther('100'))]);
      expect(await fresh.creditBalance(alice.address)).to.equal(0n);
      await settle(alice.address, parseEther('30'));
      expect(await fresh.creditBalance(alice.address)).to.equal(parseEther('30'));
      await expect(fresh.connect(alice).setHub(alice.address)).to.be.revertedWithCustomError(fresh, 'AccessControlUnauthorizedAccount');
      await expect(fresh.setHub(ethers.ZeroAddress)).to.be.revertedWithCustomError(fresh, 'ZeroAddress');
      await expect(fresh.setHub(await collateral.getAddress()))
        .to.emit(fresh, 'HubSet')
        .withArgs(await collateral.getAddress());
      await expect(fresh.setHub(alice.address))
        .to.be.revertedWithCustomError(fresh, 'HubAlreadySet')
        .withArgs(await collateral.getAddress());
      expect(await fresh.creditBalance(alice.address)).to.equal(parseEther('130'));
    });

    it('a liquidation mark expires with its push', async () => {
      const { cm, pusher, alice } = await loadFixture(creditFixture);
      await pushCredit(cm.connect(pusher), 1, [packCreditEntry(alice.address, 0n, true)]);
      expect(await cm.isLiquidatable(alice.address)).to.equal(true);
      await time.increase(STALE + 1);
      expect(await cm.isLiquidatable(alice.address)).to.equal(false);
      expect((await cm.account(alice.address)).liquidatable).to.equal(true); // stored, but no longer counts
    });
  });
});
