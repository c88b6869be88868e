import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { devWallet } from '@tributary/contracts';
import { isLocalManifest } from '@tributary/sdk';
import { loadManifest } from '@tributary/protocol';

export interface WebServerOptions {
  port: number;
  /** The built web app (web/dist). */
  root: string;
  manifestPath: string;
  aggregatorUrl: string;
  relayerUrl: string;
  /** The devnet's relayer operator key: added to relayer reads (GET) that carry no key of their own. */
  relayerApiKey: string;
  /** Hardhat dev account indices offered as demo accounts (only while every chain is local). */
  demoAccounts: number[];
}

export interface WebServer {
  url: string;
  /** Whether the web app was built (else the page says how to build it). */
  built: boolean;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/**
 * The page's run-time configuration (web/src/config/runtime-config.ts): the manifest as it is now (add-chain
 * rewrites it), the API paths of this server's proxies, and the demo accounts' keys: Hardhat's public dev keys,
 * only while every chain of the manifest is local (the CLI's --dev-account rule). Nothing else ever gets a key.
 */
export function webConfig(options: Pick<WebServerOptions, 'manifestPath' | 'demoAccounts'>): Record<string, unknown> {
  const manifest = loadManifest(options.manifestPath);
  const local = isLocalManifest(manifest);
  return {
    manifest,
    aggregatorUrl: '/api/aggregator',
    relayerUrl: '/api/relayer',
    relayerReadsOpen: true,
    network: local ? 'devnet' : 'network',
    demoAccounts: local
      ? options.demoAccounts.map((index) => {
          const wallet = devWallet(index);
          return { index, address: wallet.address, privateKey: wallet.privateKey };
        })
      : [],
  };
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Streams the request to `target` + the path after `prefix` (server-sent events included) and the answer back. */
function proxy(req: IncomingMessage, res: ServerResponse, target: string, prefix: string, extraHeaders: Record<string, string> = {}): void {
  const url = new URL(req.url!.slice(prefix.length) || '/', target);
  const headers = { ...req.headers, ...extraHeaders, host: url.host };
  const upstream = httpRequest(url, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) send(res, 502, `upstream ${target} unreachable: ${error.message}`);
    else res.destroy();
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function serveFile(res: ServerResponse, root: string, path: string): void {
  const file = normalize(join(root, decodeURIComponent(path)));
  const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
  const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  const immutable = target.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(target).pipe(res);
}

/**
 * The devnet's web server on 127.0.0.1: the built web app, `/config.json`, and same-origin proxies to the aggregator
 * (`/api/aggregator/*`, its event stream included) and the relayer's operator API (`/api/relayer/*`). Chains are
 * reached directly (Hardhat nodes answer CORS).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = resolve(options.root);
  const built = existsSync(join(root, 'index.html'));
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      if (path === '/config.json') return send(res, 200, JSON.stringify(webConfig(options)), 'application/json');
      if (path.startsWith('/api/aggregator/')) return proxy(req, res, options.aggregatorUrl, '/api/aggregator');
      if (path.startsWith('/api/relayer/')) {
        const read = req.method === 'GET' || req.method === 'HEAD';
        const keyed = req.headers['x-api-key'] || req.headers.authorization;
        return proxy(req, res, options.relayerUrl, '/api/relayer', read && !keyed ? { 'x-api-key': options.relayerApiKey } : {});
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      if (!built) return send(res, 503, 'the web app is not built: npm run build -w @tributary/web (npm start builds it)');
      return serveFile(res, root, path);
    } catch (error) {
      return send(res, 500, (error as Error).message);
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => done());
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    built,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** web/dist of this workspace. */
export const WEB_DIST = resolve(__dirname, '..', '..', '..', 'web', 'dist');
