import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Clock } from '@tributary/service-kit';
import { DELIVERY_WORKER_ABI, ENDPOINT_ABI, RECEIVE_ULN_ABI } from '../../src/chain/abis';
import type { ChainRegistry } from '../../src/chain/chain-registry';
import type { PacketEntity } from '../../src/database/packet.entity';
import { RelayerMetrics } from '../../src/metrics/relayer-metrics';
import { DeliveryBatch } from '../../src/pipeline/delivery-batch';
import { PacketProcessor } from '../../src/pipeline/packet-processor';
import { StepError } from '../../src/pipeline/step-error';
import { packetRow } from '../helpers/packet-rows';
import type { PacketRepository } from '../../src/store/packet.repository';

const WORKER = '0x' + '77'.repeat(20);
const TX = '0x' + 'ab'.repeat(32);
const hex32 = (n: number) => '0x' + n.toString(16).padStart(64, '0');

class FixedClock extends Clock {
  override now(): number {
    return 5_000;
  }
}

/** A packet of pathway 1 → 2 (the fake destination `HUB`); tests override its state. */
const hubPacket = (overrides: Partial<PacketEntity>): PacketEntity =>
  packetRow(1, {
    srcEid: 1,
    dstEid: 2,
    sender: hex32(0x11),
    receiver: '0x' + '22'.repeat(20),
    header: '0x01',
    payloadHash: hex32(9),
    receiveGas: '100000',
    ...overrides,
  });

/** A PacketProcessor whose one destination (eid 2, `HUB`) answers through `rpc`; every save is collected in `patches`. */
function processorOver(rpc: object, role: 'relayer' | 'verifier' = 'relayer') {
  const dst = {
    config: { eid: 2, name: 'HUB', deliveryWorker: WORKER, endpoint: '0x' + '33'.repeat(20), receiveUln302: '0x' + '44'.repeat(20) },
    rpc,
  };
  const chains = {
    get: () => dst,
    submitter: () => ({ address: '0x' + '55'.repeat(20) }),
    dvnAddress: () => WORKER,
    nameOf: (eid: number) => `eid${eid}`,
  } as unknown as ChainRegistry;
  const patches: Partial<PacketEntity>[] = [];
  const packets = {
    updateClaimed: async (_g: string, _w: string, patch: Partial<PacketEntity>) => (patches.push(patch), true),
  } as unknown as PacketRepository;
  const metrics = new RelayerMetrics(new Registry(), role);
  const processor = new PacketProcessor(chains, packets, metrics, new FixedClock(), {
    role,
    workerId: 'w',
    config: { pipeline: { confirmPollMs: 250, maxExecuteAhead: 32 } },
  } as never);
  return { processor, patches, metrics };
}

/** A packet whose batch transaction `TX` is mined; the destination reports it executed (hash cleared, lazy nonce past it). */
function setup(role: 'relayer' | 'verifier', failedGuids: string[], reason = '0xdeadbeef') {
  const packet = hubPacket({
    nonce: 3,
    status: 'verifying',
    stage: 'confirm',
    pendingAction: 'verify',
    pendingTxHash: TX,
    pendingTxNonce: 0,
    confirmedAt: 4_000,
  });
  const event = DELIVERY_WORKER_ABI.getEvent('LzReceiveFailed')!;
  const logs = failedGuids.map((guid) => ({ address: WORKER, ...DELIVERY_WORKER_ABI.encodeEventLog(event, [guid, 0n, reason]) }));
  let receiptReads = 0;
  const rpc = {
    receipt: async () => (receiptReads++, { status: 1, hash: TX, logs }),
    call: async (_to: string, data: string) => {
      const method = ENDPOINT_ABI.parseTransaction({ data })!.name;
      return method === 'inboundPayloadHash'
        ? ENDPOINT_ABI.encodeFunctionResult(method, [hex32(0)])
        : ENDPOINT_ABI.encodeFunctionResult(method, [3n]);
    },
  };
  return { ...processorOver(rpc, role), packet, receiptReads: () => receiptReads };
}

