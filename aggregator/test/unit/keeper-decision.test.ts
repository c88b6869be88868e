import { decide, fingerprint, newRun, withFailure, withIntent, type KeeperObservation } from '../../src/liquidation/keeper-decision';

const WAD = 10n ** 18n;
const usd = (n: number) => BigInt(n) * WAD;

function observe(over: Partial<KeeperObservation> = {}): KeeperObservation {
  return {
    now: 1_000,
    liquidatable: true,
    bookInSync: true,
    marked: true,
    positionsKey: '0:1000000000000000000',
    cash: 0n,
    badDebt: 0n,
    activeLiquidation: 0n,
    seizureCount: 0,
    inFlightDebt: 0n,
    inFlight: false,
    canSeize: false,
    exhausted: false,
    minedNonce: 0,
    ...over,
  };
}

/** No positions, a debt, an open liquidation. */
const debtOnly = (over: Partial<KeeperObservation> = {}) => observe({ positionsKey: '', cash: -usd(1000), activeLiquidation: 4n, ...over });

describe('keeper decisions', () => {
  const run0 = newRun('0xabc', 1, 0);

  it('waits for the mark, then liquidates; a healthy account with positions is done (restored)', () => {
    expect(decide(run0, observe({ marked: false }))).toMatchObject({ action: { kind: 'wait' }, run: { stage: 'marked' } });
    expect(decide(run0, observe())).toMatchObject({ action: { kind: 'liquidate' }, run: { stage: 'liquidating' } });
    expect(decide(run0, observe({ liquidatable: false }))).toMatchObject({
      action: { kind: 'finish' },
      run: { stage: 'done', outcome: 'restored' },
    });
  });

  it('never decides on a risk book that is behind the chain', () => {
    expect(decide(run0, observe({ bookInSync: false })).action).toEqual({ kind: 'wait', reason: 'risk book behind the chain' });
  });

  it('an intent whose fingerprint moved has landed: counted once, never sent again', () => {
    const o = observe();
    const sent = { ...withIntent(run0, 'liquidate', o, 0.3), intent: { ...withIntent(run0, 'liquidate', o).intent!, nonce: 7 } };
    // not mined yet: wait for it (rebroadcast), do not send another
    expect(decide(sent, observe({ minedNonce: 7 })).action.kind).toBe('await-tx');
    // mined and the positions changed: landed; the account is healthy now
    const after = decide(sent, observe({ minedNonce: 8, positionsKey: '0:700000000000000000', liquidatable: false, now: 2_000 }));
    expect(after.run).toMatchObject({ liquidations: 1, liquidatedAt: 2_000, intent: null, stage: 'done', outcome: 'restored' });
    // mined without effect (reverted): may be decided again
    const retry = decide(sent, observe({ minedNonce: 8 }));
    expect(retry.run.liquidations).toBe(0);
    expect(retry.action.kind).toBe('liquidate');
    // never signed (crash before the journal wrote the nonce): nothing was broadcast, decide again
    expect(decide(withIntent(run0, 'liquidate', o), o).action.kind).toBe('liquidate');
  });

  it('debt with no positions: opens the hub liquidation (marked), seizes while it can, waits for auctions, then the fund settles', () => {
    expect(decide(run0, debtOnly({ activeLiquidation: 0n, marked: false })).action.kind).toBe('wait');
    expect(decide(run0, debtOnly({ activeLiquidation: 0n }))).toMatchObject({ action: { kind: 'open' }, run: { stage: 'seizing' } });
    expect(decide(run0, debtOnly({ canSeize: true }))).toMatchObject({ action: { kind: 'seize' }, run: { stage: 'seizing' } });
    // a second seizure while the first is in flight when the hub still has uncovered debt and collateral
    expect(decide(run0, debtOnly({ canSeize: true, inFlight: true })).action.kind).toBe('seize');
    expect(decide(run0, debtOnly({ inFlight: true, inFlightDebt: usd(1000) }))).toMatchObject({
      action: { kind: 'wait', reason: 'auctions in flight' },
      run: { stage: 'auctioning' },
    });
    // proceeds repaid the debt and the hub closed the liquidation
    const seized = { ...run0, seizures: 1 };
    expect(decide(seized, observe({ positionsKey: '', cash: 0n })).run).toMatchObject({ stage: 'done', outcome: 'repaid' });
    // repaid but the liquidation is still open: close it
    expect(decide(seized, observe({ positionsKey: '', cash: 0n, activeLiquidation: 4n })).action.kind).toBe('close');
    // nothing seizable and nothing in flight: the fund covers only once the hub says the collateral is exhausted
    expect(decide(seized, debtOnly()).action.kind).toBe('wait');
    expect(decide(seized, debtOnly({ exhausted: true }))).toMatchObject({ action: { kind: 'settle' }, run: { stage: 'settling' } });
    const settled = { ...seized, settlements: 1 };
    expect(decide(settled, observe({ positionsKey: '', cash: 0n })).run.outcome).toBe('fund-paid');
    expect(decide(settled, observe({ positionsKey: '', cash: 0n, badDebt: usd(20) })).run.outcome).toBe('bad-debt');
  });

  it('healthy again with positions: closes the hub liquidation once the pusher cleared the mark', () => {
    const liquidated = { ...run0, liquidations: 1, stage: 'liquidating' as const };
    const healthy = observe({ liquidatable: false, activeLiquidation: 4n });
    expect(decide(liquidated, healthy).action).toEqual({ kind: 'wait', reason: 'waiting for the mark to clear' });
    expect(decide(liquidated, { ...healthy, marked: false }).action.kind).toBe('close');
    expect(decide(liquidated, { ...healthy, activeLiquidation: 0n }).run).toMatchObject({ stage: 'done', outcome: 'restored' });
  });

  it('failures back off without leaving the stage', () => {
    const failed = withFailure({ ...run0, stage: 'liquidating' }, 'NotLiquidatable', 1_000, (n) => n * 100);
    expect(failed).toMatchObject({ failures: 1, nextAttemptAt: 1_100, error: 'NotLiquidatable', intent: null });
    expect(decide(failed, observe({ now: 1_050 })).action).toEqual({ kind: 'wait', reason: 'backing off after a failure' });
    expect(decide(failed, observe({ now: 1_100 })).action.kind).toBe('liquidate');
  });

  it('fingerprints name the state each step changes', () => {
    const o = observe({ cash: -5n, seizureCount: 3, activeLiquidation: 9n });
    expect(fingerprint('liquidate', o)).toBe(`positions:${o.positionsKey}`);
    expect(fingerprint('seize', o)).toBe('seizures:9:3');
    expect(fingerprint('settle', o)).toBe('cash:-5');
    expect(fingerprint('open', o)).toBe('liquidation:9');
    expect(fingerprint('close', o)).toBe('liquidation:9');
  });
});

