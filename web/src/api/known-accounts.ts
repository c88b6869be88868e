import type { FetchLike } from '@tributary/sdk';

/** GET routes that answer 404 for an account the ledger does not know (the SDK reads that 404 as null). */
const ACCOUNT_ROUTE = /\/v1\/accounts\/(0x[0-9a-fA-F]{40})(?:\/risk|\/risk\/history|\/withdrawals|\/cash-history)?$/;

/**
 * Whether the aggregator's ledger knows an account, as its event stream says (`snapshot` with `account: null`, then
 * `ledger` events once it does), and a fetch for the SDK that answers the account routes' 404 itself while the stream
 * says the account is unknown: the page does not ask what it already knows, and the browser's console stays free
 * of expected "404 Not Found" lines. Without a stream (not connected yet after `waitMs`, or dropped) every request
 * goes to the aggregator.
 */
export class KnownAccounts {
  private readonly known = new Map<string, boolean>();
  private markReady!: () => void;
  /** Resolves at the first stream news, or after `waitMs`. */
  readonly ready: Promise<void>;

  constructor(
    waitMs = 3000,
    private readonly network: FetchLike = (input, init) => fetch(input, init),
  ) {
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      this.markReady = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** What the stream said about `address`. */
  set(address: string, known: boolean): void {
    this.known.set(address.toLowerCase(), known);
    this.markReady();
  }

  /** The stream dropped: ask the aggregator until it says again. */
  forget(): void {
    this.known.clear();
  }

  isUnknown(address: string): boolean {
    return this.known.get(address.toLowerCase()) === false;
  }

  readonly fetch: FetchLike = async (input, init) => {
    const match = (init?.method ?? 'GET') === 'GET' ? ACCOUNT_ROUTE.exec(new URL(input).pathname) : null;
    if (match) {
      await this.ready;
      if (this.isUnknown(match[1]!))
        return new Response(JSON.stringify({ message: `account ${match[1]} has no ledger entries (event stream)` }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        });
    }
    return this.network(input, init);
  };
}
