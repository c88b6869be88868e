import { Transaction } from 'ethers';
import { devWallet } from '@tributary/contracts';
import { NonceTakenError, TxSender, bumpFees, type TxRpc } from '../../src/credit/tx-sender';

/** A node in memory: broadcasts are recorded, the test decides nonces and mining. */
class FakeRpc implements TxRpc {
  readonly chainId = 31337;
  pending = 7;
  latest = 7;
  sent: Transaction[] = [];
  mined = new Map<string, number>();
  failNext: string | null = null;
  async nonce(_address: string, tag: 'pending' | 'latest') {
    return tag === 'pending' ? this.pending : this.latest;
  }
  async fees() {
    return { maxFeePerGas: 100n, maxPriorityFeePerGas: 10n };
  }
  async broadcast(raw: string) {
    if (this.failNext) {
      const message = this.failNext;
      this.failNext = null;
      throw new Error(message);
    }
    this.sent.push(Transaction.from(raw));
  }
  async receipt(hash: string) {
    return this.mined.has(hash) ? { status: this.mined.get(hash)!, blockNumber: 5 } : null;
  }
  async known(hash: string) {
    return this.sent.some((t) => t.hash === hash) || this.mined.has(hash);
  }
  async blockTimestamp() {
    return 1234;
  }
}

const request = { to: '0x000000000000000000000000000000000000dEaD', data: '0x', gasLimit: 100_000n };
const settings = { timeoutMs: 60_000, bumpPercent: 20, pollMs: 1, maxReplacements: 3 };

describe('TxSender', () => {
  it('tracks the nonce locally, re-reads it after "nonce too low", reports reverts without throwing', async () => {
    const rpc = new FakeRpc();
    const sender = new TxSender(rpc, devWallet(2).privateKey, settings);
    const mineLast = (status = 1) => setTimeout(() => rpc.mined.set(rpc.sent.at(-1)!.hash!, status), 5);

    mineLast();
    expect(await sender.send(request)).toMatchObject({ nonce: 7, reverted: false, blockTimestamp: 1234 });
    rpc.latest = 8;
    mineLast(0);
    expect(await sender.send(request)).toMatchObject({ nonce: 8, reverted: true }); // no node read: local nonce
    rpc.latest = 9;

    rpc.failNext = 'nonce too low';
    rpc.pending = 12; // another process used 9–11
    mineLast();
    expect(await sender.send(request)).toMatchObject({ nonce: 12 });
    expect(rpc.sent.map((t) => t.nonce)).toEqual([7, 8, 12]);
  });

  it('gives up on a nonce another transaction used, and re-reads the pending nonce next time', async () => {
    const rpc = new FakeRpc();
    const sender = new TxSender(rpc, devWallet(2).privateKey, settings);
    const pending = sender.send(request);
    setTimeout(() => {
      rpc.latest = 8; // nonce 7 mined, but not with our hash
      rpc.pending = 8;
    }, 5);
    await expect(pending).rejects.toBeInstanceOf(NonceTakenError);
    setTimeout(() => rpc.mined.set(rpc.sent.at(-1)!.hash!, 1), 5);
    expect(await sender.send(request)).toMatchObject({ nonce: 8 });
  });

  it('bumps both fees by the percentage (rounded up) and never below current fees', () => {
    expect(bumpFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 10n }, { maxFeePerGas: 50n, maxPriorityFeePerGas: 1n }, 20)).toEqual({ maxFeePerGas: 120n, maxPriorityFeePerGas: 12n });
    expect(bumpFees({ maxFeePerGas: 101n, maxPriorityFeePerGas: 1n }, { maxFeePerGas: 500n, maxPriorityFeePerGas: 600n }, 10)).toEqual({ maxFeePerGas: 500n, maxPriorityFeePerGas: 500n });
  });
});
