import { backoffMs } from '@tributary/service-kit';
import { attemptDue, newRecord, onMarkRead } from '../../src/liquidation/liquidation-state';
import { PUSH_BACKOFF_MS } from '../../src/credit/credit-pusher.service';
import { LIQUIDATION_BACKOFF_MS } from '../../src/liquidation/liquidation-watch.service';

describe('liquidation records', () => {
  it('attempts only while marked, not done and past the backoff', () => {
    const marked = onMarkRead(undefined, true);
    expect(attemptDue(marked, 0)).toBe(true);
    expect(attemptDue(onMarkRead(undefined, false), 0)).toBe(false);
    expect(attemptDue({ ...marked, done: true }, 0)).toBe(false);
    expect(attemptDue({ ...marked, nextAttemptAt: 10 }, 9)).toBe(false);
    expect(attemptDue({ ...marked, nextAttemptAt: 10 }, 10)).toBe(true);
  });

  it('a new mark (unmarked in between) starts over; the same mark keeps its progress', () => {
    const done = { ...newRecord(), marked: true, done: true, attempts: 1, failures: 2, lastAttempt: 5, txHash: '0xabc' };
    expect(onMarkRead(done, true)).toEqual(done);
    const unmarked = onMarkRead(done, false);
    expect(unmarked).toMatchObject({ marked: false, done: false, attempts: 0, failures: 0, lastAttempt: 5, txHash: '0xabc' });
    expect(attemptDue(onMarkRead(unmarked, true), 0)).toBe(true);
  });

  it('backoff tables repeat their last step and reject nonsense', () => {
    expect(backoffMs(1, PUSH_BACKOFF_MS)).toBe(500);
    expect(backoffMs(99, PUSH_BACKOFF_MS)).toBe(60_000);
    expect(backoffMs(2, LIQUIDATION_BACKOFF_MS)).toBe(5_000);
    expect(() => backoffMs(0, PUSH_BACKOFF_MS)).toThrow(RangeError);
  });
});
