import fc from 'fast-check';
import type { EventOrigin, LedgerEnvelope, LedgerEvent } from '../../src/events/ledger-events';
import { LedgerSlice, applyEvents, withdrawalStatus } from '../../src/ledger/ledger-state';
import { ALICE, BOB } from '../support/synthetic';

let counter = 0;
function envelope(event: LedgerEvent, at: Partial<EventOrigin> = {}): LedgerEnvelope {
  counter++;
  return {
    origin: {
      chainId: 1,
      eid: 40101,
      blockNumber: counter,
      blockHash: `0x${counter}`,
      logIndex: 0,
      txHash: '0x',
      contract: 'hub',
      name: event.kind,
      ...at,
    },
    event,
  };
}

const attest = (sequence: bigint, balance: bigint, account = ALICE): LedgerEvent => ({
  kind: 'HubAttestation',
  account,
  eid: 40102,
  assetId: 1,
  balance,
  sequence,
});

function apply(envelopes: LedgerEnvelope[], slice = new LedgerSlice()): LedgerSlice {
  applyEvents(slice, envelopes);
  return slice;
}

describe('ledger apply logic', () => {
  it('keeps the attestation with the highest sequence, whatever the order', () => {
    const slice = apply([envelope(attest(2n, 200n)), envelope(attest(1n, 100n)), envelope(attest(3n, 300n)), envelope(attest(3n, 999n))]);
    expect([...slice.collateral.values()]).toEqual([
      { account: ALICE, eid: 40102, assetId: 1, balance: 300n, sequence: 3n, attestedBlock: expect.any(Number), vaultBalance: 0n, vaultSequence: 0n },
    ]);
    expect([...slice.dirty.accounts]).toEqual([ALICE]);
  });

  it('property: any order and any batching of attestations gives the same rows', () => {
    // The hub applies (and the vault emits) each sequence of an (account, asset) once.
    const events = fc.uniqueArray(fc.record({ seq: fc.bigInt({ min: 1n, max: 50n }), bob: fc.boolean(), vault: fc.boolean() }), {
      minLength: 1,
      maxLength: 30,
      selector: (e) => `${e.seq}/${e.bob}/${e.vault}`,
    });
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 7 }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (list, batch, random) => {
        const toEvent = (e: (typeof list)[number]): LedgerEvent =>
          e.vault
            ? { kind: 'VaultAttestation', account: e.bob ? BOB : ALICE, eid: 40102, assetId: 1, balance: e.seq * 7n, sequence: e.seq, requestId: 0n }
            : attest(e.seq, e.seq * 11n, e.bob ? BOB : ALICE);
        // Each event keeps its own origin; only the delivery order and the batching change.
        const envelopes = list.map((e) => envelope(toEvent(e)));
        const inOrder = apply(envelopes);
        const shuffled = [...envelopes].sort(() => random.next().value - 0.5);
        const batched = new LedgerSlice();
        for (let i = 0; i < shuffled.length; i += batch) applyEvents(batched, shuffled.slice(i, i + batch));
        expect(new Map(batched.collateral)).toEqual(new Map(inOrder.collateral));
      }),
    );
  });

  it('keeps the newest credit epoch and the latest used/reserved totals', () => {
    const slice = apply([
      envelope({ kind: 'CreditLimitSet', account: ALICE, epoch: 2n, limit: 500n, liquidatable: false }, { blockNumber: 5 }),
      envelope({ kind: 'CreditLimitSet', account: ALICE, epoch: 1n, limit: 100n, liquidatable: true }, { blockNumber: 6 }),
      envelope({ kind: 'CreditUsed', account: ALICE, used: 70n }, { blockNumber: 7, logIndex: 2 }),
      envelope({ kind: 'CreditUsed', account: ALICE, used: 40n }, { blockNumber: 7, logIndex: 1 }),
      envelope({ kind: 'CreditReservedTotal', account: ALICE, reserved: 9n }, { blockNumber: 8 }),
    ]);
    expect(slice.credit.get(ALICE)).toMatchObject({ limit: 500n, epoch: 2n, liquidatable: false, used: 70n, reserved: 9n });
  });

  it('tracks positions by (block, logIndex) and sums realized PnL', () => {
    const change = (size: bigint, realizedPnl: bigint): LedgerEvent => ({
      kind: 'PositionChanged',
      account: ALICE,
      marketId: 0,
      size,
      entryPrice: 2000n,
      price: 2100n,
      realizedPnl,
      margin: size * 2n,
    });
    const slice = apply([
      envelope(change(10n, 0n), { blockNumber: 1 }),
      envelope(change(4n, 60n), { blockNumber: 2 }),
      envelope(change(0n, -15n), { blockNumber: 3 }),
    ]);
    expect(slice.positions.get(`${ALICE}/0`)).toMatchObject({ size: 0n, margin: 0n, realizedPnl: 45n, lastPrice: 2100n });
  });

  it('merges withdrawal facts from both chains into one status, in any order', () => {
    const w = { eid: 40102, requestId: 7n, account: ALICE };
    const facts: LedgerEvent[] = [
      { kind: 'VaultWithdrawalRequested', ...w, assetId: 1, amount: 10n },
      { kind: 'HubWithdrawalRequested', ...w, assetId: 1, amount: 10n },
      { kind: 'HubWithdrawalDecided', ...w, approved: true, reason: 0, reservedValue: 9n },
      { kind: 'VaultWithdrawalReleased', ...w, assetId: 1, amount: 10n },
      { kind: 'HubWithdrawalSettled', ...w, reservedValue: 9n },
    ];
    const statuses = facts.map((_, i) => [...apply(facts.slice(0, i + 1).map((e) => envelope(e))).withdrawals.values()][0].status);
    expect(statuses).toEqual(['requested', 'requested', 'approved', 'released', 'settled']);
    const reversed = [...apply([...facts].reverse().map((e) => envelope(e))).withdrawals.values()][0];
    expect(reversed).toMatchObject({ status: 'settled', amount: 10n, assetId: 1, reservedValue: 9n });
    expect(withdrawalStatus({ ...reversed, settled: false, released: false, approved: false })).toBe('rejected');
  });

  it('records pushed epochs and ignores informational events', () => {
    const slice = apply([
      envelope({ kind: 'CreditBatchPushed', epoch: 4n, accounts: 2n, totalIncrease: 10n }),
      envelope({ kind: 'Informational', account: null }),
    ]);
    expect([...slice.epochs.values()]).toEqual([expect.objectContaining({ epoch: 4n, accounts: 2n, totalIncrease: 10n })]);
    expect(slice.accounts.size).toBe(0);
  });
});
