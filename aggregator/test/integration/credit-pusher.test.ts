import { Transaction, parseEther } from 'ethers';
import request from 'supertest';
import { packCreditEntry, pushCredit } from '@tributary/contracts';
import type { PushOutcome } from '../../src/credit/credit-pusher.service';
import { ChainRegistry } from '../../src/chain/chain-registry';
import { LedgerChanges } from '../../src/ledger/ledger-changes';
import type { TxEvent } from '@tributary/service-kit';
import { startCreditApp, type CreditApp } from '../support/credit-app';
import { startCreditChain, type CreditChain } from '../support/credit-chain';
import { FakeRiskReader } from '../support/credit-fake-risk';

const E18 = 10n ** 18n;
const account = (i: number) => `0x${(0xc0ffee000000n + BigInt(i)).toString(16).padStart(40, '0')}`;

function pushed(outcome: PushOutcome) {
  if (outcome.kind !== 'pushed')
    throw new Error(`expected a push, got ${JSON.stringify(outcome, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return outcome;
}

async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string): Promise<NonNullable<T>> {
  for (let i = 0; i < 500; i++) {
    const value = await read();
    if (ok(value) && value !== undefined && value !== null) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Pusher against a real CreditManager on a hardhat node, with a fake RiskReader (PORT 18921). */
describe('credit pusher against a CreditManager', () => {
  let chain: CreditChain;
  let app: CreditApp;
  const risk = new FakeRiskReader();

  beforeAll(async () => {
    chain = await startCreditChain(18921);
    app = await startCreditApp(risk, {
      MANIFEST_PATH: chain.manifestPath,
      AGGREGATOR_PUSHER_PRIVATE_KEY: chain.pusher.privateKey,
      CREDIT_TX_TIMEOUT_MS: '300',
    });
  });
  afterAll(async () => {
    await app?.close();
    await chain?.stop();
  });

  const onChain = (a: string) => chain.creditManager.account(a);

  it('pushes changed limits in one batch, epochs increase, hysteresis holds small changes back', async () => {
    const [a, b, c] = [account(1), account(2), account(3)];
    risk.set(a, { creditLimit: 1000 });
    risk.set(b, { creditLimit: 250.5 });
    risk.set(c, { creditLimit: 0 });
    const first = pushed(await app.pusher.pushNow());
    expect(first.entries.map((e) => e.account).sort()).toEqual([a, b].sort());
    expect((await onChain(a)).limit).toBe(1000n * E18);
    expect((await onChain(b)).limit).toBe((2505n * E18) / 10n);
    expect(await chain.creditManager.lastEpoch()).toBe(first.epoch);

    risk.set(a, { creditLimit: 1005 }); // 0.5 %: below the 1 % hysteresis
    expect((await app.pusher.pushNow()).kind).toBe('idle');
    risk.set(a, { creditLimit: 900 });
    const second = pushed(await app.pusher.pushNow());
    expect(second.epoch).toBe(first.epoch + 1n);
    expect(second.entries).toEqual([expect.objectContaining({ account: a, limit: 900n * E18, reason: 'decrease' })]);
    expect((await onChain(a)).limit).toBe(900n * E18);
  });

  it('puts decreases first and clamps increases to the increase allowance (no CreditIncreaseRateLimited)', async () => {
    const [down, up1, up2] = [account(4), account(5), account(6)];
    risk.set(down, { creditLimit: 500 });
    pushed(await app.pusher.pushNow());
    await (await chain.creditManager.connect(chain.deployer).setIncreaseGuard(parseEther('300'), 0n)).wait();
    try {
      risk.set(down, { creditLimit: 100 });
      risk.set(up1, { creditLimit: 200 });
      risk.set(up2, { creditLimit: 400 });
      const outcome = pushed(await app.pusher.pushNow());
      expect(outcome.entries.map((e) => [e.account, e.limit, e.clamped])).toEqual([
        [down, 100n * E18, false],
        [up1, 200n * E18, false],
        [up2, 100n * E18, true],
      ]);
      expect(outcome.deferred).toEqual([expect.objectContaining({ account: up2, reason: 'allowance' })]);
      expect((await onChain(up2)).limit).toBe(100n * E18);
      expect(await chain.creditManager.increaseAllowance()).toBe(0n);
      expect((await app.pusher.status()).deferredIncreases).toBe(1);
      // nothing left: the next push only carries what a decrease needs, never a reverting increase
      expect((await app.pusher.pushNow()).kind).toBe('idle');
    } finally {
      await (await chain.creditManager.connect(chain.deployer).setIncreaseGuard(parseEther('10000000'), parseEther('100000'))).wait();
      await chain.provider.send('evm_increaseTime', [2]); // the emptied bucket refills (100k USD/s)
      await chain.mine();
    }
    const rest = pushed(await app.pusher.pushNow());
    expect(rest.entries).toEqual([expect.objectContaining({ account: up2, limit: 400n * E18 })]);
  });

  it('freeze: an increase is held back with the reason, a decrease still goes out', async () => {
    const [frozenUp, frozenDown] = [account(7), account(8)];
    risk.set(frozenUp, { creditLimit: 100 });
    risk.set(frozenDown, { creditLimit: 100 });
    pushed(await app.pusher.pushNow());
    const freeze = [{ assetId: 2, symbol: 'WETH', reason: 'stale' as const, detail: 'price 2 h old' }];
    risk.set(frozenUp, { creditLimit: 300, frozen: freeze });
    risk.set(frozenDown, { creditLimit: 50, frozen: freeze });
    const outcome = pushed(await app.pusher.pushNow());
    expect(outcome.entries.map((e) => e.account)).toEqual([frozenDown]);
    expect(outcome.deferred).toEqual([expect.objectContaining({ account: frozenUp, reason: 'frozen' })]);
    expect((await onChain(frozenUp)).limit).toBe(100n * E18);
    risk.set(frozenUp, { creditLimit: 300 });
    expect(pushed(await app.pusher.pushNow()).entries).toEqual([expect.objectContaining({ account: frozenUp, limit: 300n * E18 })]);
  });

  it('retries with the next epoch when another pusher landed one first (StaleEpoch revert)', async () => {
    const target = account(9);
    risk.set(target, { creditLimit: 77 });
    const original = app.chain.state.bind(app.chain);
    let raced = false;
    app.chain.state = async () => {
      const state = await original();
      if (!raced) {
        raced = true;
        await (await pushCredit(chain.creditManager.connect(chain.rival), state.lastEpoch + 1n, [packCreditEntry(account(99), 1n)])).wait();
      }
      return state;
    };
    try {
      const before = await chain.creditManager.lastEpoch();
      const outcome = pushed(await app.pusher.pushNow());
      expect(outcome.epoch).toBe(before + 2n);
      expect((await onChain(target)).limit).toBe(77n * E18);
      expect(await app.metrics.getSingleMetricAsString('tributary_aggregator_credit_pushes_total')).toMatch(/result="stale_epoch"} 1/);
    } finally {
      app.chain.state = original;
    }
  });

  it('re-broadcasts a dropped transaction and replaces a stuck one with higher fees (same nonce)', async () => {
    const target = account(10);
    const events: TxEvent[] = [];
    const off = app.chain.pusher!.onEvent((e) => events.push(e));
    await chain.automine(false);
    try {
      risk.set(target, { creditLimit: 42 });
      const pending = app.pusher.pushNow();
      const sent = await until(() => events.find((e) => e.kind === 'sent'), Boolean, 'the push to be sent');
      expect(await chain.provider.send('hardhat_dropTransaction', [sent.hash])).toBe(true);
      await until(() => events.some((e) => e.kind === 'rebroadcast'), Boolean, 'the dropped push to be re-broadcast');
      const replaced = await until(() => events.find((e) => e.kind === 'replaced'), Boolean, 'the stuck push to be replaced');
      expect(replaced.nonce).toBe(sent.nonce);
      await chain.mine();
      const outcome = pushed(await pending);
      expect(outcome.txHash).toBe(events.filter((e) => e.kind === 'replaced').at(-1)!.hash);
      expect(await chain.provider.getTransactionReceipt(sent.hash)).toBeNull();
      const [first, last] = await Promise.all([sent.hash, outcome.txHash].map((h) => chain.provider.send('eth_getTransactionByHash', [h])));
      expect(first).toBeNull(); // the original never made it
      expect(replaced.maxFeePerGas).toBeGreaterThanOrEqual((sent.maxFeePerGas * 120n) / 100n);
      expect(BigInt(last.maxFeePerGas)).toBe(replaced.maxFeePerGas);
      expect(BigInt(last.nonce)).toBe(BigInt(sent.nonce));
      expect((await onChain(target)).limit).toBe(42n * E18);
    } finally {
      off();
      await chain.automine(true);
    }
  });

  it('re-pushes unchanged limits of accounts with credit once half of staleAfter has passed', async () => {
    const before = await onChain(account(1));
    await chain.provider.send('evm_increaseTime', [1801]);
    await chain.mine();
    const outcome = pushed(await app.pusher.pushNow());
    const withCredit = risk
      .all()
      .filter((a) => a.result.creditLimit > 0)
      .map((a) => a.account);
    expect(outcome.entries.map((e) => e.account).sort()).toEqual(withCredit.sort());
    expect(outcome.entries.every((e) => e.reason === 'refresh' && e.limit === e.previous)).toBe(true);
    const after = await onChain(account(1));
    expect(after.limit).toBe(before.limit);
    expect(after.updatedAt).toBeGreaterThan(before.updatedAt + 1800n);
    expect((await app.pusher.pushNow()).kind).toBe('idle');
  });

  it('after a trading-chain reorg it re-reads the chain, even when the new branch holds the same epoch with other limits', async () => {
    const target = account(30);
    risk.set(target, { creditLimit: 500 });
    const snapshot: string = await chain.provider.send('evm_snapshot', []);
    const ours = pushed(await app.pusher.pushNow());
    expect((await onChain(target)).limit).toBe(500n * E18);
    const orphan = Transaction.from((await chain.provider.getTransaction(ours.txHash))!).serialized;

    // The new branch: another pusher landed the same epoch with another limit; our orphaned push came back and reverted.
    await chain.provider.send('evm_revert', [snapshot]);
    await (await pushCredit(chain.creditManager.connect(chain.rival), ours.epoch, [packCreditEntry(target, 50n * E18)])).wait();
    await chain.provider.send('eth_sendRawTransaction', [orphan]).catch(() => undefined); // mined, reverted: the nonce is used
    expect(await chain.provider.getTransactionCount(chain.pusher.address)).toBe((await chain.provider.getTransaction(ours.txHash))!.nonce + 1);
    expect(await chain.creditManager.lastEpoch()).toBe(ours.epoch);
    expect((await onChain(target)).limit).toBe(50n * E18);

    // Same epoch as its own receipt said: without word of the reorg its view looks exact and the 50 stays.
    const blind = await app.pusher.pushNow();
    expect(blind.kind === 'idle' || (blind.kind === 'pushed' && !blind.entries.some((e) => e.account === target))).toBe(true);
    // The indexer's rollback of the trading chain reaches the pusher through the ledger's change feed.
    const eid = app.app.get(ChainRegistry).tradingChain!.eid;
    app.app.get(LedgerChanges).announce(new Set(), true, { eid, reorg: { eid, forkBlock: 0 } });
    expect(pushed(await app.pusher.pushNow()).entries).toContainEqual(expect.objectContaining({ account: target, limit: 500n * E18 }));
    expect((await onChain(target)).limit).toBe(500n * E18);
  });

  it('fills the slot partner of a changed account at its own value once a quarter of staleAfter has passed', async () => {
    // Three new accounts get consecutive indices: two of them share a limits slot.
    const fresh = [account(71), account(72), account(73)];
    for (const a of fresh) risk.set(a, { creditLimit: 100 });
    pushed(await app.pusher.pushNow());
    const indices = new Map<string, bigint>();
    for (const a of fresh) indices.set(a, (await chain.creditManager.accountIndex(a))[1]);
    const [changed, partner] = fresh.flatMap((a) =>
      fresh.filter((b) => indices.get(b) === (indices.get(a)! ^ 1n) && indices.get(a)! % 2n === 0n).map((b) => [a, b]),
    )[0];
    const before = await onChain(partner);
    await chain.provider.send('evm_increaseTime', [901]);
    await chain.mine();
    risk.set(changed, { creditLimit: 150 });
    const outcome = pushed(await app.pusher.pushNow());
    const fill = outcome.entries.find((e) => e.account.toLowerCase() === partner.toLowerCase());
    expect(fill).toMatchObject({ reason: 'partner', limit: before.limit, previous: before.limit });
    expect(await chain.creditManager.pushedEpoch(partner)).toBe(outcome.epoch);
    expect((await onChain(partner)).limit).toBe(before.limit);
    expect((await onChain(changed)).limit).toBe(150n * E18);
    // An account the engine does not know is never filled.
    expect(outcome.entries.every((e) => risk.get(e.account) !== undefined)).toBe(true);
  });

  it('a new instance reads what is on chain: nothing is pushed again', async () => {
    const second = await startCreditApp(risk, { MANIFEST_PATH: chain.manifestPath, AGGREGATOR_PUSHER_PRIVATE_KEY: chain.pusher.privateKey });
    try {
      expect((await second.pusher.pushNow()).kind).toBe('idle');
    } finally {
      await second.close();
    }
  });

  it('serves its status and metrics, never the key; rejects unknown query parameters', async () => {
    const status = (await request(app.http).get('/v1/credit/status').expect(200)).body;
    expect(status).toMatchObject({
      enabled: true,
      leader: true,
      lastEpoch: (await chain.creditManager.lastEpoch()).toString(),
      pendingAccounts: 0,
      deferredIncreases: 0,
      lastError: null,
    });
    expect(status.lastTxHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(new Date(status.lastPushAt).getTime()).toBeGreaterThan(0);
    await request(app.http).get('/v1/credit/status?verbose=1').expect(400);
    const metrics = (await request(app.http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`tributary_aggregator_credit_staleness_seconds\\{account="${risk.all()[0].account}"\\} \\d`));
    expect(metrics).toMatch(/tributary_aggregator_credit_leader 1/);
    const key = chain.pusher.privateKey.slice(2);
    expect(JSON.stringify(status) + metrics).not.toContain(key);
  });

  it('pushes soon after risk changes on its own, coalescing them into one batch (scheduled mode)', async () => {
    const scheduled = await startCreditApp(risk, {
      MANIFEST_PATH: chain.manifestPath,
      AGGREGATOR_PUSHER_PRIVATE_KEY: chain.pusher.privateKey,
      CREDIT_PUSH_INTERVAL_MS: '600000',
      CREDIT_PUSH_DEBOUNCE_MS: '200',
    });
    try {
      await scheduled.pusher.pushNow(); // first cycle: view loaded, nothing to do
      const accounts = [account(20), account(21), account(22)];
      for (const a of accounts) risk.set(a, { creditLimit: 10 });
      await until(
        () => Promise.all(accounts.map(onChain)),
        (rows) => rows.every((r) => r.limit === 10n * E18),
        'the event-driven push',
      );
      // The block is visible before the pusher has handled its receipt: wait for the pusher's own record.
      const batchTotals = async () => {
        const batches = await scheduled.metrics.getSingleMetric('tributary_aggregator_credit_batch_accounts')!.get();
        const values = batches.values as { metricName?: string; value: number }[];
        return ['_count', '_sum'].map((suffix) => values.find((v) => v.metricName?.endsWith(suffix))!.value);
      };
      await until(batchTotals, ([count]) => count > 0, 'the pusher to record its batch');
      await new Promise((r) => setTimeout(r, 300)); // a second batch would have gone out by now
      // One batch with the three (plus any slot partner it filled: earlier tests moved the clock).
      const [count, sum] = await batchTotals();
      expect(count).toBe(1);
      expect(sum).toBeGreaterThanOrEqual(3);
    } finally {
      await scheduled.close();
    }
  });

  it('without a pusher key it is disabled and says why', async () => {
    const off = await startCreditApp(risk, { MANIFEST_PATH: chain.manifestPath });
    try {
      expect((await off.pusher.pushNow()).kind).toBe('disabled');
      const status = (await request(off.http).get('/v1/credit/status').expect(200)).body;
      expect(status).toMatchObject({ enabled: false, leader: false });
      expect(status.disabledReason).toMatch(/AGGREGATOR_PUSHER_PRIVATE_KEY/);
    } finally {
      await off.close();
    }
  });
});
