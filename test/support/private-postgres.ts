import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of our own (initdb into a temp dir, trust auth, one port) that a test may restart without
 * touching the machine's shared one. Runs as the `postgres` user when we are root (initdb refuses root).
 */
export class PrivatePostgres {
  readonly dir: string;
  private readonly bin: string;
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly port: number) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    if (!versions.length) throw new Error('no PostgreSQL under /usr/lib/postgresql');
    this.bin = `/usr/lib/postgresql/${versions[0]}/bin`;
    this.dir = mkdtempSync(join(tmpdir(), 'tributary-pg-'));
    if (this.asRoot) {
      chmodSync(this.dir, 0o777);
      execFileSync('chown', ['postgres', this.dir]);
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(tool: string, args: string[]): string {
    const command = [`${this.bin}/${tool}`, ...args];
    if (!this.asRoot) return execFileSync(command[0]!, command.slice(1), { encoding: 'utf8' });
    const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8' });
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  start(): void {
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    this.startServer();
  }

  private startServer(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    this.run('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  }

  /** Stops the server abruptly (`-m immediate`: no shutdown checkpoint, clients cut off) and starts it again. */
  restart(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    this.startServer();
  }

  stop(): void {
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
