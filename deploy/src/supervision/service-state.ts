import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServiceState } from './supervisor';

/** What a running devnet tells `tributary status` about its services: `services.json` next to its manifest. */
export interface DevnetServicesFile {
  /** The devnet process (the supervisor); the file is stale once it is gone. */
  pid: number;
  updatedAt: string;
  services: ServiceState[];
}

export function servicesFilePath(manifestPath: string): string {
  return join(dirname(manifestPath), 'services.json');
}

/** Written whole and renamed into place, so a reader never sees half a file. */
export function writeServicesFile(path: string, services: ServiceState[]): void {
  const content: DevnetServicesFile = { pid: process.pid, updatedAt: new Date().toISOString(), services };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function readServicesFile(path: string): (DevnetServicesFile & { devnetRunning: boolean }) | undefined {
  if (!existsSync(path)) return undefined;
  const content = JSON.parse(readFileSync(path, 'utf8')) as DevnetServicesFile;
  return { ...content, devnetRunning: processAlive(content.pid) };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
