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
  async function runToEnd(keeper: () => LiquidationKeeper, chain: FakeKeeperChain, store: MortalStore): Promise<KeeperRun> {
    for (let i = 0; i < 30; i++) {
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
    const run = await runToEnd(newKeeper(store, chain, risk), chain, store);
    expect(chain.applied.map((o) => (o.op === 'seize' ? `seize:${o.eid}` : o.op))).toEqual(['liquidate', 'seize:3', 'seize:2', 'settle']);
    expect(run).toMatchObject({ stage: 'done', outcome: 'bad-debt', liquidations: 1, seizures: 2, settlements: 1, intent: null });
    // 3,000 debt − 2,500 proceeds = 500: the fund paid its 200, 300 is bad debt
    expect(chain.fund).toBe(0n);
    expect(chain.badDebt).toBe(300n * WAD);
    expect(run.liquidatedAt).not.toBeNull();
    expect(run.seizedAt).not.toBeNull();
  });

  const points: CrashPoint[] = ['after-journal', 'after-broadcast', 'after-mined'];
  for (const op of ['liquidate', 'seize', 'settle'] as const) {
    for (const point of points) {
      it(`killed ${point} of ${op}: resumes and applies every step exactly once`, async () => {
        const { chain, risk } = scenario();
        const store = new MortalStore(new LiquidationRunRepository(dataSource));
        chain.crashAt = { op, point };
        chain.onCrash = () => (store.dead = true);
        const run = await runToEnd(newKeeper(store, chain, risk), chain, store);
        expect(chain.crashAt).toBeNull(); // the crash happened
        expect(chain.applied.map((o) => o.op)).toEqual(['liquidate', 'seize', 'seize', 'settle']);
        expect(run).toMatchObject({ outcome: 'bad-debt', liquidations: 1, seizures: 2, settlements: 1 });
      });
    }
  }

  it('a healthy account with positions ends "restored" after a partial liquidation; no row for a false alarm', async () => {
    const { chain, risk } = scenario();
    risk.fraction = 0.3;
    const store = new MortalStore(new LiquidationRunRepository(dataSource));
    const keeper = newKeeper(store, chain, risk);
    await keeper().round();
    expect(chain.size).toBe(7n * WAD);
    risk.accounts.clear(); // health ≥ 1 after the partial close
    await keeper().round();
    expect((await store.latest())[0]).toMatchObject({ run: 1, stage: 'done', outcome: 'restored', fraction: 0.3 });
    await keeper().round();
    expect(await store.latest()).toHaveLength(1);
    expect(chain.applied).toHaveLength(1);
  });
});
