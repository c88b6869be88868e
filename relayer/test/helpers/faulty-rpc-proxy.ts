import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FaultyProxyOptions {
  port: number;
  upstream: string;
  /** Share of requests answered with HTTP 500 without reaching the node. */
  http500: number;
  /** Share answered with a JSON-RPC error without reaching the node. */
  rpcError: number;
  /** Share forwarded to the node whose answer is then withheld (the client times out; the node did the work). */
  timeoutAfterForward: number;
  /** Deterministic pseudo-random sequence. */
  seed?: number;
}

export interface FaultyProxy {
  url: string;
  counts: { forwarded: number; http500: number; rpcError: number; timeout: number };
  close(): Promise<void>;
}

/** A loopback HTTP proxy in front of a chain RPC that fails a share of requests. */
export async function startFaultyProxy(options: FaultyProxyOptions): Promise<FaultyProxy> {
  let state = options.seed ?? 12345;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const counts = { forwarded: 0, http500: 0, rpcError: 0, timeout: 0 };
  const upstream = new URL(options.upstream);
  const held = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const roll = random();
      if (roll < options.http500) {
        counts.http500++;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('proxy fault');
        return;
      }
      if (roll < options.http500 + options.rpcError) {
        counts.rpcError++;
        let id: unknown = null;
        try {
          id = (JSON.parse(body.toString()) as { id?: unknown }).id ?? null;
        } catch {
          /* batch or bad JSON: id null */
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: 'proxy fault' } }));
        return;
      }
      const withhold = roll < options.http500 + options.rpcError + options.timeoutAfterForward;
      const forward = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          path: upstream.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (upstreamRes) => {
          const out: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => out.push(c));
          upstreamRes.on('end', () => {
            if (withhold) {
              counts.timeout++;
              held.add(res);
              return;
            }
            counts.forwarded++;
            res.writeHead(upstreamRes.statusCode ?? 200, { 'content-type': 'application/json' }).end(Buffer.concat(out));
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end('upstream down'));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${options.port}`,
    counts,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
