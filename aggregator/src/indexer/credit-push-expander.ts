import { AbiCoder, getAddress, toBeHex, zeroPadValue } from 'ethers';
import { creditPushEntries, decodeCreditPushCalldata } from '@tributary/contracts';
import type { ChainClient } from '../chain/chain-client';
import type { RegisteredChain } from '../chain/chain-registry';
import { CONTRACT_INTERFACES } from '../events/event-decoder';
import type { RawLog } from '../events/raw-log';

const cmAbi = CONTRACT_INTERFACES.creditManager;
const BATCH_TOPIC = cmAbi.getEvent('CreditBatchPushed')!.topicHash;
const INDEXED_TOPIC = cmAbi.getEvent('AccountIndexed')!.topicHash;
const LIMIT_TOPIC = cmAbi.getEvent('CreditLimitSet')!.topicHash;
const coder = AbiCoder.defaultAbiCoder();

/**
 * Log indices of the per-account entries derived from one push: above any real log index (2^30 +), 2^14 per
 * batch log. They are identities in the event log, never positions a contract emitted.
 */
export const DERIVED_LOG_BASE = 1 << 30;
const PER_BATCH = 1 << 14;

/**
 * The CreditManager emits one `CreditBatchPushed` per push and no per-account event: the entries are in the
 * push's calldata. This turns each batch log into the per-account `CreditLimitSet(account, epoch, base,
 * liquidatable)` logs the ledger applies (the same values the contract stored, so the ledger's pushed credit is
 * the chain's exactly), placed right after the batch log with derived log indices. Accounts are named by their
 * index: resolved from `AccountIndexed` logs (this range, what was seen before, else read from the chain).
 */
export class CreditPushExpander {
  private readonly accounts: string[] = [];
  private loadedTo: number;

  constructor(
    private readonly chain: RegisteredChain,
    private readonly client: ChainClient,
  ) {
    this.loadedTo = chain.startBlock - 1;
  }

  private get creditManager(): string | null {
    return this.chain.contracts.find((c) => c.role === 'creditManager')?.address ?? null;
  }

  /** After a reorg: forget every index (they are read again). */
  reset(): void {
    this.accounts.length = 0;
    this.loadedTo = this.chain.startBlock - 1;
  }

  /** The logs with each push's derived entries inserted after its batch log (logs in chain order). */
  async expand(logs: readonly RawLog[]): Promise<RawLog[]> {
    const cm = this.creditManager;
    if (!cm || !logs.some((l) => this.isFrom(l, cm) && l.topics[0] === BATCH_TOPIC)) {
      if (cm) for (const l of logs) if (this.isFrom(l, cm) && l.topics[0] === INDEXED_TOPIC) this.record(l);
      return [...logs];
    }
    const out: RawLog[] = [];
    for (const log of logs) {
      out.push(log);
      if (!this.isFrom(log, cm)) continue;
      if (log.topics[0] === INDEXED_TOPIC) this.record(log);
      else if (log.topics[0] === BATCH_TOPIC) out.push(...(await this.entriesOf(log, cm)));
    }
    return out;
  }

  private isFrom(log: RawLog, address: string): boolean {
    return log.address.toLowerCase() === address.toLowerCase();
  }

  private record(log: RawLog): void {
    const account = getAddress(`0x${log.topics[1].slice(26)}`);
    this.accounts[Number(BigInt(log.topics[2]))] = account;
  }

  private async entriesOf(batch: RawLog, cm: string): Promise<RawLog[]> {
    const tx = await this.client.transaction(batch.transactionHash);
    const push = tx && tx.to?.toLowerCase() === cm.toLowerCase() ? decodeCreditPushCalldata(tx.input) : null;
    if (!push) throw new Error(`credit push ${batch.transactionHash}: not a direct pushCreditLimits call, its entries cannot be read`);
    const epoch = BigInt(batch.topics[1]);
    if (push.epoch !== epoch) throw new Error(`credit push ${batch.transactionHash}: calldata epoch ${push.epoch} ≠ event epoch ${epoch}`);
    // The push's own AccountIndexed logs precede its batch log, so every index it names resolves from the
    // logs seen; a miss is an index given before this process started reading.
    const resolve = () => creditPushEntries(push, Number.MAX_SAFE_INTEGER, (i) => this.accounts[i]);
    let resolved;
    try {
      resolved = resolve();
    } catch {
      await this.load(batch.blockNumber);
      resolved = resolve();
    }
    if (resolved.length >= PER_BATCH) throw new Error(`credit push ${batch.transactionHash}: ${resolved.length} entries exceed ${PER_BATCH}`);
    return resolved.map((e, i) => ({
      address: batch.address,
      topics: [LIMIT_TOPIC, zeroPadValue(e.account, 32), zeroPadValue(toBeHex(epoch), 32)],
      data: coder.encode(['int256', 'bool'], [e.base, e.liquidatable]),
      blockNumber: batch.blockNumber,
      blockHash: batch.blockHash,
      logIndex: DERIVED_LOG_BASE + batch.logIndex * PER_BATCH + i,
      transactionHash: batch.transactionHash,
    }));
  }

  /** Reads every AccountIndexed log up to `toBlock` (an index from before this process started). */
  private async load(toBlock: number): Promise<void> {
    const cm = this.creditManager!;
    for (const log of await this.client.logs([cm], this.loadedTo + 1, toBlock)) if (log.topics[0] === INDEXED_TOPIC) this.record(log);
    this.loadedTo = toBlock;
  }
}
