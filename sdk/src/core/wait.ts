import { StageTimeoutError } from './errors';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Said in the timeout error: what may be missing (e.g. "is the relayer running?"); a function is read at the deadline. */
  hint?: string | (() => string);
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined. Probe errors (an RPC hiccup, the
 * aggregator restarting) are retried until the deadline; the last one is named in the timeout error.
 */
export async function poll<T>(stage: string, what: string, probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const last = lastError instanceof Error ? `last error: ${lastError.message}` : undefined;
      const hint = typeof options.hint === 'function' ? options.hint() : options.hint;
      throw new StageTimeoutError(stage, what, options.timeoutMs, [hint, last].filter(Boolean).join('; ') || undefined);
    }
    await sleep(options.intervalMs);
  }
}
