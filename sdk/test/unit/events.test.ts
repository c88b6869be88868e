import { AccountSubscription, AggregatorApi, SseParser, chunksOf } from '../../src';

describe('server-sent events', () => {
  it('splits a stream into events across chunk boundaries, CRLF or LF, skipping comments', () => {
    const parser = new SseParser();
    expect(parser.push('event: snapshot\nid: 1\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n\n: keep-alive\n\n')).toEqual([{ type: 'snapshot', id: '1', data: '{"a":1}' }]);
    expect(parser.push('data: line1\r\ndata: line2\r\n\r\nevent: risk\ndata:{}\n\n')).toEqual([
      { type: 'message', id: '1', data: 'line1\nline2' },
      { type: 'risk', id: '1', data: '{}' },
    ]);
  });

  it('a subscription reads events, reconnects after the stream ends, and stops on close()', async () => {
    let connections = 0;
    const fakeFetch = async (_url: string, init?: RequestInit) => {
      connections++;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`event: snapshot\nid: ${connections}\ndata: {"n":${connections}}\n\n`));
          if (connections === 1) controller.close();
          else init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    };
    const api = new AggregatorApi('http://agg.test', fakeFetch);
    const events: unknown[] = [];
    const subscription = new AccountSubscription(api, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', {
      reconnectMs: 5,
      onEvent: (e) => events.push(e.data),
    });
    await subscription.next((e) => (e.data as { n: number }).n === 2, 2000);
    subscription.close();
    expect(events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(connections).toBe(2);
  });

  it('reads a body without async iteration (Safari) through its reader', async () => {
    const chunks = [new Uint8Array([1]), new Uint8Array([2, 3])];
    let i = 0;
    const reader = {
      read: async () => (i < chunks.length ? { done: false, value: chunks[i++] } : { done: true, value: undefined }),
      releaseLock: () => undefined,
    };
    const body = { getReader: () => reader } as unknown as ReadableStream<Uint8Array>;
    const seen: number[][] = [];
    for await (const chunk of chunksOf(body)) seen.push([...chunk]);
    expect(seen).toEqual([[1], [2, 3]]);
  });
});
