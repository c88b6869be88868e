import { Transaction } from 'ethers';

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface TxRequest {
  to: string;
  data: string;
  gasLimit: bigint;
  value?: bigint;
}

/** A signed EIP-1559 transaction as the journal stores it. */
export interface SignedTx extends Fees {
  hash: string;
  nonce: number;
  raw: string;
}

/** What a sender needs to know of a mined transaction; a service's TxRpc may return more (block time). */
export interface MinedReceipt {
  /** 1 = success, 0 = reverted. */
  status: number;
  blockNumber: number;
}

/** The JSON-RPC calls a sender makes: each service adapts its own chain wrapper (retries, metrics, fee policy). */
export interface TxRpc<R extends MinedReceipt = MinedReceipt> {
  readonly chainId: number;
  nonce(address: string, tag: 'pending' | 'latest'): Promise<number>;
  fees(): Promise<Fees>;
  broadcast(raw: string): Promise<void>;
  receipt(hash: string): Promise<R | null>;
  /** The node has the transaction (pending or mined). */
  known(hash: string): Promise<boolean>;
}

/**
 * Persistence port of the write-ahead sender: every signed transaction is recorded before it is broadcast,
 * so after a crash its owner finds it again (to follow, rebroadcast or replace it) instead of signing the
 * nonce anew. `record` resolves once the transaction is durable; a rejection stops the broadcast.
 */
export interface TxJournal {
  record(tx: SignedTx): Promise<void>;
}

/**
 * Keeps nothing: for a sender whose owner does not need its transactions after a restart (the chain state it
 * reads at start makes a lost or duplicate transaction harmless).
 */
export const VOLATILE_JOURNAL: TxJournal = { record: async () => undefined };

/** The stored form of a signed transaction read back (hash, nonce and fees from the raw bytes). */
export function decodeSignedTx(raw: string): SignedTx {
  const tx = Transaction.from(raw);
  return {
    hash: tx.hash!,
    nonce: tx.nonce,
    raw,
    maxFeePerGas: tx.maxFeePerGas ?? tx.gasPrice ?? 0n,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas ?? tx.gasPrice ?? 0n,
  };
}

/** Fees of a replacement: the stuck ones raised by `percent` (rounded up), at least today's, priority ≤ max fee. */
export function bumpFees(stuck: Fees, current: Fees, percent: number): Fees {
  const bump = (v: bigint) => (v * BigInt(100 + percent) + 99n) / 100n;
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const maxFeePerGas = max(bump(stuck.maxFeePerGas), current.maxFeePerGas);
  const priority = max(bump(stuck.maxPriorityFeePerGas), current.maxPriorityFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas: priority > maxFeePerGas ? maxFeePerGas : priority };
}
