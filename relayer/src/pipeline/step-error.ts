import { messageOf } from '@tributary/service-kit';
import type { DeliveryAction, PipelineStage } from '../core/packet-state';

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

/**
 * A real on-chain revert: ethers' CALL_EXCEPTION carrying revert data or a node message about a revert.
 * ethers also reports any JSON-RPC error of an eth_call as CALL_EXCEPTION ("missing revert data"); when
 * the node's message says nothing about reverting (a proxy or node fault), it is transient.
 */
export function isRevert(error: unknown): boolean {
  const detail = error as { code?: string; data?: string; info?: { error?: { message?: string } } } | undefined;
  if (detail?.code !== 'CALL_EXCEPTION') return false;
  if (detail.data && detail.data !== '0x') return true;
  return /revert|out of gas|invalid opcode/i.test(detail.info?.error?.message ?? '');
}

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof StepError) return error.kind;
  return isRevert(error) ? 'revert' : 'transient';
}

/** The claim on a row expired and another worker took it: stop touching the row. */
export class ClaimLostError extends Error {
  override name = 'ClaimLostError';
}
