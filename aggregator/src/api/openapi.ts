import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiOkResponse, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** Handler metadata: the zod schema of a route's 200 body (tests check real responses against it). */
export const RESPONSE_SCHEMA = 'tributary:response-schema';

/** A zod schema as an OpenAPI 3.0 schema object (what `/docs` serves): what it accepts (`input`) or produces. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as SchemaObject;
}

/** Declares a route's 200 body: `schema` in the OpenAPI document, and as metadata for response checks. */
export function ApiOkBody(schema: z.ZodType, description?: string): MethodDecorator {
  return applyDecorators(ApiOkResponse({ description: description ?? 'OK', schema: openApiSchema(schema) }), SetMetadata(RESPONSE_SCHEMA, schema));
}
