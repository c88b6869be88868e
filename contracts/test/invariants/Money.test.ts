import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import fc from 'fast-check';
import { parseEther, type Signer } from 'ethers';
import { EID_A, EID_HUB, POOL_SEED, USDC, WETH, deployProtocol, type Protocol } from '../helpers/fixture';
import { REASON, deposit, requestWithdraw, tokenTotals, usdc } from '../helpers/money';

const WAD = 10n ** 18n;
const WEIGHT = { [WETH]: parseEther('0.8'), [USDC]: parseEther('0.95') } as const;
const IMR = parseEther('0.1');

/**
 * A stand-in for the aggregator with the risk model cut to what these contracts see (no VaR, no volatility,
 * pnlWeight 0): C^init = Σ attested × price × init weight, L = max(0, C^init + cash + min(0, uPnL)),
 * F^init = Σ |q| × price × imr. It pushes base = L − cash and approves a withdrawal iff L' ≥ F^init.
 */
class ModelAggregator {
  constructor(private readonly p: Protocol) {}

  async price(): Promise<bigint> {
    return this.p.market.price(0);
  }

  async limit(
    account: string,
    withdrawn: { assetId: number; amount: bigint } | undefined = undefined,
  ): Promise<{ limit: bigint; floor: bigint; cash: bigint }> {
    const price = await this.price();
    let collateral = 0n;
    for (const [assetId, unitPrice, scale] of [
      [WETH, price, WAD],
      [USDC, WAD, 10n ** 6n],
    ] as const) {
      let balance = (await this.p.hub.attestation(account, EID_A, assetId)).balance;
      if (withdrawn?.assetId === assetId) balance -= withdrawn.amount;
      collateral += (((balance * unitPrice) / scale) * WEIGHT[assetId]) / WAD;
    }
    const position = await this.p.market.position(account, 0);
    const pnl = (BigInt(position.size) * (price - position.entryPrice)) / WAD;
    const cash = await this.p.pool.cashOf(account);
    const total = collateral + cash + (pnl < 0n ? pnl : 0n);
    const abs = position.size < 0n ? -position.size : position.size;
    return { limit: total > 0n ? total : 0n, floor: (((abs * price) / WAD) * IMR) / WAD, cash };
  }

  async pushAll(accounts: string[]) {
    const entries: [string, bigint][] = [];
    for (const account of accounts) {
      const { limit, cash } = await this.limit(account);
      entries.push([account, limit - cash]);
    }
    await this.p.push(...entries);
  }

  /** Decides every pending request; returns the approvals, each checked against the hub's key right after. */
  async decideAll(): Promise<number> {
    let approvals = 0;
    for (const log of await this.p.hub.queryFilter(this.p.hub.filters.WithdrawalPending())) {
      const { eid, requestId, account, assetId, amount } = log.args;
      const pending = await this.p.hub.pendingWithdrawal(eid, requestId);
      if (pending.account !== account || pending.approved) continue;
      const after = await this.limit(account, { assetId: Number(assetId), amount });
      const approve = after.limit >= after.floor;
      await (await this.p.decide(Number(eid), requestId, approve, approve ? 0 : REASON.PostWithdrawalCreditBelowFloor)).wait();
      if ((await this.p.hub.pendingWithdrawal(eid, requestId)).approved) {
        approvals += 1;
        expect(approve, 'the hub approves only what the decider approved').to.equal(true);
        expect(await this.p.creditManager.creditBalance(account), 'creditBalance after an approval').to.be.gte(0n);
      }
    }
    return approvals;
  }
}

const user = fc.integer({ min: 0, max: 1 });
const step = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), user, weth: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ kind: fc.constant('open' as const), user, tenths: fc.integer({ min: -60, max: 60 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('price' as const), percent: fc.integer({ min: -30, max: 30 }) }),
  fc.record({ kind: fc.constant('close' as const), user }),
  fc.record({ kind: fc.constant('repay' as const), user, usd: fc.integer({ min: 1, max: 20_000 }) }),
  { arbitrary: fc.record({ kind: fc.constant('withdrawCollateral' as const), user, tenths: fc.integer({ min: 1, max: 100 }) }), weight: 2 },
  // A share of what the pool would pay now; above 100 % must be refused.
  { arbitrary: fc.record({ kind: fc.constant('withdrawCash' as const), user, percent: fc.integer({ min: 1, max: 120 }) }), weight: 2 },
);

interface Flows {
  realized: bigint;
  fees: bigint;
  repaid: bigint;
  withdrawn: bigint;
}

async function cashFlows(p: Protocol): Promise<Flows> {
  const flows: Flows = { realized: 0n, fees: 0n, repaid: 0n, withdrawn: 0n };
  for (const { args } of await p.pool.queryFilter(p.pool.filters.CashChanged())) {
    const key = (['realized', 'fees', 'repaid', 'withdrawn'] as const)[Number(args.reason)];
    flows[key] += args.delta;
  }
  return flows;
}

