export type PriceStatus = 'ok' | 'stale' | 'deviating' | 'unavailable';

/** One feed read: the answer scaled to USD and its timestamp (unix s), or why there is none. */
export type FeedReading = { price: number; updatedAt: number } | { error: string };

export interface GuardSettings {
  heartbeatSeconds: number;
  /** Largest accepted |p / lastGood − 1| (fraction). */
  maxDeviation: number;
  /** Consecutive reads of a new level after which a deviating price is accepted. */
  confirmations: number;
}

/** What the guard holds for one asset after its latest read. */
export interface GuardedPrice {
  status: PriceStatus;
  /** Last accepted price (what the risk engine uses); null until one was accepted. */
  price: number | null;
  /** Feed timestamp of the accepted price (unix s). */
  updatedAt: number | null;
  /** When the accepted price was read (unix s). */
  observedAt: number | null;
  detail: string;
}

/**
 * Staleness and deviation guard of one feed. Only fresh prices within `maxDeviation` of the last good one are
 * accepted; a jump is accepted once the same new level (within `maxDeviation` of where it first appeared) was
 * read on `confirmations` consecutive polls. Stale, deviating and failed reads keep the last good price.
 */
export class PriceGuard {
  private state: GuardedPrice = { status: 'unavailable', price: null, updatedAt: null, observedAt: null, detail: 'not read yet' };
  private candidate: { price: number; reads: number } | null = null;

  constructor(private readonly settings: GuardSettings) {}

  get current(): GuardedPrice {
    return this.state;
  }

  /** Applies one read at `now` (unix s); returns whether the status or the accepted price changed. */
  observe(reading: FeedReading, now: number): boolean {
    const before = this.state;
    this.state = this.next(reading, now);
    return before.status !== this.state.status || before.price !== this.state.price;
  }

  private next(reading: FeedReading, now: number): GuardedPrice {
    const kept = { price: this.state.price, updatedAt: this.state.updatedAt, observedAt: this.state.observedAt };
    if ('error' in reading) {
      this.candidate = null;
      return { ...kept, status: 'unavailable', detail: reading.error };
    }
    const { price, updatedAt } = reading;
    if (!(price > 0) || !Number.isFinite(price)) {
      this.candidate = null;
      return { ...kept, status: 'unavailable', detail: `feed answered ${price} (not a positive price)` };
    }
    const age = now - updatedAt;
    if (age > this.settings.heartbeatSeconds) {
      this.candidate = null;
      return { ...kept, status: 'stale', detail: `price ${price} is ${age} s old (heartbeat ${this.settings.heartbeatSeconds} s)` };
    }
    const lastGood = this.state.price;
    const accept = (detail: string): GuardedPrice => {
      this.candidate = null;
      return { status: 'ok', price, updatedAt, observedAt: now, detail };
    };
    if (lastGood === null || Math.abs(price / lastGood - 1) <= this.settings.maxDeviation) return accept('');
    const sameLevel = this.candidate !== null && Math.abs(price / this.candidate.price - 1) <= this.settings.maxDeviation;
    this.candidate = sameLevel ? { price: this.candidate!.price, reads: this.candidate!.reads + 1 } : { price, reads: 1 };
    if (this.candidate.reads >= this.settings.confirmations) {
      return accept(`accepted a ${percent(price / lastGood - 1)} move after ${this.candidate.reads} consecutive reads`);
    }
    return {
      ...kept,
      status: 'deviating',
      detail: `price ${price} is ${percent(price / lastGood - 1)} from the last good ${lastGood} (max ${percent(this.settings.maxDeviation)}); read ${this.candidate.reads}/${this.settings.confirmations}`,
    };
  }
}

const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;
