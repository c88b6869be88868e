import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { ChainRegistry } from '../chain/chain-registry';
import { assertTransition } from '../core/packet-state';
import type { PacketEntity } from '../database/packet.entity';
import { PacketRepository } from '../store/packet.repository';
import type { ListPacketsQuery } from './packets.schemas';

export interface PacketView {
  guid: string;
  srcChain: string;
  dstChain: string;
  srcEid: number;
  dstEid: number;
  sender: string;
  receiver: string;
  nonce: number;
  status: string;
  stage: string;
  attempts: number;
  lastError: string | null;
  pendingTxHash: string | null;
  srcTxHash: string;
  srcBlockNumber: number;
  nextAttemptAt: string;
  seenAt: string;
  confirmedAt: string | null;
  deliveredAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

@Injectable()
export class OperatorService {
  private readonly logger = new Logger(OperatorService.name);

  constructor(
    private readonly packets: PacketRepository,
    private readonly chains: ChainRegistry,
    private readonly clock: Clock,
  ) {}

  async list(query: ListPacketsQuery) {
    const page = await this.packets.page(query.status, query.offset, query.limit);
    return { items: page.items.map((p) => this.view(p)), total: page.total, limit: query.limit, offset: query.offset };
  }

  async get(guid: string): Promise<PacketView> {
    const packet = await this.packets.find(guid.toLowerCase());
    if (!packet) throw new NotFoundException(`no packet ${guid}`);
    return this.view(packet);
  }

  /** Puts a parked packet back into the executing stage with a fresh attempt count. */
  async retryParked(guid: string): Promise<PacketView> {
    const packet = await this.packets.find(guid.toLowerCase());
    if (!packet) throw new NotFoundException(`no packet ${guid}`);
    if (packet.status !== 'parked') throw new ConflictException(`packet ${guid} is ${packet.status}, only parked packets can be retried`);
    assertTransition('parked', 'executing');
    const now = this.clock.now();
    const patch = { status: 'executing' as const, stage: 'prepare' as const, attempts: 0, nextAttemptAt: now, updatedAt: now };
    await this.packets.update(packet.guid, patch);
    this.logger.log({ msg: 'parked packet retried by operator', guid: packet.guid });
    return this.view({ ...packet, ...patch });
  }

  private view(p: PacketEntity): PacketView {
    return {
      guid: p.guid,
      srcChain: this.chains.nameOf(p.srcEid),
      dstChain: this.chains.nameOf(p.dstEid),
      srcEid: p.srcEid,
      dstEid: p.dstEid,
      sender: p.sender,
      receiver: p.receiver,
      nonce: p.nonce,
      status: p.status,
      stage: p.stage,
      attempts: p.attempts,
      lastError: p.lastError,
      pendingTxHash: p.pendingTxHash,
      srcTxHash: p.srcTxHash,
      srcBlockNumber: p.srcBlockNumber,
      nextAttemptAt: iso(p.nextAttemptAt)!,
      seenAt: iso(p.seenAt)!,
      confirmedAt: iso(p.confirmedAt),
      deliveredAt: iso(p.deliveredAt),
    };
  }
}