describe('keeper decision properties', () => {
  it('never liquidates an account with health ≥ 1, without a mark, or on a book behind the chain; never seizes with positions', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    for (let i = 0; i < 5_000; i++) {
      const o = observe({
        now: Math.floor(rand() * 10_000),
        liquidatable: rand() < 0.5,
        bookInSync: rand() < 0.8,
        marked: rand() < 0.5,
        positionsKey: pick(['', '0:5', '0:-3,1:2']),
        cash: pick([-usd(10), 0n, usd(5)]),
        badDebt: pick([0n, usd(1)]),
        activeLiquidation: pick([0n, 3n]),
        seizureCount: pick([0, 1, 2]),
        inFlight: rand() < 0.3,
        canSeize: rand() < 0.5,
        exhausted: rand() < 0.3,
        minedNonce: pick([0, 5, 9]),
      });
      const run = { ...newRun('0xabc', 1, 0), nextAttemptAt: pick([0, 5_000]), liquidations: pick([0, 1]), seizures: pick([0, 1]) };
      const { action } = decide(run, o);
      if (action.kind === 'liquidate') {
        expect(o.liquidatable && o.marked && o.bookInSync && o.positionsKey !== '' && o.now >= run.nextAttemptAt).toBe(true);
      }
      if (action.kind === 'seize' || action.kind === 'settle') expect(o.positionsKey === '' && o.cash < 0n && o.bookInSync).toBe(true);
      if (action.kind === 'settle') expect(o.exhausted && !o.inFlight).toBe(true);
      if (!o.bookInSync) expect(action.kind).toBe('wait');
    }
  });
});
