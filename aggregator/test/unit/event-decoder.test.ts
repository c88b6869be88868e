import fc from 'fast-check';
import { getAddress, hexlify } from 'ethers';
import { CONTRACT_INTERFACES, decodeLog } from '../../src/events/event-decoder';
import { ALICE, BOB, HUB_CHAIN, rawLog } from '../support/synthetic';

describe('event decoder', () => {
  it('decodes position events like ethers parseLog, signed values included', () => {
    const int = fc.bigInt({ min: -(1n << 255n), max: (1n << 255n) - 1n });
    const uint = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        int,
        int,
        uint,
        uint,
        int,
        uint,
        uint,
        (acct, marketId, delta, size, entry, price, pnl, margin, fee) => {
          const account = getAddress(hexlify(acct));
          const raw = rawLog('perpMarket', 'PositionModified', [account, marketId, delta, size, entry, price, pnl, margin, fee], {
            block: 1,
            index: 0,
          });
          const reference = CONTRACT_INTERFACES.perpMarket.parseLog({ topics: [...raw.topics], data: raw.data })!;
          expect(decodeLog('perpMarket', HUB_CHAIN, raw)?.event).toEqual({
            kind: 'PositionChanged',
            account: reference.args.account,
            marketId: Number(reference.args.marketId),
            size: reference.args.size,
            entryPrice: reference.args.entryPrice,
            price: reference.args.price,
            realizedPnl: reference.args.realizedPnl,
            margin: reference.args.margin,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('maps hub, vault and credit events to ledger events and names their origin', () => {
    const decoded = decodeLog(
      'vault',
      { chainId: 41002, eid: 40102 },
      rawLog('vault', 'BalanceAttested', [ALICE, 2, 5n, 9n, 3n], { block: 8, index: 4 }),
    );
    expect(decoded).toEqual({
      origin: expect.objectContaining({ chainId: 41002, eid: 40102, blockNumber: 8, logIndex: 4, contract: 'vault', name: 'BalanceAttested' }),
      event: { kind: 'VaultAttestation', account: ALICE, eid: 40102, assetId: 2, balance: 5n, sequence: 9n, requestId: 3n },
    });
    expect(decodeLog('hub', HUB_CHAIN, rawLog('hub', 'WithdrawalDecided', [40102, 1n, ALICE, false, 4, 0n], { block: 1, index: 0 }))?.event).toEqual({
      kind: 'HubWithdrawalDecided',
      eid: 40102,
      requestId: 1n,
      account: ALICE,
      approved: false,
      reason: 4,
      reservedValue: 0n,
    });
    expect(
      decodeLog('creditManager', HUB_CHAIN, rawLog('creditManager', 'ReservationReleased', [ALICE, 3n, 0n], { block: 1, index: 0 }))?.event,
    ).toEqual({ kind: 'CreditReservedTotal', account: ALICE, reserved: 0n });
    expect(decodeLog('hub', HUB_CHAIN, rawLog('hub', 'MaxPriceAgeSet', [60n], { block: 1, index: 0 }))?.event).toEqual({
      kind: 'Informational',
      account: null,
    });
  });

  it('decodes SettlementPool.CashChanged with signed int256 delta and cashAfter, like ethers parseLog', () => {
    const int = fc.bigInt({ min: -(1n << 255n), max: (1n << 255n) - 1n });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 0, max: 3 }), int, int, (acct, reason, delta, cashAfter) => {
        const account = getAddress(hexlify(acct));
        const raw = rawLog('settlementPool', 'CashChanged', [account, reason, delta, cashAfter], { block: 2, index: 1 });
        const reference = CONTRACT_INTERFACES.settlementPool.parseLog({ topics: [...raw.topics], data: raw.data })!;
        const decoded = decodeLog('settlementPool', HUB_CHAIN, raw);
        expect(decoded?.event).toEqual({
          kind: 'CashChanged',
          account: reference.args.account,
          reason: Number(reference.args.reason),
          delta: reference.args.delta,
          cashAfter: reference.args.cashAfter,
        });
        expect(decoded?.origin).toMatchObject({ contract: 'settlementPool', name: 'CashChanged', blockNumber: 2, logIndex: 1 });
      }),
      { numRuns: 200 },
    );
    const loss = rawLog('settlementPool', 'CashChanged', [ALICE, 0, -(10n ** 18n), -(5n * 10n ** 17n)], { block: 1, index: 0 });
    expect(decodeLog('settlementPool', HUB_CHAIN, loss)?.event).toEqual({
      kind: 'CashChanged',
      account: ALICE,
      reason: 0,
      delta: -(10n ** 18n),
      cashAfter: -(5n * 10n ** 17n),
    });
    const funded = rawLog('settlementPool', 'Funded', [BOB, 10n ** 6n], { block: 1, index: 1 });
    expect(decodeLog('settlementPool', HUB_CHAIN, funded)?.event).toEqual({ kind: 'Informational', account: null });
  });

  it('decodes the signed credit base, the pending withdrawal and a cancelled reservation', () => {
    const minBase = -(1n << 94n);
    const pushed = rawLog('creditManager', 'CreditLimitSet', [ALICE, 7n, minBase, true], { block: 3, index: 0 });
    expect(decodeLog('creditManager', HUB_CHAIN, pushed)?.event).toEqual({
      kind: 'CreditLimitSet',
      account: ALICE,
      epoch: 7n,
      base: minBase,
      liquidatable: true,
    });
    const negative = rawLog('creditManager', 'CreditLimitSet', [BOB, 8n, -1n, false], { block: 3, index: 1 });
    expect(decodeLog('creditManager', HUB_CHAIN, negative)?.event).toMatchObject({ base: -1n });

    const pending = rawLog('hub', 'WithdrawalPending', [40102, 5n, ALICE, 1, 1_000_000n, 95n * 10n ** 16n, 1_800_000_600n], { block: 4, index: 2 });
    expect(decodeLog('hub', HUB_CHAIN, pending)?.event).toEqual({
      kind: 'HubWithdrawalPending',
      eid: 40102,
      requestId: 5n,
      account: ALICE,
      assetId: 1,
      amount: 1_000_000n,
      reservedValue: 95n * 10n ** 16n,
      deadline: 1_800_000_600,
    });
    const cancelled = rawLog('creditManager', 'ReservationCancelled', [ALICE, 95n * 10n ** 16n, 0n], { block: 5, index: 0 });
    expect(decodeLog('creditManager', HUB_CHAIN, cancelled)?.event).toEqual({ kind: 'CreditReservedTotal', account: ALICE, reserved: 0n });
  });

  it('returns null for logs that are not the contract’s events or are malformed', () => {
    const attested = rawLog('vault', 'BalanceAttested', [ALICE, 2, 5n, 9n, 3n], { block: 1, index: 0 });
    expect(decodeLog('hub', HUB_CHAIN, attested)).toBeNull();
    expect(decodeLog('vault', HUB_CHAIN, { ...attested, data: attested.data.slice(0, -2) })).toBeNull();
    expect(decodeLog('vault', HUB_CHAIN, { ...attested, topics: attested.topics.slice(0, 2) })).toBeNull();
    expect(decodeLog('vault', HUB_CHAIN, { ...attested, topics: [] })).toBeNull();
  });
});
