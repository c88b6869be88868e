import type { SignedTx, TxJournal, TxRequest } from '@tributary/service-kit';
import type { ChainObservation, KeeperChain, KeeperRiskView, SentTx } from '../../src/liquidation/keeper-ports';

const WAD = 10n ** 18n;

/**
 * Where a step stops, to model the keeper process dying at that point: after its intent was written (while the
 * transaction is built, before anything is signed), after the signed transaction was journaled, broadcast, mined.
 */
export type CrashPoint = 'after-intent' | 'after-journal' | 'after-broadcast' | 'after-mined';

/** A hub-attested balance of the account (token units) with its price and maintenance weight. */
export interface FakeBalance {
  eid: number;
  assetId: number;
  amount: bigint;
  decimals: number;
  price: bigint;
  maintWeight: bigint;
}

interface Op {
  op: 'liquidate' | 'open' | 'seize' | 'settle' | 'close';
  account: string;
  fraction?: string;
  eid?: number;
  assetId?: number;
  amount?: string;
}

/**
 * An in-memory model of the liquidation contracts for the keeper's tests: one account's position, cash, the
 * hub's liquidation registry and balances (seize: riskiest first, debt × 1.02, a capped lot's debt its value), seizures in flight (resolved by
 * `auctionClears`), an insurance fund (cover, bad debt), a mempool and nonces.
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
  balances: FakeBalance[] = [];
  inFlight: { amount: bigint; debt: bigint; value: bigint }[] = [];
  activeLiquidation = 0n;
  private nextLiquidation = 1n;
  seizureCount = 0;
  applied: Op[] = [];
  /** Chain (eid) of each seizure, in order. */
  seizedEids: number[] = [];
  mempool: { nonce: number; raw: string }[] = [];
  minedNonce = 0;
  private nextNonce = 0;
  crashAt: { op: Op['op']; point: CrashPoint } | null = null;
  /** Called when a crash point is reached (the test makes the store refuse every later write: the process is dead). */
  onCrash: () => void = () => undefined;

  async observe(): Promise<ChainObservation> {
    return {
      marked: this.marked,
      positions: this.size === 0n ? [] : [{ marketId: 0, size: this.size }],
      cash: this.cash,
      badDebt: this.badDebt,
      activeLiquidation: this.activeLiquidation,
      seizureCount: this.seizureCount,
      inFlightDebt: this.inFlightDebt(),
      inFlight: this.inFlight.length > 0,
      canSeize: this.uncovered() > 0n && this.balances.some((b) => b.amount > 0n),
      exhausted: this.activeLiquidation !== 0n && this.size === 0n && !this.inFlight.length && this.balances.every((b) => b.amount === 0n),
      minedNonce: this.minedNonce,
    };
  }

  async liquidateRequest(account: string, fractionWad: bigint): Promise<TxRequest> {
    if (!this.marked) throw new Error('NotLiquidatable');
    return this.encode({ op: 'liquidate', account, fraction: fractionWad.toString() });
  }

  async openRequest(account: string): Promise<TxRequest> {
    if (!this.marked) throw new Error('NotLiquidatable');
    return this.encode({ op: 'open', account });
  }

  async seizeRequest(account: string): Promise<TxRequest> {
    if (this.activeLiquidation === 0n) throw new Error('NoOpenLiquidation');
    if (this.uncovered() === 0n) throw new Error('NoUncoveredDebt');
    return this.encode({ op: 'seize', account });
  }

  async settleRequest(account: string): Promise<TxRequest> {
    if (this.cash >= 0n) throw new Error('NoDebt');
    return this.encode({ op: 'settle', account });
  }

  async closeRequest(account: string): Promise<TxRequest> {
    if (this.inFlight.length || (this.cash < 0n && this.marked)) throw new Error('LiquidationActive');
    return this.encode({ op: 'close', account });
  }

  private inFlightDebt(): bigint {
    return this.inFlight.reduce((sum, s) => sum + s.debt, 0n);
  }

  private uncovered(): bigint {
    const u = -this.cash - this.inFlightDebt();
    return u > 0n ? u : 0n;
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

  /** Every lot in flight raises min(its debt, its value) (the rest returns); the liquidation closes once repaid. */
  auctionClears(): void {
    for (const s of this.inFlight) this.cash += s.value < s.debt ? s.value : s.debt;
    this.inFlight = [];
    if (this.cash >= 0n) this.activeLiquidation = 0n;
  }

  /** Called after an operation was mined (a test's hook: e.g. the account is healthy after a liquidation). */
  afterApply: (op: Op['op']) => void = () => undefined;

  private apply(op: Op): void {
    this.applied.push(op);
    this.applyState(op);
    this.afterApply(op.op);
  }

  private applyState(op: Op): void {
    if (op.op === 'liquidate') {
      const f = BigInt(op.fraction!);
      this.size -= (this.size * f) / WAD;
      this.cash += (this.lossPerFullClose * f) / WAD;
      if (this.activeLiquidation === 0n) this.activeLiquidation = this.nextLiquidation++;
      this.seizureCount = 0;
    } else if (op.op === 'open') {
      this.activeLiquidation = this.nextLiquidation++;
      this.seizureCount = 0;
    } else if (op.op === 'seize') {
      const balance = [...this.balances].filter((b) => b.amount > 0n).sort((a, b) => (a.maintWeight < b.maintWeight ? -1 : 1))[0];
      const unit = 10n ** BigInt(balance.decimals);
      const uncovered = this.uncovered();
      const need = (uncovered * 102n) / 100n;
      const wanted = (need * unit + balance.price - 1n) / balance.price;
      const capped = wanted >= balance.amount;
      const amount = capped ? balance.amount : wanted;
      const value = (amount * balance.price) / unit;
      // SeizureMath: a capped lot must raise its whole value, otherwise value / 1.02
      const lotDebt = capped ? value : (value * 100n) / 102n;
      const debt = lotDebt < uncovered ? lotDebt : uncovered;
      balance.amount -= amount;
      this.seizedEids.push(balance.eid);
      this.inFlight.push({ amount, debt, value });
      this.seizureCount += 1;
    } else if (op.op === 'settle') {
      const debt = -this.cash;
      const paid = this.fund < debt ? this.fund : debt;
      this.fund -= paid;
      this.badDebt += debt - paid;
      this.cash = 0n;
      this.activeLiquidation = 0n;
    } else {
      this.activeLiquidation = 0n;
    }
  }

  private encode(op: Op): TxRequest {
    if (this.crashAt?.op === op.op && this.crashAt.point === 'after-intent') {
      this.crashAt = null;
      this.onCrash();
      throw new Error('crash after intent');
    }
    return { to: '0x0000000000000000000000000000000000000001', data: `0x${Buffer.from(JSON.stringify(op)).toString('hex')}`, gasLimit: 100_000n };
  }
}

/** The risk side for the fake chain: liquidatable while the test says so, in sync once synced, a fixed plan. */
export class FakeKeeperRisk implements KeeperRiskView {
  accounts = new Set<string>();
  fraction = 0.5;

  liquidatable(): string[] {
    return [...this.accounts];
  }

  isLiquidatable(account: string): boolean {
    return this.accounts.has(account.toLowerCase());
  }

  /** The book's view of the chain (positions and cash), as of the last `sync`. */
  private book = '';

  /** The ledger caught up with the chain (what the indexer + risk refresh do between rounds). */
  sync(chain: FakeKeeperChain): void {
    this.book = `${chain.size}/${chain.cash}`;
  }

  inSync(_account: string, chain: Pick<ChainObservation, 'positions' | 'cash'>): boolean {
    return this.book === `${chain.positions[0]?.size ?? 0n}/${chain.cash}`;
  }

  planFraction(): number {
    return this.fraction;
  }
}
