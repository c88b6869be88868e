import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What a faulty request suffers; `drop-after` forwards it first, so the node acts on it but the client never hears. */
export type Fault = 'drop' | 'drop-after' | 'delay' | 'http-500' | 'rpc-error';
export const FAULTS: readonly Fault[] = ['drop', 'drop-after', 'delay', 'http-500', 'rpc-error'];

export interface FaultProxyOptions {
  /** The JSON-RPC endpoint behind the proxy. */
  target: string;
  port: number;
  /** Share of requests that suffer a fault (0–1), each fault equally likely. Changeable with `setFaultRate`. */
  faultRate: number;
  /** A delayed request waits this long (ms, uniform) before it is forwarded. */
  delayMs?: [number, number];
  random?: () => number;
}

const FORWARD_TIMEOUT_MS = 30_000;

export type FaultCounts = { requests: number; forwarded: number } & Record<Fault, number>;

/**
 * An HTTP JSON-RPC proxy in front of one chain's node that drops (closes the socket, before or after forwarding),
 * delays, or fails (HTTP 500, or a JSON-RPC error for every call of the request) a share of the requests, and
 * forwards the rest unchanged. Counts what it did.
 */
export class FaultProxy {
  readonly counts: FaultCounts = { requests: 0, forwarded: 0, drop: 0, 'drop-after': 0, delay: 0, 'http-500': 0, 'rpc-error': 0 };
  private rate: number;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly random: () => number;

  constructor(private readonly options: FaultProxyOptions) {
    this.rate = options.faultRate;
    this.random = options.random ?? Math.random;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  setFaultRate(rate: number): void {
    this.rate = rate;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The fault for the next request, or undefined to forward it untouched. */
  private pick(): Fault | undefined {
    if (this.random() >= this.rate) return undefined;
    return FAULTS[Math.min(FAULTS.length - 1, Math.floor(this.random() * FAULTS.length))];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.counts.requests++;
    const fault = this.pick();
    if (fault) this.counts[fault]++;
    try {
      if (fault === 'drop') return void req.socket.destroy();
      if (fault === 'http-500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('fault proxy: injected failure');
      if (fault === 'rpc-error') return void res.writeHead(200, { 'content-type': 'application/json' }).end(rpcErrors(body));
      if (fault === 'delay') {
        const [min, max] = this.options.delayMs ?? [200, 2000];
        await new Promise((r) => setTimeout(r, min + this.random() * (max - min)));
      }
      // A client that gave up (its own timeout) or a node that stopped answering: stop forwarding, so abandoned
      // requests do not pile up at the node.
      const abort = new AbortController();
      res.once('close', () => abort.abort());
      const timer = setTimeout(() => abort.abort(), FORWARD_TIMEOUT_MS);
      const response = await fetch(this.options.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: abort.signal,
      }).finally(() => clearTimeout(timer));
      const text = await response.text();
      this.counts.forwarded++;
      if (fault === 'drop-after') return void req.socket.destroy();
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' }).end(text);
    } catch {
      if (!res.headersSent) res.writeHead(502).end('fault proxy: target unreachable');
    }
  }
}

/** A JSON-RPC error answer to every call in `body` (one call or a batch). */
export function rpcErrors(body: string): string {
  const error = (id: unknown) => ({ jsonrpc: '2.0', id: id ?? null, error: { code: -32603, message: 'fault proxy: injected error' } });
  try {
    const parsed = JSON.parse(body) as { id?: unknown } | { id?: unknown }[];
    return JSON.stringify(Array.isArray(parsed) ? parsed.map((c) => error(c.id)) : error(parsed.id));
  } catch {
    return JSON.stringify(error(null));
  }
}

export function describeCounts(name: string, c: FaultCounts): string {
  const faults = FAULTS.reduce((s, f) => s + c[f], 0);
  const share = c.requests ? ((100 * faults) / c.requests).toFixed(1) : '0';
  return `${name}: ${c.requests} requests, ${faults} faulted (${share} %): ${FAULTS.map((f) => `${f} ${c[f]}`).join(', ')}`;
}
