import type { AggregatorApi } from './aggregator-api';

/**
 * One event of an account stream (GET /v1/accounts/:address/events): `snapshot`, `ledger`, `collateral`, `position`,
 * `withdrawal`, `credit`, `risk`, and one per other changed ledger field (e.g. `cash`). `data` is the event's JSON.
 */
export interface AccountEvent {
  type: string;
  id: string | null;
  data: unknown;
  /** ms since epoch, when the SDK read it. */
  receivedAt: number;
}

export interface SubscribeOptions {
  onEvent?: (event: AccountEvent) => void;
  /** A dropped or refused connection (the subscription reconnects after `reconnectMs`). */
  onError?: (error: unknown) => void;
  /** Wait before reconnecting (ms, default 1000). */
  reconnectMs?: number;
}

/** Splits a `text/event-stream` into events (fields per the WHATWG spec: event, data, id; comments skipped). */
export class SseParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private id: string | null = null;

  push(text: string): { type: string; id: string | null; data: string }[] {
    this.buffer += text;
    const out: { type: string; id: string | null; data: string }[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push({ type: this.type || 'message', id: this.id, data: this.data.join('\n') });
        this.type = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') this.type = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id') this.id = value;
    }
    return out;
  }
}

/**
 * A live subscription to one account's events: follow it with `onEvent`, or `for await` over it; `close()` ends
 * both. It reconnects by itself after a dropped connection (a restarted aggregator), starting again with a snapshot.
 */
export class AccountSubscription implements AsyncIterable<AccountEvent> {
  private readonly controller = new AbortController();
  private readonly wakers = new Set<() => void>();
  private readonly listeners = new Set<(event: AccountEvent) => void>();
  private closed = false;
  /** Resolves when the first connection answered (rejects if closed first). */
  readonly connected: Promise<void>;
  private markConnected!: () => void;

  constructor(
    private readonly api: AggregatorApi,
    readonly address: string,
    private readonly options: SubscribeOptions = {},
  ) {
    this.connected = new Promise((resolve) => (this.markConnected = resolve));
    if (options.onEvent) this.listeners.add(options.onEvent);
    void this.run();
  }

  on(listener: (event: AccountEvent) => void): this {
    this.listeners.add(listener);
    return this;
  }

  /** The next event matching `predicate` (already received or to come); rejects after `timeoutMs`. */
  next(predicate: (event: AccountEvent) => boolean = () => true, timeoutMs = 60_000): Promise<AccountEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no matching account event within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: AccountEvent) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event);
      };
      this.listeners.add(listener);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.abort();
    this.wake();
  }

  /** Events from now on (each iterator buffers its own until read). */
  async *[Symbol.asyncIterator](): AsyncIterator<AccountEvent> {
    const queue: AccountEvent[] = [];
    const listener = (event: AccountEvent) => queue.push(event);
    this.listeners.add(listener);
    try {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (this.closed) return;
        await new Promise<void>((wake) => this.wakers.add(wake));
      }
    } finally {
      this.listeners.delete(listener);
    }
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        await this.readOnce();
      } catch (error) {
        if (this.closed) return;
        this.options.onError?.(error);
      }
      if (this.closed) return;
      await new Promise<void>((resume) => {
        const timer = setTimeout(resume, this.options.reconnectMs ?? 1000);
        this.controller.signal.addEventListener('abort', () => (clearTimeout(timer), resume()), { once: true });
      });
    }
  }

  private async readOnce(): Promise<void> {
    const response = await this.api.open(`/v1/accounts/${this.address}/events`, {
      signal: this.controller.signal,
      headers: { accept: 'text/event-stream' },
    });
    if (!response.ok || !response.body) throw new Error(`account stream: HTTP ${response.status}`);
    this.markConnected();
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of chunksOf(response.body)) {
      for (const raw of parser.push(decoder.decode(chunk, { stream: true }))) {
        let data: unknown = raw.data;
        try {
          data = JSON.parse(raw.data);
        } catch {
          // not JSON: kept as text
        }
        this.emit({ type: raw.type, id: raw.id, data, receivedAt: Date.now() });
      }
    }
  }

  private emit(event: AccountEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }
}

/** The chunks of a response body: async iteration where the runtime has it (Node, Chromium, Firefox), else a reader (Safari). */
export async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in body) {
    yield* body as unknown as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
