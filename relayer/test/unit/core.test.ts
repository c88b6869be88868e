import { Options } from '@layerzerolabs/lz-v2-utilities';
import { lzReceiveOptions } from '@tributary/contracts';
import { backoffMs } from '@tributary/service-kit';
import { OptionsDecodeError, decodeExecutorLzReceive } from '../../src/core/executor-options';
import {
  InvalidTransitionError,
  REVERT_BACKOFF_MS,
  TRANSIENT_BACKOFF_MS,
  assertTransition,
  failureOutcome,
  nextStep,
  type DeliveryView,
} from '../../src/core/packet-state';
import { isSoleDvn } from '../../src/core/sole-dvn';

describe('backoff tables', () => {
  it('follows the table and repeats its last entry', () => {
    expect(REVERT_BACKOFF_MS.map((_, i) => backoffMs(i + 1, REVERT_BACKOFF_MS))).toEqual([...REVERT_BACKOFF_MS]);
    expect(backoffMs(100, REVERT_BACKOFF_MS)).toBe(300_000);
    expect(backoffMs(1, TRANSIENT_BACKOFF_MS)).toBe(250);
    expect(backoffMs(50, TRANSIENT_BACKOFF_MS)).toBe(5_000);
  });

  it('never shrinks and keeps transport retries under 5 s', () => {
    for (const table of [REVERT_BACKOFF_MS, TRANSIENT_BACKOFF_MS]) table.slice(1).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(table[i]));
    expect(Math.max(...TRANSIENT_BACKOFF_MS)).toBeLessThanOrEqual(5_000);
  });

  it('rejects a non-positive attempt count', () => {
    expect(() => backoffMs(0, REVERT_BACKOFF_MS)).toThrow(RangeError);
    expect(() => backoffMs(1.5, REVERT_BACKOFF_MS)).toThrow(RangeError);
  });
});

describe('packet state machine', () => {
  const view = (v: Partial<DeliveryView>): DeliveryView => ({
    executed: false,
    committed: false,
    verifiedByUs: false,
    verifiable: false,
    inOrder: false,
    ...v,
  });

  it('picks the one missing step from chain state', () => {
    expect(nextStep(view({}))).toEqual({ status: 'verifying', action: 'verify' });
    expect(nextStep(view({ verifiedByUs: true }))).toEqual({ status: 'committing', action: null });
    expect(nextStep(view({ verifiedByUs: true, verifiable: true }))).toEqual({ status: 'committing', action: 'commit' });
    expect(nextStep(view({ committed: true }))).toEqual({ status: 'executing', action: null });
    expect(nextStep(view({ committed: true, inOrder: true }))).toEqual({ status: 'executing', action: 'execute' });
    expect(nextStep(view({ executed: true, committed: true }))).toEqual({ status: 'delivered', action: null });
  });

  it('allows forward moves and operator retry, refuses leaving a terminal state', () => {
    expect(() => assertTransition('awaiting_confirmations', 'verifying')).not.toThrow();
    expect(() => assertTransition('executing', 'parked')).not.toThrow();
    expect(() => assertTransition('parked', 'executing')).not.toThrow();
    expect(() => assertTransition('reorged', 'awaiting_confirmations')).not.toThrow();
    expect(() => assertTransition('delivered', 'executing')).toThrow(InvalidTransitionError);
    expect(() => assertTransition('committing', 'awaiting_confirmations')).toThrow(InvalidTransitionError);
    expect(() => assertTransition('reorged', 'verifying')).toThrow(InvalidTransitionError);
  });

  it('parks an lzReceive only after maxExecuteAttempts reverts; transport failures never park', () => {
    expect(failureOutcome('executing', 'revert', 'execute', 0, 3, 1000)).toEqual({ status: 'executing', attempts: 1, nextAttemptAt: 2000 });
    expect(failureOutcome('executing', 'revert', 'execute', 2, 3, 1000)).toEqual({ status: 'parked', attempts: 3, nextAttemptAt: 1000 });
    expect(failureOutcome('executing', 'transient', 'execute', 10, 3, 1000)).toEqual({ status: 'executing', attempts: 11, nextAttemptAt: 6000 });
    expect(failureOutcome('verifying', 'revert', 'verify', 10, 3, 0).status).toBe('verifying');
  });
});

describe('type-3 executor options', () => {
  it('decodes what LayerZero and our helper encode', () => {
    expect(decodeExecutorLzReceive(lzReceiveOptions(200_000))).toEqual({ gas: 200_000n, value: 0n });
    expect(decodeExecutorLzReceive(lzReceiveOptions(75_000, 5))).toEqual({ gas: 75_000n, value: 5n });
    const reference = Options.newOptions().addExecutorLzReceiveOption(123_456, 7).toHex();
    expect(decodeExecutorLzReceive(reference)).toEqual({ gas: 123_456n, value: 7n });
  });

  it('sums several lzReceive options and skips other workers', () => {
    const options = Options.newOptions()
      .addExecutorLzReceiveOption(100_000)
      .addExecutorNativeDropOption(1, '0x' + '11'.repeat(20))
      .addExecutorLzReceiveOption(50_000, 3)
      .addExecutorOrderedExecutionOption()
      .addVerifierPrecrimeOption(0)
      .toHex();
    expect(decodeExecutorLzReceive(options)).toEqual({ gas: 150_000n, value: 3n });
  });

  it('refuses other types, truncation and options without lzReceive', () => {
    expect(() => decodeExecutorLzReceive('0x0001')).toThrow(/unsupported options type 1/);
    expect(() => decodeExecutorLzReceive('0x00')).toThrow(OptionsDecodeError);
    expect(() => decodeExecutorLzReceive(lzReceiveOptions(1).slice(0, -4))).toThrow(/bad size/);
    expect(() => decodeExecutorLzReceive('0x0003')).toThrow(/no executor lzReceive option/);
  });
});

describe('chaining commitVerification behind our verify', () => {
  const us = '0x' + 'aB'.repeat(20);
  const labs = '0x' + '11'.repeat(20);

  it('is allowed only when our DVN alone makes the packet verifiable', () => {
    expect(isSoleDvn({ requiredDVNs: [us.toLowerCase()], optionalDVNThreshold: 0 }, us)).toBe(true);
    // A second required DVN (e.g. deploy's additionalRequiredDvns) or any optional threshold must sign too.
    expect(isSoleDvn({ requiredDVNs: [us, labs], optionalDVNThreshold: 0 }, us)).toBe(false);
    expect(isSoleDvn({ requiredDVNs: [us], optionalDVNThreshold: 1 }, us)).toBe(false);
    expect(isSoleDvn({ requiredDVNs: [labs], optionalDVNThreshold: 0 }, us)).toBe(false);
    expect(isSoleDvn({ requiredDVNs: [], optionalDVNThreshold: 1 }, us)).toBe(false);
  });
});
