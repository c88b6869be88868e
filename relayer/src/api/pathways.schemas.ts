import { z } from 'zod';
import { PACKET_STATUSES } from '../core/packet-state';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const isoTime = z.iso.datetime();
const count = z.number().int().min(0);
const seconds = z.number().finite().min(0);

/** Delivered packets the latency percentiles are taken over (the most recent by nonce). */
export const LATENCY_SAMPLE_SIZE = 100;

export const pathwayViewSchema = z.object({
  srcEid: z.number().int().positive(),
  srcChain: z.string(),
  dstEid: z.number().int().positive(),
  dstChain: z.string(),
  sender: address,
  receiver: address,
  lastPacket: z
    .object({
      nonce: count,
      guid: bytes32,
      status: z.enum(PACKET_STATUSES),
      srcBlockNumber: count,
      srcTxHash: bytes32,
      /** When the relayer saw the PacketSent. */
      seenAt: isoTime,
      deliveredAt: isoTime.nullable(),
    })
    .nullable(),
  /** Packets seen but not delivered yet (awaiting confirmations, verifying, committing, executing). */
  backlog: count,
  oldestUndeliveredSeenAt: isoTime.nullable(),
  parked: count,
  /** Source confirmation → lzReceive mined, over the last LATENCY_SAMPLE_SIZE delivered packets (nearest rank). */
  latency: z.object({ samples: count, p50Seconds: seconds.nullable(), p99Seconds: seconds.nullable() }),
});

export const signerBalanceSchema = z.object({
  chain: z.string(),
  eid: z.number().int().positive(),
  address,
  /** Wei as a decimal string; null until read once. */
  balanceWei: z.string().regex(/^\d+$/).nullable(),
  readAt: isoTime.nullable(),
  /** The last read's failure (the balance shown is then the previous reading). */
  error: z.string().nullable(),
});

export const pathwaysResponseSchema = z.object({
  generatedAt: isoTime,
  pathways: z.array(pathwayViewSchema),
  signers: z.array(signerBalanceSchema),
});

export type PathwayView = z.output<typeof pathwayViewSchema>;
export type PathwaysResponse = z.output<typeof pathwaysResponseSchema>;
