import request from 'supertest';
import { AccountEventsService } from '../src/api/account-events.service';
import { startAggregator, type Aggregator } from './support/aggregator';
import { ALICE, BOB, HUB_CHAIN, indexed, rawLog } from './support/synthetic';

interface SseEvent {
  type: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Reads `text/event-stream` from `url` into `events` until `close()`. */
async function openStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split('\n')
              .filter((l) => l.startsWith(`${name}:`))
              .map((l) => l.slice(name.length + 1).trimStart());
          const data = field('data');
          if (data.length === 0) continue; // a keep-alive comment
          events.push({ type: field('event')[0] ?? 'message', id: field('id')[0], data: JSON.parse(data.join('\n')) });
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async (predicate: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event; got ${events.map((e) => e.type).join(', ')}`);
      await new Promise<void>((wake) => {
        waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  };
  return {
    response,
    events,
    waitFor,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

/** GET /v1/accounts/:address/events: the account stream over ledger changes the ingestor commits. */
describe('account events (server-sent events)', () => {
  let agg: Aggregator;
  let base: string;

  beforeAll(async () => {
    agg = await startAggregator();
    await agg.app.listen(0, '127.0.0.1');
    base = (await agg.app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => agg?.close());

  const ingest = (block: number, logs: ReturnType<typeof indexed>[]) =>
    agg.ingestor.ingest({
      ...HUB_CHAIN,
      fromBlock: block,
      toBlock: block,
      logs,
      blockHashes: [],
      cursor: { eid: HUB_CHAIN.eid, nextBlock: block + 1, headBlock: block + 1, headTime: 1000, indexedTime: 990 },
    });

  it('opens with a snapshot (null before the first ledger entry), then sends each committed change of the account', async () => {
    const stream = await openStream(`${base}/v1/accounts/${ALICE.toLowerCase()}/events`);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
      const snapshot = await stream.waitFor((e) => e.type === 'snapshot');
      expect(snapshot.data).toEqual({ account: null, risk: null });

      await ingest(10, [indexed('hub', rawLog('hub', 'AttestationApplied', [ALICE, 40102, 1, 5_000_000n, 1n], { block: 10, index: 0 }))]);
      const ledger = await stream.waitFor((e) => e.type === 'ledger');
      expect(ledger.data.changed).toEqual(expect.arrayContaining(['collateral']));
      const collateral = await stream.waitFor((e) => e.type === 'collateral');
      expect(collateral.data).toMatchObject({ eid: 40102, assetId: 1, balance: '5000000', sequence: '1' });

      // Another account's change is not sent on Alice's stream.
      await ingest(11, [indexed('hub', rawLog('hub', 'AttestationApplied', [BOB, 40102, 1, 7n, 1n], { block: 11, index: 0 }))]);
      await ingest(12, [indexed('hub', rawLog('hub', 'WithdrawalRequested', [40102, 9n, ALICE, 1, 1_000_000n], { block: 12, index: 0 }))]);
      const withdrawal = await stream.waitFor((e) => e.type === 'withdrawal');
      expect(withdrawal.data).toMatchObject({ eid: 40102, requestId: '9', amount: '1000000' });
      expect(stream.events.filter((e) => e.type === 'collateral')).toHaveLength(1);
      expect(stream.events.some((e) => JSON.stringify(e.data).includes('"balance":"7"'))).toBe(false);
      const ids = stream.events.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      await stream.close();
    }
  });

  it('a second client gets the current view as its snapshot; a closed stream is forgotten', async () => {
    const service = agg.app.get(AccountEventsService);
    const stream = await openStream(`${base}/v1/accounts/${ALICE}/events`);
    const snapshot = await stream.waitFor((e) => e.type === 'snapshot');
    expect((snapshot.data.account as { collateral: unknown[] }).collateral).toHaveLength(1);
    expect(service.watchedAccounts).toBe(1);
    await stream.close();
    for (let i = 0; i < 50 && service.watchedAccounts > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(service.watchedAccounts).toBe(0);
  });

  it('rejects an invalid address with 400 and is listed in the OpenAPI document as an event stream', async () => {
    await request(agg.http).get('/v1/accounts/0x1234/events').expect(400);
    const doc = (await request(agg.http).get('/docs-json').expect(200)).body;
    const route = doc.paths['/v1/accounts/{address}/events'].get;
    expect(Object.keys(route.responses['200'].content)).toEqual(['text/event-stream']);
  });
});
