import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Writes the sql.js image to a temporary file, fsyncs it and renames it over `path`: a process killed
 * mid-save (SIGKILL) leaves the previous complete image, never a truncated one.
 */
export function atomicWriteSync(path: string, data: Uint8Array): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
