import type { Stage } from '@tributary/sdk';
import { barShares, chainLiveness } from '../src/lib/chain-status';
import { chartGeometry, mergeRiskPoints, niceMax } from '../src/lib/chart';
import { trackStages } from '../src/lib/stages';

const stage = (name: string, extra: Partial<Stage> = {}): Stage => ({ name, at: '', elapsedMs: 0, latencyMs: 10, detail: {}, ...extra });

describe('stage tracker rows', () => {
  it('the plan in order, observed stages done, the next one active while running', () => {
    const rows = trackStages('deposit', [stage('sent'), stage('confirmed')], 'running');
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['sent', 'done'],
      ['confirmed', 'done'],
      ['delivered', 'active'],
      ['indexed', 'pending'],
      ['credited', 'pending'],
    ]);
  });

  it('an extra stage goes where it happened; a rejection replaces the payout; a failure marks the next stage', () => {
    expect(trackStages('deposit', [stage('approved'), stage('sent')], 'running').map((r) => r.name)).toEqual([
      'approved',
      'sent',
      'confirmed',
      'delivered',
      'indexed',
      'credited',
    ]);
    const rejected = trackStages(
      'withdraw',
      ['sent', 'confirmed', 'delivered', 'indexed', 'decided', 'unlocked'].map((n) => stage(n)),
      'failed',
    );
    expect(rejected.map((r) => r.name)).toEqual(['sent', 'confirmed', 'delivered', 'indexed', 'decided', 'unlocked']);
    expect(trackStages('trade', [stage('sent')], 'failed').map((r) => r.state)).toEqual(['done', 'failed', 'pending', 'pending']);
    expect(trackStages('trade', [stage('sent', { skipped: 'no' })], 'done')[0]!.state).toBe('skipped');
  });
});

describe('health and credit chart', () => {
  it('merges history (newest first) and live points in time order, the later reading winning', () => {
    const history = [
      { at: 3, health: 2, creditLimit: 30 },
      { at: 1, health: null, creditLimit: 10 },
    ];
    const live = [
      { at: 3, health: 1.5, creditLimit: 31 },
      { at: 4, health: 1.4, creditLimit: 40 },
    ];
    expect(mergeRiskPoints(history, live).map((p) => [p.at, p.creditLimit])).toEqual([
      [1, 10],
      [3, 31],
      [4, 40],
    ]);
    expect(mergeRiskPoints(history, live, 2).map((p) => p.at)).toEqual([3, 4]);
  });

  it('scales credit to a nice maximum and draws ∞ health at the top', () => {
    expect([niceMax(0), niceMax(947), niceMax(1001), niceMax(2.2)]).toEqual([1, 1000, 2000, 2.5]);
    const g = chartGeometry(
      [
        { at: 0, health: null, creditLimit: 0 },
        { at: 10, health: 1, creditLimit: 1000 },
      ],
      100,
      50,
      { left: 0, right: 0, top: 0, bottom: 0 },
    );
    expect(g.creditPath).toBe('M0.0,50.0 L100.0,0.0');
    expect(g.healthPath).toBe('M0.0,0.0 L100.0,40.0');
    expect(g.liquidationY).toBe(40);
    expect(chartGeometry([], 100, 50).creditPath).toBe('');
  });
});

describe('operator view rules', () => {
  const chain = { weight: 1, configuredWeight: 1, lastMessageAt: '2026-01-01T00:00:00Z', heartbeatSeconds: 120 };
  const at = (s: number) => Date.parse('2026-01-01T00:00:00Z') + s * 1000;

  it('chain liveness from the last message and the weight', () => {
    expect(chainLiveness(chain, at(60))).toBe('ok');
    expect(chainLiveness(chain, at(121))).toBe('quiet');
    expect(chainLiveness({ ...chain, weight: 0.5 }, at(200))).toBe('decaying');
    expect(chainLiveness({ ...chain, weight: 0 }, at(900))).toBe('silent');
    expect(chainLiveness({ ...chain, lastMessageAt: null }, at(0))).toBe('never');
  });

  it('histogram bars as shares of the tallest band', () => {
    expect(barShares([0, 2, 4])).toEqual([0, 0.5, 1]);
    expect(barShares([0, 0])).toEqual([0, 0]);
  });
});
