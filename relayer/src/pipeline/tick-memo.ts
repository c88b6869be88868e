/**
 * Memoizes reads (and one-off actions) for the duration of one pipeline tick: the packets of one batch transaction
 * share its receipt, the signer's nonce and its replacement, so a tick asks the node once, not once per packet.
 */
export class TickMemo {
  private entries = new Map<string, Promise<unknown>>();

  /** Forgets everything (called at the start of each tick). */
  reset(): void {
    this.entries = new Map();
  }

  get<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit as Promise<T>;
    const value = read();
    this.entries.set(key, value);
    return value;
  }
}
