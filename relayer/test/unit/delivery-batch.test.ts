import { Interface, Wallet } from 'ethers';
import { DeliveryWorker__factory } from '@tributary/contracts';
import { Registry } from 'prom-client';
import { DELIVERY_WORKER_ABI } from '../../src/chain/abis';
import { gasSettingsSchema } from '../../src/config/relayer-config.schema';
import type { PacketEntity } from '../../src/database/packet.entity';
import { RelayerMetrics } from '../../src/metrics/relayer-metrics';
import { BatchSubmitter } from '../../src/pipeline/batch-submitter';
import {
  BATCH_BASE_GAS,
  DeliveryBatch,
  LAZY_SCAN_GAS_PER_NONCE,
  encodeBatch,
  entryGas,
  failedBehindPathway,
  failedReceives,
  pathwayKey,
  planBatches,
  type BatchEntry,
} from '../../src/pipeline/delivery-batch';
import { TickMemo } from '../../src/pipeline/tick-memo';

const gas = gasSettingsSchema.parse({});
const WORKER = '0x' + '77'.repeat(20);
const hex32 = (n: number) => '0x' + n.toString(16).padStart(64, '0');

function packet(nonce: number, over: Partial<PacketEntity> = {}): PacketEntity {
  return {
    guid: hex32(1000 + nonce + (over.srcEid ?? 0)),
    srcEid: 1,
    dstEid: 2,
    sender: '0x' + '00'.repeat(12) + '11'.repeat(20),
    receiver: '0x' + '22'.repeat(20),
    nonce: String(nonce),
    header: '0x01' + '00'.repeat(80),
    payloadHash: hex32(nonce),
    message: '0xabcd',
    receiveGas: '120000',
    receiveValue: '0',
    ...over,
  } as PacketEntity;
}
const entry = (p: PacketEntity): BatchEntry => ({ packet: p, action: 'verify', confirmations: 1n });

