/** `node:fs` in the browser: the protocol's manifest loader reads files, which a page never does (it gets JSON). */
export function readFileSync(): never {
  throw new Error('no file system in the browser: pass the manifest as JSON');
}
