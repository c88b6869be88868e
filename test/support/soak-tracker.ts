import type { ManifestChain } from '@tributary/protocol';
import type { Deployment } from './harness';

/** `${account}/${eid}/${assetId}/${sequence}` of one attestation (lowercase account). */
export const attestationKey = (account: string, eid: number, assetId: bigint | number, sequence: bigint | number) =>
  `${account.toLowerCase()}/${eid}/${assetId}/${sequence}`;

interface Sent {
  balance: bigint;
  txHash: string;
  block: number;
}

/**
 * Follows every vault's BalanceAttested logs and the hub's AttestationApplied / AttestationIgnored logs block by
 * block (direct RPC), so each attestation's delivery is timed when it happens. Logs of blocks a reorg removed are
 * dropped when they are re-read (`settle` re-reads every chain from its first block).
 */
export class AttestationTracker {
  /** Attestations the canonical vault chains emitted. */
  sent = new Map<string, Sent>();
  /** Hub deliveries per attestation key: how many (applied or ignored), the balance the hub saw, first seen at. */
  readonly delivered = new Map<string, { times: number; balance: bigint; at: number }>();
  /** Attestation key → when its deposit transaction was sent (load generator), for latency. */
  readonly sentAt = new Map<string, number>();
  private readonly txSentAt = new Map<string, number>();
  private readonly next = new Map<number, number>();

  constructor(private readonly d: Deployment) {
    for (const c of d.manifest.chains) this.next.set(c.eid, c.startBlock);
  }

  noteTx(txHash: string, at: number): void {
    this.txSentAt.set(txHash, at);
  }

  private collateral(): ManifestChain[] {
    return this.d.manifest.chains.filter((c) => c.role === 'collateral');
  }

  private last: Promise<void> = Promise.resolve();

  /**
   * Reads new logs up to each chain's head. `fromStart`: every chain from its first block (drops reorged logs, and
   * counts each hub delivery once per log on the chain). One poll at a time: two overlapping polls read the same
   * range and counted one delivery twice (the soak's drain loop and its background poller did).
   */
  poll(fromStart = false): Promise<void> {
    const run = this.last.then(() => this.pollOnce(fromStart));
    this.last = run.catch(() => undefined);
    return run;
  }

  private async pollOnce(fromStart: boolean): Promise<void> {
    const now = Date.now();
    if (fromStart) this.sent = new Map();
    for (const chain of this.collateral()) {
      const provider = this.d.providers.get(chain.eid)!;
      const head = await provider.getBlockNumber();
      const from = fromStart ? chain.startBlock : this.next.get(chain.eid)!;
      if (head < from) continue;
      const vault = this.d.vault(chain, provider as never);
      for (const log of await vault.queryFilter(vault.filters.BalanceAttested(), from, head)) {
        const key = attestationKey(log.args.account, chain.eid, log.args.assetId, log.args.sequence);
        this.sent.set(key, { balance: log.args.balance, txHash: log.transactionHash, block: log.blockNumber });
        const at = this.txSentAt.get(log.transactionHash);
        if (at !== undefined && !this.sentAt.has(key)) this.sentAt.set(key, at);
      }
      this.next.set(chain.eid, head + 1);
    }
    const hub = this.d.hub();
    const trading = this.d.trading;
    const head = await this.d.providers.get(trading.eid)!.getBlockNumber();
    const from = fromStart ? trading.startBlock : this.next.get(trading.eid)!;
    if (head < from) return;
    const firstSeen = new Map([...this.delivered].map(([key, seen]) => [key, seen.at]));
    if (fromStart) this.delivered.clear();
    const logs = [
      ...(await hub.queryFilter(hub.filters.AttestationApplied(), from, head)),
      ...(await hub.queryFilter(hub.filters.AttestationIgnored(), from, head)),
    ];
    for (const log of logs) {
      const args = log.args as unknown as { account: string; eid: bigint; assetId: bigint; balance: bigint; sequence: bigint };
      const key = attestationKey(args.account, Number(args.eid), args.assetId, args.sequence);
      const seen = this.delivered.get(key);
      this.delivered.set(key, { times: (seen?.times ?? 0) + 1, balance: args.balance, at: seen?.at ?? firstSeen.get(key) ?? now });
    }
    this.next.set(trading.eid, head + 1);
  }

  /** Attestations of the canonical vault chains never delivered. */
  lost(): string[] {
    return [...this.sent.keys()].filter((k) => !this.delivered.has(k));
  }

  /** Attestations delivered more than once, or delivered with a balance the canonical vault never attested. */
  doubled(): string[] {
    const out: string[] = [];
    for (const [key, seen] of this.delivered) {
      if (seen.times > 1) out.push(`${key} delivered ${seen.times}×`);
      const sent = this.sent.get(key);
      if (sent && sent.balance !== seen.balance) out.push(`${key} delivered with balance ${seen.balance}, the vault attested ${sent.balance}`);
    }
    return out;
  }

  /** Deliveries the canonical chains do not hold (a reorged-out attestation delivered). */
  phantom(): string[] {
    return [...this.delivered.keys()].filter((k) => !this.sent.has(k));
  }

  /** ms from the deposit's send to the hub's delivery, for deposits sent by the load generator. */
  latencies(): number[] {
    const out: number[] = [];
    for (const [key, at] of this.sentAt) {
      const seen = this.delivered.get(key);
      if (seen) out.push(seen.at - at);
    }
    return out;
  }
}

export const percentile = (values: number[], p: number): number => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
