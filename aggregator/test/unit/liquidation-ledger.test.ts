import { applyLiquidationEvent, emptyLiquidationLedger, type LiquidationEvent } from '../../src/liquidation/liquidation-ledger';

const WAD = 10n ** 18n;
const ACCOUNT = '0x00000000000000000000000000000000000000AA';
let log = 0;
const ev = (contract: string, name: string, args: Record<string, unknown>, eid = 1): LiquidationEvent => ({
  eid,
  blockNumber: 1,
  logIndex: log++,
  txHash: `0x${log}`,
  contract,
  name,
  args,
});

describe('liquidation ledger fold', () => {
  it('follows a liquidation through penalty, seizure, lot, result, cover and bad debt', () => {
    const s = emptyLiquidationLedger();
    const events: LiquidationEvent[] = [
      ev('liquidationRegistry', 'LiquidationOpened', { liquidationId: 7n, account: ACCOUNT, opener: '0xP' }),
      ev('perpMarket', 'LiquidationExecuted', {
        liquidationId: 7n,
        account: ACCOUNT,
        liquidator: '0xK',
        fraction: WAD,
        closedNotional: 20_000n * WAD,
        penalty: 400n * WAD,
        healthBefore: WAD / 2n,
      }),
      ev('settlementPool', 'PenaltyCharged', {
        liquidationId: 7n,
        account: ACCOUNT,
        keeper: '0xK',
        fund: '0xF',
        penalty: 400n * WAD,
        keeperShare: 200n * WAD,
        fundShare: 200n * WAD,
      }),
      ev('hub', 'SeizureSent', {
        seizureId: 3n,
        liquidationId: 7n,
        account: ACCOUNT,
        eid: 2,
        assetId: 1,
        amount: WAD,
        debtUsd: 1_000n * WAD,
        value: 1_020n * WAD,
        recipient: '0xA',
      }),
      ev(
        'auction',
        'LotKicked',
        {
          lotId: 3n,
          liquidationId: 7n,
          account: ACCOUNT,
          assetId: 1,
          amount: WAD,
          debtUsd: 1_000n * WAD,
          startPrice: 1_224n * WAD,
          oraclePrice: 1_020n * WAD,
        },
        2,
      ),
      ev(
        'auction',
        'LotTaken',
        {
          lotId: 3n,
          taker: '0xT',
          receiver: '0xT',
          amount: WAD / 2n,
          price: 1_100n * WAD,
          quotePaid: 550n * 10n ** 6n,
          proceedsUsd: 550n * WAD,
          remaining: WAD / 2n,
        },
        2,
      ),
      ev('auction', 'LotRedone', { lotId: 3n, keeper: '0xR', tip: WAD / 200n, startPrice: 1_000n * WAD, oraclePrice: 900n * WAD }, 2),
      ev(
        'auction',
        'LotTaken',
        {
          lotId: 3n,
          taker: '0xT',
          receiver: '0xT',
          amount: WAD / 2n - WAD / 200n,
          price: 900n * WAD,
          quotePaid: 1n,
          proceedsUsd: 400n * WAD,
          remaining: 0n,
        },
        2,
      ),
      ev('auction', 'LotClosed', { lotId: 3n, liquidationId: 7n, account: ACCOUNT, proceedsUsd: 950n * WAD, returned: 0n }, 2),
      ev('hub', 'AuctionResultApplied', {
        seizureId: 3n,
        liquidationId: 7n,
        account: ACCOUNT,
        eid: 2,
        assetId: 1,
        requested: WAD,
        seized: WAD,
        shortfall: 0n,
        proceedsUsd: 950n * WAD,
        returned: 0n,
      }),
      ev('insuranceFund', 'DebtCovered', {
        liquidationId: 7n,
        account: ACCOUNT,
        debtUsd: 50n * WAD,
        fromCash: 30n * WAD,
        fromTokens: 0n,
        badDebt: 20n * WAD,
      }),
      ev('settlementPool', 'LossSocialized', { account: ACCOUNT, amount: 20n * WAD, socialized: 20n * WAD, unsocialized: 0n, lossIndex: 10n ** 36n }),
      ev('insuranceFund', 'FundBalance', { balanceUsd: 170n * WAD, tokenBalance: 0n, poolCash: 170n * WAD }),
      ev('liquidationRegistry', 'LiquidationClosed', { liquidationId: 7n, account: ACCOUNT, cash: 0n }),
      ev('hub', 'SomethingElse', {}),
    ];
    for (const e of events) applyLiquidationEvent(s, e);
    const l = s.liquidations.get('7')!;
    expect(l).toMatchObject({
      account: ACCOUNT.toLowerCase(),
      status: 'closed',
      penalty: 400n * WAD,
      fundShare: 200n * WAD,
      proceedsUsd: 950n * WAD,
    });
    expect(l.steps).toHaveLength(1);
    expect(l.seizures).toEqual(['3']);
    expect(l).toMatchObject({ coveredUsd: 30n * WAD, badDebt: 20n * WAD });
    expect(s.seizures.get('3')).toMatchObject({ status: 'resolved', seized: WAD, shortfall: 0n, proceedsUsd: 950n * WAD });
    expect(s.lots.get('2:3')).toMatchObject({
      status: 'closed',
      takes: 2,
      redos: 1,
      proceedsUsd: 950n * WAD,
      remaining: 0n,
      startPrice: 1_000n * WAD,
    });
    expect(s.fund).toMatchObject({
      balanceUsd: 170n * WAD,
      penaltyInflowsUsd: 200n * WAD,
      paidFromCashUsd: 30n * WAD,
      covers: 1,
      badDebtUsd: 20n * WAD,
    });
    expect(s.badDebtByAccount.get(ACCOUNT.toLowerCase())).toBe(20n * WAD);
  });
});
