import { compareRow, inFlightOf } from '../../src/reconciliation/reconciliation';
import type { CollateralRow } from '../../src/ledger/ledger-state';
import { ALICE } from '../support/synthetic';

const row: CollateralRow = {
  account: ALICE,
  eid: 40102,
  assetId: 1,
  balance: 100n,
  sequence: 3n,
  attestedBlock: 9,
  vaultBalance: 150n,
  vaultSequence: 4n,
};

describe('reconciliation comparison', () => {
  it('reports nothing when the chain matches both sides of the row', () => {
    expect(compareRow(row, { vault: { block: 5, balance: 150n }, hub: { block: 7, balance: 100n } })).toEqual([]);
  });

  it('reports each side that differs, with both values and the block read', () => {
    expect(compareRow(row, { vault: { block: 5, balance: 149n }, hub: { block: 7, balance: 101n } })).toEqual([
      { source: 'vault', eid: 40102, account: ALICE, assetId: 1, block: 5, ledger: 150n, onChain: 149n },
      { source: 'hub', eid: 40102, account: ALICE, assetId: 1, block: 7, ledger: 100n, onChain: 101n },
    ]);
    expect(compareRow(row, { vault: { block: 5, balance: 0n } })).toHaveLength(1);
  });

  it('flags a vault attestation newer than the hub’s as in flight', () => {
    expect(inFlightOf(row)).toEqual({ eid: 40102, account: ALICE, assetId: 1, hubSequence: 3n, vaultSequence: 4n });
    expect(inFlightOf({ ...row, vaultSequence: 3n })).toBeNull();
  });
});
