import { StandardSchemaValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from './config';
import { PinoNestLogger, createPino } from './logger';
import { DatabaseFileError } from './sqlite-file';

/**
 * Exit status of a service that refuses to start for a reason a restart cannot fix (invalid configuration, a
 * damaged or busy database file): supervisors such as the devnet do not restart it (sysexits' EX_CONFIG).
 */
export const EXIT_DO_NOT_RESTART = 78;

/** The status a service's `main` exits with when start-up fails with `error`. */
export function startupExitCode(error: unknown): number {
  return error instanceof ConfigError || error instanceof DatabaseFileError ? EXIT_DO_NOT_RESTART : 1;
}

/**
 * Creates a NestJS app with pino logs, zod (standard schema) validation and graceful shutdown. A start-up
 * error is thrown to the caller (not Nest's log-and-exit), so `main` prints its message and picks the status.
 */
export async function createService(name: string, rootModule: unknown): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule as never, { logger: new PinoNestLogger(createPino(name)), bufferLogs: false, abortOnError: false });
  configureService(app);
  return app;
}

export function configureService(app: INestApplication): INestApplication {
  app.useGlobalPipes(new StandardSchemaValidationPipe());
  app.enableShutdownHooks();
  return app;
}
