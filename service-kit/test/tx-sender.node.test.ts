import { JsonRpcProvider, Transaction } from 'ethers';
import { devWallet, startHardhatNode, type LocalChain } from '@tributary/contracts';
import { TxSender, type Fees, type MinedReceipt, type SignedTx, type TxEvent, type TxJournal, type TxRpc } from '../src';

/** The TxRpc a service would write, over ethers' JsonRpcProvider. */
class ProviderTxRpc implements TxRpc {
  constructor(
    private readonly provider: JsonRpcProvider,
    readonly chainId: number,
  ) {}
  nonce(address: string, tag: 'pending' | 'latest') {
    return this.provider.getTransactionCount(address, tag);
  }
  async fees(): Promise<Fees> {
    const data = await this.provider.getFeeData();
    return { maxFeePerGas: data.maxFeePerGas!, maxPriorityFeePerGas: data.maxPriorityFeePerGas! };
  }
  async broadcast(raw: string) {
    await this.provider.send('eth_sendRawTransaction', [raw]);
  }
  async receipt(hash: string): Promise<MinedReceipt | null> {
    const receipt = await this.provider.getTransactionReceipt(hash);
    return receipt && { status: receipt.status ?? 0, blockNumber: receipt.blockNumber };
  }
  async known(hash: string) {
    return (await this.provider.send('eth_getTransactionByHash', [hash])) !== null;
  }
}

/** A journal that checks the write-ahead order against the node: nothing recorded is known to the node yet. */
class CheckingJournal implements TxJournal {
  readonly records: SignedTx[] = [];
  readonly knownAtRecord: boolean[] = [];
  constructor(private readonly rpc: ProviderTxRpc) {}
  async record(tx: SignedTx) {
    this.knownAtRecord.push(await this.rpc.known(tx.hash));
    this.records.push(tx);
  }
}

const PORT = 18970;
const CHAIN_ID = 31337;

