import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The command `npm start` runs, as a real process: chains, relayer and aggregator all start,
// answer /health, and Ctrl-C (SIGINT) stops every one of them.
const cli = resolve(__dirname, '..', '..', 'deploy', 'dist', 'cli.js');
const ports = { chain: 19800, aggregator: 19810, relayer: 19811, web: 19812, verifier: 19813 };

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

describe('devnet (npm start)', () => {
  it('starts, answers /health on both services, and stops cleanly on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-devnet-'));
    const child = spawn(process.execPath, [cli, 'devnet', '--dir', dir], {
      env: {
        ...process.env,
        DEVNET_CHAIN_PORT: String(ports.chain),
        DEVNET_AGGREGATOR_PORT: String(ports.aggregator),
        DEVNET_RELAYER_PORT: String(ports.relayer),
        DEVNET_WEB_PORT: String(ports.web),
        DEVNET_VERIFIER_PORT: String(ports.verifier),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

    const deadline = Date.now() + 120_000;
    while (!output.includes('devnet ready') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(output).toContain('devnet ready');
    expect(await answers(`http://127.0.0.1:${ports.aggregator}/health`)).toBe(true);
    expect(await answers(`http://127.0.0.1:${ports.relayer}/health`)).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${ports.aggregator}/metrics`)).text();
    expect(metrics).toContain('process_cpu_seconds_total');
    expect(output).toContain(`API docs    http://127.0.0.1:${ports.aggregator}/docs`);
    expect(await answers(`http://127.0.0.1:${ports.aggregator}/docs`)).toBe(true);
    // The web app's URL is in the banner; its server hands the page its config and proxies the aggregator.
    expect(output).toContain(`web app     http://127.0.0.1:${ports.web}   (trader and operator views`);
    expect(await answers(`http://127.0.0.1:${ports.web}/`)).toBe(true);
    const config = (await (await fetch(`http://127.0.0.1:${ports.web}/config.json`)).json()) as {
      demoAccounts: unknown[];
      manifest: { chains: unknown[] };
    };
    expect(config.manifest.chains).toHaveLength(3);
    expect(config.demoAccounts).toHaveLength(15);
    expect(await answers(`http://127.0.0.1:${ports.web}/api/aggregator/v1/chains`)).toBe(true);
    // Three chains, each answering its own chain id.
    for (const [i, chainId] of [31337, 31338, 31339].entries()) {
      const response = await fetch(`http://127.0.0.1:${ports.chain + i}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      expect(Number(((await response.json()) as { result: string }).result)).toBe(chainId);
    }
    // The deploy wrote a manifest the services accept, and a second deploy of its recorded config sends nothing.
    const status = spawn(process.execPath, [cli, 'status', '--manifest', join(dir, 'manifest.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let statusOutput = '';
    status.stdout.on('data', (c: Buffer) => (statusOutput += c.toString()));
    expect(await new Promise((r) => status.once('exit', r))).toBe(0);
    expect(statusOutput).toMatch(/collateral-b\s+eid 40103 collateral ok/);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('devnet stopped');
    expect(await answers(`http://127.0.0.1:${ports.aggregator}/health`)).toBe(false);
    expect(await answers(`http://127.0.0.1:${ports.relayer}/health`)).toBe(false);
    expect(await answers(`http://127.0.0.1:${ports.web}/`)).toBe(false);
  });
});
