import { Injectable, Logger } from '@nestjs/common';
import { decayedChainWeight, type RiskBook } from '@tributary/risk';
import { ChainRegistry, type RegisteredChain } from '../chain/chain-registry';
import { TradingRpcRepository } from '../chain/trading-rpc.repository';
import { Clock } from '@tributary/service-kit';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import { LiveRiskParams } from './live-params';

export interface ChainWeightState {
  chain: RegisteredChain;
  lastMessageBlock: number | null;
  /**
   * Unix s of the trading-chain block that delivered the chain's last vault message of any type (attestation,
   * withdrawal request or heartbeat); null = none yet (decays from service start).
   */
  lastMessageAt: number | null;
  weight: number;
}

/**
 * The current weight v_c of every collateral chain: its configured weight, decayed while no vault message of the
 * chain (of any type: a quiet chain's relayer sends heartbeats) was delivered for longer than its heartbeat (timed
 * by the trading-chain block that delivered the last one; from service start while there is none).
 */
@Injectable()
export class ChainWeights {
  private readonly logger = new Logger(ChainWeights.name);
  private readonly chains = new Map<number, ChainWeightState>();
  private readonly startedAt: number;
  /** Unix s of the last `update`: the time the book's chain weights are decayed to. */
  private updatedAt: number;
  private attestationsDirty = true;

  constructor(
    registry: ChainRegistry,
    private readonly ledger: LedgerQueryRepository,
    private readonly rpc: TradingRpcRepository,
    private readonly clock: Clock,
    private readonly params: LiveRiskParams,
  ) {
    this.startedAt = this.nowSeconds();
    this.updatedAt = this.startedAt;
    for (const chain of registry.chains.filter((c) => c.role === 'collateral')) {
      this.chains.set(chain.eid, { chain, lastMessageBlock: null, lastMessageAt: null, weight: chain.manifest.weight });
    }
  }

  all(): ChainWeightState[] {
    return [...this.chains.values()];
  }

  /** The ledger changed (maybe a delivered vault message): the next `update` re-reads the last message blocks. */
  markAttestationsChanged(): void {
    this.attestationsDirty = true;
  }

  /** Decays every chain's weight to now; changed weights go into the book and their holders to `touched`. */
  async update(book: RiskBook, touched: Set<string>): Promise<void> {
    if (this.attestationsDirty) await this.loadAttestationTimes();
    this.updatedAt = this.nowSeconds();
    for (const state of this.chains.values()) {
      const weight = this.decayed(state, this.configuredWeight(state.chain.eid));
      if (weight !== state.weight) {
        state.weight = weight;
        for (const s of book.setChainWeight(state.chain.eid, weight)) touched.add(s.accountId);
      }
    }
  }

  private async loadAttestationTimes(): Promise<void> {
    try {
      const blocks = await this.ledger.lastMessageBlocks();
      // A reorg rollback can remove a chain's only delivery: its time is unknown again.
      for (const [eid, state] of this.chains) {
        if (blocks.has(eid)) continue;
        state.lastMessageBlock = null;
        state.lastMessageAt = null;
      }
      for (const [eid, block] of blocks) {
        const state = this.chains.get(eid);
        if (!state || state.lastMessageBlock === block) continue;
        state.lastMessageAt = await this.rpc.blockTimestamp(block);
        state.lastMessageBlock = block;
      }
      this.attestationsDirty = false;
    } catch (error) {
      this.logger.error(`reading the last message times failed: ${(error as Error).message}`);
    }
  }

  /**
   * A configured weight as the book holds it now: decayed like the chain's current weight (same silence, same
   * moment as the last update). A preview of a chain-weight change puts this in the book, not the bare value.
   */
  effectiveWeight(eid: number, configuredWeight: number): number {
    const state = this.chains.get(eid);
    return state ? this.decayed(state, configuredWeight) : configuredWeight;
  }

  private decayed(state: ChainWeightState, configuredWeight: number): number {
    const m = state.chain.manifest;
    return decayedChainWeight({
      configuredWeight,
      heartbeatSeconds: m.heartbeatSeconds,
      decayWindowSeconds: m.decayWindowSeconds,
      lastMessageAt: state.lastMessageAt ?? undefined,
      since: this.startedAt,
      now: this.updatedAt,
    });
  }

  /** The governed chain weight (RiskParameters; the manifest's on older deployments). */
  configuredWeight(eid: number): number {
    return this.params.current.chains.get(eid) ?? this.chains.get(eid)!.chain.manifest.weight;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}
