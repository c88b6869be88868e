/** Progress lines of long deploy steps, prefixed with the chain they run on. */
export class Progress {
  constructor(
    private readonly log: (line: string) => void,
    private readonly prefix = '',
  ) {}

  forChain(name: string): Progress {
    return new Progress(this.log, `[${name}] `);
  }

  info(message: string): void {
    this.log(`${this.prefix}${message}`);
  }

  exists(what: string, address: string): void {
    this.log(`${this.prefix}${what} ${address} (already deployed)`);
  }

  /** Runs one step and prints how long it took (and what it produced, when `describe` is given). */
  async step<T>(label: string, run: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
    const started = Date.now();
    this.log(`${this.prefix}${label}…`);
    const result = await run();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.log(`${this.prefix}  done${describe ? ` ${describe(result)}` : ''} (${seconds} s)`);
    return result;
  }
}
