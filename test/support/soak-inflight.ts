import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * HTTP requests of this process still waiting for their answer, per target port (node:http clients: ethers'
 * providers and the fault proxies' upstream requests), so a client that piles requests on a stalled node shows.
 */
export class InFlight {
  private readonly open = new Map<ClientRequest, string>();
  readonly peak = new Map<string, number>();

  constructor() {
    const done = ({ request }: { request: ClientRequest }) => this.open.delete(request);
    subscribe('http.client.request.start', (message) => {
      const { request } = message as { request: ClientRequest };
      const port = String(request.getHeader('host') ?? request.host).split(':')[1] ?? '?';
      this.open.set(request, port);
      const now = this.count(port);
      if (now > (this.peak.get(port) ?? 0)) this.peak.set(port, now);
    });
    subscribe('http.client.response.finish', (message) => done(message as { request: ClientRequest }));
    subscribe('http.client.request.error', (message) => done(message as { request: ClientRequest }));
  }

  count(port: string): number {
    let n = 0;
    for (const p of this.open.values()) if (p === port) n++;
    return n;
  }

  describe(ports: number[]): string {
    return ports.map((p) => `${p}: ${this.count(String(p))} (peak ${this.peak.get(String(p)) ?? 0})`).join(', ');
  }
}
