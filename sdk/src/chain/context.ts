import type { ContractTransactionResponse, Signer, TransactionReceipt } from 'ethers';
import type { ManifestChain } from '@tributary/protocol';
import type { AggregatorApi } from '../api/aggregator-api';
import type { Deployment } from './deployment';
import { TributaryError } from '../core/errors';
import type { StageRecorder } from '../core/operation';
import { explainError } from './revert';
import { poll } from '../core/wait';

/** Time limits of the stages an operation waits for (ms). */
export interface Timeouts {
  /** Each cross-chain or indexing stage (default 120 s). */
  stageMs: number;
  /** The credit push after a deposit (default 120 s). */
  creditMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { stageMs: 120_000, creditMs: 120_000 };

/** What every action works with: the deployment, the API, the trader's address and signers, time limits. */
export interface TraderContext {
  deployment: Deployment;
  api: AggregatorApi;
  /** The trader (EIP-55). */
  address: string;
  /** The trader's signer on `chain` (connected to that chain's provider). */
  signer(chain: ManifestChain): Signer;
  timeouts: Timeouts;
}

/** Runs a read against a chain or the API, turning RPC and revert errors into readable ones. */
export async function read<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainError(error, what);
  }
}

/**
 * Sends a transaction (`send` builds it), records `sent`, waits for its receipt and records `confirmed` with what
 * `confirmed` returns; reverts become typed errors (`insufficient-credit`, `vault-paused`, …).
 */
export async function transact(
  recorder: StageRecorder,
  what: string,
  chain: ManifestChain,
  send: () => Promise<ContractTransactionResponse>,
  sentDetail: Record<string, string | number | boolean | null> = {},
): Promise<TransactionReceipt> {
  let tx: ContractTransactionResponse;
  try {
    tx = await send();
  } catch (error) {
    throw explainError(error, what);
  }
  recorder.stage('sent', { txHash: tx.hash, chain: chain.name, ...sentDetail });
  let receipt: TransactionReceipt | null;
  try {
    receipt = await tx.wait();
  } catch (error) {
    throw explainError(error, what);
  }
  if (!receipt || receipt.status !== 1) throw new TributaryError('reverted', `${what}: transaction ${tx.hash} reverted`);
  return receipt;
}

/** Polls with the deployment's interval and the stage time limit. */
export function waitStage<T>(
  ctx: TraderContext,
  stage: string,
  what: string,
  probe: () => Promise<T | undefined>,
  hint?: string | (() => string),
  timeoutMs?: number,
) {
  return poll(stage, what, probe, { timeoutMs: timeoutMs ?? ctx.timeouts.stageMs, intervalMs: ctx.deployment.pollingIntervalMs, hint });
}

/** Approves `spender` for `amount` when the allowance is short (records `approved`). */
export async function ensureAllowance(
  recorder: StageRecorder,
  token: {
    allowance(owner: string, spender: string): Promise<bigint>;
    approve(spender: string, amount: bigint): Promise<ContractTransactionResponse>;
  },
  owner: string,
  spender: string,
  amount: bigint,
  what: string,
): Promise<void> {
  if ((await read(`${what}: allowance`, () => token.allowance(owner, spender))) >= amount) return;
  let receipt: TransactionReceipt | null;
  try {
    receipt = await (await token.approve(spender, amount)).wait();
  } catch (error) {
    throw explainError(error, `${what}: approve`);
  }
  recorder.stage('approved', { txHash: receipt?.hash ?? null, spender });
}
