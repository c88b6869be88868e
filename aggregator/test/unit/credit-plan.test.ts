import fc from 'fast-check';
import {
  MAX_BASE,
  MIN_BASE,
  hysteresisThreshold,
  partnerFill,
  planCreditBatch,
  refreshDue,
  type PlanAccount,
  type PlanSettings,
} from '../../src/credit/credit-plan';

const E18 = 10n ** 18n;
const usd = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;
const addr = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;

const settings = (over: Partial<PlanSettings> = {}): PlanSettings => ({
  hysteresis: { relative: 0.01, absolute: E18 },
  maxBatch: 200,
  staleAfter: 3600,
  now: 1_000_000,
  increaseAllowance: usd(1e9),
  ...over,
});

const acct = (i: number, over: Partial<PlanAccount> = {}): PlanAccount => ({
  account: addr(i),
  targetLimit: 0n,
  cash: 0n,
  targetLiquidatable: false,
  frozen: false,
  onChain: null,
  committed: 0n,
  ...over,
});

const onChain = (limit: bigint, liquidatable = false, pushedAt = 1_000_000 - 10) => ({ limit, liquidatable, pushedAt });

describe('credit batch planner', () => {
  it('threshold = max(relative × current, absolute)', () => {
    expect(hysteresisThreshold(usd(1000), { relative: 0.01, absolute: E18 })).toBe(usd(10));
    expect(hysteresisThreshold(usd(50), { relative: 0.01, absolute: E18 })).toBe(E18);
    expect(hysteresisThreshold(0n, { relative: 0.5, absolute: 0n })).toBe(0n);
  });

  it('hysteresis: a 0.5 % change of a $1,000 limit waits, a 2 % change goes out (both directions)', () => {
    const plan = planCreditBatch(
      [
        acct(1, { targetLimit: usd(1005), onChain: onChain(usd(1000)) }),
        acct(2, { targetLimit: usd(995), onChain: onChain(usd(1000)) }),
        acct(3, { targetLimit: usd(1020), onChain: onChain(usd(1000)) }),
        acct(4, { targetLimit: usd(980), onChain: onChain(usd(1000)) }),
      ],
      settings(),
    );
    expect(plan.entries.map((e) => [e.account, e.limit, e.reason])).toEqual([
      [addr(4), usd(980), 'decrease'],
      [addr(3), usd(1020), 'increase'],
    ]);
    expect(plan.totalIncrease).toBe(usd(20));
  });

  it('always pushes a mark change, a limit going to zero and a decrease crossing below what is used', () => {
    const plan = planCreditBatch(
      [
        acct(1, { targetLimit: usd(1000), targetLiquidatable: true, onChain: onChain(usd(1000)) }),
        acct(2, { targetLimit: 0n, onChain: onChain(usd(0.5)) }),
        acct(3, { targetLimit: usd(999), committed: usd(999.5), onChain: onChain(usd(1000)) }),
        acct(4, { targetLimit: usd(999), committed: usd(998), onChain: onChain(usd(1000)) }),
        acct(5, { targetLimit: usd(1000), targetLiquidatable: false, onChain: onChain(usd(1000), true) }),
      ],
      settings(),
    );
    const reasons = Object.fromEntries(plan.entries.map((e) => [e.account, e.reason]));
    expect(reasons).toEqual({ [addr(1)]: 'mark', [addr(2)]: 'zero', [addr(3)]: 'below-used', [addr(5)]: 'unmark' });
    // urgent decreases (zero, below-used) before the limit-neutral marks
    expect(plan.entries.map((e) => e.account)).toEqual([addr(3), addr(2), addr(1), addr(5)]);
  });

  it('a never-pushed account with no credit and no mark needs nothing; with credit it is new', () => {
    const plan = planCreditBatch([acct(1), acct(2, { targetLimit: usd(50) })], settings());
    expect(plan.entries).toEqual([{ account: addr(2), limit: usd(50), liquidatable: false, previous: 0n, reason: 'new', clamped: false }]);
  });

  it('freeze: increases are deferred with the reason, decreases and marks still go out at most at the current limit', () => {
    const plan = planCreditBatch(
      [
        acct(1, { frozen: true, targetLimit: usd(2000), onChain: onChain(usd(1000)) }),
        acct(2, { frozen: true, targetLimit: usd(500), onChain: onChain(usd(1000)) }),
        acct(3, { frozen: true, targetLimit: usd(2000), targetLiquidatable: true, onChain: onChain(usd(1000)) }),
      ],
      settings(),
    );
    expect(plan.entries.map((e) => [e.account, e.limit, e.reason])).toEqual([
      [addr(2), usd(500), 'decrease'],
      [addr(3), usd(1000), 'mark'],
    ]);
    expect(plan.deferred).toEqual([
      { account: addr(1), reason: 'frozen', target: usd(2000), current: usd(1000) },
      { account: addr(3), reason: 'frozen', target: usd(2000), current: usd(1000) },
    ]);
    expect(plan.totalIncrease).toBe(0n);
  });

  it('clamps increases to the allowance: smallest first, the remainder as a partial increase, the rest deferred', () => {
    const plan = planCreditBatch(
      [
        acct(1, { targetLimit: usd(300), onChain: onChain(usd(100)) }),
        acct(2, { targetLimit: usd(150), onChain: onChain(usd(100)) }),
        acct(3, { targetLimit: usd(1000) }),
        acct(4, { targetLimit: usd(10), onChain: onChain(usd(100)) }),
      ],
      settings({ increaseAllowance: usd(120) }),
    );
    expect(plan.entries.map((e) => [e.account, e.limit, e.clamped])).toEqual([
      [addr(4), usd(10), false],
      [addr(2), usd(150), false],
      [addr(1), usd(170), true],
    ]);
    expect(plan.totalIncrease).toBe(usd(120));
    expect(plan.deferred.map((d) => [d.account, d.reason])).toEqual([
      [addr(1), 'allowance'],
      [addr(3), 'allowance'],
    ]);
  });

  it('re-pushes unchanged limits once half of staleAfter has passed, oldest first; accounts without credit never', () => {
    const now = 1_000_000;
    const plan = planCreditBatch(
      [
        acct(1, { targetLimit: usd(100), onChain: onChain(usd(100), false, now - 1799) }),
        acct(2, { targetLimit: usd(100), onChain: onChain(usd(100), false, now - 1800) }),
        acct(3, { targetLimit: usd(100.5), onChain: onChain(usd(100), false, now - 3000) }),
        acct(4, { targetLimit: 0n, onChain: onChain(0n, false, now - 5000) }),
      ],
      settings({ now }),
    );
    expect(plan.entries.map((e) => [e.account, e.limit, e.reason])).toEqual([
      [addr(2), usd(100), 'refresh'],
      [addr(3), usd(100.5), 'refresh'],
    ]);
    expect(refreshDue(onChain(0n, true, 0), 3600, now)).toBe(true);
  });

  it('caps the batch: decreases keep their place, the overflow is deferred as batch-full', () => {
    const accounts = [
      ...Array.from({ length: 3 }, (_, i) => acct(10 + i, { targetLimit: usd(2000), onChain: onChain(usd(1000)) })),
      ...Array.from({ length: 3 }, (_, i) => acct(20 + i, { targetLimit: usd(500 + i), onChain: onChain(usd(1000)) })),
    ];
    const plan = planCreditBatch(accounts, settings({ maxBatch: 4 }));
    expect(plan.entries.map((e) => e.account)).toEqual([addr(20), addr(21), addr(22), addr(10)]);
    expect(plan.deferred.map((d) => [d.account, d.reason])).toEqual([
      [addr(11), 'batch-full'],
      [addr(12), 'batch-full'],
    ]);
  });

  it('clamps bases to the signed 95-bit range and rejects duplicate accounts', () => {
    const plan = planCreditBatch(
      [acct(1, { targetLimit: MAX_BASE + 5n }), acct(2, { targetLimit: usd(10), cash: MAX_BASE * 2n, onChain: onChain(0n) })],
      settings({ increaseAllowance: MAX_BASE * 4n }),
    );
    expect(plan.entries.find((e) => e.account === addr(1))!.limit).toBe(MAX_BASE);
    // a cash beyond the range: the effective 10 USD would need a base below MIN_BASE, which is where it stops
    expect(plan.entries.find((e) => e.account === addr(2))!.limit).toBe(MIN_BASE);
    expect(() => planCreditBatch([acct(1), acct(1)], settings())).toThrow(/twice/);
  });

  it('pushes base = limit − cash: a debt raises the base, a gain lowers it', () => {
    const plan = planCreditBatch(
      [acct(1, { targetLimit: usd(1000), cash: usd(-300) }), acct(2, { targetLimit: usd(5000), cash: usd(4000) })],
      settings(),
    );
    expect(plan.entries.map((e) => [e.account, e.limit, e.reason])).toEqual([
      [addr(2), usd(1000), 'new'],
      [addr(1), usd(1300), 'new'],
    ]);
  });

  it('a loss realized after a push needs no push: the chain counts the cash already', () => {
    // Pushed at cash 0: base 2,000. A 500 USD loss lowers both the limit and the cash by 500.
    const plan = planCreditBatch([acct(1, { targetLimit: usd(1500), cash: usd(-500), onChain: onChain(usd(2000)) })], settings());
    expect(plan.entries).toEqual([]);
  });

  it('decides zero, below-used and hysteresis on the effective limit (base + cash)', () => {
    const plan = planCreditBatch(
      [
        // effective 1,000 (base 1,500, cash −500) → target 0: zero
        acct(1, { targetLimit: 0n, cash: usd(-500), onChain: onChain(usd(1500)) }),
        // effective 1,000 → 990 with 995 used: crosses below what is used
        acct(2, { targetLimit: usd(990), cash: usd(200), committed: usd(995), onChain: onChain(usd(800)) }),
        // effective 1,000 → 1,005: under the 1 % threshold, waits
        acct(3, { targetLimit: usd(1005), cash: usd(600), onChain: onChain(usd(400)) }),
      ],
      settings(),
    );
    expect(plan.entries.map((e) => [e.account, e.limit, e.reason])).toEqual([
      [addr(1), usd(500), 'zero'],
      [addr(2), usd(790), 'below-used'],
    ]);
  });

  it('keeps a cash-only account fresh (it withdraws cash under a fresh push) with base 0', () => {
    const now = 1_000_000;
    const plan = planCreditBatch([acct(1, { targetLimit: usd(700), cash: usd(700), onChain: onChain(0n, false, now - 1800) })], settings({ now }));
    expect(plan.entries.map((e) => [e.limit, e.reason])).toEqual([[0n, 'refresh']]);
  });
});

