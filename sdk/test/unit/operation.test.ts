import { Operation, TributaryError, type Stage } from '../../src';

/** A clock the test moves. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Operation: a long action as observable stages', () => {
  it('records each stage with its time, elapsed and own latency; awaits to the result', async () => {
    const c = clock();
    const op = new Operation(
      'demo',
      async (recorder) => {
        c.advance(100);
        recorder.stage('sent', { txHash: '0x1' });
        c.advance(900);
        recorder.stage('confirmed', { block: 7 });
        c.advance(2500);
        recorder.stage('delivered');
        return 42;
      },
      undefined,
      c.now,
    );
    expect(await op).toBe(42);
    expect(op.stages.map((s) => [s.name, s.elapsedMs, s.latencyMs])).toEqual([
      ['sent', 100, 100],
      ['confirmed', 1000, 900],
      ['delivered', 3500, 2500],
    ]);
    expect(op.stages[0]!.at).toBe(new Date(1_000_100).toISOString());
    expect(op.stages[1]!.detail).toEqual({ block: 7 });
  });

  it('iterates stages as they happen and ends with the action; a late listener gets past stages replayed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const op = new Operation('demo', async (recorder) => {
      recorder.stage('a');
      await gate;
      recorder.stage('b');
      return 'done';
    });
    const seen: string[] = [];
    const iterating = (async () => {
      for await (const stage of op) seen.push(stage.name);
    })();
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['a']);
    const replayed: string[] = [];
    op.on((s) => replayed.push(s.name));
    expect(replayed).toEqual(['a']);
    release();
    await iterating;
    expect(seen).toEqual(['a', 'b']);
    expect(replayed).toEqual(['a', 'b']);
    expect(await op.result).toBe('done');
  });

  it('a failure rejects the result, ends the iteration with the error and carries the stages passed', async () => {
    const op = new Operation('demo', async (recorder) => {
      recorder.stage('sent');
      throw new TributaryError('insufficient-credit', 'no credit');
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const stage of op) seen.push(stage.name);
      })(),
    ).rejects.toThrow('no credit');
    expect(seen).toEqual(['sent']);
    const error = await op.result.catch((e: TributaryError) => e);
    expect(error.code).toBe('insufficient-credit');
    expect(error.stages!.map((s: Stage) => s.name)).toEqual(['sent']);
  });

  it('an operation nobody awaits does not raise an unhandled rejection; a throwing listener does not break it', async () => {
    const op = new Operation(
      'demo',
      async (recorder) => {
        recorder.stage('x');
        throw new Error('ignored');
      },
      () => {
        throw new Error('listener bug');
      },
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(op.stages).toHaveLength(1);
  });
});
