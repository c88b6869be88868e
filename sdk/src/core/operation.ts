/** One observable step of a long action (a deposit: sent → confirmed → delivered → indexed → credited). */
export interface Stage {
  /** `approved`, `sent`, `confirmed`, `delivered`, `indexed`, `credited`, `decided`, `paid`, … */
  name: string;
  /** When the SDK saw it (ISO 8601). */
  at: string;
  /** ms since the operation started. */
  elapsedMs: number;
  /** ms since the previous stage (the stage's own latency). */
  latencyMs: number;
  /** What the stage observed: a transaction hash, a block, a balance, a decision… (JSON-safe). */
  detail: Record<string, string | number | boolean | null>;
  /** The stage could not be observed (e.g. the aggregator has no such field): the operation went on without it. */
  skipped?: string;
}

export type StageListener = (stage: Stage) => void;

/** What an operation's body uses to report its stages. */
export interface StageRecorder {
  stage(name: string, detail?: Stage['detail'], skipped?: string): Stage;
  readonly startedAt: number;
}

/**
 * A long action in progress: its stages can be awaited (`await op` or `op.result`), iterated (`for await (const stage
 * of op)`, which ends when the action does and throws its error) or followed with `on(listener)` (past stages are
 * replayed). A failure carries the stages passed so far (`error.stages`).
 */
export class Operation<T> implements AsyncIterable<Stage>, PromiseLike<T> {
  readonly stages: Stage[] = [];
  readonly result: Promise<T>;
  private readonly listeners = new Set<StageListener>();
  private readonly wakers = new Set<() => void>();
  private settled: { ok: true } | { ok: false; error: unknown } | null = null;

  constructor(
    readonly kind: string,
    body: (recorder: StageRecorder) => Promise<T>,
    listener?: StageListener,
    private readonly now: () => number = Date.now,
  ) {
    if (listener) this.listeners.add(listener);
    const startedAt = this.now();
    const recorder: StageRecorder = {
      startedAt,
      stage: (name, detail = {}, skipped) => this.record(startedAt, name, detail, skipped),
    };
    // The body starts on the next microtask: listeners attached right after construction see every stage.
    this.result = Promise.resolve()
      .then(() => body(recorder))
      .then(
        (value) => {
          this.finish({ ok: true });
          return value;
        },
        (error: unknown) => {
          if (error && typeof error === 'object' && !('stages' in error && (error as { stages?: unknown }).stages)) {
            (error as { stages?: Stage[] }).stages = [...this.stages];
          }
          this.finish({ ok: false, error });
          throw error;
        },
      );
    // A caller that only iterates (or only listens) must not crash the process with an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** Follows the stages; past ones are replayed at once. Returns this. */
  on(listener: StageListener): this {
    for (const stage of this.stages) listener(stage);
    this.listeners.add(listener);
    return this;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result.then(onFulfilled, onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Stage> {
    let next = 0;
    for (;;) {
      while (next < this.stages.length) yield this.stages[next++]!;
      if (this.settled) {
        if (!this.settled.ok) throw this.settled.error;
        return;
      }
      await new Promise<void>((wake) => this.wakers.add(wake));
    }
  }

  private record(startedAt: number, name: string, detail: Stage['detail'], skipped?: string): Stage {
    const now = this.now();
    const previous = this.stages.at(-1);
    const previousAt = previous ? startedAt + previous.elapsedMs : startedAt;
    const stage: Stage = {
      name,
      at: new Date(now).toISOString(),
      elapsedMs: now - startedAt,
      latencyMs: now - previousAt,
      detail,
      ...(skipped ? { skipped } : {}),
    };
    this.stages.push(stage);
    for (const listener of this.listeners) {
      try {
        listener(stage);
      } catch {
        // a listener's failure is its own; the operation goes on
      }
    }
    this.wake();
    return stage;
  }

  private finish(outcome: { ok: true } | { ok: false; error: unknown }): void {
    this.settled = outcome;
    this.wake();
  }

  private wake(): void {
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }
}
