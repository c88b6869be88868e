import { createServer, request, type Server } from 'node:http';
import { FAULTS, FaultProxy, rpcErrors, type Fault } from '../support/fault-proxy';

// The soak's fault proxy against a stub JSON-RPC node (no chain): each fault does what it says, the rest passes.
const PORTS = { node: 19946, proxy: 19947 };

describe('fault proxy', () => {
  let node: Server;
  const received: string[] = [];

  beforeAll(async () => {
    node = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        const call = JSON.parse(body) as { id: number };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result: '0x2a' }));
      });
    });
    await new Promise<void>((r) => node.listen(PORTS.node, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => node.close(() => r())));

  /** A proxy whose every request suffers `fault` (the random source picks it). */
  async function proxyWith(fault: Fault | 'none', run: (proxy: FaultProxy) => Promise<void>): Promise<void> {
    const index = fault === 'none' ? 0 : FAULTS.indexOf(fault);
    const draws = [0, (index + 0.5) / FAULTS.length];
    let n = 0;
    const proxy = new FaultProxy({
      target: `http://127.0.0.1:${PORTS.node}`,
      port: PORTS.proxy,
      faultRate: fault === 'none' ? 0 : 1,
      delayMs: [300, 300],
      random: () => draws[n++ % 2]!,
    });
    await proxy.start();
    try {
      await run(proxy);
    } finally {
      await proxy.stop();
    }
  }

  /** One JSON-RPC call on a fresh connection (a pooled one could be a closed proxy's). */
  const call = (id: number) =>
    new Promise<{ status: number; json: () => unknown }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: PORTS.proxy, method: 'POST', agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: () => JSON.parse(body) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id, method: 'eth_chainId' }));
    });

  it('forwards every request untouched at rate 0', async () => {
    await proxyWith('none', async (proxy) => {
      const before = received.length;
      const answers = await Promise.all([1, 2, 3].map(async (id) => (await call(id)).json()));
      expect(answers).toEqual([1, 2, 3].map((id) => ({ jsonrpc: '2.0', id, result: '0x2a' })));
      expect(received.length - before).toBe(3);
      expect(proxy.counts).toMatchObject({ requests: 3, forwarded: 3, drop: 0, delay: 0, 'http-500': 0, 'rpc-error': 0 });
    });
  });

  it('drop closes the socket without forwarding; drop-after forwards, then closes', async () => {
    for (const fault of ['drop', 'drop-after'] as const) {
      await proxyWith(fault, async (proxy) => {
        const before = received.length;
        await expect(call(7)).rejects.toThrow();
        expect(received.length - before).toBe(fault === 'drop' ? 0 : 1);
        expect(proxy.counts[fault]).toBe(1);
      });
    }
  });

  it('http-500 answers 500 and rpc-error a JSON-RPC error per call, neither forwarded', async () => {
    const before = received.length;
    await proxyWith('http-500', async () => expect((await call(1)).status).toBe(500));
    await proxyWith('rpc-error', async () => {
      expect(await (await call(9)).json()).toMatchObject({ id: 9, error: { code: -32603 } });
    });
    expect(received.length).toBe(before);
    expect(JSON.parse(rpcErrors('[{"id":1},{"id":2}]'))).toMatchObject([
      { id: 1, error: {} },
      { id: 2, error: {} },
    ]);
  });

  it('delay forwards after the delay', async () => {
    await proxyWith('delay', async (proxy) => {
      const started = Date.now();
      expect(await (await call(4)).json()).toMatchObject({ id: 4, result: '0x2a' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(proxy.counts).toMatchObject({ delay: 1, forwarded: 1 });
    });
  });

  it('a 15 % rate faults about 15 % of requests, each kind about equally', async () => {
    const proxy = new FaultProxy({ target: `http://127.0.0.1:${PORTS.node}`, port: PORTS.proxy, faultRate: 0.15, delayMs: [1, 2] });
    await proxy.start();
    try {
      for (let i = 0; i < 400; i++) await call(i).catch(() => undefined);
    } finally {
      await proxy.stop();
    }
    const faulted = FAULTS.reduce((s, f) => s + proxy.counts[f], 0);
    expect(proxy.counts.requests).toBe(400);
    expect(faulted).toBeGreaterThan(30);
    expect(faulted).toBeLessThan(95);
    for (const f of FAULTS) expect(proxy.counts[f]).toBeGreaterThan(0);
  });
});
