import type { DeliveryAction, PipelineStage } from '../core/packet-state';
import { messageOf } from '../tx/tx-submitter';

/** Why a pipeline step failed: transient (RPC, transport, nonce) or an on-chain revert. */
export type FailureKind = 'transient' | 'revert';

export class StepError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly action: DeliveryAction | null = null,
    readonly stage: PipelineStage | 'watch' = 'prepare',
  ) {
    super(message);
    this.name = 'StepError';
  }

  static wrap(error: unknown, action: DeliveryAction | null, stage: PipelineStage): StepError {
    if (error instanceof StepError) return new StepError(error.message, error.kind, error.action ?? action, stage);
    return new StepError(messageOf(error).slice(0, 500), classifyFailure(error), action, stage);
  }
}

/** eth_call reverts come back from ethers as CALL_EXCEPTION; anything else is treated as transient. */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof StepError) return error.kind;
  const code = (error as { code?: string })?.code;
  return code === 'CALL_EXCEPTION' ? 'revert' : 'transient';
}

/** The claim on a row expired and another worker took it: stop touching the row. */
export class ClaimLostError extends Error {
  override name = 'ClaimLostError';
}
