import { DataSource } from 'typeorm';
import { leaderLockKey } from '../../src/credit/leader-election';
import { startCreditApp } from '../support/credit-app';
import { startCreditChain, type CreditChain } from '../support/credit-chain';
import { FakeRiskReader } from '../support/credit-fake-risk';

const E18 = 10n ** 18n;
const account = (i: number) => `0x${(0x1eade7000000n + BigInt(i)).toString(16).padStart(40, '0')}`;

/**
 * Leader election (PORT 18923). PostgreSQL: two replicas on one database, only the advisory-lock holder pushes;
 * the other takes over when the leader stops or its session dies. sql.js: the single process is the leader.
 */
describe('credit pusher leader election', () => {
  let chain: CreditChain;
  const risk = new FakeRiskReader();

  beforeAll(async () => {
    chain = await startCreditChain(18923);
  });
  afterAll(async () => {
    await chain?.stop();
  });

  const env = () => ({ MANIFEST_PATH: chain.manifestPath, AGGREGATOR_PUSHER_PRIVATE_KEY: chain.pusher.privateKey, CREDIT_LEADER_RETRY_MS: '600000' });

  it('only the lock holder pushes; the other replica takes over when it stops (sql.js: one process, always leader)', async () => {
    const first = await startCreditApp(risk, env());
    if (first.kind === 'sqlite') {
      try {
        expect(first.leader.usesLock).toBe(false);
        expect(first.leader.isLeader).toBe(true);
        risk.set(account(1), { creditLimit: 5 });
        expect((await first.pusher.pushNow()).kind).toBe('pushed');
      } finally {
        await first.close();
      }
      return;
    }
    const second = await startCreditApp(risk, env(), first.db);
    try {
      expect([first.leader.isLeader, second.leader.isLeader]).toEqual([true, false]);
      risk.set(account(1), { creditLimit: 100 });
      expect((await second.pusher.pushNow()).kind).toBe('not-leader');
      expect((await chain.creditManager.account(account(1))).limit).toBe(0n);
      expect(await second.leader.check()).toBe(false);
      expect((await first.pusher.pushNow()).kind).toBe('pushed');

      await first.close({ keepDatabase: true });
      expect(await second.leader.check()).toBe(true);
      risk.set(account(2), { creditLimit: 200 });
      const outcome = await second.pusher.pushNow();
      // the new leader read the chain at takeover: account 1 is not pushed again
      expect(outcome).toMatchObject({ kind: 'pushed', entries: [expect.objectContaining({ account: account(2), limit: 200n * E18 })] });
      expect(outcome.kind === 'pushed' && outcome.entries).toHaveLength(1);
      expect(await second.metrics.getSingleMetricAsString('tributary_aggregator_credit_leader')).toMatch(/credit_leader 1/);
    } finally {
      await second.close();
    }
  });

  it('PostgreSQL: a leader whose database session dies stops pushing and the other replica takes over (sql.js: no lock)', async () => {
    const first = await startCreditApp(risk, env());
    if (first.kind === 'sqlite') {
      try {
        expect(await first.leader.check()).toBe(true);
      } finally {
        await first.close();
      }
      return;
    }
    const second = await startCreditApp(risk, env(), first.db);
    const admin = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    try {
      expect(first.leader.isLeader).toBe(true);
      const key = BigInt(leaderLockKey(first.db.config.DATABASE_SCHEMA!, first.chain.creditManager!));
      const unsigned = BigInt.asUintN(64, key);
      const holders = async () =>
        (await admin.query("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted", [
          (unsigned >> 32n).toString(),
          (unsigned & 0xffffffffn).toString(),
        ])) as { pid: number }[];
      const [holder] = await holders();
      expect(await holders()).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [holder.pid]);
      for (let i = 0; i < 200 && (await holders()).length > 0; i++) await new Promise((r) => setTimeout(r, 10)); // backend exit frees the lock

      expect(await second.leader.check()).toBe(true);
      expect(await first.leader.check()).toBe(false);
      risk.set(account(3), { creditLimit: 300 });
      expect((await first.pusher.pushNow()).kind).toBe('not-leader');
      expect((await second.pusher.pushNow()).kind).toBe('pushed');
      expect((await chain.creditManager.account(account(3))).limit).toBe(300n * E18);
    } finally {
      await admin.destroy();
      await first.close({ keepDatabase: true });
      await second.close();
    }
  });
});
