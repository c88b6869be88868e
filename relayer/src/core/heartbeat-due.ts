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

/** A packet this relayer saw leave the chain: when it first saw it (wall clock ms) and the source transaction. */
export interface SeenPacket {
  seenAt: number;
  txHash: string;
}

/** This process's last heartbeat of the chain: when it sent it (wall clock ms) and its hash (null: the send failed, no message). */
export interface OwnHeartbeat {
  sentAt: number;
  txHash: string | null;
}

/**
 * When the chain last sent a message, as far as this relayer can tell: its own heartbeat counts from the moment it
 * was sent, in flight or seen (the scan sees it seconds later; counting from then would push the next heartbeat
 * back by the scan lag and let the hub's silence exceed heartbeat_c); anyone else's packet from when it was first
 * seen. Wall-clock times only: a local chain's block time can run ahead of the wall clock.
 */
export function lastChainMessageAt(newest: SeenPacket | null, own: OwnHeartbeat | null): number | null {
  if (!own?.txHash) return newest?.seenAt ?? null;
  if (!newest || newest.seenAt < own.sentAt || newest.txHash.toLowerCase() === own.txHash.toLowerCase()) return own.sentAt;
  return newest.seenAt;
}