describe('delivery batches', () => {
  it('groups packets by destination', () => {
    const batch = new DeliveryBatch();
    batch.add(entry(packet(1)));
    batch.add(entry(packet(2, { dstEid: 3 })));
    batch.add(entry(packet(3)));
    expect(batch.size).toBe(3);
    expect(batch.destinations().map(([eid, list]) => [eid, list.map((e) => e.packet.nonce)])).toEqual([
      [2, ['1', '3']],
      [3, ['2']],
    ]);
  });

  it('tells a failure caused by an earlier failed entry of the same pathway (its scan budget was short) from its own', async () => {
    const header = (nonce: number, srcEid: number) =>
      '0x01' + nonce.toString(16).padStart(16, '0') + srcEid.toString(16).padStart(8, '0') + '11'.repeat(32) + '00000002' + '22'.repeat(32);
    const entries = [packet(5, { header: header(5, 1) }), packet(6, { header: header(6, 1) }), packet(2, { srcEid: 7, header: header(2, 7) })].map(
      entry,
    );
    const { data } = encodeBatch(entries, gas);
    const raw = await Wallet.createRandom().signTransaction({ to: WORKER, data, gasLimit: 1_000_000n, chainId: 1n, maxFeePerGas: 1n });
    const [a, b, c] = entries.map((e) => e.packet.guid);
    expect(
      failedBehindPathway(
        raw,
        new Map([
          [a!, '0x1234'],
          [b!, '0x'],
        ]),
        b!,
      ),
    ).toBe(true);
    expect(failedBehindPathway(raw, new Map([[b!, '0x']]), b!)).toBe(false); // nothing before it failed
    expect(
      failedBehindPathway(
        raw,
        new Map([
          [a!, '0x1234'],
          [c!, '0x'],
        ]),
        c!,
      ),
    ).toBe(false); // another pathway
  });

  it("budgets each lzReceive's lazy nonce scan from its pathway's lazyInboundNonce, as if earlier entries executed", () => {
    const other = { srcEid: 5 };
    const entries = [packet(12), packet(11), packet(15), packet(7, other)].map(entry);
    const lazy = new Map([[pathwayKey(packet(1)), 8n]]); // srcEid 5 unknown: planned as if its lower nonces executed
    const [only] = planBatches(entries, gas, lazy);
    expect(only!.map((e) => [`${e.packet.srcEid}:${e.packet.nonce}`, e.scan])).toEqual([
      ['1:11', 2n], // 9 and 10 are scanned
      ['1:12', 0n],
      ['1:15', 2n], // 13, 14
      ['5:7', 0n],
    ]);
    const encoded = encodeBatch(only!, gas);
    const plain = encodeBatch(
      only!.map((e) => ({ ...e, scan: 0n })),
      gas,
    );
    expect(encoded.gasLimit - plain.gasLimit).toBe(4n * LAZY_SCAN_GAS_PER_NONCE);
    const budgets = DELIVERY_WORKER_ABI.decodeFunctionData('verifyAndDeliver', encoded.data)[0].map((d: unknown[]) => d[5] as bigint);
    expect(budgets[0] - budgets[1]).toBe(2n * LAZY_SCAN_GAS_PER_NONCE);
  });

  it('orders by pathway and nonce (numerically) and splits at maxBatchGas', () => {
    const entries = [packet(10), packet(9), packet(2, { srcEid: 5 }), packet(100)].map(entry);
    const [only] = planBatches(entries, gas);
    expect(only!.map((e) => `${e.packet.srcEid}:${e.packet.nonce}`)).toEqual(['1:9', '1:10', '1:100', '5:2']);

    const perPacket = entryGas(packet(1), gas);
    const small = { ...gas, maxBatchGas: Number(BATCH_BASE_GAS + 2n * perPacket) };
    const split = planBatches(
      [1, 2, 3, 4, 5].map((n) => entry(packet(n))),
      small,
    );
    expect(split.map((b) => b.map((e) => e.packet.nonce))).toEqual([['1', '2'], ['3', '4'], ['5']]);
    // A packet bigger than the cap still goes, alone.
    expect(planBatches([entry(packet(1)), entry(packet(2, { receiveGas: '99000000' }))], small).map((b) => b.length)).toEqual([1, 1]);
  });

  it('encodes verifyAndDeliver with each lzReceive budget, summing gas and value', () => {
    const entries = [entry(packet(1, { receiveValue: '5' })), entry(packet(2, { receiveGas: '300000', receiveValue: '7' }))];
    const { data, gasLimit, value } = encodeBatch(entries, gas);
    expect(value).toBe(12n);
    expect(gasLimit).toBe(BATCH_BASE_GAS + 2n * BigInt(gas.batchGasPerPacket + gas.batchExecuteOverhead) + 420_000n);
    const [decoded] = DELIVERY_WORKER_ABI.decodeFunctionData('verifyAndDeliver', data);
    expect(decoded.length).toBe(2);
    expect(decoded[1].gasLimit).toBe(300_000n + BigInt(gas.batchExecuteOverhead));
    expect(decoded[1].value).toBe(7n);
    expect(decoded[0].confirmations).toBe(1n);
    expect(decoded[0].payloadHash).toBe(hex32(1));
  });

  it("reads failed lzReceives from the worker's own logs only", () => {
    const event = DELIVERY_WORKER_ABI.getEvent('LzReceiveFailed')!;
    const log = (address: string, guid: string) => ({ address, ...DELIVERY_WORKER_ABI.encodeEventLog(event, [guid, 1n, '0x12345678']) });
    const failed = failedReceives([log(WORKER, hex32(5)), log('0x' + '88'.repeat(20), hex32(6))], WORKER.toUpperCase().replace('0X', '0x'));
    expect([...failed]).toEqual([[hex32(5), '0x12345678']]);
  });

  it('memoizes a read for the tick, and forgets it on reset', async () => {
    const memo = new TickMemo();
    let reads = 0;
    const read = async () => ++reads;
    expect(await Promise.all([memo.get('a', read), memo.get('a', read)])).toEqual([1, 1]);
    memo.reset();
    expect(await memo.get('a', read)).toBe(2);
  });
});