/** The kit's TxSender against a real `hardhat node` (PORT 18970; run under flock /tmp/tributary-hh.lock). */
describe('TxSender against a hardhat node', () => {
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let rpc: ProviderTxRpc;
  const signer = devWallet(3);
  const target = devWallet(4).address;
  const request = { to: target, data: '0x', gasLimit: 21_000n, value: 1n };
  const automine = (on: boolean) => provider.send('evm_setAutomine', [on]);

  beforeAll(async () => {
    chain = await startHardhatNode({ chainId: CHAIN_ID, port: PORT });
    provider = new JsonRpcProvider(chain.rpcUrl, CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
    rpc = new ProviderTxRpc(provider, CHAIN_ID);
  }, 90_000);

  afterAll(async () => {
    provider?.destroy();
    await chain?.stop();
  });

  it('sends queued transactions at consecutive nonces, each recorded before the node knew it', async () => {
    const sender = new TxSender(rpc, signer.privateKey, { bumpPercent: 20 });
    const journal = new CheckingJournal(rpc);
    const start = await provider.getTransactionCount(signer.address, 'latest');
    const sent = await Promise.all([1, 2, 3, 4].map(() => sender.send(request, journal)));
    expect(sent.map((t) => t.nonce)).toEqual([start, start + 1, start + 2, start + 3]);
    expect(journal.records.map((t) => t.hash)).toEqual(sent.map((t) => t.hash));
    expect(journal.knownAtRecord).toEqual([false, false, false, false]);
    for (const tx of sent) expect((await provider.getTransactionReceipt(tx.hash))?.status).toBe(1);
    expect(await provider.getTransactionCount(signer.address, 'latest')).toBe(start + 4);
  }, 30_000);

  it('recovers from "nonce too low" after another process used its next nonce', async () => {
    const sender = new TxSender(rpc, signer.privateKey, { bumpPercent: 20 });
    const journal = new CheckingJournal(rpc);
    const first = await sender.send(request, journal);
    const other = devWallet(3, provider); // the same key elsewhere
    await (await other.sendTransaction({ to: target, value: 1n, nonce: first.nonce + 1 })).wait();
    const second = await sender.send(request, journal);
    expect(second.nonce).toBe(first.nonce + 2);
    expect(journal.records.map((t) => t.nonce)).toEqual([first.nonce, first.nonce + 1, first.nonce + 2]); // the refused one was recorded too
    expect((await provider.getTransactionReceipt(second.hash))?.status).toBe(1);
  }, 30_000);

  it('sendAndWait replaces a transaction not mined in time with bumped fees and reports the mined version', async () => {
    const sender = new TxSender(rpc, signer.privateKey, { bumpPercent: 20, replaceAfterMs: 150, pollMs: 25, maxReplacements: 1 });
    const journal = new CheckingJournal(rpc);
    const events: TxEvent[] = [];
    sender.onEvent((e) => events.push(e));
    await automine(false);
    try {
      const pending = sender.sendAndWait(request, journal);
      await until(() => events.some((e) => e.kind === 'replaced'));
      await provider.send('evm_mine', []);
      const mined = await pending;
      const [original, replacement] = journal.records;
      expect(mined).toMatchObject({ hash: replacement.hash, nonce: original.nonce, reverted: false, replacements: 1 });
      expect(replacement.nonce).toBe(original.nonce);
      expect(replacement.maxFeePerGas).toBeGreaterThanOrEqual((original.maxFeePerGas * 120n) / 100n);
      expect(replacement.maxPriorityFeePerGas).toBeGreaterThanOrEqual((original.maxPriorityFeePerGas * 120n) / 100n);
      expect(await provider.getTransactionReceipt(original.hash)).toBeNull();
      expect(journal.knownAtRecord).toEqual([false, false]);
    } finally {
      await automine(true);
    }
  }, 30_000);

  it('sendAndWait rebroadcasts a transaction the node dropped', async () => {
    const sender = new TxSender(rpc, signer.privateKey, { bumpPercent: 20, replaceAfterMs: 60_000, pollMs: 25 });
    const journal = new CheckingJournal(rpc);
    const events: TxEvent[] = [];
    sender.onEvent((e) => events.push(e));
    await automine(false);
    try {
      const pending = sender.sendAndWait(request, journal);
      await until(() => events.length === 1);
      expect(await provider.send('hardhat_dropTransaction', [events[0].hash])).toBe(true);
      await until(() => events.some((e) => e.kind === 'rebroadcast'));
      await provider.send('evm_mine', []);
      expect(await pending).toMatchObject({ hash: events[0].hash, reverted: false, replacements: 0, rebroadcasts: 1 });
    } finally {
      await automine(true);
    }
  }, 30_000);

  it('replace() and rebroadcast() as a store-driven owner uses them: a mined transaction rebroadcast is no error', async () => {
    const sender = new TxSender(rpc, signer.privateKey, { bumpPercent: 15 });
    const journal = new CheckingJournal(rpc);
    await automine(false);
    let stuck: SignedTx;
    let replacement: SignedTx;
    try {
      stuck = await sender.send(request, journal);
      replacement = await sender.replace(request, stuck, journal);
      await provider.send('evm_mine', []);
    } finally {
      await automine(true);
    }
    expect((await provider.getTransactionReceipt(replacement.hash))?.status).toBe(1);
    expect(await provider.getTransactionReceipt(stuck.hash)).toBeNull();
    await expect(sender.rebroadcast(replacement.raw)).resolves.toBeUndefined(); // node: nonce too low, but it has the transaction
    await expect(sender.rebroadcast(stuck.raw)).rejects.toThrow(/nonce/i); // replaced: never to be mined
    const next = await sender.send(request, journal);
    expect(next.nonce).toBe(Transaction.from(replacement.raw).nonce + 1);
  }, 30_000);
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached within 10 s');
}
