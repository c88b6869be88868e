import { NonceManager, parseUnits, type Signer } from 'ethers';
import { SettablePriceFeed__factory } from '@tributary/contracts';

/** Lower-triangular L with L·Lᵀ = `matrix` (symmetric positive definite). */
export function cholesky(matrix: number[][]): number[][] {
  const n = matrix.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (sum <= 0) throw new Error('correlation matrix is not positive definite');
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  return l;
}

/** Standard normal sample (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Small deterministic PRNG (mulberry32) so a seeded run repeats. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WalkAsset {
  symbol: string;
  price: number;
  /** Daily volatility of log returns. */
  volatility: number;
}

/**
 * Correlated geometric random walks: each step draws z ~ N(0, I), correlates it with the Cholesky factor of
 * the correlation matrix, and moves log prices by σ·sqrt(dt)·(Lz), dt in days.
 */
export class CorrelatedWalk {
  private readonly factor: number[][];
  readonly prices: number[];

  constructor(
    private readonly assets: WalkAsset[],
    correlations: { a: string; b: string; rho: number }[],
    private readonly random: () => number = Math.random,
  ) {
    const index = new Map(assets.map((a, i) => [a.symbol, i]));
    const matrix: number[][] = assets.map((_, i) => assets.map((__, j) => (i === j ? 1 : 0)));
    for (const { a, b, rho } of correlations) {
      const i = index.get(a);
      const j = index.get(b);
      if (i === undefined || j === undefined || i === j) continue;
      matrix[i]![j] = rho;
      matrix[j]![i] = rho;
    }
    this.factor = cholesky(matrix);
    this.prices = assets.map((a) => a.price);
  }

  step(dtDays: number): number[] {
    const z = this.assets.map(() => gaussian(this.random));
    this.assets.forEach((asset, i) => {
      const correlated = this.factor[i]!.reduce((sum, l, k) => sum + l * z[k]!, 0);
      this.prices[i] = this.prices[i]! * Math.exp(asset.volatility * Math.sqrt(dtDays) * correlated - 0.5 * asset.volatility ** 2 * dtDays);
    });
    return [...this.prices];
  }
}

export interface PriceSimulatorOptions {
  signer: Signer;
  feeds: { symbol: string; address: string }[];
  /**
   * Feeds on other chains that follow the same prices (the collateral chains' auction feeds), one signer per
   * chain (the oracle key there).
   */
  mirrors?: { signer: Signer; feeds: { symbol: string; address: string }[] }[];
  walk: CorrelatedWalk;
  intervalMs: number;
  /** Simulated days per tick: devnet speeds volatility up so prices visibly move. */
  dtDays: number;
  onError?: (error: unknown) => void;
}

/** Drives settable price feeds with the walk; `pause` freezes them (the e2e test sets prices itself). */
export class PriceSimulator {
  private timer?: NodeJS.Timeout;
  private running = false;
  private paused = false;
  private readonly signer: NonceManager;
  private readonly mirrors: { signer: NonceManager; feeds: { symbol: string; address: string }[] }[];

  constructor(private readonly options: PriceSimulatorOptions) {
    this.signer = new NonceManager(options.signer);
    this.mirrors = (options.mirrors ?? []).map((m) => ({ signer: new NonceManager(m.signer), feeds: m.feeds }));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  pause(paused: boolean): void {
    this.paused = paused;
  }

  async tick(): Promise<void> {
    if (this.running || this.paused) return;
    this.running = true;
    try {
      const prices = this.options.walk.step(this.options.dtDays);
      const priceOf = new Map(this.options.feeds.map((feed, i) => [feed.symbol, parseUnits(prices[i]!.toFixed(8), 8)]));
      const targets = [{ signer: this.signer, feeds: this.options.feeds }, ...this.mirrors];
      const sent = await Promise.all(
        targets.flatMap(({ signer, feeds }) =>
          feeds
            .filter((feed) => priceOf.has(feed.symbol))
            .map((feed) => SettablePriceFeed__factory.connect(feed.address, signer).setPrice(priceOf.get(feed.symbol)!)),
        ),
      );
      // Bounded: a transaction a reorg removed (or a node dropped) never gets a receipt, and an unbounded wait would
      // stop the prices for good; the catch below resets the nonces.
      await Promise.all(sent.map((tx) => tx.wait(1, Math.max(this.options.intervalMs * 10, 20_000))));
    } catch (error) {
      this.signer.reset();
      for (const mirror of this.mirrors) mirror.signer.reset();
      this.options.onError?.(error);
    } finally {
      this.running = false;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 50));
  }
}
