import { Transaction, Wallet } from 'ethers';
import { Clock, sleep } from './clock';
import { isAlreadyKnown, isNonceError } from './errors';
import { SerialQueue } from './serial-queue';
import { bumpFees, decodeSignedTx, type Fees, type MinedReceipt, type SignedTx, type TxJournal, type TxRequest, type TxRpc } from './tx-ports';

export interface TxSenderSettings {
  /** Fee raise of a replacement over the stuck transaction's fees, in percent (rounded up). */
  bumpPercent: number;
  /** A fee quote is reused this long by later sends (0 = read the fees for every transaction). */
  feeCacheMs?: number;
  /** sendAndWait: a transaction not mined after this long is replaced at the same nonce. */
  replaceAfterMs?: number;
  /** sendAndWait: pause between receipt polls. */
  pollMs?: number;
  /** sendAndWait: replacements per transaction; after that it keeps waiting (and rebroadcasting) at the last fees. */
  maxReplacements?: number;
}

const WAIT_DEFAULTS = { replaceAfterMs: 30_000, pollMs: 500, maxReplacements: 10 };

/** A mined transaction: the receipt of whichever version was mined, and how much it took. */
export type MinedTx<R extends MinedReceipt> = R & { hash: string; nonce: number; reverted: boolean; replacements: number; rebroadcasts: number };

export type TxEvent = { kind: 'sent' | 'replaced' | 'rebroadcast'; hash: string; nonce: number; maxFeePerGas: bigint };

/** Another sender of the same key used the nonce: the transaction will never be mined. */
export class NonceTakenError extends Error {
  override readonly name = 'NonceTakenError';
}

/**
 * The one signer of a key on a chain. Sends run one at a time through a queue; the next nonce is tracked
 * locally (read from the node's pending count at start and after any failed send). Each transaction is
 * signed, recorded in the caller's TxJournal (write-ahead), then broadcast; a "nonce too low" answer re-reads
 * the nonce and signs once more. `send` resolves when the node has the transaction (the owner follows it,
 * e.g. from its store); `sendAndWait` keeps the queue until one version is mined: a version the node lost is
 * rebroadcast, one not mined within `replaceAfterMs` is replaced with bumped fees. A revert is reported, not
 * thrown. A broadcast the node answers with "already known", or whose transaction it has anyway, succeeded.
 */
export class TxSender<R extends MinedReceipt = MinedReceipt> {
  readonly address: string;
  private readonly wallet: Wallet;
  private readonly queue = new SerialQueue();
  private readonly listeners = new Set<(event: TxEvent) => void>();
  private next: number | null = null;
  private feeQuote: { at: number; fees: Fees } | null = null;
  private stopped = false;

  constructor(
    private readonly rpc: TxRpc<R>,
    privateKey: string,
    private readonly settings: TxSenderSettings,
    private readonly clock: Clock = new Clock(),
  ) {
    this.wallet = new Wallet(privateKey);
    this.address = this.wallet.address;
  }

  /** Sends queued or running (queue length metric). */
  get queued(): number {
    return this.queue.size;
  }

