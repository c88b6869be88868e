import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document of every `/v1` route (what `/docs-json` serves; the SDK's API types are generated from it). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tributary aggregator')
    .setDescription('Cross-chain margin ledger: accounts, collateral, positions, credit, withdrawals, chains, reconciliation')
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** OpenAPI document and UI at /docs (JSON at /docs-json). */
export function setupDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app));
}
