import { Transaction, Wallet } from 'ethers';
import type { ChainRpc } from '../chain/chain-rpc';
import type { GasSettings } from '../config/relayer-config.schema';
import { NonceManager } from './nonce-manager';

export interface TxRequest {
  to: string;
  data: string;
  gasLimit: bigint;
  value?: bigint;
}

/** A signed transaction; stored before it is broadcast so a restart finds it again. */
export interface SignedTx {
  hash: string;
  nonce: number;
  raw: string;
  maxFeePerGas: bigint;
}

const FEE_CACHE_MS = 3_000;

export const isNonceError = (error: unknown): boolean => /nonce too low|nonce has already been used|nonce.*(expired|too small)/i.test(messageOf(error));
export const isAlreadyKnown = (error: unknown): boolean => /already known|known transaction|already imported/i.test(messageOf(error));

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const detail = error as { info?: { error?: { message?: string } }; shortMessage?: string };
    return [detail.shortMessage ?? error.message, detail.info?.error?.message].filter(Boolean).join(': ');
  }
  return String(error);
}

/**
 * The one signer of a destination chain: serialised sends with local nonce tracking (resync on nonce
 * errors), EIP-1559 fees, write-ahead persistence of each signed transaction, replacement with higher fees.
 */
export class TxSubmitter {
  readonly address: string;
  readonly nonces: NonceManager;
  private readonly wallet: Wallet;
  private fees: { at: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | null = null;
  private inFlight = 0;

  constructor(
    private readonly rpc: ChainRpc,
    private readonly chainId: number,
    privateKey: string,
    private readonly gas: GasSettings,
    private readonly now: () => number,
  ) {
    this.wallet = new Wallet(privateKey);
    this.address = this.wallet.address;
    this.nonces = new NonceManager(rpc, this.address);
  }

  /** Sends waiting for their turn in the nonce queue (queue length metric). */
  get queued(): number {
    return this.inFlight;
  }

  /**
   * Signs `request` with the next nonce, calls `persist` (write-ahead), then broadcasts. A nonce error
   * resyncs and signs again once; other broadcast errors leave the stored transaction for the confirm stage.
   */
  async send(request: TxRequest, persist: (tx: SignedTx) => Promise<void>): Promise<SignedTx> {
    this.inFlight += 1;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.nonces.withNonce(async (nonce) => {
            const fees = await this.currentFees();
            const tx = await this.sign(request, nonce, fees.maxFeePerGas, fees.maxPriorityFeePerGas);
            await persist(tx);
            await this.broadcast(tx.raw);
            return tx;
          });
        } catch (error) {
          if (!isNonceError(error) || attempt >= 1) throw error;
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Re-signs a stuck transaction at the same nonce with fees raised by `bumpPercent` (and at least today's). */
  async replace(request: TxRequest, stuck: { nonce: number; maxFeePerGas: bigint }, persist: (tx: SignedTx) => Promise<void>): Promise<SignedTx> {
    const bump = (v: bigint) => (v * BigInt(100 + this.gas.bumpPercent) + 99n) / 100n;
    const fees = await this.currentFees(true);
    const maxFeePerGas = [bump(stuck.maxFeePerGas), fees.maxFeePerGas].reduce((a, b) => (a > b ? a : b));
    const priority = [bump(fees.maxPriorityFeePerGas), bump(stuck.maxFeePerGas) / 2n].reduce((a, b) => (a > b ? a : b));
    const tx = await this.sign(request, stuck.nonce, maxFeePerGas, priority > maxFeePerGas ? maxFeePerGas : priority);
    await persist(tx);
    await this.broadcast(tx.raw);
    return tx;
  }

  /** Broadcasts a stored signed transaction again (after a restart); "already known" counts as success. */
  async broadcast(raw: string): Promise<void> {
    try {
      await this.rpc.broadcast(raw);
    } catch (error) {
      if (isAlreadyKnown(error)) return;
      if (isNonceError(error)) this.nonces.resync();
      throw error;
    }
  }

  private async sign(request: TxRequest, nonce: number, maxFeePerGas: bigint, maxPriorityFeePerGas: bigint): Promise<SignedTx> {
    const raw = await this.wallet.signTransaction({
      type: 2,
      chainId: this.chainId,
      nonce,
      to: request.to,
      data: request.data,
      value: request.value ?? 0n,
      gasLimit: request.gasLimit,
      maxFeePerGas,
      maxPriorityFeePerGas,
    });
    return { hash: Transaction.from(raw).hash!, nonce, raw, maxFeePerGas };
  }

  private async currentFees(fresh = false): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    if (this.gas.maxFeePerGas && this.gas.maxPriorityFeePerGas) {
      return { maxFeePerGas: BigInt(this.gas.maxFeePerGas), maxPriorityFeePerGas: BigInt(this.gas.maxPriorityFeePerGas) };
    }
    if (!fresh && this.fees && this.now() - this.fees.at < FEE_CACHE_MS) return this.fees;
    const data = await this.rpc.feeData();
    this.fees = { at: this.now(), maxFeePerGas: data.maxFeePerGas, maxPriorityFeePerGas: data.maxPriorityFeePerGas };
    return this.fees;
  }
}
