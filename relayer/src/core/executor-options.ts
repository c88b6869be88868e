import { getBytes, hexlify, toBigInt } from 'ethers';

/** What the executor needs from a packet's type-3 options. */
export interface ExecutorLzReceiveOption {
  gas: bigint;
  value: bigint;
}

const TYPE_3 = 3;
const WORKER_EXECUTOR = 1;
const OPTION_LZ_RECEIVE = 1;

export class OptionsDecodeError extends Error {
  override name = 'OptionsDecodeError';
}

/**
 * Decodes LayerZero type-3 options: uint16 type, then options `uint8 workerId | uint16 size | bytes(size)`
 * where bytes = `uint8 optionType | params`. Sums every executor lzReceive option (as LayerZero's executor
 * does); other options (native drop, compose, DVN) are skipped.
 */
export function decodeExecutorLzReceive(options: string): ExecutorLzReceiveOption {
  const bytes = getBytes(options);
  if (bytes.length < 2) throw new OptionsDecodeError('options shorter than 2 bytes');
  const type = (bytes[0] << 8) | bytes[1];
  if (type !== TYPE_3) throw new OptionsDecodeError(`unsupported options type ${type} (only type 3)`);
  let gas = 0n;
  let value = 0n;
  let found = false;
  let cursor = 2;
  while (cursor < bytes.length) {
    if (cursor + 3 > bytes.length) throw new OptionsDecodeError(`truncated option header at byte ${cursor}`);
    const workerId = bytes[cursor];
    const size = (bytes[cursor + 1] << 8) | bytes[cursor + 2];
    const start = cursor + 3;
    const end = start + size;
    if (size === 0 || end > bytes.length) throw new OptionsDecodeError(`option at byte ${cursor} has bad size ${size}`);
    if (workerId === WORKER_EXECUTOR && bytes[start] === OPTION_LZ_RECEIVE) {
      const params = bytes.slice(start + 1, end);
      if (params.length !== 16 && params.length !== 32) throw new OptionsDecodeError(`lzReceive option has ${params.length} param bytes (16 or 32)`);
      gas += toBigInt(params.slice(0, 16));
      if (params.length === 32) value += toBigInt(params.slice(16, 32));
      found = true;
    }
    cursor = end;
  }
  if (!found) throw new OptionsDecodeError(`no executor lzReceive option in ${hexlify(bytes)}`);
  return { gas, value };
}
