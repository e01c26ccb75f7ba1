import { describe, expect, it } from '@jest/globals';
import { createSseParser, type SseMessage } from '../src/sse-parser.js';

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = createSseParser({
    onMessage: (m) => messages.push(m),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return { messages, retries };
}

describe('createSseParser', () => {
  it('reads events, ids, comments and multi-line data with any line end', () => {
    const { messages } = parse([
      '\uFEFF: comment\r\nid: 1\revent: created\ndata: {"a":\ndata:1}\n\n',
      'data: no event name\r\n\r\n',
    ]);
    expect(messages).toEqual([
      { id: '1', event: 'created', data: '{"a":\n1}' },
      // The last id persists; the event name does not.
      { id: '1', event: undefined, data: 'no event name' },
    ]);
  });

  it('joins lines split across chunks, a CRLF split between its CR and LF included', () => {
    const { messages } = parse(['id: 7\r', '\nevent: upd', 'ated\r\ndata: x\r', '\n\r', '\n']);
    expect(messages).toEqual([{ id: '7', event: 'updated', data: 'x' }]);
  });

  it('takes retry only as digits, ignores an id with NUL and never dispatches an event without data', () => {
    const { messages, retries } = parse([
      'retry: 1500\n\nretry: 2s\n\n',
      'id: 3\nevent: ready\n\n',
      'id: a\0b\ndata: y\n\n',
    ]);
    expect(retries).toEqual([1500]);
    expect(messages).toEqual([{ id: '3', event: undefined, data: 'y' }]);
  });
});
