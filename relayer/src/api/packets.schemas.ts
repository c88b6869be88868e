import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { PACKET_STATUSES } from '../core/packet-state';

export const MAX_PAGE_SIZE = 200;

export const listPacketsQuerySchema = z
  .object({
    status: z.enum(PACKET_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export const guidParamSchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'guid must be a 0x-prefixed 32-byte hex string');

export type ListPacketsQuery = z.output<typeof listPacketsQuerySchema>;

/** Validates a query/param with zod; a 400 lists every problem. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new BadRequestException({
      statusCode: 400,
      message: 'invalid request',
      errors: result.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`),
    });
  }
}
