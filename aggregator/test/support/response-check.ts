import { InternalServerErrorException, type CallHandler, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import type { z } from 'zod';
import { RESPONSE_SCHEMA } from '../../src/api/openapi';

/** Fails (500, issues on stderr) any response that does not parse against its route's declared 200 schema. */
class ResponseSchemaCheck implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const schema = this.reflector.get<z.ZodType | undefined>(RESPONSE_SCHEMA, context.getHandler());
    return next.handle().pipe(
      map((body: unknown) => {
        if (!schema) return body;
        const parsed = schema.safeParse(body);
        if (parsed.success) return body;
        const route = `${context.getClass().name}.${context.getHandler().name}`;
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        console.error(`response of ${route} does not match its declared schema: ${issues}`);
        throw new InternalServerErrorException(`response of ${route} does not match its declared schema: ${issues}`);
      }),
    );
  }
}

/** Every route response of `app` is checked against the schema `/docs` publishes for it (tests only). */
export function checkResponseSchemas(app: INestApplication): void {
  app.useGlobalInterceptors(new ResponseSchemaCheck(app.get(Reflector)));
}
