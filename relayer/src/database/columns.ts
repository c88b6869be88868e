import type { ValueTransformer } from 'typeorm';

/** bigint columns holding JS-safe numbers (ms timestamps, block numbers); PostgreSQL returns them as strings. */
export const numberBigint: ValueTransformer = {
  to: (value: number | null | undefined) => (value === null || value === undefined ? value : String(value)),
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
