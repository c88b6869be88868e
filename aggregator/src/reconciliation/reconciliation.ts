import type { CollateralRow } from '../ledger/ledger-state';

export type DifferenceSource = 'vault' | 'hub';

/** A ledger balance that differs from the chain's at the same block. Reported, never auto-corrected. */
export interface BalanceDifference {
  source: DifferenceSource;
  eid: number;
  account: string;
  assetId: number;
  /** The block of the chain the on-chain value was read at (the ledger's last indexed block there). */
  block: number;
  ledger: bigint;
  onChain: bigint;
}

/** Vault attested a newer balance than the hub has applied yet (delivery pending); informative. */
export interface InFlightAttestation {
  eid: number;
  account: string;
  assetId: number;
  hubSequence: bigint;
  vaultSequence: bigint;
}

export interface ReconciliationReport {
  ranAt: string;
  checked: number;
  differences: BalanceDifference[];
  inFlight: InFlightAttestation[];
  chains: { eid: number; block: number | null; rows: number; skipped?: string }[];
}

/** Compares one ledger row with the values read on chain. */
export function compareRow(
  row: CollateralRow,
  onChain: { vault?: { block: number; balance: bigint }; hub?: { block: number; balance: bigint } },
): BalanceDifference[] {
  const out: BalanceDifference[] = [];
  const base = { eid: row.eid, account: row.account, assetId: row.assetId };
  if (onChain.vault && onChain.vault.balance !== row.vaultBalance)
    out.push({ source: 'vault', ...base, block: onChain.vault.block, ledger: row.vaultBalance, onChain: onChain.vault.balance });
  if (onChain.hub && onChain.hub.balance !== row.balance)
    out.push({ source: 'hub', ...base, block: onChain.hub.block, ledger: row.balance, onChain: onChain.hub.balance });
  return out;
}

export function inFlightOf(row: CollateralRow): InFlightAttestation | null {
  return row.vaultSequence > row.sequence
    ? { eid: row.eid, account: row.account, assetId: row.assetId, hubSequence: row.sequence, vaultSequence: row.vaultSequence }
    : null;
}
