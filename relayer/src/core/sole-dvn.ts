/** The parts of a ReceiveUln302 `UlnConfig` that decide who must verify a packet. */
export interface DvnSet {
  requiredDVNs: readonly string[];
  optionalDVNs?: readonly string[];
  optionalDVNThreshold: number;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * True when `dvn` alone makes a packet verifiable: it is the only required DVN and no optional DVN has to sign.
 */
export function isSoleDvn(config: DvnSet, dvn: string): boolean {
  return config.optionalDVNThreshold === 0 && config.requiredDVNs.length === 1 && same(config.requiredDVNs[0]!, dvn);
}

/**
 * True when `dvn`'s own verification completes the packet's: every other required DVN has verified already,
 * and so have enough optional DVNs (counting `dvn` itself when it is one of them). Only then may the relayer
 * send commitVerification right behind its own verify (the chained fast path). A required DVN that has not
 * verified yet means waiting: ULN302 would refuse the commit.
 */
export function completesVerification(config: DvnSet, dvn: string, hasVerified: (other: string) => boolean): boolean {
  if (!config.requiredDVNs.every((other) => same(other, dvn) || hasVerified(other))) return false;
  if (config.optionalDVNThreshold === 0) return true;
  const optional = config.optionalDVNs ?? [];
  const count = optional.filter((other) => same(other, dvn) || hasVerified(other)).length;
  return count >= config.optionalDVNThreshold;
}