describe('slot partner fill', () => {
  const s = settings({ staleAfter: 3600, now: 1_000_000 });
  const old = 1_000_000 - 900;

  it('re-pushes an unplanned partner a quarter of the way to stale at min(on-chain, target), never an increase', () => {
    const same = acct(2, { targetLimit: usd(100), onChain: onChain(usd(100), false, old) });
    expect(partnerFill(same, s)).toMatchObject({ limit: usd(100), previous: usd(100), reason: 'partner', liquidatable: false });
    const higher = acct(2, { targetLimit: usd(100.5), onChain: onChain(usd(100), false, old) });
    expect(partnerFill(higher, s)?.limit).toBe(usd(100));
    const lower = acct(2, { targetLimit: usd(99.5), cash: usd(10), onChain: onChain(usd(90), false, old) });
    expect(partnerFill(lower, s)?.limit).toBe(usd(89.5));
  });

  it('leaves the half alone when it is recent, never pushed, marked differently or without credit', () => {
    expect(partnerFill(acct(2, { targetLimit: usd(100), onChain: onChain(usd(100), false, old + 1) }), s)).toBeNull();
    expect(partnerFill(acct(2, { targetLimit: usd(100), onChain: null }), s)).toBeNull();
    expect(partnerFill(acct(2, { targetLimit: usd(100), targetLiquidatable: true, onChain: onChain(usd(100), false, old) }), s)).toBeNull();
    expect(partnerFill(acct(2, { targetLimit: 0n, onChain: onChain(0n, false, old) }), s)).toBeNull();
    // A marked account without credit is kept fresh (its mark must not expire).
    expect(partnerFill(acct(2, { targetLimit: -usd(5), targetLiquidatable: true, onChain: onChain(-usd(5), true, old) }), s)?.liquidatable).toBe(
      true,
    );
  });
});

