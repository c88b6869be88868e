/**
 * When the relayer calls a vault's `heartbeat()`: once the chain has sent no message of any kind for half its
 * heartbeat period (heartbeat_c / 2), so a quiet chain's next message (this one) reaches the hub well inside
 * heartbeat_c and its weight never decays. The vault itself refuses more than one heartbeat per quarter period.
 */
export interface HeartbeatInput {
  /** Wall clock, ms. */
  now: number;
  /** heartbeat_c of the chain, s. */
  heartbeatSeconds: number;
  /** The chain's last outgoing vault message as this relayer knows it (a PacketSent seen, or its own heartbeat sent), wall clock ms; null = none known. */
  lastMessageAt: number | null;
  /** This process's last heartbeat transaction for the chain, ms (not yet visible as a message); null = none. */
  lastAttemptAt: number | null;
}

export function heartbeatDue(input: HeartbeatInput): boolean {
  const half = (input.heartbeatSeconds * 1000) / 2;
  const quarter = half / 2;
  if (input.lastAttemptAt !== null && input.now - input.lastAttemptAt < quarter) return false;
  if (input.lastMessageAt === null) return true;
  return input.now - input.lastMessageAt >= half;
}
