import { getAddress, keccak256, concat, dataSlice, getBytes, toBigInt } from 'ethers';

/** Byte offsets of LayerZero's PacketV1 encoding (as in PacketV1Codec.sol). */
export const PACKET_OFFSETS = {
  version: 0,
  nonce: 1,
  srcEid: 9,
  sender: 13,
  dstEid: 45,
  receiver: 49,
  guid: 81,
  message: 113,
} as const;
export const PACKET_HEADER_LENGTH = PACKET_OFFSETS.guid;

/** A decoded `PacketSent.encodedPayload`. */
export interface DecodedPacket {
  version: number;
  nonce: bigint;
  srcEid: number;
  sender: string;
  dstEid: number;
  receiver: string;
  guid: string;
  message: string;
  header: string;
  payloadHash: string;
}

export function decodePacket(encoded: string): DecodedPacket {
  const bytes = getBytes(encoded);
  if (bytes.length < PACKET_OFFSETS.message) throw new Error(`packet too short: ${bytes.length} bytes`);
  const o = PACKET_OFFSETS;
  const u = (from: number, to: number) => toBigInt(dataSlice(bytes, from, to));
  const guid = dataSlice(bytes, o.guid, o.message);
  const message = dataSlice(bytes, o.message);
  return {
    version: bytes[o.version],
    nonce: u(o.nonce, o.srcEid),
    srcEid: Number(u(o.srcEid, o.sender)),
    sender: dataSlice(bytes, o.sender, o.dstEid),
    dstEid: Number(u(o.dstEid, o.receiver)),
    receiver: getAddress(dataSlice(bytes, o.receiver + 12, o.guid)),
    guid,
    message,
    header: dataSlice(bytes, 0, PACKET_HEADER_LENGTH),
    payloadHash: keccak256(concat([guid, message])),
  };
}
