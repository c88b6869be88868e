import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Addresses of contracts deployed by a run that has not written its manifest yet, saved after each
 * deployment (`<manifest>.journal.json`). A run that failed half-way is resumed without deploying twice;
 * the manifest write at the end removes the journal. Entries are still checked for code before reuse.
 */
export class DeployJournal {
  private readonly entries: Record<string, string>;

  constructor(private readonly path: string) {
    this.entries = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
  }

  static forManifest(manifestPath: string): DeployJournal {
    return new DeployJournal(manifestPath.replace(/\.json$/, '') + '.journal.json');
  }

  get(eid: number, label: string): string | undefined {
    return this.entries[`${eid}:${label}`];
  }

  record(eid: number, label: string, address: string): void {
    this.entries[`${eid}:${label}`] = address;
    const temporary = `${this.path}.tmp-${process.pid}`;
    writeFileSync(temporary, JSON.stringify(this.entries, null, 2));
    renameSync(temporary, this.path);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
