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
      envelope({ kind: 'CreditLimitSet', account: ALICE, epoch: 2n, base: 500n, liquidatable: false }, { blockNumber: 5 }),
      envelope({ kind: 'CreditLimitSet', account: ALICE, epoch: 1n, base: 100n, liquidatable: true }, { blockNumber: 6 }),
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

  it('keeps the signed pushed base in the credit row (`limit` holds base = limit − cashAtPush)', () => {
    const slice = apply([envelope({ kind: 'CreditLimitSet', account: ALICE, epoch: 3n, base: -250n, liquidatable: true })]);
    expect(slice.credit.get(ALICE)).toMatchObject({ limit: -250n, epoch: 3n, liquidatable: true });
  });

  it('sets cash from the newest CashChanged and appends every one to the history', () => {
    const cash = (reason: number, delta: bigint, cashAfter: bigint): LedgerEvent => ({
      kind: 'CashChanged',
      account: ALICE,
      reason,
      delta,
      cashAfter,
    });
    const slice = apply([
      envelope(cash(0, -100n, -100n), { blockNumber: 500, logIndex: 3, contract: 'settlementPool', txHash: '0xaa' }),
      envelope(cash(1, -2n, -102n), { blockNumber: 500, logIndex: 4, contract: 'settlementPool', txHash: '0xaa' }),
      envelope(cash(2, 150n, 48n), { blockNumber: 501, logIndex: 0, contract: 'settlementPool', txHash: '0xbb' }),
    ]);
    expect(slice.cash.get(ALICE)).toEqual({ account: ALICE, cash: 48n, version: (501n << 20n) | 0n });
    expect(slice.cashHistory).toEqual([
      { account: ALICE, reason: 0, delta: -100n, cashAfter: -100n, blockNumber: 500, logIndex: 3, txHash: '0xaa' },
      { account: ALICE, reason: 1, delta: -2n, cashAfter: -102n, blockNumber: 500, logIndex: 4, txHash: '0xaa' },
      { account: ALICE, reason: 2, delta: 150n, cashAfter: 48n, blockNumber: 501, logIndex: 0, txHash: '0xbb' },
    ]);
    expect([...slice.dirty.cash]).toEqual([ALICE]);
    expect([...slice.dirty.accounts]).toEqual([ALICE]);
  });

  it('property: any order and any batching of cash changes gives the same cash rows and history', () => {
    // Each event has its own (block, logIndex); cashAfter of the newest one is the account's cash.
    const events = fc.uniqueArray(
      fc.record({
        block: fc.integer({ min: 1, max: 40 }),
        index: fc.integer({ min: 0, max: 3 }),
        bob: fc.boolean(),
        delta: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      }),
      { minLength: 1, maxLength: 30, selector: (e) => `${e.block}/${e.index}` },
    );
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 7 }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (list, batch, random) => {
        const chainOrder = [...list].sort((a, b) => a.block - b.block || a.index - b.index);
        const running = new Map<string, bigint>();
        const envelopes = chainOrder.map((e) => {
          const account = e.bob ? BOB : ALICE;
          const cashAfter = (running.get(account) ?? 0n) + e.delta;
          running.set(account, cashAfter);
          return envelope(
            { kind: 'CashChanged', account, reason: e.index % 4, delta: e.delta, cashAfter },
            { blockNumber: e.block, logIndex: e.index, contract: 'settlementPool' },
          );
        });
        const inOrder = apply(envelopes);
        expect(new Map([...inOrder.cash].map(([k, r]) => [k, r.cash]))).toEqual(running);
        const shuffled = [...envelopes].sort(() => random.next().value - 0.5);
        const batched = new LedgerSlice();
        for (let i = 0; i < shuffled.length; i += batch) applyEvents(batched, shuffled.slice(i, i + batch));
        expect(new Map(batched.cash)).toEqual(new Map(inOrder.cash));
        const sorted = (slice: LedgerSlice) => [...slice.cashHistory].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
        expect(sorted(batched)).toEqual(sorted(inOrder));
        expect(inOrder.cashHistory).toHaveLength(list.length);
      }),
    );
  });

  it('shows a withdrawal as pending from WithdrawalPending until decided; a rejection returns the reservation', () => {
    const w = { eid: 40102, requestId: 9n, account: ALICE };
    const pending: LedgerEvent = { kind: 'HubWithdrawalPending', ...w, assetId: 1, amount: 10n, reservedValue: 8n, deadline: 1_700_000_600 };
    const facts: LedgerEvent[] = [
      { kind: 'VaultWithdrawalRequested', ...w, assetId: 1, amount: 10n },
      { kind: 'HubWithdrawalRequested', ...w, assetId: 1, amount: 10n },
      pending,
      { kind: 'HubWithdrawalDecided', ...w, approved: true, reason: 0, reservedValue: 8n },
    ];
    const statuses = facts.map((_, i) => [...apply(facts.slice(0, i + 1).map((e) => envelope(e))).withdrawals.values()][0].status);
    expect(statuses).toEqual(['requested', 'requested', 'pending', 'approved']);
    const row = [...apply(facts.slice(0, 3).map((e) => envelope(e))).withdrawals.values()][0];
    expect(row).toMatchObject({ status: 'pending', deadline: 1_700_000_600, reservedValue: 8n, approved: null });

    const rejected: LedgerEvent = { kind: 'HubWithdrawalDecided', ...w, approved: false, reason: 10, reservedValue: 0n };
    for (const order of [
      [pending, rejected],
      [rejected, pending],
    ]) {
      const out = [...apply(order.map((e) => envelope(e))).withdrawals.values()][0];
      expect(out).toMatchObject({ status: 'rejected', reason: 10, reservedValue: 0n, deadline: 1_700_000_600 });
    }
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
