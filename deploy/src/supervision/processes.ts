import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A service started as its own process, with its output in a log file. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Variables a service must not inherit from the launcher (it gets only the keys meant for it). */
const WITHHELD_ENV = ['DEPLOYER_PRIVATE_KEY'];

export function startServiceProcess(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  logPath: string,
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void,
): ServiceProcess {
  const log = createWriteStream(logPath, { flags: 'a' });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !WITHHELD_ENV.includes(key)));
  const child = spawn(process.execPath, [script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) onUnexpectedExit?.(code, signal);
      resolve();
    }),
  );
  return {
    name,
    child,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 10_000)))]);
      clearTimeout(timer);
      if (timedOut) child.kill('SIGKILL');
    },
  };
}

/** Polls `url` until it answers 2xx; fails early when `process` exits. */
export async function waitForHttp(url: string, service: ServiceProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(
        `${service.name} exited (${service.child.signalCode ?? `code ${service.child.exitCode}`}) before answering ${url}; see its log`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs / 1000} s`);
}
