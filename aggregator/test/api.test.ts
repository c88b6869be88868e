import request from 'supertest';
import { getAddress, keccak256, toBeHex } from 'ethers';
import { CONTRACT_INTERFACES, decodeLog } from '../src/events/event-decoder';
import type { ContractRole } from '../src/events/ledger-events';
import type { RawLog } from '../src/events/raw-log';
import { startAggregator, type Aggregator } from './support/aggregator';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CHAIN = { chainId: 41001, eid: 40101 };

function log(role: ContractRole, name: string, args: unknown[], blockNumber: number, logIndex: number): RawLog {
  const iface = CONTRACT_INTERFACES[role];
  const { topics, data } = iface.encodeEventLog(iface.getEvent(name)!, args);
  return {
    address: getAddress(toBeHex(1, 20)),
    topics,
    data,
    blockNumber,
    blockHash: keccak256(toBeHex(blockNumber, 32)),
    logIndex,
    transactionHash: keccak256(toBeHex(blockNumber * 100 + logIndex, 32)),
  };
}

/** The REST API over a ledger filled through the ingestor; every bad input is a 4xx and changes nothing. */
describe('REST API', () => {
  let agg: Aggregator;

  beforeAll(async () => {
    agg = await startAggregator();
    const raws: [ContractRole, RawLog][] = [
      ['hub', log('hub', 'AttestationApplied', [ALICE, 40102, 1, 5_000_000_000n, 1n], 10, 0)],
      ['hub', log('hub', 'AttestationApplied', [BOB, 40102, 2, 10n ** 18n, 2n], 10, 1)],
      ['hub', log('hub', 'WithdrawalRequested', [40102, 1n, ALICE, 1, 1_000_000n], 11, 0)],
      ['hub', log('hub', 'WithdrawalPending', [40102, 1n, ALICE, 1, 1_000_000n, 950_000_000_000_000_000n, 1_700_000_600n], 11, 1)],
      ['hub', log('hub', 'WithdrawalDecided', [40102, 1n, ALICE, true, 0, 950_000_000_000_000_000n], 11, 2)],
      ['hub', log('hub', 'WithdrawalRequested', [40102, 2n, ALICE, 1, 2_000_000n], 11, 3)],
      ['hub', log('hub', 'WithdrawalPending', [40102, 2n, ALICE, 1, 2_000_000n, 1_900_000_000_000_000_000n, 1_700_000_700n], 11, 4)],
      ['hub', log('hub', 'WithdrawalDecided', [40102, 2n, ALICE, false, 10, 0n], 11, 5)],
      ['hub', log('hub', 'WithdrawalRequested', [40102, 3n, ALICE, 1, 3_000_000n], 11, 6)],
      ['hub', log('hub', 'WithdrawalPending', [40102, 3n, ALICE, 1, 3_000_000n, 2_850_000_000_000_000_000n, 1_700_000_800n], 11, 7)],
      ['creditManager', log('creditManager', 'CreditLimitSet', [ALICE, 3n, 7n * 10n ** 21n, false], 12, 0)],
      ['settlementPool', log('settlementPool', 'CashChanged', [ALICE, 0, -(150n * 10n ** 18n), -(150n * 10n ** 18n)], 12, 2)],
      ['settlementPool', log('settlementPool', 'CashChanged', [ALICE, 1, -(10n ** 18n), -(151n * 10n ** 18n)], 12, 3)],
      ['settlementPool', log('settlementPool', 'CashChanged', [ALICE, 2, 100n * 10n ** 18n, -(51n * 10n ** 18n)], 13, 1)],
      ['creditManager', log('creditManager', 'CreditBatchPushed', [3n, 1n, 7n * 10n ** 21n], 12, 1)],
      [
        'perpMarket',
        log(
          'perpMarket',
          'PositionOpened',
          [ALICE, 0, -(10n ** 18n), -(10n ** 18n), 2000n * 10n ** 18n, 2000n * 10n ** 18n, 0n, 200n * 10n ** 18n, 0n],
          13,
          0,
        ),
      ],
    ];
    await agg.ingestor.ingest({
      ...CHAIN,
      fromBlock: 10,
      toBlock: 13,
      logs: raws.map(([role, raw]) => ({ raw, envelope: decodeLog(role, CHAIN, raw)! })),
      blockHashes: [{ number: 13, hash: keccak256(toBeHex(13, 32)) }],
      cursor: { eid: CHAIN.eid, nextBlock: 14, headBlock: 14, headTime: 1000, indexedTime: 990 },
    });
  });

  afterAll(() => agg?.close());

  it('serves an account: collateral, positions, credit and epoch, withdrawals', async () => {
    const body = (await request(agg.http).get(`/v1/accounts/${ALICE.toLowerCase()}`).expect(200)).body;
    expect(body).toEqual({
      address: ALICE,
      collateral: [
        {
          eid: 40102,
          chain: null,
          assetId: 1,
          symbol: null,
          balance: '5000000000',
          sequence: '1',
          attestedBlock: 10,
          vaultBalance: '0',
          vaultSequence: '0',
        },
      ],
      positions: [
        {
          marketId: 0,
          size: '-1000000000000000000',
          entryPrice: '2000000000000000000000',
          margin: '200000000000000000000',
          lastPrice: '2000000000000000000000',
          realizedPnl: '0',
        },
      ],
      credit: { limit: '7000000000000000000000', epoch: '3', liquidatable: false, used: '0', reserved: '0' },
      // no risk book, hub or pool in this app: nothing to compute what may be withdrawn from
      withdrawable: null,
      withdrawableCash: null,
      withdrawals: [
        {
          eid: 40102,
          requestId: '1',
          assetId: 1,
          amount: '1000000',
          status: 'approved',
          approved: true,
          reason: 0,
          reasonName: null,
          reservedValue: '950000000000000000',
          deadline: 1_700_000_600,
        },
        {
          eid: 40102,
          requestId: '2',
          assetId: 1,
          amount: '2000000',
          status: 'rejected',
          approved: false,
          reason: 10,
          reasonName: 'PostWithdrawalCreditBelowFloor',
          reservedValue: '0',
          deadline: 1_700_000_700,
        },
        {
          eid: 40102,
          requestId: '3',
          assetId: 1,
          amount: '3000000',
          status: 'pending',
          approved: null,
          reason: 0,
          reasonName: null,
          reservedValue: '2850000000000000000',
          deadline: 1_700_000_800,
        },
      ],
      cash: '-51000000000000000000',
    });
  });

  it('pages the cash history newest first, with reason names', async () => {
    const body = (await request(agg.http).get(`/v1/accounts/${ALICE}/cash-history?limit=2`).expect(200)).body;
    expect(body).toEqual({
      items: [
        {
          reason: 2,
          reasonName: 'Repayment',
          delta: '100000000000000000000',
          cashAfter: '-51000000000000000000',
          blockNumber: 13,
          logIndex: 1,
          txHash: keccak256(toBeHex(1301, 32)),
        },
        {
          reason: 1,
          reasonName: 'TradingFee',
          delta: '-1000000000000000000',
          cashAfter: '-151000000000000000000',
          blockNumber: 12,
          logIndex: 3,
          txHash: keccak256(toBeHex(1203, 32)),
        },
      ],
      total: 3,
      limit: 2,
      offset: 0,
    });
    const last = (await request(agg.http).get(`/v1/accounts/${ALICE}/cash-history?offset=2`).expect(200)).body;
    expect(last.items).toEqual([expect.objectContaining({ reasonName: 'RealizedPnl', delta: '-150000000000000000000' })]);
    expect((await request(agg.http).get(`/v1/accounts/${BOB}/cash-history`).expect(200)).body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    expect((await request(agg.http).get(`/v1/accounts/${BOB}`).expect(200)).body.cash).toBe('0');
  });

  it('filters withdrawals by status, pending included', async () => {
    const pending = (await request(agg.http).get(`/v1/accounts/${ALICE}/withdrawals?status=pending`).expect(200)).body;
    expect(pending.items.map((w: { requestId: string }) => w.requestId)).toEqual(['3']);
    const rejected = (await request(agg.http).get(`/v1/accounts/${ALICE}/withdrawals?status=rejected`).expect(200)).body;
    expect(rejected.items).toEqual([expect.objectContaining({ requestId: '2', reasonName: 'PostWithdrawalCreditBelowFloor' })]);
  });

  it('answers /v1/pool with 503 and the reason when there is no SettlementPool to read', async () => {
    const response = await request(agg.http).get('/v1/pool').expect(503);
    expect(response.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/no deployment manifest.*SettlementPool/) });
  });

  it('pages accounts and withdrawals', async () => {
    expect((await request(agg.http).get('/v1/accounts?limit=1').expect(200)).body).toEqual({
      items: [{ address: BOB }],
      total: 2,
      limit: 1,
      offset: 0,
    });
    expect((await request(agg.http).get('/v1/accounts?limit=1&offset=1').expect(200)).body.items).toEqual([{ address: ALICE }]);
    expect((await request(agg.http).get(`/v1/accounts/${ALICE}/withdrawals?status=settled`).expect(200)).body).toEqual({
      items: [],
      total: 0,
      limit: 20,
      offset: 0,
    });
  });

  const badRequests: [string, RegExp][] = [
    ['/v1/accounts?limit=0', /limit must be ≥ 1/],
    ['/v1/accounts?limit=101', /limit must be ≤ 100/],
    ['/v1/accounts?limit=-1', /limit must be a decimal integer/],
    ['/v1/accounts?limit=1e2', /limit must be a decimal integer/],
    ['/v1/accounts?limit=0x10', /limit must be a decimal integer/],
    ['/v1/accounts?offset=99999999999999999999', /offset must be a decimal integer/],
    ['/v1/accounts?offset=1000001', /offset must be ≤ 1000000/],
    ['/v1/accounts?limit=1&limit=2', /limit/],
    ['/v1/accounts?page=2', /page|Unrecognized/i],
    ['/v1/accounts/0x123', /20-byte hex address/],
    ['/v1/accounts/not-an-address', /20-byte hex address/],
    ['/v1/accounts/0x70997970c51812DC3A010C7d01b50e0d17dc79C8', /checksum/],
    [`/v1/accounts/${ALICE}00`, /20-byte hex address/],
    [`/v1/accounts/${ALICE}/withdrawals?status=lost`, /status/],
    [`/v1/accounts/${ALICE}/withdrawals?limit=1000`, /limit must be ≤ 100/],
    [`/v1/accounts/${ALICE}/cash-history?limit=0`, /limit must be ≥ 1/],
    [`/v1/accounts/${ALICE}/cash-history?reason=1`, /Unrecognized/i],
    ['/v1/accounts/0x12/cash-history', /20-byte hex address/],
    ['/v1/pool?fresh=1', /Unrecognized/i],
    ['/v1/accounts/0xzz/withdrawals', /20-byte hex address/],
    ['/v1/chains?verbose=1', /Unrecognized/i],
    ['/v1/reconciliation?run=1', /Unrecognized/i],
  ];

  it.each(badRequests)('rejects %s with a clear 400 and changes nothing', async (path, message) => {
    const before = { snapshot: await agg.ledger.snapshot(), events: await agg.ledger.eventCount(), cursors: await agg.ledger.cursors() };
    const response = await request(agg.http).get(path).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(JSON.stringify(response.body.message)).toMatch(message);
    expect({ snapshot: await agg.ledger.snapshot(), events: await agg.ledger.eventCount(), cursors: await agg.ledger.cursors() }).toEqual(before);
  });

  it('answers 404 for a valid address without ledger entries', async () => {
    const unknown = getAddress(toBeHex(0xabcdef, 20));
    const response = await request(agg.http).get(`/v1/accounts/${unknown}`).expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, message: `account ${unknown} has no ledger entries` });
    await request(agg.http).get(`/v1/accounts/${unknown}/withdrawals`).expect(404);
    await request(agg.http).get(`/v1/accounts/${unknown}/cash-history`).expect(404);
  });

  it('shows indexing lag per chain from the cursor (no manifest: no chains)', async () => {
    expect((await request(agg.http).get('/v1/chains').expect(200)).body).toEqual({ indexingEnabled: false, chains: [] });
  });
});
