/**
 * The readable message of anything thrown: ethers' short message plus the node's own error text when it
 * has one (e.g. "could not coalesce error: nonce too low"), else `String(error)`.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const detail = error as { info?: { error?: { message?: string } }; shortMessage?: string };
    return [detail.shortMessage ?? error.message, detail.info?.error?.message].filter(Boolean).join(': ');
  }
  return String(error);
}

/** The node refused a transaction because its nonce is already used (by a mined or pending transaction). */
export const isNonceError = (error: unknown): boolean =>
  /nonce too low|nonce has already been used|nonce.*(expired|too small)/i.test(messageOf(error));

/** The node refused a broadcast because it already holds this very transaction. */
export const isAlreadyKnown = (error: unknown): boolean => /already known|known transaction|already imported/i.test(messageOf(error));
