/** One dispatched Server-Sent Event, as the HTML standard's event stream parsing defines it. */
export interface SseMessage {
  event: string | undefined;
  /** The last event ID after this message's fields (it persists across messages). */
  id: string | undefined;
  data: string;
}

/**
 * An incremental `text/event-stream` parser: feed it decoded chunks as they arrive. Follows the
 * standard's rules: CRLF, LF or CR line ends, `:` comments, one space after the colon dropped,
 * data lines joined with LF, an event without data not dispatched, an id with NUL ignored, a
 * `retry` of digits only. (eventsource-parser, the maintained parser, cannot be used here: its
 * package exports a `source` condition pointing at TypeScript files, the condition this monorepo
 * uses for its own packages, so every workspace typecheck and jest run would load them.)
 */
export function createSseParser(handlers: {
  onMessage: (message: SseMessage) => void;
  onRetry: (ms: number) => void;
}): { feed(chunk: string): void } {
  let buffer = '';
  let first = true;
  let lastId: string | undefined;
  let event: string | undefined;
  let data: string[] = [];

  const dispatch = () => {
    if (data.length > 0) handlers.onMessage({ event, id: lastId, data: data.join('\n') });
    event = undefined;
    data = [];
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) handlers.onRetry(Number(value));
  };

  return {
    feed(chunk) {
      buffer += chunk;
      if (first && buffer.length > 0) {
        if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
        first = false;
      }
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop()!;
      for (const text of lines) line(text);
    },
  };
}
