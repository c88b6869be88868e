import type { SignedTx, TxJournal, TxRequest } from '@tributary/service-kit';
import type { SeizableBalance } from '../../src/liquidation/keeper-decision';
import type { ChainObservation, KeeperChain, KeeperRiskView, SentTx } from '../../src/liquidation/keeper-ports';

const WAD = 10n ** 18n;

/** Where a send stops, to model the keeper process dying at that point. */
export type CrashPoint = 'after-journal' | 'after-broadcast' | 'after-mined';

interface Op {
  op: 'liquidate' | 'seize' | 'settle';
  account: string;
  fraction?: string;
  eid?: number;
  assetId?: number;
  amount?: string;
}

/**
 * An in-memory model of the liquidation contracts for the keeper's tests: one account's position, cash,
 * hub balances, seizures in flight (resolved by `auctionClears`), an insurance fund, a mempool and nonces.
 * Every applied operation is counted, so a test can assert that no step was applied twice.
 */
export class FakeKeeperChain implements KeeperChain {
  readonly disabledReason = null;
  size = 10n * WAD;
  /** cash change per unit of fraction closed (realized loss and penalty), 1e18 USD. */
  lossPerFullClose = -3_000n * WAD;
  cash = 0n;
  marked = true;
  badDebt = 0n;
  fund = 0n;
  balances: SeizableBalance[] = [];
  inFlight: { amount: bigint; value: bigint; eid: number; assetId: number }[] = [];
  seizureCount = 0;
  applied: Op[] = [];
  mempool: { nonce: number; raw: string }[] = [];
  minedNonce = 0;
  private nextNonce = 0;
  crashAt: { op: Op['op']; point: CrashPoint } | null = null;
  /** Called when a crash point is reached (the test makes the store refuse every later write: the process is dead). */
  onCrash: () => void = () => undefined;

  async penaltyWad(): Promise<bigint> {
    return (2n * WAD) / 100n;
  }

  async observe(): Promise<ChainObservation> {
    return {
      marked: this.marked,
      positions: this.size === 0n ? [] : [{ marketId: 0, size: this.size }],
      cash: this.cash,
      badDebt: this.badDebt,
      seizureCount: this.seizureCount,
      inFlightValue: this.inFlight.reduce((sum, s) => sum + s.value, 0n),
      seizable: this.balances.map((b) => ({ ...b })),
      minedNonce: this.minedNonce,
    };
  }

  async liquidateRequest(account: string, fractionWad: bigint): Promise<TxRequest> {
    if (!this.marked) throw new Error('NotLiquidatable');
    return this.encode({ op: 'liquidate', account, fraction: fractionWad.toString() });
  }

  async seizeRequest(account: string, eid: number, assetId: number, amount: bigint): Promise<TxRequest> {
    return this.encode({ op: 'seize', account, eid, assetId, amount: amount.toString() });
  }

  async settleRequest(account: string): Promise<TxRequest> {
    if (this.cash >= 0n) throw new Error('NoDebt');
    return this.encode({ op: 'settle', account });
  }

  async send(request: TxRequest, journal: TxJournal): Promise<SentTx> {
    const op = JSON.parse(Buffer.from(request.data!.slice(2), 'hex').toString()) as Op;
    const nonce = this.nextNonce++;
    const raw = `0x${Buffer.from(JSON.stringify({ nonce, ...op })).toString('hex')}`;
    const hash = `0x${nonce.toString(16).padStart(64, '0')}`;
    await journal.record({ hash, nonce, raw, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n } satisfies SignedTx);
    const crash = this.crashAt?.op === op.op ? this.crashAt.point : null;
    if (crash) this.onCrash();
    if (crash === 'after-journal') {
      this.crashAt = null;
      this.nextNonce = nonce; // never broadcast: the nonce is free again
      throw new Error('crash after journal');
    }
    this.mempool.push({ nonce, raw });
    if (crash === 'after-broadcast') {
      this.crashAt = null;
      throw new Error('crash after broadcast');
    }
    this.mine();
    if (crash === 'after-mined') {
      this.crashAt = null;
      throw new Error('crash after mined');
    }
    return { hash, reverted: false };
  }

  /** Like an automining node: a pending or never-broadcast transaction is mined now; a used nonce is refused. */
  async rebroadcast(raw: string): Promise<void> {
    const { nonce } = JSON.parse(Buffer.from(raw.slice(2), 'hex').toString()) as { nonce: number };
    if (nonce < this.minedNonce) throw new Error('nonce too low');
    if (!this.mempool.some((t) => t.raw === raw)) this.mempool.push({ nonce, raw });
    this.nextNonce = Math.max(this.nextNonce, nonce + 1);
    this.mine();
  }

  /** Mines every pending transaction in nonce order. */
  mine(): void {
    for (const tx of this.mempool.sort((a, b) => a.nonce - b.nonce)) {
      this.apply(JSON.parse(Buffer.from(tx.raw.slice(2), 'hex').toString()) as Op);
      this.minedNonce = tx.nonce + 1;
    }
    this.mempool = [];
  }

  /** Every auction in flight sells at `pricePerValue` of its seized value; proceeds repay cash. */
  auctionClears(proceedsShare = 1): void {
    for (const s of this.inFlight) this.cash += (s.value * BigInt(Math.round(proceedsShare * 1000))) / 1000n;
    this.inFlight = [];
  }

  private apply(op: Op): void {
    this.applied.push(op);
    if (op.op === 'liquidate') {
      const f = BigInt(op.fraction!);
      this.size -= (this.size * f) / WAD;
      this.cash += (this.lossPerFullClose * f) / WAD;
      this.marked = false;
    } else if (op.op === 'seize') {
      const balance = this.balances.find((b) => b.eid === op.eid && b.assetId === op.assetId)!;
      const amount = BigInt(op.amount!) < balance.amount ? BigInt(op.amount!) : balance.amount;
      balance.amount -= amount;
      this.inFlight.push({ amount, value: (amount * balance.price) / 10n ** BigInt(balance.decimals), eid: op.eid!, assetId: op.assetId! });
      this.seizureCount += 1;
    } else {
      const debt = -this.cash;
      const paid = this.fund < debt ? this.fund : debt;
      this.fund -= paid;
      this.badDebt += debt - paid;
      this.cash = 0n;
    }
  }

  private encode(op: Op): TxRequest {
    return { to: '0x0000000000000000000000000000000000000001', data: `0x${Buffer.from(JSON.stringify(op)).toString('hex')}`, gasLimit: 100_000n };
  }
}

/** The risk side for the fake chain: liquidatable while the test says so, always in sync, a fixed plan. */
export class FakeKeeperRisk implements KeeperRiskView {
  accounts = new Set<string>();
  fraction = 0.5;

  liquidatable(): string[] {
    return [...this.accounts];
  }

  isLiquidatable(account: string): boolean {
    return this.accounts.has(account.toLowerCase());
  }

  inSync(): boolean {
    return true;
  }

  planFraction(): number {
    return this.fraction;
  }
}
