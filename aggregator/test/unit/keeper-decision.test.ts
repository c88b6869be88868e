import {
  decide,
  fingerprint,
  newRun,
  nextSeizure,
  valueOf,
  withFailure,
  withIntent,
  type KeeperObservation,
  type SeizableBalance,
} from '../../src/liquidation/keeper-decision';

const WAD = 10n ** 18n;
const PENALTY = (2n * WAD) / 100n;
const usd = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;

const weth = (amount: bigint): SeizableBalance => ({ eid: 2, assetId: 1, amount, decimals: 18, price: usd(2000), maintWeight: (8n * WAD) / 10n });
const wbtc = (amount: bigint): SeizableBalance => ({ eid: 3, assetId: 2, amount, decimals: 8, price: usd(50_000), maintWeight: (7n * WAD) / 10n });

function observe(over: Partial<KeeperObservation> = {}): KeeperObservation {
  return {
    now: 1_000,
    liquidatable: true,
    bookInSync: true,
    marked: true,
    positionsKey: '0:1000000000000000000',
    cash: 0n,
    badDebt: 0n,
    seizureCount: 0,
    inFlightValue: 0n,
    seizable: [],
    minedNonce: 0,
    ...over,
  };
}

describe('keeper decisions', () => {
  const run0 = newRun('0xabc', 1, 0);

  it('waits for the mark, then liquidates; a healthy account with positions is done (restored)', () => {
    expect(decide(run0, observe({ marked: false }), PENALTY)).toMatchObject({ action: { kind: 'wait' }, run: { stage: 'marked' } });
    expect(decide(run0, observe(), PENALTY)).toMatchObject({ action: { kind: 'liquidate' }, run: { stage: 'liquidating' } });
    expect(decide(run0, observe({ liquidatable: false }), PENALTY)).toMatchObject({
      action: { kind: 'finish' },
      run: { stage: 'done', outcome: 'restored' },
    });
  });

  it('never decides on a risk book that is behind the chain', () => {
    expect(decide(run0, observe({ bookInSync: false }), PENALTY).action).toEqual({ kind: 'wait', reason: 'risk book behind the chain' });
  });

  it('an intent whose fingerprint moved has landed: counted once, never sent again', () => {
    const o = observe();
    const sent = { ...withIntent(run0, 'liquidate', o, 0.3), intent: { ...withIntent(run0, 'liquidate', o).intent!, nonce: 7 } };
    // not mined yet: wait for it (rebroadcast), do not send another
    expect(decide(sent, observe({ minedNonce: 7 }), PENALTY).action.kind).toBe('await-tx');
    // mined and the positions changed: landed; the account is healthy now
    const after = decide(sent, observe({ minedNonce: 8, positionsKey: '0:700000000000000000', liquidatable: false, now: 2_000 }), PENALTY);
    expect(after.run).toMatchObject({ liquidations: 1, liquidatedAt: 2_000, intent: null, stage: 'done', outcome: 'restored' });
    // mined without effect (reverted): may be decided again
    const retry = decide(sent, observe({ minedNonce: 8 }), PENALTY);
    expect(retry.run.liquidations).toBe(0);
    expect(retry.action.kind).toBe('liquidate');
    // never signed (crash before the journal wrote the nonce): nothing was broadcast, decide again
    expect(decide(withIntent(run0, 'liquidate', o), o, PENALTY).action.kind).toBe('liquidate');
  });

  it('debt with no positions: seizes the riskiest balance for debt × (1 + π), waits for auctions, then settles', () => {
    const debt = usd(1000);
    const o = observe({ positionsKey: '', cash: -debt, seizable: [weth(10n * WAD), wbtc(10n ** 8n)] });
    const seize = decide(run0, o, PENALTY);
    expect(seize.run.stage).toBe('seizing');
    // wbtc (weight 0.7) goes before weth (0.8): 1020 USD at 50,000 = 0.0204 BTC
    expect(seize.action).toEqual({ kind: 'seize', eid: 3, assetId: 2, amount: 2_040_000n });
    const inFlight = observe({ ...o, seizureCount: 1, inFlightValue: valueOf(2_040_000n, 8, usd(50_000)) });
    expect(decide(run0, inFlight, PENALTY)).toMatchObject({ action: { kind: 'wait', reason: 'auctions in flight' }, run: { stage: 'auctioning' } });
    // proceeds repaid the debt
    expect(decide({ ...run0, seizures: 1 }, observe({ positionsKey: '', cash: 0n, seizureCount: 1 }), PENALTY).run).toMatchObject({
      stage: 'done',
      outcome: 'repaid',
    });
    // collateral exhausted, debt left: the fund settles; once settled (even short) the run is done
    const exhausted = observe({ positionsKey: '', cash: -usd(50), seizureCount: 1 });
    expect(decide({ ...run0, seizures: 1 }, exhausted, PENALTY)).toMatchObject({ action: { kind: 'settle' }, run: { stage: 'settling' } });
    const settled = { ...run0, seizures: 1, settlements: 1 };
    expect(decide(settled, observe({ positionsKey: '', cash: 0n }), PENALTY).run.outcome).toBe('fund-paid');
    expect(decide(settled, observe({ positionsKey: '', cash: 0n, badDebt: usd(20) }), PENALTY).run.outcome).toBe('bad-debt');
  });

  it('failures back off without leaving the stage', () => {
    const failed = withFailure({ ...run0, stage: 'liquidating' }, 'NotLiquidatable', 1_000, (n) => n * 100);
    expect(failed).toMatchObject({ failures: 1, nextAttemptAt: 1_100, error: 'NotLiquidatable', intent: null });
    expect(decide(failed, observe({ now: 1_050 }), PENALTY).action).toEqual({ kind: 'wait', reason: 'backing off after a failure' });
    expect(decide(failed, observe({ now: 1_100 }), PENALTY).action.kind).toBe('liquidate');
  });

  it('fingerprints name the state each step changes', () => {
    const o = observe({ cash: -5n, seizureCount: 3 });
    expect(fingerprint('liquidate', o)).toBe(`positions:${o.positionsKey}`);
    expect(fingerprint('seize', o)).toBe('seizures:3');
    expect(fingerprint('settle', o)).toBe('cash:-5');
  });
});