describe('BatchSubmitter', () => {
  function setup(fail?: Error) {
    const sent: { to: string; data: string; gasLimit: bigint; value: bigint }[] = [];
    const stored: Record<string, Partial<PacketEntity>> = {};
    const order: string[] = [];
    const signer = Wallet.createRandom();
    let nonce = 0;
    const submitter = {
      address: signer.address,
      send: async (request: (typeof sent)[number], journal: { record: (tx: { hash: string; nonce: number; raw: string }) => Promise<void> }) => {
        if (fail) throw fail;
        const tx = { hash: hex32(9000 + nonce), nonce: nonce++, raw: '0xraw' };
        await journal.record(tx);
        order.push('broadcast');
        sent.push(request);
        return tx;
      },
    };
    const dstConfig = { name: 'hub', eid: 2, deliveryWorker: WORKER, gas };
    const lazyReads: string[] = [];
    // The endpoint's lazyInboundNonce of a packet's pathway: 0 (nothing executed yet).
    const lazyNonce = async (p: PacketEntity) => (lazyReads.push(pathwayKey(p)), 0n);
    const chains = { get: () => ({ config: dstConfig }), submitter: () => submitter };
    const packets = {
      updateClaimed: async (guid: string, _worker: string, patch: Partial<PacketEntity>) => ((stored[guid] = patch), order.push('store'), true),
      flush: async () => void order.push('flush'),
    };
    const metrics = new RelayerMetrics(new Registry());
    const clock = { now: () => 1_000 };
    const setupValue = { workerId: 'w', config: { pipeline: { confirmPollMs: 250 } } };
    const submitterService = new BatchSubmitter(chains as never, packets as never, metrics, clock as never, setupValue as never);
    return { sent, stored, order, lazyReads, submit: (batch: DeliveryBatch) => submitterService.submit(batch, lazyNonce) };
  }

  it('sends one transaction to the DeliveryWorker for all packets of a destination, stored before broadcast', async () => {
    const { submit, sent, stored, order, lazyReads } = setup();
    const batch = new DeliveryBatch();
    for (const n of [3, 1, 2]) batch.add({ packet: packet(n), action: n === 1 ? 'execute' : 'verify', confirmations: 1n });
    expect(await submit(batch)).toEqual([]);
    expect(lazyReads).toHaveLength(1); // one pathway, one read
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(WORKER);
    const [decoded] = DELIVERY_WORKER_ABI.decodeFunctionData('verifyAndDeliver', sent[0]!.data);
    expect(decoded.map((d: { payloadHash: string }) => d.payloadHash)).toEqual([hex32(1), hex32(2), hex32(3)]);
    expect(order).toEqual(['store', 'store', 'store', 'flush', 'broadcast']);
    expect(stored[packet(1).guid]).toMatchObject({
      status: 'executing',
      stage: 'confirm',
      pendingAction: 'execute',
      pendingTxHash: hex32(9000),
      nextAttemptAt: 1_250,
    });
    expect(stored[packet(2).guid]).toMatchObject({ status: 'verifying', pendingAction: 'verify', pendingTxHash: hex32(9000) });
  });

  it('returns the entries of a batch it could not send, for the usual backoff', async () => {
    const { submit } = setup(new Error('connect ECONNREFUSED'));
    const batch = new DeliveryBatch();
    batch.add(entry(packet(1)));
    batch.add(entry(packet(2)));
    const failures = await submit(batch);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.entries.map((e) => e.packet.nonce)).toEqual(['1', '2']);
    expect((failures[0]!.error as Error).message).toContain('ECONNREFUSED');
  });

  it("matches the contract's ABI (call and events)", () => {
    const artifact = new Interface(DeliveryWorker__factory.abi);
    for (const name of ['verifyAndDeliver']) expect(DELIVERY_WORKER_ABI.getFunction(name)!.selector).toBe(artifact.getFunction(name)!.selector);
    for (const name of ['BatchDelivered', 'LzReceiveFailed'])
      expect(DELIVERY_WORKER_ABI.getEvent(name)!.topicHash).toBe(artifact.getEvent(name)!.topicHash);
  });
});
