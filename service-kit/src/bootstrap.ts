import { StandardSchemaValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createPino } from './logger';

/** Creates a NestJS app with pino logs, zod (standard schema) validation and graceful shutdown. */
export async function createService(name: string, rootModule: unknown): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule as never, { logger: new PinoNestLogger(createPino(name)), bufferLogs: false });
  configureService(app);
  return app;
}

export function configureService(app: INestApplication): INestApplication {
  app.useGlobalPipes(new StandardSchemaValidationPipe());
  app.enableShutdownHooks();
  return app;
}