describe('nextSeizure', () => {
  it('takes a whole balance worth less than needed, then the next riskiest', () => {
    const small = wbtc(1_000_000n); // 0.01 BTC = 500 USD
    expect(nextSeizure(usd(1000), PENALTY, 0n, [weth(WAD), small])).toEqual({ eid: 3, assetId: 2, amount: 1_000_000n });
    expect(nextSeizure(usd(1000), PENALTY, usd(500), [weth(WAD)])).toEqual({ eid: 2, assetId: 1, amount: 260_000_000_000_000_000n });
  });

  it('nothing when what is in flight covers debt × (1 + π) or nothing is left', () => {
    expect(nextSeizure(usd(1000), PENALTY, usd(1020), [weth(WAD)])).toBeNull();
    expect(nextSeizure(usd(1000), PENALTY, 0n, [weth(0n)])).toBeNull();
  });

  it('property: the seized value never exceeds debt × (1 + π) plus one base unit of rounding', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2_000; i++) {
      const debt = BigInt(Math.floor(rand() * 1e9)) * 10n ** 12n + 1n;
      const decimals = [6, 8, 18][i % 3];
      const price = BigInt(Math.floor(1 + rand() * 1e8)) * 10n ** 12n;
      const balance: SeizableBalance = { eid: 1, assetId: 1, amount: BigInt(Math.floor(rand() * 1e12)), decimals, price, maintWeight: WAD / 2n };
      const seizure = nextSeizure(debt, PENALTY, 0n, [balance]);
      if (!seizure) continue;
      const need = (debt * (WAD + PENALTY)) / WAD;
      expect(seizure.amount).toBeLessThanOrEqual(balance.amount);
      expect(valueOf(seizure.amount, decimals, price)).toBeLessThanOrEqual(need + valueOf(1n, decimals, price) + 1n);
      if (seizure.amount < balance.amount)
        expect(valueOf(seizure.amount, decimals, price) + valueOf(1n, decimals, price)).toBeGreaterThanOrEqual(need);
    }
  });
});
