import { Transaction, Wallet } from 'ethers';
import { Clock, NonceTakenError, TxSender, type MinedReceipt, type SignedTx, type TxJournal, type TxRpc } from '../src';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

/** A node in memory: broadcasts are recorded, the test decides nonces, fees and mining. */
class FakeRpc implements TxRpc {
  readonly chainId = 31337;
  pending = 7;
  latest = 7;
  fee = { maxFeePerGas: 100n, maxPriorityFeePerGas: 10n };
  feeReads = 0;
  sent: Transaction[] = [];
  mined = new Map<string, number>();
  failNext: string[] = [];
  async nonce(_address: string, tag: 'pending' | 'latest') {
    return tag === 'pending' ? this.pending : this.latest;
  }
  async fees() {
    this.feeReads += 1;
    return this.fee;
  }
  async broadcast(raw: string) {
    const failure = this.failNext.shift();
    if (failure) throw new Error(failure);
    this.sent.push(Transaction.from(raw));
  }
  async receipt(hash: string): Promise<MinedReceipt | null> {
    return this.mined.has(hash) ? { status: this.mined.get(hash)!, blockNumber: 5 } : null;
  }
  async known(hash: string) {
    return this.sent.some((t) => t.hash === hash) || this.mined.has(hash);
  }
}

class ManualClock extends Clock {
  ms = 1_000_000;
  override now(): number {
    return this.ms;
  }
}

/** Records every signed transaction, and what the node had been sent at that moment (write-ahead check). */
class ArrayJournal implements TxJournal {
  readonly records: { tx: SignedTx; broadcastsBefore: number }[] = [];
  constructor(private readonly rpc: FakeRpc) {}
  async record(tx: SignedTx) {
    this.records.push({ tx, broadcastsBefore: this.rpc.sent.length });
  }
}

const request = { to: '0x000000000000000000000000000000000000dEaD', data: '0x', gasLimit: 100_000n };
const settings = { bumpPercent: 20, replaceAfterMs: 60_000, pollMs: 1, maxReplacements: 3 };

