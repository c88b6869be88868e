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
      ['hub', log('hub', 'WithdrawalDecided', [40102, 1n, ALICE, true, 0, 950_000_000_000_000_000n], 11, 1)],
      ['creditManager', log('creditManager', 'CreditLimitSet', [ALICE, 3n, 7n * 10n ** 21n, false], 12, 0)],
      ['creditManager', log('creditManager', 'CreditBatchPushed', [3n, 1n, 7n * 10n ** 21n], 12, 1)],
      [
        'perpMarket',
        log(
          'perpMarket',
          'PositionOpened',
          [ALICE, 0, -(10n ** 18n), -(10n ** 18n), 2000n * 10n ** 18n, 2000n * 10n ** 18n, 0n, 200n * 10n ** 18n],
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
      withdrawals: [
        {
          eid: 40102,
          requestId: '1',
          assetId: 1,
          amount: '1000000',
          status: 'approved',
          approved: true,
          reason: 0,
          reservedValue: '950000000000000000',
        },
      ],
    });
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
  });

  it('shows indexing lag per chain from the cursor (no manifest: no chains)', async () => {
    expect((await request(agg.http).get('/v1/chains').expect(200)).body).toEqual({ indexingEnabled: false, chains: [] });
  });
});
