import fc from 'fast-check';
import { getAddress, hexlify } from 'ethers';
import { CONTRACT_INTERFACES, decodeLog } from '../../src/events/event-decoder';
import { ALICE, HUB_CHAIN, rawLog } from '../support/synthetic';

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
        (acct, marketId, delta, size, entry, price, pnl, margin) => {
          const account = getAddress(hexlify(acct));
          const raw = rawLog('perpMarket', 'PositionModified', [account, marketId, delta, size, entry, price, pnl, margin], { block: 1, index: 0 });
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

  it('returns null for logs that are not the contract’s events or are malformed', () => {
    const attested = rawLog('vault', 'BalanceAttested', [ALICE, 2, 5n, 9n, 3n], { block: 1, index: 0 });
    expect(decodeLog('hub', HUB_CHAIN, attested)).toBeNull();
    expect(decodeLog('vault', HUB_CHAIN, { ...attested, data: attested.data.slice(0, -2) })).toBeNull();
    expect(decodeLog('vault', HUB_CHAIN, { ...attested, topics: attested.topics.slice(0, 2) })).toBeNull();
    expect(decodeLog('vault', HUB_CHAIN, { ...attested, topics: [] })).toBeNull();
  });
});
