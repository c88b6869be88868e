import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSupervised } from '../src/deploy/status';
import { readServicesFile, writeServicesFile } from '../src/supervision/service-state';
import { EXIT_DO_NOT_RESTART, SupervisedService, type SupervisorOptions } from '../src/supervision/supervisor';

// A stand-in service process: answers /health, or refuses to start (exit 78), or crashes at start.
const dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
const script = join(dir, 'service.js');
writeFileSync(
  script,
  `if (process.env.MODE === 'refuse') { console.error('database file /x/service.sqlite: damaged; move it aside'); process.exit(${EXIT_DO_NOT_RESTART}); }
   if (process.env.MODE === 'crash') { console.error('boom'); process.exit(1); }
   require('node:http').createServer((_q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`,
);
let nextPort = 18960;
const waitUntil = async (what: string, probe: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** `setMode` changes how the next start of the service behaves. */
function supervised(initialMode: string, extra: Partial<SupervisorOptions> = {}) {
  const port = nextPort++;
  const lines: string[] = [];
  let mode = initialMode;
  const setMode = (next: string) => (mode = next);
  const service = new SupervisedService({
    name: `svc-${port}`,
    script,
    env: () => ({ PORT: String(port), MODE: mode }),
    logPath: join(dir, `svc-${port}.log`),
    url: `http://127.0.0.1:${port}`,
    log: (line) => lines.push(line),
    initialBackoffMs: 100,
    ...extra,
  });
  return { service, lines, setMode };
}

describe('devnet supervisor', () => {
  it('restarts a killed service with doubling backoff, counts and logs each restart, and reports the exit first', async () => {
    const { service, lines } = supervised('serve');
    await service.start();
    const exits: string[] = [];
    service.on('exit', (_code, signal) => exits.push(`${signal} while ${service.state().state}`));
    try {
      for (const round of [1, 2]) {
        const pid = service.pid!;
        process.kill(pid, 'SIGKILL');
        await waitUntil(`restart ${round}`, () => service.state().state === 'running' && service.pid !== pid);
        expect(service.state()).toMatchObject({ restarts: round, lastExit: { code: null, signal: 'SIGKILL' } });
        expect(service.state().lastRecoveryMs).toBeGreaterThanOrEqual(100 * round);
      }
      expect(exits).toEqual(['SIGKILL while backoff', 'SIGKILL while backoff']);
      expect(lines.filter((l) => l.includes('exited unexpectedly (killed by SIGKILL)'))).toEqual([
        expect.stringContaining('restart 1 in 0.1 s'),
        expect.stringContaining('restart 2 in 0.2 s'),
      ]);
      expect(lines.filter((l) => /restarted \(restart \d/.test(l))).toHaveLength(2);
      expect(describeSupervised(service.state())).toMatch(
        /^running, pid \d+, up \d+s, 2 restarts \(last exit: SIGKILL at \d\d:\d\d:\d\d, answering again after \d+\.\d s\)$/,
      );
    } finally {
      await service.stop();
    }
    expect(service.state().state).toBe('stopped');
  });

  it('does not restart a service that refuses to start (exit 78) and keeps its reason', async () => {
    const { service, lines, setMode } = supervised('serve');
    await service.start();
    // Same service, now unable to start: the next start refuses with EXIT_DO_NOT_RESTART.
    setMode('refuse');
    process.kill(service.pid!, 'SIGKILL');
    await waitUntil('the supervisor to give up', () => service.state().state === 'failed');
    expect(service.state()).toMatchObject({ restarts: 1, lastExit: { code: EXIT_DO_NOT_RESTART } });
    expect(service.state().failure).toBe('it refuses to start: database file /x/service.sqlite: damaged; move it aside');
    expect(lines[lines.length - 1]).toMatch(/exited unexpectedly \(exit code 78\); not restarting it/);
    await new Promise((r) => setTimeout(r, 400));
    expect(service.state()).toMatchObject({ state: 'failed', restarts: 1 });
  });

  it('gives up after the configured number of failed starts in a row instead of looping', async () => {
    const { service, setMode } = supervised('serve', { maxFailedStarts: 3 });
    await service.start();
    setMode('crash');
    process.kill(service.pid!, 'SIGKILL');
    await waitUntil('the supervisor to give up', () => service.state().state === 'failed');
    expect(service.state()).toMatchObject({ restarts: 3, failure: '3 starts in a row failed: boom' });
  });

  it('a first start that fails is reported to the caller, not retried', async () => {
    const { service } = supervised('crash');
    await expect(service.start()).rejects.toThrow(/exited \(code 1\) before answering/);
    await new Promise((r) => setTimeout(r, 300));
    expect(service.state().restarts).toBe(0);
    await service.stop();
  });

  it('the devnet state file round-trips and is marked stale once its writer is gone', () => {
    const path = join(dir, 'services.json');
    writeServicesFile(path, [{ name: 'relayer', state: 'running', url: 'http://x', logPath: '/l', restarts: 2 }]);
    expect(readServicesFile(path)).toMatchObject({ pid: process.pid, devnetRunning: true, services: [{ name: 'relayer', restarts: 2 }] });
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, updatedAt: 'then', services: [] }));
    expect(readServicesFile(path)?.devnetRunning).toBe(false);
    expect(readServicesFile(join(dir, 'none.json'))).toBeUndefined();
  });
});
