import type { ChainRpc } from '../chain/chain-rpc';

/**
 * Local nonce tracking for one signer on one chain. Sends run one at a time through `withNonce`; the
 * nonce advances only after the node accepted the transaction. After an error whose effect is unknown
 * (timeout, nonce error) the next send re-reads the pending nonce from the node.
 */
export class NonceManager {
  private next: number | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly rpc: ChainRpc,
    readonly address: string,
  ) {}

  /** Runs `send(nonce)` after every earlier send finished; `send` resolves once the node has the transaction. */
  withNonce<T>(send: (nonce: number) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.next === null) this.next = await this.rpc.transactionCount(this.address, 'pending');
      try {
        const result = await send(this.next);
        this.next += 1;
        return result;
      } catch (error) {
        this.next = null;
        throw error;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Forces a re-read of the pending nonce before the next send. */
  resync(): void {
    this.next = null;
  }

  get localNext(): number | null {
    return this.next;
  }
}
