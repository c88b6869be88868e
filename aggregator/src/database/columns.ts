import type { ValueTransformer } from 'typeorm';

/** uint256/int256 amounts as exact decimal strings (SQLite's numeric affinity would round them). */
export const amountColumn = {
  type: 'varchar' as const,
  length: 80,
  transformer: {
    to: (value: bigint | undefined) => (value === undefined ? undefined : value.toString()),
    from: (value: string | null) => (value === null ? null : BigInt(value)),
  } satisfies ValueTransformer,
};

/** 64-bit counters (sequences, epochs, request ids): pg returns strings, sql.js numbers. */
export const bigintColumn = {
  type: 'bigint' as const,
  transformer: {
    to: (value: bigint | undefined) => (value === undefined ? undefined : value.toString()),
    from: (value: string | number | null) => (value === null ? null : BigInt(value)),
  } satisfies ValueTransformer,
};

/** Unix seconds (and other 64-bit counters read as JS numbers): pg returns bigint as a string. */
export const secondsColumn = {
  type: 'bigint' as const,
  transformer: {
    to: (value: number | undefined) => value,
    from: (value: string | number | null) => (value === null ? null : Number(value)),
  } satisfies ValueTransformer,
};
