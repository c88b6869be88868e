import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tributary/service-kit';
import { ENTITIES } from '../../src/database/entities';
import { MIGRATIONS } from '../../src/database/migrations';
import type { KeeperRun } from '../../src/liquidation/keeper-decision';
import { LiquidationKeeper } from '../../src/liquidation/liquidation-keeper';
import { LiquidationRunRepository, type LiquidationRunStore } from '../../src/liquidation/liquidation-run.repository';
import { FakeKeeperChain, FakeKeeperRisk, type CrashPoint } from '../support/fake-keeper-chain';
import { freshDatabase } from '../support/database';

const WAD = 10n ** 18n;
const ACCOUNT = '0x00000000000000000000000000000000000000aa';

/** The store of a process that can die: after `dead` every write fails (nothing after the crash is persisted). */
class MortalStore implements LiquidationRunStore {
  dead = false;
  constructor(private readonly inner: LiquidationRunStore) {}
  latest(): Promise<KeeperRun[]> {
    return this.inner.latest();
  }
  async save(run: KeeperRun): Promise<void> {
    if (this.dead) throw new Error('process is dead');
    await this.inner.save(run);
  }
}

/**
 * The keeper against an in-memory model of the contracts and the real TypeORM store (SQLite, or PostgreSQL when
 * DATABASE_URL is set; migrations run): the whole flow, and a crash at every point of every step.
 */
