import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interface } from 'ethers';
import { Clock, VOLATILE_JOURNAL, messageOf } from '@tributary/service-kit';
import { MessageType } from '@tributary/protocol';
import { ChainRegistry, RELAYER_SETUP, type ChainContext, type RelayerSetup } from '../chain/chain-registry';
import { heartbeatDue, lastChainMessageAt, type OwnHeartbeat } from '../core/heartbeat-due';
import { RelayerMetrics } from '../metrics/relayer-metrics';
import { PacketRepository } from '../store/packet.repository';

const VAULT = new Interface(['function heartbeat() payable', 'function quote(uint8 messageType) view returns (uint256)']);
const HEARTBEAT_GAS = 400_000n;

/**
 * Keeps quiet collateral chains live: for every chain with a vault and a heartbeat period, calls `heartbeat()`
 * (paying the quoted LayerZero fee from the relayer's key on that chain) once no message left the vault for half
 * the period. The last message (`lastChainMessageAt`) is this relayer's own heartbeat from when it was sent (in
 * flight or seen: matched by its transaction hash), or anyone else's packet from when it was first seen: wall-clock
 * times only. The vault chain's block time is not used: a local chain that mined many blocks fast runs ahead of the
 * wall clock (measured on the devnet: heartbeats every ~heartbeat_c instead of ~heartbeat_c / 2 while
 * `lastHeartbeatAt` was mixed in).
 */
@Injectable()
export class HeartbeatSender {
  private readonly logger = new Logger(HeartbeatSender.name);
  private readonly own = new Map<number, OwnHeartbeat>();

  constructor(
    @Inject(RELAYER_SETUP) private readonly setup: Pick<RelayerSetup, 'role'>,
    private readonly chains: ChainRegistry,
    private readonly packets: PacketRepository,
    private readonly metrics: RelayerMetrics,
    private readonly clock: Clock,
  ) {}

  /**
   * Chains this process keeps alive. None in the verifier role: without the relayer's executor nothing it sends is
   * delivered, and two senders collide (measured on the devnet: 37 heartbeats sent per chain in 10 minutes for 20
   * received, the rest reverted HeartbeatTooSoon).
   */
  targets(): ChainContext[] {
    if (this.setup.role === 'verifier') return [];
    return this.chains.all().filter((c) => c.config.vault && c.config.heartbeatSeconds && c.submitter);
  }

  /** One pass over every target; returns how many heartbeats were sent. */
  async tick(): Promise<number> {
    let sent = 0;
    for (const chain of this.targets()) {
      try {
        if (await this.maybeSend(chain)) sent++;
      } catch (error) {
        this.metrics.heartbeats.inc({ chain: chain.config.name, result: 'failed' });
        this.logger.warn({ msg: 'heartbeat failed', chain: chain.config.name, error: messageOf(error) });
      }
    }
    return sent;
  }

  private async maybeSend(chain: ChainContext): Promise<boolean> {
    const { eid, name, heartbeatSeconds } = chain.config;
    const vault = chain.config.vault!;
    const own = this.own.get(eid) ?? null;
    const lastMessageAt = lastChainMessageAt(await this.packets.newestFrom(eid), own);
    const now = this.clock.now();
    this.metrics.chainQuietSeconds.set({ chain: name }, lastMessageAt === null ? 0 : Math.max(0, (now - lastMessageAt) / 1000));
    if (!heartbeatDue({ now, heartbeatSeconds: heartbeatSeconds!, lastMessageAt, lastAttemptAt: own?.sentAt ?? null })) return false;
    const fee = VAULT.decodeFunctionResult(
      'quote',
      await chain.rpc.call(vault, VAULT.encodeFunctionData('quote', [MessageType.Heartbeat])),
    )[0] as bigint;
    // Recorded before the send: a failed send still waits a quarter period (the vault would refuse sooner).
    this.own.set(eid, { sentAt: now, txHash: null });
    const tx = await chain.submitter!.send(
      { to: vault, data: VAULT.encodeFunctionData('heartbeat'), gasLimit: HEARTBEAT_GAS, value: fee },
      VOLATILE_JOURNAL,
    );
    this.own.set(eid, { sentAt: now, txHash: tx.hash });
    this.metrics.heartbeats.inc({ chain: name, result: 'sent' });
    this.logger.log({
      msg: 'heartbeat sent',
      chain: name,
      tx: tx.hash,
      quietSeconds: lastMessageAt === null ? null : Math.round((now - lastMessageAt) / 1000),
    });
    return true;
  }
}