async function assertInvariants(p: Protocol, users: Signer[], totals: Awaited<ReturnType<typeof tokenTotals>>) {
  const accounts = await Promise.all(users.map((u) => u.getAddress()));
  // Tokens only move between holders.
  expect(await tokenTotals(p)).to.deep.equal(totals);
  // Pool: tokens = seed + repaid − withdrawn; totals = sums over accounts; equity identity; Σ cash = Σ flows.
  const flows = await cashFlows(p);
  const cash = await Promise.all(accounts.map((a) => p.pool.cashOf(a)));
  const [tokenUsd, positive, debt, equity] = await p.pool.solvency();
  expect(tokenUsd).to.equal(POOL_SEED * 10n ** 12n + flows.repaid + flows.withdrawn);
  expect(positive).to.equal(cash.reduce((s, c) => s + (c > 0n ? c : 0n), 0n));
  expect(debt).to.equal(cash.reduce((s, c) => s + (c < 0n ? -c : 0n), 0n));
  expect(equity).to.equal(tokenUsd + debt - positive);
  expect(cash.reduce((s, c) => s + c, 0n)).to.equal(flows.realized + flows.fees + flows.repaid + flows.withdrawn);
  // The pool's equity is what traders lost net of what they won, plus fees: it never pays out more than it holds.
  expect(equity).to.equal(POOL_SEED * 10n ** 12n - flows.realized - flows.fees);
  // Vault: tokens ≥ Σ (free + locked + owed).
  for (const [token, assetId] of [
    [p.weth, WETH],
    [p.usdc, USDC],
  ] as const) {
    let owedToAccounts = 0n;
    for (const a of [...accounts, p.insurance.address]) {
      const b = await p.vaultA.balanceOf(a, assetId);
      owedToAccounts += b.free + b.locked + (await p.vaultA.owed(a, assetId));
    }
    expect(await token.balanceOf(await p.vaultA.getAddress())).to.be.gte(owedToAccounts);
  }
  // Everything delivered and decided: no reservation left behind.
  for (const a of accounts) expect(await p.creditManager.reserved(a)).to.equal(0n);
}

describe('money invariants over random sequences', () => {
  it('deposit, open, price move, close, repay, withdraw collateral, withdraw cash: pool and vault solvent, reservations released, approvals keep creditBalance ≥ 0', async () => {
    let approvals = 0;
    let cashWithdrawals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        const p = await loadFixture(deployProtocol);
        const users = [p.alice, p.bob];
        const accounts = users.map((u) => u.address);
        const aggregator = new ModelAggregator(p);
        const totals = await tokenTotals(p);
        await p.creditManager.setIncreaseGuard(parseEther('1000000000'), parseEther('1000000')); // the guard is not under test here
        await deposit(p, p.alice, USDC, usdc(5000));
        await deposit(p, p.bob, WETH, parseEther('5'));
        for (const u of users) await p.pool.connect(u).repay(u.address, usdc(1000)); // some cash to start with
        await p.settle();
        await aggregator.pushAll(accounts);
        for (const s of steps) {
          if (s.kind === 'deposit') {
            await deposit(p, users[s.user], WETH, parseEther(String(s.weth)));
            await p.settle();
          } else if (s.kind === 'open') {
            await p.market
              .connect(users[s.user])
              .modifyPosition(0, (BigInt(s.tenths) * WAD) / 10n)
              .catch(() => undefined); // may lack credit
          } else if (s.kind === 'price') {
            const price = ((await aggregator.price()) * BigInt(100 + s.percent)) / 100n;
            if (price >= parseEther('300') && price <= parseEther('6000')) await p.wethFeed.setPrice(price / 10n ** 10n);
          } else if (s.kind === 'close') {
            const size = (await p.market.position(accounts[s.user], 0)).size;
            if (size !== 0n) await p.market.connect(users[s.user]).modifyPosition(0, -size); // a reduction never fails
          } else if (s.kind === 'repay') {
            await p.pool.connect(users[s.user]).repay(accounts[s.user], usdc(s.usd));
          } else if (s.kind === 'withdrawCollateral') {
            const amount = (BigInt(s.tenths) * WAD) / 10n;
            if (amount <= (await p.vaultA.balanceOf(accounts[s.user], WETH)).free) {
              await requestWithdraw(p, users[s.user], WETH, amount);
              await p.deliver(EID_A, EID_HUB);
              approvals += await aggregator.decideAll();
              await p.settle();
            }
          } else {
            const withdrawable = await p.pool.withdrawableCash(accounts[s.user]);
            const unit = 10n ** 12n;
            const share = ((withdrawable * BigInt(s.percent)) / 100n / unit) * unit;
            const amount = share > 0n ? share : parseEther('1');
            if (amount <= withdrawable) {
              await p.pool.connect(users[s.user]).withdrawCash(amount);
              cashWithdrawals += 1;
              expect(await p.creditManager.creditBalance(accounts[s.user])).to.be.gte(0n);
              expect(await p.pool.cashOf(accounts[s.user])).to.be.gte(0n);
            } else {
              await expect(p.pool.connect(users[s.user]).withdrawCash(amount)).to.be.reverted;
            }
          }
          await assertInvariants(p, users, totals);
          await aggregator.pushAll(accounts);
        }
      }),
      { numRuns: 12 },
    );
    // The sequences must actually exercise both kinds of payout, or the property proves little.
    expect(approvals, 'approved collateral withdrawals over all runs').to.be.greaterThan(0);
    expect(cashWithdrawals, 'cash withdrawals over all runs').to.be.greaterThan(0);
  });
});
