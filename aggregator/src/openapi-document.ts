import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { configureService } from '@tributary/service-kit';
import { openApiDocument } from './api/docs';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app-config';

/**
 * The OpenAPI document `/docs-json` serves, built without chains, a database file or a port: no manifest (indexing,
 * risk engine and pusher idle), SQLite in memory, never listening. `node aggregator/dist/openapi-document.js`
 * prints it; sdk/scripts/generate-api-types.js turns it into the SDK's API types.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadAppConfig({ LOG_LEVEL: 'silent' });
  const app = configureService(await NestFactory.create(AppModule.forRoot(config), { logger: false, abortOnError: false }));
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  buildOpenApiDocument().then(
    (document) => process.stdout.write(JSON.stringify(document, null, 2) + '\n'),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
