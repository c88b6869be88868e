import { dataSlice, getAddress, keccak256, toNumber } from 'ethers';

/** A packet header (PacketV1): version ‖ nonce ‖ srcEid ‖ sender ‖ dstEid ‖ receiver (81 bytes). */
export interface HeaderFields {
  nonce: number;
  srcEid: number;
  /** bytes32, lower case. */
  sender: string;
  dstEid: number;
  receiver: string;
  /** LayerZero's GUID of the packet: keccak256(nonce ‖ srcEid ‖ sender ‖ dstEid ‖ receiver) = keccak256(header[1:81]). */
  guid: string;
}

export function parseHeader(header: string): HeaderFields {
  return {
    nonce: toNumber(dataSlice(header, 1, 9)),
    srcEid: toNumber(dataSlice(header, 9, 13)),
    sender: dataSlice(header, 13, 45).toLowerCase(),
    dstEid: toNumber(dataSlice(header, 45, 49)),
    receiver: getAddress(dataSlice(header, 61, 81)),
    guid: keccak256(dataSlice(header, 1, 81)).toLowerCase(),
  };
}

/** Another DVN's `PayloadVerified` on a destination ReceiveUln302, for one of the pathways this verifier guards. */
export interface ForeignVerification extends HeaderFields {
  dvn: string;
  payloadHash: string;
  /** Destination block and transaction of the verification. */
  blockNumber: number;
  txHash: string;
  /** Source chain head when the verification was seen: a genuine packet was sent at or below it. */
  sourceHeadAtSight: number;
}

export type Verdict = 'matched' | 'forged' | 'pending';

/**
 * Judges another DVN's verification against what this verifier saw on the source chain itself: the same guid with
 * the same payload hash in its own store → matched. Not there although its own source scan has passed the source
 * head of the moment the verification was seen (a genuine packet was sent before it could be verified) → forged.
 * Otherwise pending (its scan has not got that far yet).
 */
export function judge(
  verification: Pick<ForeignVerification, 'payloadHash' | 'sourceHeadAtSight'>,
  seenPayloadHash: string | undefined,
  sourceNextBlock: number | null,
): Verdict {
  if (seenPayloadHash !== undefined && seenPayloadHash.toLowerCase() === verification.payloadHash.toLowerCase()) return 'matched';
  if (sourceNextBlock !== null && sourceNextBlock > verification.sourceHeadAtSight) return 'forged';
  return 'pending';
}

/** Verifications waiting for a verdict, one per (dvn, guid, payload hash). */
export class SuspectLedger {
  private readonly pending = new Map<string, ForeignVerification>();

  add(verification: ForeignVerification): void {
    const key = `${verification.dvn.toLowerCase()}|${verification.guid}|${verification.payloadHash.toLowerCase()}`;
    if (!this.pending.has(key)) this.pending.set(key, verification);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Settles what can be settled; returns the forged ones (each once) and how many matched. */
  async settle(
    seen: (guid: string) => Promise<string | undefined>,
    sourceNextBlock: (srcEid: number) => Promise<number | null>,
  ): Promise<{ matched: number; forged: ForeignVerification[] }> {
    let matched = 0;
    const forged: ForeignVerification[] = [];
    for (const [key, verification] of this.pending) {
      const verdict = judge(verification, await seen(verification.guid), await sourceNextBlock(verification.srcEid));
      if (verdict === 'pending') continue;
      this.pending.delete(key);
      if (verdict === 'matched') matched++;
      else forged.push(verification);
    }
    return { matched, forged };
  }
}
