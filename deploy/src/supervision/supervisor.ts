import { EventEmitter } from 'node:events';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { startServiceProcess, waitForHttp, type ServiceProcess } from './processes';

/** Exit status with which a service says a restart cannot help (invalid config, damaged database file): service-kit's EXIT_DO_NOT_RESTART. */
export const EXIT_DO_NOT_RESTART = 78;

export type SupervisedState = 'starting' | 'running' | 'backoff' | 'failed' | 'stopped';

/** What `tributary status` shows of one supervised service (also the devnet's state file entry). */
export interface ServiceState {
  name: string;
  state: SupervisedState;
  url: string;
  logPath: string;
  pid?: number;
  /** When the current process answered /health (ISO). */
  upSince?: string;
  /** Restarts after a crash (not the ones the devnet asks for, e.g. after add-chain). */
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
  /** Crash → /health answering again, of the last restart (ms): the backoff plus `lastStartupMs`. */
  lastRecoveryMs?: number;
  /** Process spawned → /health answering, of the last start (ms). */
  lastStartupMs?: number;
  /** Why the supervisor gave up (state `failed`). */
  failure?: string;
}

export interface SupervisorOptions {
  name: string;
  script: string;
  /** Evaluated at every start (a restart picks up a changed manifest). */
  env: () => NodeJS.ProcessEnv;
  logPath: string;
  url: string;
  log: (line: string) => void;
  /** First restart delay, doubled per crash in a row up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A process healthy this long resets the backoff. */
  stableAfterMs?: number;
  /** Starts in a row that exit before answering /health, after which the supervisor gives up. */
  maxFailedStarts?: number;
}

/**
 * Runs one service process and restarts it when it dies unexpectedly: backoff doubling per crash in a row,
 * every restart logged and counted. It gives up (state `failed`) when the service exits with
 * EXIT_DO_NOT_RESTART or fails to come up `maxFailedStarts` times in a row, instead of looping forever.
 * Emits 'exit' (code, signal) synchronously before a restart is scheduled, and 'change' on every state change.
 */
export class SupervisedService extends EventEmitter {
  private process: ServiceProcess | undefined;
  private current: ServiceState;
  private wanted = false;
  /** Inside `start()`: a failure goes to its caller, nothing is restarted. */
  private firstStart = false;
  private crashesInARow = 0;
  private failedStarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private readonly options: Required<SupervisorOptions>;

  constructor(options: SupervisorOptions) {
    super();
    this.options = { initialBackoffMs: 1000, maxBackoffMs: 30_000, stableAfterMs: 60_000, maxFailedStarts: 5, ...options };
    this.current = { name: options.name, state: 'stopped', url: options.url, logPath: options.logPath, restarts: 0 };
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  state(): ServiceState {
    return { ...this.current };
  }

  /** Starts the process and waits for /health; rejects if it exits first (nothing is restarted then). */
  async start(): Promise<void> {
    this.wanted = true;
    this.firstStart = true;
    const process = this.spawn();
    try {
      await waitForHttp(`${this.options.url}/health`, process);
    } catch (error) {
      this.wanted = false;
      await process.stop();
      this.update({ state: 'failed', pid: undefined, failure: (error as Error).message });
      throw error;
    } finally {
      this.firstStart = false;
    }
    this.markUp();
  }

  /** Stops the process on purpose (no restart) and waits for it to exit. */
  async stop(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.restartTimer);
    clearTimeout(this.stableTimer);
    await this.process?.stop();
    this.process = undefined;
    this.update({ state: 'stopped', pid: undefined, upSince: undefined });
  }

  /** A restart the devnet asks for (new manifest): not counted as a crash. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private spawnedAt = 0;

  private spawn(): ServiceProcess {
    this.spawnedAt = Date.now();
    const process = startServiceProcess(this.options.name, this.options.script, this.options.env(), this.options.logPath, (code, signal) =>
      this.onUnexpectedExit(process, code, signal),
    );
    this.process = process;
    this.update({ state: 'starting', pid: process.child.pid, upSince: undefined, failure: undefined });
    return process;
  }

  private markUp(): void {
    this.failedStarts = 0;
    this.update({ state: 'running', upSince: new Date().toISOString(), lastStartupMs: Date.now() - this.spawnedAt });
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => (this.crashesInARow = 0), this.options.stableAfterMs);
    this.stableTimer.unref();
  }

  private onUnexpectedExit(process: ServiceProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (process !== this.process) return;
    const exitedAt = Date.now();
    const wasUp = this.current.state === 'running';
    clearTimeout(this.stableTimer);
    this.update({ state: 'backoff', pid: undefined, upSince: undefined, lastExit: { code, signal, at: new Date(exitedAt).toISOString() } });
    this.emit('exit', code, signal);
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    if (!wasUp) this.failedStarts++;
    if (!this.wanted || this.firstStart) return;
    if (code === EXIT_DO_NOT_RESTART || this.failedStarts >= this.options.maxFailedStarts) {
      const reason = code === EXIT_DO_NOT_RESTART ? 'it refuses to start' : `${this.failedStarts} starts in a row failed`;
      const failure = `${reason}: ${lastLogLine(this.options.logPath) ?? how}`;
      this.options.log(`${this.name} exited unexpectedly (${how}); not restarting it (${failure}); see ${this.options.logPath}`);
      this.update({ state: 'failed', failure });
      return;
    }
    const delay = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** this.crashesInARow);
    this.crashesInARow++;
    this.options.log(
      `${this.name} exited unexpectedly (${how}); restart ${this.current.restarts + 1} in ${(delay / 1000).toFixed(1)} s; see ${this.options.logPath}`,
    );
    this.restartTimer = setTimeout(() => this.restartAfterCrash(exitedAt), delay);
  }

  private restartAfterCrash(exitedAt: number): void {
    if (!this.wanted) return;
    this.update({ restarts: this.current.restarts + 1 });
    const process = this.spawn();
    waitForHttp(`${this.options.url}/health`, process).then(
      () => {
        if (process !== this.process) return;
        this.markUp();
        this.update({ lastRecoveryMs: Date.now() - exitedAt });
        this.options.log(
          `${this.name} restarted (restart ${this.current.restarts}; answering ${((Date.now() - exitedAt) / 1000).toFixed(1)} s after it died)`,
        );
      },
      () => {
        // Exited before answering: onUnexpectedExit counts it. Alive but silent: killed, which counts the same way.
        if (process === this.process && process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
      },
    );
  }

  private update(patch: Partial<ServiceState>): void {
    this.current = { ...this.current, ...patch };
    this.emit('change', this.state());
  }
}

/** The last non-empty line of a log (the service's own reason for refusing to start), at most 300 characters. */
function lastLogLine(path: string): string | undefined {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const line = buffer.toString().trim().split('\n').pop();
    return line ? line.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
