import { describe, expect, it } from 'vitest';
import { parseSseStream, type SseEvent } from './sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('parseSseStream', () => {
  it('parses events split across chunks, skips comments, joins multi-line data', async () => {
    const events: SseEvent[] = [];
    for await (const event of parseSseStream(
      streamOf([
        'event: hel',
        'lo\ndata: {"a":1}\n\n: heartbeat\n\n',
        'data: one\r\ndata: two\r\n\r\n',
      ]),
    )) {
      events.push(event);
    }
    expect(events).toEqual([
      { event: 'hello', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
  });
});
