import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { METRICS_REGISTRY, messageOf, sleep } from '@tributary/service-kit';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Interface, getAddress, zeroPadValue } from 'ethers';
import { ChainRegistry, type ChainContext } from '../chain/chain-registry';
import { RELAYER_SETUP, type RelayerSetup } from '../chain/relayer-setup';
import { CursorRepository } from '../store/cursor.repository';
import { PacketRepository } from '../store/packet.repository';
import { SuspectLedger, parseHeader } from './forgery';

export const PAYLOAD_VERIFIED_ABI = new Interface(['event PayloadVerified(address dvn, bytes header, uint256 confirmations, bytes32 proofHash)']);
const PAYLOAD_VERIFIED_TOPIC = PAYLOAD_VERIFIED_ABI.getEvent('PayloadVerified')!.topicHash;

/**
 * The verifier's alarm: reads every `PayloadVerified` on the destination ReceiveUln302s of its pathways and, for
 * a verification by another DVN (the relayer's, say), checks that it saw that packet on the source chain itself
 * (same guid, same payload hash, in its own store). A verification of a packet the source never emitted is a
 * forgery attempt: `tributary_verifier_forged_verifications_total{chain,dvn}` and an error log. (ULN302 still
 * refuses to commit it without this verifier's signature; the alarm says a key is stolen.)
 */
@Injectable()
export class ForgeryMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ForgeryMonitor.name);
  private readonly ledger = new SuspectLedger();
  private readonly next = new Map<number, number>();
  private readonly forged: Counter<'chain' | 'dvn'>;
  private readonly foreign: Counter<'chain' | 'result'>;
  private readonly unmatched: Gauge<'chain'>;
  private readonly scanned: Gauge<'chain' | 'stage'>;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly chains: ChainRegistry,
    private readonly packets: PacketRepository,
    private readonly cursors: CursorRepository,
    @Inject(RELAYER_SETUP) private readonly setup: RelayerSetup,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const registers = [registry];
    this.forged = new Counter({
      name: 'tributary_verifier_forged_verifications_total',
      help: "Another DVN's verification of a packet this verifier never saw on the source chain",
      labelNames: ['chain', 'dvn'],
      registers,
    });
    this.foreign = new Counter({
      name: 'tributary_verifier_foreign_verifications_total',
      help: "Other DVNs' verifications on the pathways' destinations, by verdict (matched, forged)",
      labelNames: ['chain', 'result'],
      registers,
    });
    this.unmatched = new Gauge({
      name: 'tributary_verifier_unmatched_verifications',
      help: "Other DVNs' verifications not yet matched with a packet from the source (the source scan is behind)",
      labelNames: ['chain'],
      registers,
    });
    this.scanned = new Gauge({
      name: 'tributary_verifier_monitor_scanned_block',
      help: 'Last destination block read for other DVNs’ verifications',
      labelNames: ['chain', 'stage'],
      registers,
    });
  }

  onApplicationBootstrap(): void {
    if (!this.setup.autoStart) return;
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const interval = Math.min(...this.setup.config.chains.map((c) => c.pollIntervalMs));
    while (this.running) {
      try {
        await this.scanOnce();
      } catch (error) {
        this.logger.warn({ msg: 'forgery monitor round failed', error: messageOf(error).slice(0, 300) });
      }
      if (this.running) await sleep(interval);
    }
  }

  /** One round: read new verifications on every destination chain, then settle what can be settled. */
  async scanOnce(): Promise<void> {
    for (const dst of this.chains.destinations()) await this.scanChain(dst);
    const { matched, forged } = await this.ledger.settle(
      async (guid) => (await this.packets.find(guid))?.payloadHash,
      (srcEid) => this.cursors.nextBlock(srcEid),
    );
    for (const v of forged) {
      const chain = this.chains.nameOf(v.dstEid);
      this.forged.inc({ chain, dvn: v.dvn });
      this.foreign.inc({ chain, result: 'forged' });
      this.logger.error({
        msg: 'FORGED VERIFICATION: another DVN verified a packet the source chain never sent',
        chain,
        dvn: v.dvn,
        srcChain: this.chains.nameOf(v.srcEid),
        nonce: v.nonce,
        guid: v.guid,
        payloadHash: v.payloadHash,
        txHash: v.txHash,
      });
    }
    if (matched) this.foreign.inc({ chain: 'all', result: 'matched' }, matched);
    this.unmatched.set({ chain: 'all' }, this.ledger.size);
  }

  /** Reads the chain's new blocks up to its head, in ranges of `maxBlockRange`. */
  private async scanChain(dst: ChainContext): Promise<void> {
    const head = await dst.rpc.blockNumber();
    while ((this.next.get(dst.config.eid) ?? dst.config.startBlock) <= head) await this.scanRange(dst, head);
  }

  private async scanRange(dst: ChainContext, head: number): Promise<void> {
    const eid = dst.config.eid;
    const from = this.next.get(eid) ?? dst.config.startBlock;
    const to = Math.min(head, from + dst.config.maxBlockRange - 1);
    const logs = await dst.rpc.logs({ address: [dst.config.receiveUln302], topics: [[PAYLOAD_VERIFIED_TOPIC]], fromBlock: from, toBlock: to });
    const us = this.chains.dvnAddress(eid).toLowerCase();
    const guarded = new Set(
      this.chains.pathways
        .filter((p) => p.dstEid === eid)
        .map((p) => `${p.srcEid}|${zeroPadValue(p.sender, 32).toLowerCase()}|${getAddress(p.receiver)}`),
    );
    const heads = new Map<number, number>();
    for (const log of logs) {
      const parsed = PAYLOAD_VERIFIED_ABI.parseLog(log);
      if (!parsed) continue;
      const dvn = String(parsed.args.dvn);
      if (dvn.toLowerCase() === us) continue;
      let header;
      try {
        header = parseHeader(String(parsed.args.header));
      } catch {
        continue;
      }
      if (!guarded.has(`${header.srcEid}|${header.sender}|${header.receiver}`)) continue;
      if (!heads.has(header.srcEid)) heads.set(header.srcEid, await this.chains.get(header.srcEid).rpc.blockNumber());
      this.ledger.add({
        ...header,
        dvn,
        payloadHash: String(parsed.args.proofHash).toLowerCase(),
        blockNumber: log.blockNumber,
        txHash: log.transactionHash,
        sourceHeadAtSight: heads.get(header.srcEid)!,
      });
    }
    this.next.set(eid, to + 1);
    this.scanned.set({ chain: dst.config.name, stage: 'foreign_verifications' }, to);
  }
}
