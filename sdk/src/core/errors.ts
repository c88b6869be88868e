import type { Stage } from './operation';

/**
 * What went wrong, as a stable string callers match on (the CLI maps each to its own exit code). Every error the
 * SDK throws on purpose is a `TributaryError` with one of these.
 */
export type TributaryErrorCode =
  | 'invalid-argument'
  | 'unknown-chain'
  | 'unlisted-asset'
  | 'no-market'
  | 'no-position'
  | 'insufficient-balance'
  | 'insufficient-native'
  | 'vault-paused'
  | 'deposit-cap'
  | 'withdrawal-rejected'
  | 'insufficient-credit'
  | 'credit-stale'
  | 'account-liquidatable'
  | 'seizure-in-flight'
  | 'insufficient-cash'
  | 'pool-liquidity'
  | 'position-cap'
  | 'reverted'
  | 'timeout'
  | 'api-error'
  | 'api-unreachable'
  | 'rpc-unreachable';

export class TributaryError extends Error {
  /** Stages an operation had passed when it failed (set by `Operation`). */
  stages?: Stage[];

  constructor(
    readonly code: TributaryErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The hub (or its decider) said no: collateral stays in the vault, unlocked again. */
export class WithdrawalRejectedError extends TributaryError {
  constructor(
    readonly requestId: bigint,
    /** IMarginHub.RejectReason number and name (`PostWithdrawalHealthBelowOne`, `InsufficientCredit`, …). */
    readonly reason: number,
    readonly reasonName: string,
  ) {
    super('withdrawal-rejected', `withdrawal ${requestId} rejected: ${reasonName}`, { requestId: requestId.toString(), reason, reasonName });
  }
}

/** A contract reverted with a custom error the SDK has no specific code for (`errorName` from the ABI). */
export class RevertError extends TributaryError {
  constructor(
    message: string,
    readonly errorName: string | null,
    readonly args: readonly unknown[] = [],
  ) {
    super('reverted', message, { errorName, args: args.map(String) });
  }
}

/** A stage did not happen within its time limit (the operation may still complete later). */
export class StageTimeoutError extends TributaryError {
  constructor(
    readonly stage: string,
    what: string,
    timeoutMs: number,
    hint?: string,
  ) {
    super('timeout', `timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}${hint ? ` (${hint})` : ''}`, { stage, timeoutMs });
  }
}

/** The aggregator answered with an error status. */
export class ApiError extends TributaryError {
  constructor(
    readonly status: number,
    readonly url: string,
    message: string,
  ) {
    super('api-error', `aggregator ${url}: HTTP ${status}${message ? ` ${message}` : ''}`, { status, url });
  }
}
