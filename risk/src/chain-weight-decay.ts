export interface ChainWeightDecayInput {
  /** Configured weight v_c in [0, 1]. */
  configuredWeight: number;
  heartbeatSeconds: number;
  decayWindowSeconds: number;
  /**
   * Unix seconds of the chain's last delivered message of ANY type — attestation, withdrawal request or heartbeat
   * (undefined: none yet; counted from `since`). A quiet chain stays live through heartbeats alone.
   */
  lastMessageAt: number | undefined;
  /** Unix seconds to measure from when no message was ever delivered (e.g. when the chain was added). */
  since?: number;
  now: number;
}

/**
 * Effective chain weight: the configured value while some message of the chain arrives within its heartbeat;
 * after that it falls linearly to 0 over `decayWindowSeconds` (a silent chain's balances may be stale).
 */
export function decayedChainWeight(input: ChainWeightDecayInput): number {
  const { configuredWeight, heartbeatSeconds, decayWindowSeconds, now } = input;
  if (!(configuredWeight >= 0 && configuredWeight <= 1)) throw new RangeError('configuredWeight must be in [0, 1]');
  if (!(heartbeatSeconds >= 0) || !(decayWindowSeconds >= 0)) throw new RangeError('heartbeat and decay window must be ≥ 0');
  const reference = input.lastMessageAt ?? input.since ?? now;
  const silentFor = now - reference;
  if (silentFor <= heartbeatSeconds) return configuredWeight;
  if (decayWindowSeconds === 0) return 0;
  const remaining = 1 - (silentFor - heartbeatSeconds) / decayWindowSeconds;
  return configuredWeight * Math.max(0, remaining);
}
