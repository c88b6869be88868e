import { PacketV1Codec } from '@layerzerolabs/lz-v2-utilities';
import { getAddress, zeroPadValue, type Log } from 'ethers';
import { DVN_JOB_TOPIC, ENDPOINT_ABI, EXECUTOR_JOB_TOPIC, PACKET_SENT_TOPIC, WORKER_ABI } from '../chain/abis';
import type { Pathway } from '../config/relayer-config.schema';
import { decodeExecutorLzReceive } from '../core/executor-options';

/** A PacketSent of one of our pathways whose DVN and executor jobs went to our worker. */
export interface ObservedPacket {
  guid: string;
  srcEid: number;
  dstEid: number;
  sender: string;
  receiver: string;
  nonce: number;
  header: string;
  message: string;
  payloadHash: string;
  receiveGas: bigint;
  receiveValue: bigint;
  blockNumber: number;
  blockHash: string;
  txHash: string;
}

export interface DecodeResult {
  packets: ObservedPacket[];
  /** PacketSent logs skipped, with why (not our pathway, job not ours, bad options). */
  skipped: { txHash: string; reason: string }[];
}

const pathwayKey = (srcEid: number, sender: string, dstEid: number, receiver: string) =>
  `${srcEid}|${sender.toLowerCase()}|${dstEid}|${receiver.toLowerCase()}`;

/**
 * Turns the logs of one scanned range (source endpoint + our worker) into packets to deliver. A packet is
 * ours when it is on a configured pathway and the same transaction carries our worker's DVNJobAssigned
 * (same payload hash) and ExecutorJobAssigned.
 */
export function decodePacketLogs(
  logs: readonly Log[],
  endpoint: string,
  worker: string,
  pathways: readonly Pathway[],
  /** The relayer executes too (its worker must hold the executor job); a verifier only needs the DVN job. */
  requireExecutorJob = true,
): DecodeResult {
  const wanted = new Set(pathways.map((p) => pathwayKey(p.srcEid, zeroPadValue(p.sender, 32), p.dstEid, getAddress(p.receiver))));
  const dvnJobs = new Set<string>();
  const executorJobs = new Set<string>();
  for (const log of logs) {
    if (log.address.toLowerCase() !== worker.toLowerCase()) continue;
    if (log.topics[0] === DVN_JOB_TOPIC) {
      const parsed = WORKER_ABI.parseLog(log)!;
      dvnJobs.add(`${log.transactionHash}|${String(parsed.args.payloadHash).toLowerCase()}`);
    } else if (log.topics[0] === EXECUTOR_JOB_TOPIC) {
      executorJobs.add(log.transactionHash);
    }
  }
  const result: DecodeResult = { packets: [], skipped: [] };
  for (const log of logs) {
    if (log.address.toLowerCase() !== endpoint.toLowerCase() || log.topics[0] !== PACKET_SENT_TOPIC) continue;
    const parsed = ENDPOINT_ABI.parseLog(log)!;
    const codec = PacketV1Codec.from(parsed.args.encodedPayload as string);
    const receiver = getAddress(codec.receiverAddressB20());
    if (!wanted.has(pathwayKey(codec.srcEid(), codec.sender(), codec.dstEid(), receiver))) {
      result.skipped.push({ txHash: log.transactionHash, reason: 'not a configured pathway' });
      continue;
    }
    const payloadHash = codec.payloadHash().toLowerCase();
    if (!dvnJobs.has(`${log.transactionHash}|${payloadHash}`) || (requireExecutorJob && !executorJobs.has(log.transactionHash))) {
      result.skipped.push({ txHash: log.transactionHash, reason: 'DVN/executor job not assigned to our worker' });
      continue;
    }
    let gas: { gas: bigint; value: bigint };
    try {
      gas = decodeExecutorLzReceive(parsed.args.options as string);
    } catch (error) {
      result.skipped.push({ txHash: log.transactionHash, reason: `options: ${(error as Error).message}` });
      continue;
    }
    result.packets.push({
      guid: codec.guid().toLowerCase(),
      srcEid: codec.srcEid(),
      dstEid: codec.dstEid(),
      sender: codec.sender().toLowerCase(),
      receiver,
      nonce: Number(codec.nonce()),
      header: codec.header(),
      message: codec.message(),
      payloadHash,
      receiveGas: gas.gas,
      receiveValue: gas.value,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      txHash: log.transactionHash,
    });
  }
  return result;
}
