import { getAddress } from 'ethers';
import request from 'supertest';
import type { ContractRole } from '../src/events/ledger-events';
import { startAggregator, type Aggregator } from './support/aggregator';
import { ALICE, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

const WAD = 10n ** 18n;
const KEEPER = getAddress('0x90f79bf6eb2c4f870365e785982e1f101e93b906');
const FUND = getAddress('0x15d34aaf54267db7d7c367839aaf71a00a2c6a65');
const COLLATERAL = { chainId: 41002, eid: 40102 };

/**
 * The liquidation ledger from indexed events (chain_event → fold → API): a liquidation with its penalty split, a
 * seizure, a lot taken and closed, the result applied, the fund's cover and the socialized bad debt.
 */
describe('liquidation ledger API', () => {
  let agg: Aggregator;
  beforeAll(async () => {
    agg = await startAggregator();
  });
  afterAll(async () => {
    await agg?.close();
  });

  async function ingest(chain: { chainId: number; eid: number }, block: number, events: [ContractRole, string, unknown[]][]): Promise<void> {
    const logs = events.map(([role, name, args], index) => indexed(role, rawLog(role, name, args, { block, index }), chain));
    await agg.ingestor.ingest({
      ...chain,
      fromBlock: block,
      toBlock: block,
      logs,
      blockHashes: [{ number: block, hash: logs[0].raw.blockHash }],
      cursor: { eid: chain.eid, nextBlock: block + 1, headBlock: block + 1, headTime: 100, indexedTime: 90 },
    });
  }

  it('shows the liquidation, its seizure, the lot and the fund', async () => {
    await ingest(HUB_CHAIN, 10, [
      ['liquidationRegistry', 'LiquidationOpened', [1n, ALICE, KEEPER]],
      ['perpMarket', 'LiquidationExecuted', [1n, ALICE, KEEPER, WAD, 20_000n * WAD, 400n * WAD, WAD / 2n]],
      ['settlementPool', 'PenaltyCharged', [1n, ALICE, KEEPER, FUND, 400n * WAD, 200n * WAD, 200n * WAD]],
      ['hub', 'SeizureSent', [5n, 1n, ALICE, 40102, 2, WAD, 1_000n * WAD, 1_020n * WAD, KEEPER]],
    ]);
    await ingest(COLLATERAL, 20, [
      ['auction', 'LotKicked', [5n, 1n, ALICE, 2, WAD, 1_000n * WAD, 1_224n * WAD, 1_020n * WAD]],
      ['auction', 'LotTaken', [5n, KEEPER, KEEPER, WAD, 1_000n * WAD, 1_000n * 10n ** 6n, 1_000n * WAD, 0n]],
      ['auction', 'LotClosed', [5n, 1n, ALICE, 1_000n * WAD, 0n]],
    ]);
    let lots = (await request(agg.http).get('/v1/auctions/lots?status=closed').expect(200)).body;
    expect(lots).toMatchObject({
      total: 1,
      items: [{ eid: 40102, lotId: '5', status: 'closed', proceedsUsd: (1_000n * WAD).toString(), remaining: '0', takes: 1, priceNow: null }],
    });
    await ingest(HUB_CHAIN, 11, [
      ['hub', 'AuctionResultApplied', [5n, 1n, ALICE, 40102, 2, WAD, WAD, 0n, 1_000n * WAD, 0n]],
      ['insuranceFund', 'DebtCovered', [1n, ALICE, 100n * WAD, 60n * WAD, 0n, 40n * WAD]],
      ['settlementPool', 'LossSocialized', [ALICE, 40n * WAD, 40n * WAD, 0n, 10n ** 36n]],
      ['insuranceFund', 'FundBalance', [140n * WAD, 0n, 140n * WAD]],
      ['liquidationRegistry', 'LiquidationClosed', [1n, ALICE, 0n]],
    ]);
    const detail = (await request(agg.http).get('/v1/liquidations/1').expect(200)).body;
    expect(detail).toMatchObject({
      liquidationId: '1',
      account: ALICE,
      status: 'closed',
      penalty: (400n * WAD).toString(),
      keeperShare: (200n * WAD).toString(),
      fundShare: (200n * WAD).toString(),
      proceedsUsd: (1_000n * WAD).toString(),
      coveredUsd: (60n * WAD).toString(),
      badDebt: (40n * WAD).toString(),
      steps: [{ fraction: WAD.toString(), liquidator: KEEPER }],
      seizures: [{ seizureId: '5', status: 'resolved', seized: WAD.toString(), shortfall: '0', proceedsUsd: (1_000n * WAD).toString() }],
    });
    const fund = (await request(agg.http).get('/v1/insurance-fund').expect(200)).body;
    expect(fund).toMatchObject({
      balanceUsd: (140n * WAD).toString(),
      penaltyInflowsUsd: (200n * WAD).toString(),
      paidFromCashUsd: (60n * WAD).toString(),
      covers: 1,
      badDebtUsd: (40n * WAD).toString(),
      badDebtByAccount: [{ account: ALICE, amountUsd: (40n * WAD).toString() }],
    });
    lots = (await request(agg.http).get('/v1/auctions/lots?status=open').expect(200)).body;
    expect(lots.total).toBe(0);
    const metrics = (await request(agg.http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/tributary_aggregator_insurance_fund_balance_usd 140/);
    expect(metrics).toMatch(/tributary_aggregator_bad_debt_usd 40/);
    expect(metrics).toMatch(/tributary_aggregator_auction_lots\{status="closed"\} 1/);
  });
});