describe('confirm of a DeliveryWorker batch', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('re-reads the chain after a mined batch: delivered, latency observed, receipt read once per tick for its packets', async () => {
    const { processor, packet, patches, metrics, receiptReads } = setup('relayer', []);
    await processor.advance(packet, new DeliveryBatch());
    expect(packet.status).toBe('delivered');
    expect(packet.deliveredAt).toBe(5_000);
    expect(patches[0]).toMatchObject({ stage: 'prepare', pendingTxHash: null });
    const text = await metrics.registry.getSingleMetricAsString('tributary_relayer_delivery_latency_seconds');
    expect(text).toMatch(/delivery_latency_seconds_count\{src_chain="eid1",dst_chain="eid2"\} 1/);
    const other = { ...packet, guid: hex32(2), stage: 'confirm', pendingTxHash: TX, pendingAction: 'verify', status: 'verifying' } as PacketEntity;
    await processor.advance(other, new DeliveryBatch());
    expect(receiptReads()).toBe(1);
  });

  it("turns the packet's LzReceiveFailed into an execute revert (backoff, then parking)", async () => {
    const { processor, packet, patches } = setup('relayer', [hex32(1)]);
    const error = await processor.advance(packet, new DeliveryBatch()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect(error).toMatchObject({ kind: 'revert', action: 'execute' });
    expect((error as Error).message).toContain('0xdeadbeef');
    expect(patches.at(-1)).toMatchObject({ status: 'executing', stage: 'prepare' });
  });

  it('an lzReceive that found a lower nonce uncommitted (LZ_InvalidNonce, another batch came first) waits, not a failure', async () => {
    const invalidNonce = '0xc09b6350' + 2n.toString(16).padStart(64, '0');
    const { processor, packet, patches } = setup('relayer', [hex32(1)], invalidNonce);
    await processor.advance(packet, new DeliveryBatch());
    expect(patches.at(-1)).toMatchObject({ status: 'executing', stage: 'prepare', pendingTxHash: null, nextAttemptAt: 5_500 });
    expect(packet.attempts).toBe(0);
  });

  it('ignores another packet’s failure, and the verifier never retries an lzReceive', async () => {
    const other = setup('relayer', [hex32(7)]);
    await other.processor.advance(other.packet, new DeliveryBatch());
    expect(other.packet.status).toBe('delivered');
    const verifier = setup('verifier', [hex32(1)]);
    await verifier.processor.advance(verifier.packet, new DeliveryBatch());
    expect(verifier.packet.status).toBe('verified');
  });
});

describe('execute of a committed packet far ahead of its pathway', () => {
  beforeAll(() => Logger.overrideLogger(false));

  /** Nonce 100, committed, every lower nonce committed; the endpoint's lazy nonce is `lazy`. */
  async function prepare(lazy: bigint) {
    const packet = hubPacket({ nonce: 100, status: 'executing', stage: 'prepare' });
    const ulnConfig = [1n, 0, 0, 0, [WORKER], []];
    const call = async (_to: string, data: string) => {
      const endpoint = ENDPOINT_ABI.parseTransaction({ data });
      if (!endpoint) return RECEIVE_ULN_ABI.encodeFunctionResult('getUlnConfig', [ulnConfig]);
      const answers: Record<string, unknown> = { inboundPayloadHash: hex32(9), inboundNonce: 100n, lazyInboundNonce: lazy };
      return ENDPOINT_ABI.encodeFunctionResult(endpoint.name, [answers[endpoint.name]]);
    };
    const { processor, patches } = processorOver({ call });
    const batch = new DeliveryBatch();
    await processor.advance(packet, batch);
    return { batch, patches };
  }

  it('waits while more than maxExecuteAhead unexecuted nonces lie below it (its lzReceive would scan them all)', async () => {
    const { batch, patches } = await prepare(66n); // 33 below
    expect(batch.size).toBe(0);
    expect(patches.at(-1)).toMatchObject({ status: 'executing', nextAttemptAt: 5_500 });
  });

  it('executes within the bound', async () => {
    const { batch } = await prepare(67n); // 32 below
    expect(batch.destinations()[0]![1].map((e) => e.action)).toEqual(['execute']);
  });
});
