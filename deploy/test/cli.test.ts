import { parseArgs, UsageError } from '../src/cli';

describe('tributary CLI arguments', () => {
  it('parses devnet with a directory', () => {
    expect(parseArgs(['devnet', '--dir', '/tmp/x'])).toEqual({ command: 'devnet', dir: '/tmp/x' });
  });

  it('rejects an unknown command with the usage', () => {
    expect(() => parseArgs(['launch'])).toThrow(UsageError);
    expect(() => parseArgs(['launch'])).toThrow(/unknown command "launch"/);
  });

  it('rejects an unknown option', () => {
    expect(() => parseArgs(['devnet', '--fast'])).toThrow(/unknown option "--fast"/);
  });
});
