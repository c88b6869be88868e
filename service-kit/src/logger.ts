import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** Field names whose values never reach a log line. */
export const REDACTED_FIELDS = ['privateKey', 'apiKey', 'password', 'mnemonic', '*.privateKey', '*.apiKey', '*.password', '*.mnemonic'];

export function createPino(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_FIELDS, censor: '[redacted]' } });
}

/** NestJS LoggerService over pino: JSON lines, one child logger per Nest context. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  /** Nest passes (message, context) from a contextual Logger and (message, trace, context) with a stack. */
  error(message: unknown, ...params: unknown[]): void {
    const context = params.length ? String(params.at(-1)) : undefined;
    const trace = params.length > 1 ? String(params[0]) : undefined;
    if (typeof message === 'object' && message !== null) this.logger.error({ context, trace, ...message });
    else this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string): void {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