describe('TxSender (in-memory node)', () => {
  it('records each signed transaction before broadcasting it, and a journal failure stops the broadcast', async () => {
    const rpc = new FakeRpc();
    const journal = new ArrayJournal(rpc);
    const sender = new TxSender(rpc, KEY, settings);
    const tx = await sender.send(request, journal);
    expect(journal.records).toEqual([{ tx, broadcastsBefore: 0 }]);
    expect(rpc.sent.map((t) => t.hash)).toEqual([tx.hash]);
    expect(tx).toMatchObject({ nonce: 7, maxFeePerGas: 100n, maxPriorityFeePerGas: 10n });
    expect(Transaction.from(tx.raw).from).toBe(new Wallet(KEY).address);

    const failing: TxJournal = { record: async () => Promise.reject(new Error('disk full')) };
    await expect(sender.send(request, failing)).rejects.toThrow('disk full');
    expect(rpc.sent).toHaveLength(1);
  });

  it('gives queued sends consecutive nonces without asking the node again, and counts them while queued', async () => {
    const rpc = new FakeRpc();
    const journal = new ArrayJournal(rpc);
    const sender = new TxSender(rpc, KEY, settings);
    expect((await sender.send(request, journal)).nonce).toBe(7);
    rpc.pending = 99; // a node read from now on would be visible
    const sends = [sender.send(request, journal), sender.send(request, journal), sender.send(request, journal)];
    expect(sender.queued).toBe(3);
    expect((await Promise.all(sends)).map((t) => t.nonce)).toEqual([8, 9, 10]);
    expect(sender.queued).toBe(0);
  });

  it('re-reads the nonce after "nonce too low" and signs once more; a second nonce error is thrown', async () => {
    const rpc = new FakeRpc();
    const journal = new ArrayJournal(rpc);
    const sender = new TxSender(rpc, KEY, settings);
    await sender.send(request, journal);
    rpc.failNext = ['nonce too low'];
    rpc.pending = 12; // another process used 8–11
    expect((await sender.send(request, journal)).nonce).toBe(12);
    expect(journal.records.map((r) => r.tx.nonce)).toEqual([7, 8, 12]);

    rpc.pending = 13;
    rpc.failNext = ['nonce too low', 'nonce too low'];
    await expect(sender.send(request, journal)).rejects.toThrow('nonce too low');
    rpc.pending = 20;
    expect((await sender.send(request, journal)).nonce).toBe(20); // re-read after the failure
  });

  it('after another broadcast error re-reads the pending nonce next time; "already known" is success', async () => {
    const rpc = new FakeRpc();
    const sender = new TxSender(rpc, KEY, settings);
    const journal = new ArrayJournal(rpc);
    rpc.failNext = ['timeout'];
    await expect(sender.send(request, journal)).rejects.toThrow('timeout');
    rpc.pending = 8; // the node got it after all
    expect((await sender.send(request, journal)).nonce).toBe(8);
    rpc.failNext = ['already known'];
    expect((await sender.send(request, journal)).nonce).toBe(9);
    expect((await sender.send(request, journal)).nonce).toBe(10);
  });

  it('reuses a fee quote for feeCacheMs, and replace() reads fresh fees and bumps the stuck ones', async () => {
    const rpc = new FakeRpc();
    const clock = new ManualClock();
    const sender = new TxSender(rpc, KEY, { ...settings, feeCacheMs: 3_000 }, clock);
    const journal = new ArrayJournal(rpc);
    const first = await sender.send(request, journal);
    rpc.fee = { maxFeePerGas: 150n, maxPriorityFeePerGas: 11n };
    expect((await sender.send(request, journal)).maxFeePerGas).toBe(100n);
    clock.ms += 3_000;
    expect((await sender.send(request, journal)).maxFeePerGas).toBe(150n);
    expect(rpc.feeReads).toBe(2);

    rpc.fee = { maxFeePerGas: 50n, maxPriorityFeePerGas: 1n };
    const replacement = await sender.replace(request, first, journal);
    expect(rpc.feeReads).toBe(3);
    expect(replacement).toMatchObject({ nonce: first.nonce, maxFeePerGas: 120n, maxPriorityFeePerGas: 12n });
    expect(journal.records.at(-1)!.tx).toEqual(replacement);
    expect(rpc.sent.at(-1)!.hash).toBe(replacement.hash);
  });

  it('sendAndWait: tracks the nonce locally and reports reverts without throwing', async () => {
    const rpc = new FakeRpc();
    const sender = new TxSender(rpc, KEY, settings);
    const journal = new ArrayJournal(rpc);
    const mineLast = (status = 1) => setTimeout(() => rpc.mined.set(rpc.sent.at(-1)!.hash!, status), 5);
    mineLast();
    expect(await sender.sendAndWait(request, journal)).toMatchObject({
      nonce: 7,
      reverted: false,
      status: 1,
      blockNumber: 5,
      replacements: 0,
      rebroadcasts: 0,
    });
    rpc.latest = 8;
    mineLast(0);
    expect(await sender.sendAndWait(request, journal)).toMatchObject({ nonce: 8, reverted: true });
  });

  it('sendAndWait: rebroadcasts a version the node lost and replaces one not mined in time, ending on any receipt', async () => {
    const rpc = new FakeRpc();
    const clock = new ManualClock();
    const sender = new TxSender(rpc, KEY, settings, clock);
    const journal = new ArrayJournal(rpc);
    const events: string[] = [];
    sender.onEvent((e) => events.push(e.kind));
    const pending = sender.sendAndWait(request, journal);
    await until(() => rpc.sent.length === 1);
    const original = rpc.sent[0];
    rpc.sent = []; // the node dropped it
    await until(() => rpc.sent.length === 1);
    expect(rpc.sent[0].hash).toBe(original.hash);
    clock.ms += 60_000;
    await until(() => rpc.sent.length === 2);
    const replacement = rpc.sent[1];
    expect(replacement.nonce).toBe(original.nonce);
    expect(replacement.maxFeePerGas).toBe(120n);
    rpc.mined.set(original.hash!, 1); // the first version won the race
    expect(await pending).toMatchObject({ hash: original.hash, nonce: 7, replacements: 1, rebroadcasts: 1, reverted: false });
    expect(events).toEqual(['sent', 'rebroadcast', 'replaced']);
    expect(journal.records.map((r) => r.tx.hash)).toEqual([original.hash, replacement.hash]);
  });

  it('sendAndWait: gives up on a nonce another transaction used, and re-reads the pending nonce next time', async () => {
    const rpc = new FakeRpc();
    const sender = new TxSender(rpc, KEY, settings);
    const journal = new ArrayJournal(rpc);
    const pending = sender.sendAndWait(request, journal);
    setTimeout(() => {
      rpc.latest = 8; // nonce 7 mined, but not with our hash
      rpc.pending = 8;
    }, 5);
    await expect(pending).rejects.toBeInstanceOf(NonceTakenError);
    setTimeout(() => rpc.mined.set(rpc.sent.at(-1)!.hash!, 1), 5);
    expect(await sender.sendAndWait(request, journal)).toMatchObject({ nonce: 8 });
  });

  it('stop() ends a wait', async () => {
    const rpc = new FakeRpc();
    const sender = new TxSender(rpc, KEY, settings);
    const pending = sender.sendAndWait(request, new ArrayJournal(rpc));
    await until(() => rpc.sent.length === 1);
    sender.stop();
    await expect(pending).rejects.toThrow(/stopped while transaction/);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('condition not reached');
}
