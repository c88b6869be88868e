import { getAddress } from 'ethers';
import { latencySummary, pathwayCounts, percentile, storedKey } from '../../src/api/pathways.service';
import type { PathwayStatusCount } from '../../src/store/pathway-stats.repository';

describe('pathway view arithmetic', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile([...hundred, 1000], 0.99)).toBe(100);
  });

  it('measures latency from source confirmation to delivery, in seconds', () => {
    const deliveries = [
      { confirmedAt: 1_000, deliveredAt: 2_500 },
      { confirmedAt: 1_000, deliveredAt: 4_000 },
      { confirmedAt: 5_000, deliveredAt: 4_000 }, // clock step backwards: counted as 0, never negative
    ];
    expect(latencySummary(deliveries)).toEqual({ samples: 3, p50Seconds: 1.5, p99Seconds: 3 });
    expect(latencySummary([])).toEqual({ samples: 0, p50Seconds: null, p99Seconds: null });
  });

  it('adds the active statuses into the backlog and keeps parked apart', () => {
    const key = { srcEid: 1, sender: '0x' + '0'.repeat(64), dstEid: 2, receiver: '0x' + '0'.repeat(40) };
    const row = (status: PathwayStatusCount['status'], count: number, oldestSeenAt: number): PathwayStatusCount => ({
      ...key,
      status,
      count,
      oldestSeenAt,
    });
    expect(
      pathwayCounts([
        row('awaiting_confirmations', 2, 5_000),
        row('executing', 1, 3_000),
        row('parked', 4, 1_000),
        row('delivered', 9, 500),
        row('reorged', 1, 100),
      ]),
    ).toEqual({ backlog: 3, oldestUndeliveredSeenAt: new Date(3_000).toISOString(), parked: 4 });
    expect(pathwayCounts([])).toEqual({ backlog: 0, oldestUndeliveredSeenAt: null, parked: 0 });
  });

  it('keys a configured pathway the way packet rows store it', () => {
    const sender = '0xAbCdEf0123456789abcdef0123456789ABCDEF01';
    const receiver = '0xabcdef0123456789abcdef0123456789abcdef02';
    // Rows store the checksummed receiver (the watcher's getAddress) and the lower-case bytes32 sender.
    expect(storedKey({ srcEid: 1, sender, dstEid: 2, receiver })).toEqual({
      srcEid: 1,
      sender: '0x000000000000000000000000abcdef0123456789abcdef0123456789abcdef01',
      dstEid: 2,
      receiver: getAddress(receiver),
    });
  });
});
