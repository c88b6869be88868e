import type { Log } from 'ethers';
import { DELIVERY_WORKER_ABI } from '../chain/abis';
import type { GasSettings } from '../config/relayer-config.schema';
import type { DeliveryAction } from '../core/packet-state';
import type { PacketEntity } from '../database/packet.entity';

/** A packet whose next destination step goes into this tick's DeliveryWorker batch. */
export interface BatchEntry {
  packet: PacketEntity;
  action: DeliveryAction;
  /** Source confirmations our DVN reports (the receive config's minimum). */
  confirmations: bigint;
}

/** Packets ready this tick, grouped by destination eid. */
export class DeliveryBatch {
  private readonly byDestination = new Map<number, BatchEntry[]>();

  add(entry: BatchEntry): void {
    const list = this.byDestination.get(entry.packet.dstEid) ?? [];
    list.push(entry);
    this.byDestination.set(entry.packet.dstEid, list);
  }

  destinations(): [number, BatchEntry[]][] {
    return [...this.byDestination];
  }

  get size(): number {
    let n = 0;
    for (const list of this.byDestination.values()) n += list.length;
    return n;
  }
}

/** lzReceive budget inside a batch: the packet's own lzReceive gas plus the endpoint's work around the app call. */
export const lzReceiveBudget = (packet: PacketEntity, gas: GasSettings): bigint => BigInt(packet.receiveGas) + BigInt(gas.batchExecuteOverhead);

/** Gas a batch reserves for one packet: its lzReceive budget (the worker checks it is all there) and the rest. */
export const entryGas = (packet: PacketEntity, gas: GasSettings): bigint => lzReceiveBudget(packet, gas) + BigInt(gas.batchGasPerPacket);

/** The batch's transaction base cost beside its packets (21k intrinsic, the call, the summary event). */
export const BATCH_BASE_GAS = 60_000n;

/**
 * Orders a destination's entries by pathway and nonce (the worker executes after committing all, so lower nonces of
 * one pathway need not come first, but in order every lzReceive finds its lower nonces committed), then splits them
 * into transactions of at most `maxBatchGas`.
 */
export function planBatches(entries: BatchEntry[], gas: GasSettings): BatchEntry[][] {
  const sorted = [...entries].sort((a, b) => {
    const pa = a.packet;
    const pb = b.packet;
    const key = (p: PacketEntity) => `${p.srcEid}|${p.sender.toLowerCase()}|${p.receiver.toLowerCase()}`;
    const ka = key(pa);
    const kb = key(pb);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const diff = BigInt(pa.nonce) - BigInt(pb.nonce);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  });
  const max = BigInt(gas.maxBatchGas);
  const batches: BatchEntry[][] = [];
  let current: BatchEntry[] = [];
  let used = BATCH_BASE_GAS;
  for (const entry of sorted) {
    const need = entryGas(entry.packet, gas);
    if (current.length > 0 && used + need > max) {
      batches.push(current);
      current = [];
      used = BATCH_BASE_GAS;
    }
    current.push(entry);
    used += need;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The `verifyAndDeliver` call of one planned batch. */
export function encodeBatch(entries: BatchEntry[], gas: GasSettings): { data: string; gasLimit: bigint; value: bigint } {
  let gasLimit = BATCH_BASE_GAS;
  let value = 0n;
  const deliveries = entries.map(({ packet, confirmations }) => {
    gasLimit += entryGas(packet, gas);
    value += BigInt(packet.receiveValue);
    return [packet.header, packet.payloadHash, confirmations, packet.guid, packet.message, lzReceiveBudget(packet, gas), BigInt(packet.receiveValue)];
  });
  return { data: DELIVERY_WORKER_ABI.encodeFunctionData('verifyAndDeliver', [deliveries]), gasLimit, value };
}

/** The lzReceive reverts a batch transaction reported (guid → reason data), from the worker's own logs. */
export function failedReceives(logs: readonly Pick<Log, 'address' | 'topics' | 'data'>[], worker: string): Map<string, string> {
  const failed = new Map<string, string>();
  for (const log of logs) {
    if (log.address.toLowerCase() !== worker.toLowerCase()) continue;
    const parsed = DELIVERY_WORKER_ABI.parseLog(log);
    if (parsed?.name === 'LzReceiveFailed') failed.set(String(parsed.args.guid).toLowerCase(), String(parsed.args.reason));
  }
  return failed;
}
