import { Writable } from 'node:stream';
import { PinoNestLogger, createPino } from '../src/logger';

/** A PinoNestLogger writing JSON lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = new PinoNestLogger(createPino('t', 'info', stream));
  return { logger, lines };
}

describe('PinoNestLogger', () => {
  it('logs an object at error level with its fields (as Nest passes it: message, context), secrets redacted', () => {
    const { logger, lines } = capture();
    logger.error({ msg: 'packet parked', guid: '0xab', attempts: 5, privateKey: '0xsecret' }, 'PipelineService');
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'packet parked',
      guid: '0xab',
      attempts: 5,
      context: 'PipelineService',
      privateKey: '[redacted]',
    });
  });

  it('logs a text error with its trace and context', () => {
    const { logger, lines } = capture();
    logger.error('it broke', 'Error: it broke\n    at x', 'Ctx');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'it broke', trace: 'Error: it broke\n    at x', context: 'Ctx' });
    logger.warn({ msg: 'careful', n: 1 }, 'Ctx');
    expect(lines[1]).toMatchObject({ level: 40, msg: 'careful', n: 1, context: 'Ctx' });
  });
});
