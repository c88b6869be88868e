/** The parts of a ReceiveUln302 `UlnConfig` that decide who must verify a packet. */
export interface DvnSet {
  requiredDVNs: readonly string[];
  optionalDVNThreshold: number;
}

/**
 * True when `dvn` alone makes a packet verifiable: it is the only required DVN and no optional DVN has to sign.
 * Only then may the relayer send commitVerification right behind its own verify.
 */
export function isSoleDvn(config: DvnSet, dvn: string): boolean {
  return config.optionalDVNThreshold === 0 && config.requiredDVNs.length === 1 && config.requiredDVNs[0]!.toLowerCase() === dvn.toLowerCase();
}
