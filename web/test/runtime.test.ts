import { KnownAccounts } from '../src/api/known-accounts';
import { absoluteUrl, parseRuntimeConfig } from '../src/config/runtime-config';
import { MANIFEST } from '../../sdk/test/unit/fixtures';

const KEY = `0x${'ab'.repeat(32)}`;
const demo = [{ index: 5, address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', privateKey: KEY }];

describe('runtime config', () => {
  it('API paths become absolute on the page origin; demo keys are kept while every chain is local', () => {
    const config = parseRuntimeConfig(
      { manifest: MANIFEST, aggregatorUrl: '/api/aggregator', relayerUrl: '/api/relayer', demoAccounts: demo },
      'http://127.0.0.1:3200',
    );
    expect(config.aggregatorUrl).toBe('http://127.0.0.1:3200/api/aggregator');
    expect(config.relayerUrl).toBe('http://127.0.0.1:3200/api/relayer');
    expect(config.demoAccounts).toEqual(demo);
    expect(absoluteUrl('https://agg.example.org/', 'http://x')).toBe('https://agg.example.org');
  });

  it('drops demo keys when one chain is remote (the CLI rule), and malformed ones always', () => {
    const remote = { ...MANIFEST, chains: MANIFEST.chains.map((c, i) => (i === 2 ? { ...c, rpcUrl: 'https://rpc.example.org' } : c)) };
    expect(parseRuntimeConfig({ manifest: remote, aggregatorUrl: '/a', demoAccounts: demo }, 'http://h').demoAccounts).toEqual([]);
    const bad = [{ ...demo[0], privateKey: '0x1234' }];
    expect(parseRuntimeConfig({ manifest: MANIFEST, aggregatorUrl: '/a', demoAccounts: bad }, 'http://h').demoAccounts).toEqual([]);
    expect(() => parseRuntimeConfig({ manifest: MANIFEST }, 'http://h')).toThrow('aggregatorUrl');
  });
});

describe('known accounts (from the event stream)', () => {
  const address = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc';
  const base = 'http://h/api/aggregator/v1/accounts';

  it('answers the account routes 404 itself while the stream says unknown; asks the network once known or unsure', async () => {
    const asked: string[] = [];
    const known = new KnownAccounts(10_000, async (url) => (asked.push(url), new Response('{}', { status: 200 })));
    known.set(address, false);
    for (const path of ['', '/risk', '/risk/history', '/withdrawals', '/cash-history'])
      expect((await known.fetch(`${base}/${address.toLowerCase()}${path}?limit=1`)).status).toBe(404);
    expect((await known.fetch(`${base}/${address}/events`)).status).toBe(200);
    expect((await known.fetch('http://h/api/aggregator/v1/chains')).status).toBe(200);
    known.set(address, true);
    expect((await known.fetch(`${base}/${address}`)).status).toBe(200);
    known.set(address, false);
    known.forget();
    expect((await known.fetch(`${base}/${address}/risk`)).status).toBe(200);
    expect(asked).toHaveLength(4);
  });

  it('waits for the stream’s first word, at most its time limit', async () => {
    const known = new KnownAccounts(20, async () => new Response('{}', { status: 200 }));
    const started = Date.now();
    expect((await known.fetch(`${base}/${address}`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
