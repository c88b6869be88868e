import { heartbeatDue } from '../../src/core/heartbeat-due';

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
