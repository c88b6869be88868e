import { PacketV1Codec } from '@layerzerolabs/lz-v2-utilities';
import { Transaction, type Log } from 'ethers';
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

/**
 * Gas of one iteration of the endpoint's lazy nonce scan: `lzReceive` of nonce n first checks every nonce between
 * the pathway's `lazyInboundNonce` and n (a cold read each) and runs on the lzReceive budget.
 */
export const LAZY_SCAN_GAS_PER_NONCE = 2_300n;

/** lzReceive budget inside a batch: the packet's own lzReceive gas, the endpoint's work around the app call and its scan. */
export const lzReceiveBudget = (packet: PacketEntity, gas: GasSettings, scan = 0n): bigint =>
  BigInt(packet.receiveGas) + BigInt(gas.batchExecuteOverhead) + scan * LAZY_SCAN_GAS_PER_NONCE;

/** Gas a batch reserves for one packet: its lzReceive budget (the worker checks it is all there) and the rest. */
export const entryGas = (packet: PacketEntity, gas: GasSettings, scan = 0n): bigint =>
  lzReceiveBudget(packet, gas, scan) + BigInt(gas.batchGasPerPacket);

/** The batch's transaction base cost beside its packets (21k intrinsic, the call, the summary event). */
export const BATCH_BASE_GAS = 60_000n;

/** One pathway of the endpoint: `lazyInboundNonce(receiver, srcEid, sender)` is kept per pathway. */
export const pathwayKey = (p: Pick<PacketEntity, 'srcEid' | 'sender' | 'receiver'>): string =>
  `${p.srcEid}|${p.sender.toLowerCase()}|${p.receiver.toLowerCase()}`;

/** A planned entry with the nonces its lzReceive scans (0 when every lower nonce is executed before it). */
export interface PlannedEntry extends BatchEntry {
  scan: bigint;
}

/**
 * Orders a destination's entries by pathway and nonce (the worker executes after committing all, so lower nonces of
 * one pathway need not come first, but in order every lzReceive finds its lower nonces committed), sizes each one's
 * lazy nonce scan from the pathway's `lazyInboundNonce` (`lazyNonces`, by `pathwayKey`; unknown counts as current)
 * as if every earlier entry executes, then splits them into transactions of at most `maxBatchGas` (sent in order).
 */
export function planBatches(entries: BatchEntry[], gas: GasSettings, lazyNonces = new Map<string, bigint>()): PlannedEntry[][] {
  const sorted = [...entries].sort((a, b) => {
    const ka = pathwayKey(a.packet);
    const kb = pathwayKey(b.packet);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const diff = BigInt(a.packet.nonce) - BigInt(b.packet.nonce);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  });
  const lazy = new Map(lazyNonces);
  const planned = sorted.map((entry): PlannedEntry => {
    const key = pathwayKey(entry.packet);
    const nonce = BigInt(entry.packet.nonce);
    const before = lazy.get(key) ?? nonce - 1n;
    lazy.set(key, nonce > before ? nonce : before);
    return { ...entry, scan: nonce - before - 1n > 0n ? nonce - before - 1n : 0n };
  });
  const max = BigInt(gas.maxBatchGas);
  const batches: PlannedEntry[][] = [];
  let current: PlannedEntry[] = [];
  let used = BATCH_BASE_GAS;
  for (const entry of planned) {
    const need = entryGas(entry.packet, gas, entry.scan);
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
export function encodeBatch(entries: (BatchEntry & { scan?: bigint })[], gas: GasSettings): { data: string; gasLimit: bigint; value: bigint } {
  let gasLimit = BATCH_BASE_GAS;
  let value = 0n;
  const deliveries = entries.map(({ packet, confirmations, scan }) => {
    gasLimit += entryGas(packet, gas, scan);
    value += BigInt(packet.receiveValue);
    return [
      packet.header,
      packet.payloadHash,
      confirmations,
      packet.guid,
      packet.message,
      lzReceiveBudget(packet, gas, scan),
      BigInt(packet.receiveValue),
    ];
  });
  return { data: DELIVERY_WORKER_ABI.encodeFunctionData('verifyAndDeliver', [deliveries]), gasLimit, value };
}

/** `Errors.LZ_InvalidNonce(uint64)` of the endpoint in an lzReceive failure: a lower nonce of the pathway is not committed yet. */
export const LZ_INVALID_NONCE = '0xc09b6350';

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

/**
 * Whether an entry of the same pathway placed before `guid` in the batch transaction `raw` also failed its lzReceive.
 * Then `guid`'s scan budget, planned as if that one executed, was short: its failure (out of gas, empty reason) is
 * that entry's, not its own.
 */
export function failedBehindPathway(raw: string, failed: Map<string, string>, guid: string): boolean {
  const [deliveries] = DELIVERY_WORKER_ABI.decodeFunctionData('verifyAndDeliver', Transaction.from(raw).data);
  const entries = (deliveries as { header: string; guid: string }[]).map((d) => {
    const header = PacketV1Codec.from(d.header);
    return { guid: d.guid.toLowerCase(), pathway: pathwayKey({ srcEid: header.srcEid(), sender: header.sender(), receiver: header.receiver() }) };
  });
  const index = entries.findIndex((e) => e.guid === guid.toLowerCase());
  if (index < 0) return false;
  return entries.slice(0, index).some((e) => e.pathway === entries[index]!.pathway && failed.has(e.guid));
}
