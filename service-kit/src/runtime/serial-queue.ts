/**
 * Runs async work one item at a time, in the order queued. A failed item rejects only its own promise;
 * the items behind it still run.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Items queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Runs `work` after everything queued before it has settled. */
  run<T>(work: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(work).finally(() => {
      this.pending -= 1;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves (never rejects) once everything queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
