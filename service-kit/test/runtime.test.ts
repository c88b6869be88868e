import { Transaction, Wallet } from 'ethers';
import { Clock, SerialQueue, backoffMs, bumpFees, decodeSignedTx, isAlreadyKnown, isNonceError, messageOf, sleep } from '../src';

describe('SerialQueue', () => {
  it('runs work one at a time in queue order, whatever each item takes', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const item = (name: string, ms: number) => async () => {
      running += 1;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([queue.run(item('a', 20)), queue.run(item('b', 1)), queue.run(item('c', 5))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('rejects only the failed item; the ones behind it still run', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    const next = queue.run(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('counts queued and running items, and idle() waits for all of them without rejecting', async () => {
    const queue = new SerialQueue();
    expect(queue.size).toBe(0);
    let release!: () => void;
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = queue.run(async () => {
      throw new Error('second fails');
    });
    expect(queue.size).toBe(2);
    let idle = false;
    const settled = queue.idle().then(() => (idle = true));
    await sleep(5);
    expect(idle).toBe(false);
    release();
    await first;
    await expect(second).rejects.toThrow('second fails');
    await settled;
    expect(queue.size).toBe(0);
  });
});

describe('backoffMs', () => {
  const table = [100, 250, 1_000] as const;

  it('follows the table by consecutive failures and repeats its last entry', () => {
    expect([1, 2, 3, 4, 50].map((n) => backoffMs(n, table))).toEqual([100, 250, 1_000, 1_000, 1_000]);
  });

  it('rejects a failure count that is not a positive integer, and an empty table', () => {
    expect(() => backoffMs(0, table)).toThrow(RangeError);
    expect(() => backoffMs(1.5, table)).toThrow(RangeError);
    expect(() => backoffMs(-1, table)).toThrow(RangeError);
    expect(() => backoffMs(1, [])).toThrow(RangeError);
  });
});

describe('error helpers', () => {
  /** The shape ethers v6 gives a JSON-RPC error: a short message plus the node's own error under info. */
  const rpcError = (shortMessage: string, nodeMessage: string) =>
    Object.assign(new Error(`${shortMessage} (long form)`), { shortMessage, info: { error: { message: nodeMessage } } });

  it('messageOf joins ethers short message and the node message; non-errors become strings', () => {
    expect(messageOf(rpcError('could not coalesce error', 'nonce too low'))).toBe('could not coalesce error: nonce too low');
    expect(messageOf(new Error('plain'))).toBe('plain');
    expect(messageOf('text')).toBe('text');
    expect(messageOf(42)).toBe('42');
  });

  it('recognises nonce errors of geth, hardhat and others, also nested in the node message', () => {
    expect(isNonceError(rpcError('could not coalesce error', 'Nonce too low. Expected nonce to be 3 but got 2.'))).toBe(true);
    expect(isNonceError(new Error('nonce has already been used'))).toBe(true);
    expect(isNonceError(new Error('invalid nonce; got 1, expected 2: nonce too small'))).toBe(true);
    expect(isNonceError(new Error('nonce expired'))).toBe(true);
    expect(isNonceError(new Error('replacement transaction underpriced'))).toBe(false);
    expect(isNonceError(new Error('nonce too high'))).toBe(false);
  });

  it('recognises "already known" answers', () => {
    expect(isAlreadyKnown(new Error('already known'))).toBe(true);
    expect(isAlreadyKnown(rpcError('could not coalesce error', 'known transaction: 0xabc'))).toBe(true);
    expect(isAlreadyKnown(new Error('transaction already imported'))).toBe(true);
    expect(isAlreadyKnown(new Error('nonce too low'))).toBe(false);
  });
});

describe('Clock', () => {
  it('reads the wall clock in ms', () => {
    const before = Date.now();
    const now = new Clock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('is replaceable by a subclass or by reassigning now()', () => {
    class FixedClock extends Clock {
      override now(): number {
        return 1_000;
      }
    }
    expect(new FixedClock().now()).toBe(1_000);
    const clock = new Clock();
    clock.now = () => 7;
    expect(clock.now()).toBe(7);
  });
});

describe('fees and signed transactions', () => {
  it('bumps both fees by the percentage (rounded up), never below current fees, priority capped by the max fee', () => {
    expect(bumpFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 10n }, { maxFeePerGas: 50n, maxPriorityFeePerGas: 1n }, 20)).toEqual({
      maxFeePerGas: 120n,
      maxPriorityFeePerGas: 12n,
    });
    expect(bumpFees({ maxFeePerGas: 101n, maxPriorityFeePerGas: 1n }, { maxFeePerGas: 500n, maxPriorityFeePerGas: 600n }, 10)).toEqual({
      maxFeePerGas: 500n,
      maxPriorityFeePerGas: 500n,
    });
    expect(bumpFees({ maxFeePerGas: 7n, maxPriorityFeePerGas: 7n }, { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, 10)).toEqual({
      maxFeePerGas: 8n,
      maxPriorityFeePerGas: 8n,
    });
  });

  it('decodes a stored raw transaction back into hash, nonce and fees', async () => {
    const wallet = Wallet.createRandom();
    const raw = await wallet.signTransaction({
      type: 2,
      chainId: 31337,
      nonce: 9,
      to: wallet.address,
      data: '0x',
      gasLimit: 21_000n,
      maxFeePerGas: 300n,
      maxPriorityFeePerGas: 30n,
    });
    expect(decodeSignedTx(raw)).toEqual({ hash: Transaction.from(raw).hash, nonce: 9, raw, maxFeePerGas: 300n, maxPriorityFeePerGas: 30n });
  });
});