  onEvent(listener: (event: TxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends waiting loops (shutdown): a pending `sendAndWait` rejects at its next poll. */
  stop(): void {
    this.stopped = true;
  }

  /** Signs at the next nonce, records, broadcasts (after every earlier send of this key); resolves once the node has it. */
  send(request: TxRequest, journal: TxJournal): Promise<SignedTx> {
    return this.queue.run(() => this.sendNow(request, journal));
  }

  /** As `send`, then waits for a receipt of the transaction or of one of its replacements, holding the queue. */
  sendAndWait(request: TxRequest, journal: TxJournal): Promise<MinedTx<R>> {
    return this.queue.run(async () => this.waitMined(request, await this.sendNow(request, journal), journal));
  }

  /** Re-signs a stuck transaction at its nonce with bumped fees (never below today's), records and broadcasts it. */
  async replace(request: TxRequest, stuck: Pick<SignedTx, 'nonce'> & Fees, journal: TxJournal): Promise<SignedTx> {
    const tx = await this.sign(request, stuck.nonce, bumpFees(stuck, await this.currentFees(true), this.settings.bumpPercent));
    await journal.record(tx);
    await this.broadcast(tx);
    this.emit('replaced', tx);
    return tx;
  }

  /** Broadcasts a recorded transaction again (lost by the node, or found after a restart). */
  async rebroadcast(raw: string): Promise<void> {
    const tx = decodeSignedTx(raw);
    await this.broadcast(tx);
    this.emit('rebroadcast', tx);
  }

  private async sendNow(request: TxRequest, journal: TxJournal): Promise<SignedTx> {
    for (let attempt = 0; ; attempt++) {
      try {
        const nonce = this.next ?? (await this.rpc.nonce(this.address, 'pending'));
        const tx = await this.sign(request, nonce, await this.currentFees());
        await journal.record(tx);
        await this.broadcast(tx);
        this.next = nonce + 1;
        this.emit('sent', tx);
        return tx;
      } catch (error) {
        this.next = null;
        if (!isNonceError(error) || attempt >= 1) throw error;
      }
    }
  }

  private async waitMined(request: TxRequest, first: SignedTx, journal: TxJournal): Promise<MinedTx<R>> {
    const { replaceAfterMs, pollMs, maxReplacements } = { ...WAIT_DEFAULTS, ...this.settings };
    const versions = [first.hash];
    let tx = first;
    let fees: Fees = first;
    let replacements = 0;
    let rebroadcasts = 0;
    let deadline = this.clock.now() + replaceAfterMs;
    const minedTx = (mined: R & { hash: string }): MinedTx<R> => ({
      ...mined,
      nonce: first.nonce,
      reverted: mined.status !== 1,
      replacements,
      rebroadcasts,
    });
    for (;;) {
      const mined = await this.firstReceipt(versions);
      if (mined) return minedTx(mined);
      if (this.stopped) throw new Error(`stopped while transaction ${tx.hash} (nonce ${tx.nonce}) was pending`);
      if ((await this.rpc.nonce(this.address, 'latest')) > tx.nonce) {
        const late = await this.firstReceipt(versions);
        if (late) return minedTx(late);
        this.next = null;
        throw new NonceTakenError(`nonce ${tx.nonce} of ${this.address} was used by another transaction`);
      }
      if (!(await this.rpc.known(tx.hash))) {
        await this.broadcast(tx).catch(() => undefined);
        rebroadcasts += 1;
        this.emit('rebroadcast', tx);
      } else if (this.clock.now() >= deadline && replacements < maxReplacements) {
        const bumped = bumpFees(fees, await this.currentFees(true), this.settings.bumpPercent);
        const replacement = await this.sign(request, tx.nonce, bumped);
        await journal.record(replacement);
        fees = bumped;
        try {
          await this.broadcast(replacement);
          tx = replacement;
          versions.push(replacement.hash);
          replacements += 1;
          this.emit('replaced', replacement);
        } catch {
          // underpriced (the node wants more: the next bump starts from these fees) or already mined: the next round finds out
        }
        deadline = this.clock.now() + replaceAfterMs;
      }
      await sleep(pollMs);
    }
  }

  /** The receipt of the newest version that has one. */
  private async firstReceipt(hashes: readonly string[]): Promise<(R & { hash: string }) | null> {
    for (const hash of [...hashes].reverse()) {
      const receipt = await this.rpc.receipt(hash);
      if (receipt) return { ...receipt, hash };
    }
    return null;
  }

  private async broadcast(tx: SignedTx): Promise<void> {
    try {
      await this.rpc.broadcast(tx.raw);
    } catch (error) {
      if (isAlreadyKnown(error) || (await this.rpc.known(tx.hash).catch(() => false))) return;
      if (isNonceError(error)) this.next = null;
      throw error;
    }
  }

  private async sign(request: TxRequest, nonce: number, fees: Fees): Promise<SignedTx> {
    const raw = await this.wallet.signTransaction({
      type: 2,
      chainId: this.rpc.chainId,
      nonce,
      to: request.to,
      data: request.data,
      value: request.value ?? 0n,
      gasLimit: request.gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return { hash: Transaction.from(raw).hash!, nonce, raw, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }

  private async currentFees(fresh = false): Promise<Fees> {
    if (!fresh && this.feeQuote && this.clock.now() - this.feeQuote.at < (this.settings.feeCacheMs ?? 0)) return this.feeQuote.fees;
    const fees = await this.rpc.fees();
    this.feeQuote = { at: this.clock.now(), fees };
    return fees;
  }

  private emit(kind: TxEvent['kind'], tx: SignedTx): void {
    for (const listener of this.listeners) listener({ kind, hash: tx.hash, nonce: tx.nonce, maxFeePerGas: tx.maxFeePerGas });
  }
}
