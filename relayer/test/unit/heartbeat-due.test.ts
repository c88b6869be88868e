import { heartbeatDue, lastChainMessageAt } from '../../src/core/heartbeat-due';

describe('heartbeatDue (relayer: heartbeat after heartbeat_c / 2 of silence)', () => {
  const base = { heartbeatSeconds: 120, lastAttemptAt: null };
  it('is due once the chain has been quiet for half its heartbeat, not before', () => {
    expect(heartbeatDue({ ...base, now: 1_000_000 + 59_999, lastMessageAt: 1_000_000 })).toBe(false);
    expect(heartbeatDue({ ...base, now: 1_000_000 + 60_000, lastMessageAt: 1_000_000 })).toBe(true);
  });
  it('is due at once when no message of the chain is known', () => {
    expect(heartbeatDue({ ...base, now: 5, lastMessageAt: null })).toBe(true);
  });
  it('waits a quarter period after its own attempt (the vault would refuse sooner: HeartbeatTooSoon)', () => {
    expect(heartbeatDue({ ...base, now: 100_000, lastMessageAt: null, lastAttemptAt: 100_000 - 29_999 })).toBe(false);
    expect(heartbeatDue({ ...base, now: 100_000, lastMessageAt: null, lastAttemptAt: 100_000 - 30_000 })).toBe(true);
  });
});

describe('lastChainMessageAt (relayer: the quiet time a heartbeat is decided on)', () => {
  const ours = '0x' + 'ab'.repeat(32);
  const theirs = '0x' + 'cd'.repeat(32);
  it('counts its own heartbeat from when it was sent, in flight or seen however late (matched by transaction hash)', () => {
    const own = { sentAt: 100_000, txHash: ours };
    expect(lastChainMessageAt({ seenAt: 40_000, txHash: theirs }, own)).toBe(100_000); // in flight: older packets only
    expect(lastChainMessageAt(null, own)).toBe(100_000);
    expect(lastChainMessageAt({ seenAt: 102_000, txHash: ours }, own)).toBe(100_000);
    // Seen 20 s after it was sent (a slow scan): still counted from the send, so the next one is not pushed back.
    expect(lastChainMessageAt({ seenAt: 120_000, txHash: ours }, own)).toBe(100_000);
  });
  it("counts anyone else's packet from when it was first seen, also after its own heartbeat", () => {
    expect(lastChainMessageAt({ seenAt: 40_000, txHash: theirs }, null)).toBe(40_000);
    expect(lastChainMessageAt({ seenAt: 103_000, txHash: theirs }, { sentAt: 100_000, txHash: ours })).toBe(103_000);
    expect(lastChainMessageAt(null, null)).toBeNull();
  });
  it('does not count a heartbeat whose send failed (it is retried after a quarter period)', () => {
    expect(lastChainMessageAt({ seenAt: 40_000, txHash: theirs }, { sentAt: 100_000, txHash: null })).toBe(40_000);
    expect(lastChainMessageAt(null, { sentAt: 100_000, txHash: null })).toBeNull();
    expect(heartbeatDue({ now: 100_000 + 29_999, heartbeatSeconds: 120, lastMessageAt: 40_000, lastAttemptAt: 100_000 })).toBe(false);
    expect(heartbeatDue({ now: 100_000 + 30_000, heartbeatSeconds: 120, lastMessageAt: 40_000, lastAttemptAt: 100_000 })).toBe(true);
  });
});
