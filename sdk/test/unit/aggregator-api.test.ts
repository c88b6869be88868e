import { createServer } from 'node:net';
import { AggregatorApi, ApiError, TributaryError } from '../../src';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('AggregatorApi', () => {
  it('an account the ledger does not know is null; other error statuses are ApiErrors with the message', async () => {
    const api = new AggregatorApi('http://agg.test/', async (url) =>
      url.endsWith('/risk') ? json(404, { message: 'unknown' }) : json(400, { message: ['assets.0.price: price must be ≥ 0'] }),
    );
    expect(await api.accountRisk('0x1')).toBeNull();
    const error = (await api.evaluate({} as never).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.message).toContain('assets.0.price: price must be ≥ 0');
    expect(api.eventsUrl('0xabc')).toBe('http://agg.test/v1/accounts/0xabc/events');
  });

  it('book, history and liquidations: the routes and queries the web app reads', async () => {
    const urls: string[] = [];
    const api = new AggregatorApi('http://agg.test', async (url) => (urls.push(url), json(200, { items: [], total: 0 })));
    await api.riskBook({ nearest: 5 });
    await api.riskHistory('0xabc', { limit: 100 });
    await api.liquidations();
    expect(urls).toEqual([
      'http://agg.test/v1/risk/book?nearest=5',
      'http://agg.test/v1/accounts/0xabc/risk/history?limit=100',
      'http://agg.test/v1/liquidations',
    ]);
  });

  it('a refused connection is api-unreachable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const api = new AggregatorApi(`http://127.0.0.1:${port}`);
    const error = (await api.chains().catch((e: unknown) => e)) as TributaryError;
    expect(error.code).toBe('api-unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