describe('liquidation keeper (restarts)', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    const url = db.config.DATABASE_URL;
    dataSource = await new DataSource(
      dataSourceOptions({ url, schema: db.config.DATABASE_SCHEMA, entities: ENTITIES, migrations: MIGRATIONS }),
    ).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });
  beforeEach(async () => {
    await dataSource.getRepository('LiquidationRunEntity').clear();
  });

  /** 10 ETH long lost 3,000 USD; 0.01 WBTC (500 USD, weight 0.7) and 1 WETH (2,000 USD, weight 0.8) back it; fund 200. */
  function scenario(): { chain: FakeKeeperChain; risk: FakeKeeperRisk } {
    const chain = new FakeKeeperChain();
    chain.balances = [
      { eid: 2, assetId: 1, amount: WAD, decimals: 18, price: 2_000n * WAD, maintWeight: (8n * WAD) / 10n },
      { eid: 3, assetId: 2, amount: 1_000_000n, decimals: 8, price: 50_000n * WAD, maintWeight: (7n * WAD) / 10n },
    ];
    chain.fund = 200n * WAD;
    const risk = new FakeKeeperRisk();
    risk.accounts.add(ACCOUNT);
    risk.fraction = 1;
    return { chain, risk };
  }

  /** Rounds until the run is done (auctions clear whenever seizures are in flight and nothing is left to seize). */
  async function runToEnd(keeper: () => LiquidationKeeper, chain: FakeKeeperChain, risk: FakeKeeperRisk, store: MortalStore): Promise<KeeperRun> {
    for (let i = 0; i < 30; i++) {
      risk.sync(chain);
      try {
        await keeper().round();
      } catch (error) {
        if (!store.dead) throw error;
        store.dead = false; // the process restarts: a new keeper on the same database
      }
      const [run] = await store.latest();
      if (run?.stage === 'done') return run;
      if (run?.stage === 'auctioning') chain.auctionClears();
    }
    throw new Error('the run did not finish');
  }

  function newKeeper(store: MortalStore, chain: FakeKeeperChain, risk: FakeKeeperRisk): () => LiquidationKeeper {
    return () =>
      new LiquidationKeeper(
        store,
        chain,
        risk,
        () => Date.now(),
        () => 0,
      );
  }

  it('drives liquidate → seize (riskiest first) → auctions → settle, once each, to socialized bad debt', async () => {
    const { chain, risk } = scenario();
    const store = new MortalStore(new LiquidationRunRepository(dataSource));
    const run = await runToEnd(newKeeper(store, chain, risk), chain, risk, store);
    expect(chain.applied.map((o) => o.op)).toEqual(['liquidate', 'seize', 'seize', 'settle']);
    expect(chain.seizedEids).toEqual([3, 2]);
    expect(run).toMatchObject({ stage: 'done', outcome: 'bad-debt', liquidations: 1, seizures: 2, settlements: 1, intent: null });
    // the lots raised less than the 3,000 debt: the fund paid its 200, the rest is bad debt; cash is 0
    expect(chain.fund).toBe(0n);
    expect(chain.badDebt).toBeGreaterThan(0n);
    expect(chain.cash).toBe(0n);
    expect(chain.activeLiquidation).toBe(0n);
    expect(run.liquidatedAt).not.toBeNull();
    expect(run.seizedAt).not.toBeNull();
  });

  const points: CrashPoint[] = ['after-intent', 'after-journal', 'after-broadcast', 'after-mined'];
  for (const op of ['liquidate', 'seize', 'settle', 'close'] as const) {
    for (const point of points) {
      it(`killed ${point} of ${op}: resumes and applies every step exactly once`, async () => {
        const { chain, risk } = scenario();
        const store = new MortalStore(new LiquidationRunRepository(dataSource));
        if (op === 'close') {
          // a partial liquidation restores health; the hub's liquidation is closed once the mark cleared
          risk.fraction = 0.3;
          chain.lossPerFullClose = 0n;
          chain.marked = false;
          risk.accounts.clear();
          risk.sync(chain);
          await newKeeper(store, chain, risk)().round(); // nothing to do: no row
          expect(await store.latest()).toEqual([]);
          risk.accounts.add(ACCOUNT);
          chain.marked = true;
          chain.afterApply = (applied) => {
            if (applied !== 'liquidate') return;
            risk.accounts.clear();
            chain.marked = false;
          };
        }
        chain.crashAt = { op, point };
        let atCrash: Promise<KeeperRun[]> | undefined;
        chain.onCrash = () => {
          store.dead = true;
          atCrash = store.latest(); // what the dead process left in the database
        };
        const run = await runToEnd(newKeeper(store, chain, risk), chain, risk, store);
        expect(chain.crashAt).toBeNull(); // the crash happened
        // …with the step's intent written, its signed transaction journaled from 'after-journal' on
        const [left] = (await atCrash)!;
        expect(left!.intent).toMatchObject({ step: op, nonce: point === 'after-intent' ? null : expect.any(Number) });
        if (op === 'close') {
          expect(chain.applied.map((o) => o.op)).toEqual(['liquidate', 'close']);
          expect(run).toMatchObject({ outcome: 'restored', liquidations: 1 });
        } else {
          expect(chain.applied.map((o) => o.op)).toEqual(['liquidate', 'seize', 'seize', 'settle']);
          expect(run).toMatchObject({ outcome: 'bad-debt', liquidations: 1, seizures: 2, settlements: 1 });
        }
      });
    }
  }

  for (const point of points) {
    it(`debt without positions (${point} of open killed): opens the hub liquidation once, seizes, repays`, async () => {
      const { chain, risk } = scenario();
      chain.size = 0n;
      chain.cash = -1_000n * WAD; // covered by the WETH alone after the WBTC
      const store = new MortalStore(new LiquidationRunRepository(dataSource));
      chain.crashAt = { op: 'open', point };
      chain.onCrash = () => (store.dead = true);
      const run = await runToEnd(newKeeper(store, chain, risk), chain, risk, store);
      expect(chain.applied.map((o) => o.op)).toEqual(['open', 'seize', 'seize']);
      expect(run).toMatchObject({ outcome: 'repaid', seizures: 2, settlements: 0 });
      expect(chain.cash).toBe(0n);
    });
  }

  it('a healthy account with positions ends "restored" after a partial liquidation; no row for a false alarm', async () => {
    const { chain, risk } = scenario();
    risk.fraction = 0.3;
    const store = new MortalStore(new LiquidationRunRepository(dataSource));
    const keeper = newKeeper(store, chain, risk);
    risk.sync(chain);
    await keeper().round();
    await keeper().round(); // the book has not seen the liquidation yet: no second one
    expect(chain.size).toBe(7n * WAD);
    risk.sync(chain);
    expect(chain.size).toBe(7n * WAD);
    risk.accounts.clear(); // health ≥ 1 after the partial close, but the pusher has not cleared the mark yet
    await keeper().round();
    expect((await store.latest())[0]).toMatchObject({ run: 1, stage: 'liquidating', intent: null });
    chain.marked = false;
    await keeper().round();
    expect((await store.latest())[0]).toMatchObject({ run: 1, stage: 'done', outcome: 'restored', fraction: 0.3 });
    expect(chain.activeLiquidation).toBe(0n);
    await keeper().round();
    expect(await store.latest()).toHaveLength(1);
    expect(chain.applied.map((o) => o.op)).toEqual(['liquidate', 'close']);
  });
});