describe('credit batch planner properties', () => {
  // Whole dollars in a small range, so limits, targets, committed amounts, thresholds and the allowance collide.
  const dollars = (max: number) => fc.integer({ min: 0, max }).map((n) => BigInt(n) * E18);
  const accountArb = fc
    .record({
      base: dollars(200),
      target: fc.oneof(dollars(200), fc.integer({ min: -5, max: 5 })),
      committed: fc.oneof(dollars(200), fc.integer({ min: -3, max: 3 })),
      onChain: fc.boolean(),
      liquidatable: fc.boolean(),
      targetLiquidatable: fc.boolean(),
      frozen: fc.boolean(),
      pushedAt: fc.integer({ min: 997_500, max: 1_000_000 }),
    })
    .map((r) => {
      const near = (v: bigint | number) => (typeof v === 'bigint' ? v : r.base + BigInt(v) * E18 > 0n ? r.base + BigInt(v) * E18 : 0n);
      return {
        targetLimit: near(r.target),
        cash: 0n,
        targetLiquidatable: r.targetLiquidatable,
        frozen: r.frozen,
        onChain: r.onChain ? { limit: r.base, liquidatable: r.liquidatable, pushedAt: r.pushedAt } : null,
        committed: near(r.committed),
      };
    });
  const inputArb = fc.record({
    accounts: fc.array(accountArb, { maxLength: 30 }).map((list) => list.map((a, i) => ({ ...a, account: addr(i + 1) }))),
    maxBatch: fc.integer({ min: 1, max: 40 }),
    allowance: dollars(300),
    relative: fc.constantFrom(0, 0.01, 0.05),
    absolute: dollars(3),
  });

  it('respects the batch cap, the allowance, the freeze and puts every decrease before every increase', () => {
    fc.assert(
      fc.property(inputArb, ({ accounts, maxBatch, allowance, relative, absolute }) => {
        const s = settings({ maxBatch, increaseAllowance: allowance, hysteresis: { relative, absolute } });
        const plan = planCreditBatch(accounts, s);
        const byAccount = new Map(accounts.map((a) => [a.account, a]));
        expect(plan.entries.length).toBeLessThanOrEqual(maxBatch);
        expect(new Set(plan.entries.map((e) => e.account)).size).toBe(plan.entries.length);
        let increase = 0n;
        let sawIncrease = false;
        for (const e of plan.entries) {
          const a = byAccount.get(e.account)!;
          const current = a.onChain?.limit ?? 0n;
          expect(e.previous).toBe(current);
          expect(e.liquidatable).toBe(a.targetLiquidatable);
          if (e.limit > current) {
            sawIncrease = true;
            increase += e.limit - current;
            expect(a.frozen).toBe(false);
            expect(e.limit).toBeLessThanOrEqual(a.targetLimit);
          }
          if (e.limit < current) expect(sawIncrease).toBe(false);
          if (e.limit < current) expect(e.limit).toBe(a.targetLimit);
        }
        expect(increase).toBe(plan.totalIncrease);
        expect(increase).toBeLessThanOrEqual(allowance);
      }),
    );
  });

  it('never loses a mandatory change: marks, zeroing and crossing below used are pushed or deferred as batch-full', () => {
    fc.assert(
      fc.property(inputArb, ({ accounts, maxBatch, allowance, relative, absolute }) => {
        const plan = planCreditBatch(accounts, settings({ maxBatch, increaseAllowance: allowance, hysteresis: { relative, absolute } }));
        const pushed = new Map(plan.entries.map((e) => [e.account, e]));
        const full = new Set(plan.deferred.filter((d) => d.reason === 'batch-full').map((d) => d.account));
        for (const a of accounts) {
          const cur = a.onChain ?? { limit: 0n, liquidatable: false, pushedAt: 0 };
          const markChanged = a.targetLiquidatable !== cur.liquidatable;
          const zeroing = a.targetLimit === 0n && cur.limit > 0n;
          const crossing = cur.limit >= a.committed && a.targetLimit < a.committed;
          if (markChanged || zeroing || crossing) expect(pushed.has(a.account) || full.has(a.account)).toBe(true);
          if (zeroing && pushed.has(a.account)) expect(pushed.get(a.account)!.limit).toBe(0n);
        }
      }),
    );
  });

  it('pushes nothing that changes less than the threshold unless it is mandatory or due for refresh', () => {
    fc.assert(
      fc.property(inputArb, ({ accounts, relative, absolute }) => {
        const s = settings({ hysteresis: { relative, absolute } });
        const plan = planCreditBatch(accounts, s);
        for (const e of plan.entries) {
          const a = accounts.find((x) => x.account === e.account)!;
          const cur = a.onChain ?? { limit: 0n, liquidatable: false, pushedAt: 0 };
          const delta = a.targetLimit > cur.limit ? a.targetLimit - cur.limit : cur.limit - a.targetLimit;
          const small = delta < hysteresisThreshold(cur.limit, s.hysteresis);
          const mandatory =
            a.targetLiquidatable !== cur.liquidatable || a.targetLimit === 0n || (cur.limit >= a.committed && a.targetLimit < a.committed);
          if (small && !mandatory) expect(refreshDue(cur, s.staleAfter, s.now)).toBe(true);
        }
      }),
    );
  });

  it('cash is a translation: the same effective limits with cash c push every base shifted by −c', () => {
    const cashArb = fc.array(fc.integer({ min: -150, max: 150 }), { minLength: 30, maxLength: 30 });
    fc.assert(
      fc.property(inputArb, cashArb, ({ accounts, maxBatch, allowance, relative, absolute }, cashes) => {
        const s = settings({ maxBatch, increaseAllowance: allowance, hysteresis: { relative, absolute } });
        const cashOf = (i: number) => BigInt(cashes[i]) * E18;
        const shifted = accounts.map((a, i) => ({
          ...a,
          cash: cashOf(i),
          // Never pushed stays never pushed: its chain base is 0 whatever the cash, so only pushed accounts shift.
          onChain: a.onChain ? { ...a.onChain, limit: a.onChain.limit - cashOf(i) } : null,
        }));
        const plain = planCreditBatch(
          accounts.filter((a) => a.onChain),
          s,
        );
        const withCash = planCreditBatch(
          shifted.filter((a) => a.onChain),
          s,
        );
        const index = new Map(accounts.map((a, i) => [a.account, i]));
        expect(withCash.totalIncrease).toBe(plain.totalIncrease);
        expect(withCash.entries.map((e) => [e.account, e.limit + cashOf(index.get(e.account)!), e.reason])).toEqual(
          plain.entries.map((e) => [e.account, e.limit, e.reason]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
