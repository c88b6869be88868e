import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Field names whose values never reach a log line. */
export const REDACTED_FIELDS = ['privateKey', 'apiKey', 'password', 'mnemonic', '*.privateKey', '*.apiKey', '*.password', '*.mnemonic'];

/** `destination` defaults to stdout (tests pass a stream to read the lines). */
export function createPino(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_FIELDS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
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
    this.write('error', message, context, trace);
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

  /** An object message is logged as fields (its `msg` the line's message), anything else as the message. */
  private write(level: 'error' | 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string, trace?: string): void {
    const fields = { context, trace }; // undefined fields never reach the JSON line
    if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}
