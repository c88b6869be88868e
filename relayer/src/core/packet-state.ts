import { backoffMs } from '@tributary/service-kit';

/**
 * Retry delays in ms, indexed by how many times the current step has failed in a row (1-based; the
 * last entry repeats).
 *
 * - REVERT_BACKOFF_MS: the step's transaction or its simulation reverted on chain (a lower nonce still
 *   missing, an OApp that rejects the message). Grows to minutes; a reverting lzReceive is parked after
 *   `pipeline.maxExecuteAttempts` failures.
 * - TRANSIENT_BACKOFF_MS: the RPC failed or timed out, a nonce clashed. Short and capped at 5 s: the
 *   step itself is fine and retrying soon is what completes delivery through a flaky node.
 */
export const REVERT_BACKOFF_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];
export const TRANSIENT_BACKOFF_MS: readonly number[] = [250, 500, 1_000, 2_000, 5_000];

/**
 * Where a packet is in delivery. Terminal: delivered, parked (operator), reorged (not on the canonical chain);
 * `verified` is the verifier role's end (its DVN verification is on the destination; others commit and execute).
 */
export const PACKET_STATUSES = [
  'awaiting_confirmations',
  'verifying',
  'committing',
  'executing',
  'delivered',
  'parked',
  'reorged',
  'verified',
] as const;
export type PacketStatus = (typeof PACKET_STATUSES)[number];
export const ACTIVE_STATUSES: readonly PacketStatus[] = ['awaiting_confirmations', 'verifying', 'committing', 'executing'];

/** Pipeline stage of an active packet: read chain state and pick a step, or wait for a sent transaction. */
export type PipelineStage = 'prepare' | 'confirm';

/** Destination transactions the relayer sends. */
export type DeliveryAction = 'verify' | 'commit' | 'execute';

const TRANSITIONS: Record<PacketStatus, readonly PacketStatus[]> = {
  awaiting_confirmations: ['awaiting_confirmations', 'verifying', 'committing', 'executing', 'delivered', 'reorged', 'verified'],
  verifying: ['verifying', 'committing', 'executing', 'delivered', 'reorged', 'awaiting_confirmations', 'verified'],
  committing: ['committing', 'executing', 'delivered', 'verifying'],
  executing: ['executing', 'delivered', 'parked', 'committing'],
  delivered: ['delivered'],
  parked: ['parked', 'executing'],
  reorged: ['reorged', 'awaiting_confirmations'],
  verified: ['verified'],
};

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
}

export function assertTransition(from: PacketStatus, to: PacketStatus): void {
  if (!TRANSITIONS[from].includes(to)) throw new InvalidTransitionError(`packet cannot go from ${from} to ${to}`);
}

/** What the destination chain says about one packet (read before every step). */
export interface DeliveryView {
  /** Executed: nonce ≤ lazyInboundNonce and the payload hash is cleared. */
  executed: boolean;
  /** Committed on the endpoint: inboundPayloadHash == payloadHash. */
  committed: boolean;
  /** Our DVN's verification is recorded on ReceiveUln302 with enough confirmations. */
  verifiedByUs: boolean;
  /** ReceiveUln302.verifiable: every required DVN has verified. */
  verifiable: boolean;
  /** Every lower nonce of the pathway is committed (nonce ≤ endpoint.inboundNonce). */
  inOrder: boolean;
}

export type NextStep =
  | { status: 'delivered'; action: null }
  | { status: 'executing'; action: 'execute' | null }
  | { status: 'committing'; action: 'commit' | null }
  | { status: 'verifying'; action: 'verify' };

/** The one next step of a confirmed packet, from on-chain state alone (so restarts and peers never redo a step). */
export function nextStep(view: DeliveryView): NextStep {
  if (view.executed) return { status: 'delivered', action: null };
  if (view.committed) return { status: 'executing', action: view.inOrder ? 'execute' : null };
  if (view.verifiedByUs) return { status: 'committing', action: view.verifiable ? 'commit' : null };
  return { status: 'verifying', action: 'verify' };
}

export interface FailureOutcome {
  status: PacketStatus;
  attempts: number;
  nextAttemptAt: number;
}

/**
 * After a failed step: back off by the table of the failure kind; an lzReceive that keeps reverting is
 * parked once it has failed `maxExecuteAttempts` times in a row (parked rows stay listed and counted, an
 * operator retries them). Transport failures never park.
 */
export function failureOutcome(
  status: PacketStatus,
  kind: 'transient' | 'revert',
  action: DeliveryAction | null,
  attempts: number,
  maxExecuteAttempts: number,
  now: number,
): FailureOutcome {
  const failed = attempts + 1;
  if (kind === 'revert' && action === 'execute' && failed >= maxExecuteAttempts) return { status: 'parked', attempts: failed, nextAttemptAt: now };
  return { status, attempts: failed, nextAttemptAt: now + backoffMs(failed, kind === 'revert' ? REVERT_BACKOFF_MS : TRANSIENT_BACKOFF_MS) };
}
