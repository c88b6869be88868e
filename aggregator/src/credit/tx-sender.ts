import { Transaction, Wallet } from 'ethers';

/** The RPC calls a sender needs (the side effect behind an interface; JsonRpcTxRpc in trading-chain.ts). */
export interface TxRpc {
  readonly chainId: number;
  nonce(address: string, tag: 'pending' | 'latest'): Promise<number>;
  fees(): Promise<Fees>;
  broadcast(raw: string): Promise<void>;
  receipt(hash: string): Promise<{ status: number; blockNumber: number } | null>;
  /** The node has the transaction (pending or mined). */
  known(hash: string): Promise<boolean>;
  blockTimestamp(blockNumber: number): Promise<number>;
}

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface TxRequest {
  to: string;
  data: string;
  gasLimit: bigint;
}

export interface TxSettings {
  /** Replace (same nonce, higher fees) when not mined after this long. */
  timeoutMs: number;
  bumpPercent: number;
  pollMs: number;
  /** Replacements per transaction; after that it keeps waiting (and re-broadcasting) at the last fees. */
  maxReplacements: number;
}

export interface TxOutcome {
  hash: string;
  nonce: number;
  reverted: boolean;
  blockNumber: number;
  blockTimestamp: number;
  replacements: number;
  rebroadcasts: number;
}

export type TxEvent = { kind: 'sent' | 'replaced' | 'rebroadcast'; hash: string; nonce: number; maxFeePerGas: bigint };

/** Another sender of the same key used the nonce: the transaction will never be mined. */
export class NonceTakenError extends Error {
  override readonly name = 'NonceTakenError';
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const detail = error as { info?: { error?: { message?: string } }; shortMessage?: string };
    return [detail.shortMessage ?? error.message, detail.info?.error?.message].filter(Boolean).join(': ');
  }
  return String(error);
}

const isNonceError = (error: unknown) => /nonce too low|nonce has already been used|nonce.*(expired|too small)/i.test(messageOf(error));

/**
 * The one signer of a key on the trading chain. Sends run one at a time (a push waits for the previous
 * transaction to be mined); the next nonce is tracked locally and re-read from the node after an error.
 * While waiting: a transaction the node no longer knows (dropped) is re-broadcast as signed; one not mined
 * within `timeoutMs` is replaced at the same nonce with fees raised by `bumpPercent`; a receipt of any of the
 * versions ends the wait. A revert is reported (`reverted`), not thrown: the caller decides what it means.
 */
export class TxSender {
  readonly address: string;
  private readonly wallet: Wallet;
  private next: number | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly listeners = new Set<(event: TxEvent) => void>();

  constructor(
    private readonly rpc: TxRpc,
    privateKey: string,
    private readonly settings: TxSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.wallet = new Wallet(privateKey);
    this.address = this.wallet.address;
  }

  onEvent(listener: (event: TxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops waiting loops (shutdown): pending sends reject. */
  stop(): void {
    this.stopped = true;
  }

  /** Signs, broadcasts and waits for the receipt, after every earlier send of this key finished. */
  send(request: TxRequest): Promise<TxOutcome> {
    const run = this.tail.then(() => this.sendNow(request));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async sendNow(request: TxRequest): Promise<TxOutcome> {
    let fees = await this.rpc.fees();
    let nonce = this.next ?? (await this.rpc.nonce(this.address, 'pending'));
    let tx = await this.sign(request, nonce, fees);
    try {
      await this.broadcast(tx);
    } catch (error) {
      this.next = null;
      if (!isNonceError(error)) throw error;
      nonce = await this.rpc.nonce(this.address, 'pending');
      tx = await this.sign(request, nonce, fees);
      await this.broadcast(tx);
    }
    this.next = nonce + 1;
    this.emit({ kind: 'sent', hash: tx.hash, nonce, maxFeePerGas: fees.maxFeePerGas });
    const hashes = [tx.hash];
    let replacements = 0;
    let rebroadcasts = 0;
    let deadline = this.now() + this.settings.timeoutMs;
    for (;;) {
      const mined = await this.firstReceipt(hashes);
      if (mined) return { ...mined, nonce, replacements, rebroadcasts };
      if (this.stopped) throw new Error(`stopped while transaction ${tx.hash} (nonce ${nonce}) was pending`);
      if ((await this.rpc.nonce(this.address, 'latest')) > nonce) {
        const late = await this.firstReceipt(hashes);
        if (late) return { ...late, nonce, replacements, rebroadcasts };
        this.next = null;
        throw new NonceTakenError(`nonce ${nonce} of ${this.address} was used by another transaction`);
      }
      if (!(await this.rpc.known(tx.hash))) {
        await this.broadcast(tx).catch(() => undefined);
        rebroadcasts += 1;
        this.emit({ kind: 'rebroadcast', hash: tx.hash, nonce, maxFeePerGas: fees.maxFeePerGas });
      } else if (this.now() >= deadline && replacements < this.settings.maxReplacements) {
        const current = await this.rpc.fees();
        const bumped = bumpFees(fees, current, this.settings.bumpPercent);
        const replacement = await this.sign(request, nonce, bumped);
        try {
          await this.broadcast(replacement);
          tx = replacement;
          fees = bumped;
          hashes.push(replacement.hash);
          replacements += 1;
          this.emit({ kind: 'replaced', hash: replacement.hash, nonce, maxFeePerGas: bumped.maxFeePerGas });
        } catch {
          // underpriced (the node wants more) or already mined: the next round finds out
          fees = bumped;
        }
        deadline = this.now() + this.settings.timeoutMs;
      }
      await new Promise((resolve) => setTimeout(resolve, this.settings.pollMs));
    }
  }

  private async firstReceipt(hashes: readonly string[]): Promise<Omit<TxOutcome, 'nonce' | 'replacements' | 'rebroadcasts'> | null> {
    for (const hash of [...hashes].reverse()) {
      const receipt = await this.rpc.receipt(hash);
      if (receipt) return { hash, reverted: receipt.status !== 1, blockNumber: receipt.blockNumber, blockTimestamp: await this.rpc.blockTimestamp(receipt.blockNumber) };
    }
    return null;
  }

  /** Broadcasts; an error is ignored when the node has the transaction anyway (already known, mined reverted). */
  private async broadcast(tx: { hash: string; raw: string }): Promise<void> {
    try {
      await this.rpc.broadcast(tx.raw);
    } catch (error) {
      if (await this.rpc.known(tx.hash).catch(() => false)) return;
      throw error;
    }
  }

  private async sign(request: TxRequest, nonce: number, fees: Fees): Promise<{ hash: string; raw: string }> {
    const raw = await this.wallet.signTransaction({
      type: 2,
      chainId: this.rpc.chainId,
      nonce,
      to: request.to,
      data: request.data,
      value: 0n,
      gasLimit: request.gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return { hash: Transaction.from(raw).hash!, raw };
  }

  private emit(event: TxEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Fees of a replacement: the stuck ones raised by `percent` (rounded up), and at least today's. */
export function bumpFees(stuck: Fees, current: Fees, percent: number): Fees {
  const bump = (v: bigint) => (v * BigInt(100 + percent) + 99n) / 100n;
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const maxFeePerGas = max(bump(stuck.maxFeePerGas), current.maxFeePerGas);
  const priority = max(bump(stuck.maxPriorityFeePerGas), current.maxPriorityFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas: priority > maxFeePerGas ? maxFeePerGas : priority };
}
