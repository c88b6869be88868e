import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther } from 'ethers';
import { MSG_ATTEST, MSG_WITHDRAW_REQUEST, packCreditEntry, pushCredit } from '../../lib';
import { EID_A, EID_HUB, GUARD_CAPACITY, GUARD_REFILL, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { decidePending, debtFor, seize } from '../helpers/money';

/** Vault solvency: token balance ≥ Σ (free + locked) + Σ owed, after any sequence of handler actions. */
async function assertSolvent(p: Protocol) {
  let liabilities = 0n;
  for (const who of [p.alice, p.bob]) {
    const b = await p.vaultA.balanceOf(who.address, WETH);
    liabilities += b.free + b.locked + (await p.vaultA.owed(who.address, WETH));
  }
  liabilities += await p.vaultA.owed(p.insurance.address, WETH);
  expect(await p.weth.balanceOf(await p.vaultA.getAddress())).to.be.gte(liabilities);
}

const action = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), user: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 80n }) }),
  fc.record({ kind: fc.constant('withdraw' as const), user: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 120n }) }),
  fc.record({ kind: fc.constant('seize' as const), user: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 50n }) }),
  fc.record({ kind: fc.constant('deliver' as const) }),
  fc.record({ kind: fc.constant('claim' as const), user: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 120 }) }),
);

describe('invariants', () => {
  it('vault token balance ≥ Σ account balances + locked + owed (handler-based)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 12 }), async (actions) => {
        const p = await loadFixture(deployProtocol);
        const users = [p.alice, p.bob];
        await p.push([p.alice.address, parseEther('400000')], [p.bob.address, parseEther('400000')]);
        for (const a of actions) {
          if (a.kind === 'deposit') {
            await p.vaultA
              .connect(users[a.user])
              .deposit(WETH, parseEther(String(a.amount)), users[a.user].address, { value: await p.vaultA.quote(MSG_ATTEST) });
          } else if (a.kind === 'withdraw') {
            const free = (await p.vaultA.balanceOf(users[a.user].address, WETH)).free;
            const amount = parseEther(String(a.amount));
            if (amount <= free)
              await p.vaultA.connect(users[a.user]).requestWithdraw(WETH, amount, { value: await p.vaultA.quote(MSG_WITHDRAW_REQUEST) });
          } else if (a.kind === 'seize') {
            // A seizure needs attested, unreserved collateral (the registry's rule); else there is nothing to seize.
            if ((await p.hub.withdrawableBalance(users[a.user].address, EID_A, WETH)) > 0n)
              await seize(p, users[a.user].address, debtFor(parseEther(String(a.amount)), parseEther('2000')), { unmark: true });
          } else if (a.kind === 'deliver') {
            await p.settle();
            await decidePending(p);
          } else if (a.kind === 'claim') {
            if ((await p.vaultA.owed(users[a.user].address, WETH)) > 0n && (await p.vaultA.outflowAvailable(WETH)) > 0n)
              await p.vaultA.connect(users[a.user]).claim(WETH);
          } else {
            await time.increase(a.seconds);
          }
          await assertSolvent(p);
        }
        await p.settle();
        await decidePending(p);
        await assertSolvent(p);
        // Once everything is delivered the hub agrees with the vault.
        for (const who of users) {
          const b = await p.vaultA.balanceOf(who.address, WETH);
          expect((await p.hub.attestation(who.address, EID_A, WETH)).balance).to.equal(b.free + b.locked);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('a withdrawal passes the hub iff its value fits the credit balance (base + cash − used); approvals leave it ≥ 0', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 20_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 100 }),
        async (limitUsd, sizeTenths, withdrawTenths) => {
          const p = await loadFixture(deployProtocol);
          await p.vaultA.connect(p.alice).deposit(WETH, parseEther('10'), p.alice.address, { value: await p.vaultA.quote(MSG_ATTEST) });
          await p.settle();
          const limit = parseEther(String(limitUsd));
          await pushCredit(p.creditManager.connect(p.pusher), 1, [packCreditEntry(p.alice.address, limit)]);
          const size = parseEther(String(sizeTenths / 10));
          const notional = (size * 2000n) / 10n ** 18n;
          if (parseEther(String(notional)) / 10n + parseEther(String(notional)) / 2000n > limit) return; // margin + fee: cannot open
          await p.market.connect(p.alice).modifyPosition(0, size);
          const amount = parseEther(String(withdrawTenths / 10));
          const value = await p.hub.withdrawalValue(EID_A, WETH, amount);
          const fits = value <= (await p.creditManager.creditBalance(p.alice.address));
          await p.vaultA.connect(p.alice).requestWithdraw(WETH, amount, { value: await p.vaultA.quote(MSG_WITHDRAW_REQUEST) });
          await p.deliver(EID_A, EID_HUB);
          expect(await p.hub.queryFilter(p.hub.filters.WithdrawalPending())).to.have.length(fits ? 1 : 0);
          if (fits) await p.decide(EID_A, 1n, true);
          const decided = (await p.hub.queryFilter(p.hub.filters.WithdrawalDecided()))[0].args;
          expect(decided.approved).to.equal(fits);
          expect(await p.creditManager.creditBalance(p.alice.address)).to.be.gte(0n);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('total credit granted never exceeds the guard (capacity + refill × elapsed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            wait: fc.integer({ min: 0, max: 50_000 }),
            limits: fc.array(fc.bigInt({ min: 0n, max: 600_000n }), { minLength: 1, maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (batches) => {
          const p = await loadFixture(deployProtocol);
          const accounts = [p.alice.address, p.bob.address, p.insurance.address];
          const start = BigInt(await time.latest());
          let granted = 0n;
          const current = new Map<string, bigint>();
          let epoch = 1;
          for (const batch of batches) {
            if (batch.wait) await time.increase(batch.wait);
            const entries = batch.limits.map((l, i) => packCreditEntry(accounts[i], parseEther(String(l))));
            let increase = 0n;
            batch.limits.forEach((l, i) => {
              const next = parseEther(String(l));
              const prev = current.get(accounts[i]) ?? 0n;
              if (next > prev) increase += next - prev;
            });
            try {
              await pushCredit(p.creditManager.connect(p.pusher), epoch, entries);
              epoch++;
              granted += increase;
              batch.limits.forEach((l, i) => current.set(accounts[i], parseEther(String(l))));
            } catch (error) {
              expect(String(error)).to.contain('CreditIncreaseRateLimited');
            }
            const elapsed = BigInt(await time.latest()) - start;
            expect(granted).to.be.lte(GUARD_CAPACITY + GUARD_REFILL * elapsed);
          }
          for (const [account, limit] of current) expect((await p.creditManager.account(account)).limit).to.equal(limit);
        },
      ),
      { numRuns: 10 },
    );
  });
});
