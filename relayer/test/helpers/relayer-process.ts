import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export const RELAYER_MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** `node relayer/dist/main.js` as its own process, restartable, output appended to `logPath`. */
export class RelayerProcess {
  private child: ChildProcess | null = null;
  private readonly log: WriteStream;
  starts = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    logPath: string,
  ) {
    if (!existsSync(RELAYER_MAIN)) throw new Error(`${RELAYER_MAIN} is missing: build the relayer first (npm run build -w @tributary/relayer)`);
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  /** Starts the process and resolves once it listens (its "relayer listening" line). */
  async start(): Promise<void> {
    this.starts += 1;
    const child = spawn(process.execPath, [RELAYER_MAIN], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('relayer listening')) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`relayer exited with ${code} before listening: ${output.slice(-1000)}`)));
    });
  }

  /** SIGKILL: no shutdown hook runs, in-memory state (nonces, caches) is lost. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    await this.kill();
    this.log.end();
  }
}
