import { Logger } from '@nestjs/common';
import { Interface } from 'ethers';
import { Registry } from 'prom-client';
import { Clock } from '@tributary/service-kit';
import type { ChainContext, ChainRegistry } from '../../src/chain/chain-registry';
import { RelayerMetrics } from '../../src/metrics/relayer-metrics';
import { HeartbeatSender } from '../../src/pipeline/heartbeat-sender';
import type { PacketRepository } from '../../src/store/packet.repository';

const T0 = 1_800_000_000_000;
const VAULT = new Interface(['function heartbeat() payable', 'function quote(uint8 messageType) view returns (uint256)']);

class FakeClock extends Clock {
  ms = T0;
  override now(): number {
    return this.ms;
  }
}

/** One collateral chain (heartbeat 60 s) whose vault records every heartbeat() sent; `newest` is the packet the scan saw last. */
function setup(role: 'relayer' | 'verifier' = 'relayer') {
  const clock = new FakeClock();
  const sent: { at: number; hash: string; value: bigint }[] = [];
  let newest: { seenAt: number; txHash: string } | null = null;
  const chain = {
    config: { eid: 40102, name: 'COLLATERAL_A', vault: '0x00000000000000000000000000000000000000aa', heartbeatSeconds: 60 },
    rpc: { call: async () => VAULT.encodeFunctionResult('quote', [7n]) },
    submitter: {
      send: async (request: { data: string; value: bigint }) => {
        expect(request.data).toBe(VAULT.encodeFunctionData('heartbeat'));
        const hash = `0x${String(sent.length + 1).padStart(64, '0')}`;
        sent.push({ at: clock.ms, hash, value: request.value });
        return { hash };
      },
    },
  } as unknown as ChainContext;
  const chains = { all: () => [chain] } as unknown as ChainRegistry;
  const packets = { newestFrom: async () => newest } as unknown as PacketRepository;
  const sender = new HeartbeatSender({ role }, chains, packets, new RelayerMetrics(new Registry(), role), clock);
  const at = async (seconds: number) => {
    clock.ms = T0 + seconds * 1000;
    return sender.tick();
  };
  const seen = (seconds: number, txHash: string) => (newest = { seenAt: T0 + seconds * 1000, txHash });
  return { sender, sent, at, seen };
}

describe('HeartbeatSender (relayer: heartbeat_c / 2 of quiet, its own heartbeat counted from the send)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('sends at once for a chain with no known message, then every half period counted from its own sends', async () => {
    const { sent, at, seen } = setup();
    expect(await at(0)).toBe(1);
    expect(sent[0]).toMatchObject({ at: T0, value: 7n }); // pays the quoted fee
    expect(await at(29)).toBe(0); // in flight, not seen yet: counted from the send
    seen(20, sent[0].hash); // the scan saw it 20 s late (more than heartbeat_c / 4)
    expect(await at(30)).toBe(1); // still counted from the send, not pushed back to 20 + 30
    seen(31, sent[1].hash);
    expect(await at(59)).toBe(0);
    expect(await at(60)).toBe(1);
    expect(sent.map((s) => (s.at - T0) / 1000)).toEqual([0, 30, 60]);
  });

  it("counts anyone else's message from when it was seen", async () => {
    const { sent, at, seen } = setup();
    await at(0);
    seen(40, `0x${'cd'.repeat(32)}`); // a deposit after the heartbeat
    expect(await at(30)).toBe(0);
    expect(await at(69)).toBe(0);
    expect(await at(70)).toBe(1);
    expect(sent).toHaveLength(2);
  });

  it('sends nothing in the verifier role (it cannot deliver; two senders collide)', async () => {
    const { sender, sent, at } = setup('verifier');
    expect(sender.targets()).toEqual([]);
    expect(await at(0)).toBe(0);
    expect(await at(600)).toBe(0);
    expect(sent).toHaveLength(0);
  });
});
