import type { ValueTransformer } from 'typeorm';

/** Unix times as bigint columns (pg returns strings, sql.js numbers); always numbers in code. */
export const epochColumn = {
  type: 'bigint' as const,
  transformer: {
    to: (value: number | undefined) => value,
    from: (value: string | number | null) => (value === null ? null : Number(value)),
  } satisfies ValueTransformer,
};
