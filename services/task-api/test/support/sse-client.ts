import { request, type IncomingMessage } from 'node:http';
import { eventually } from '@todo/service-runtime/testing';

export interface ReceivedEvent {
  event: string;
  id: string;
  data: Record<string, unknown>;
}

/**
 * A client of an event stream over a real socket (supertest waits for the end of a response): it
 * parses what arrives (events, comments, `retry:`), can stop reading to play a slow client, and
 * tells when the server ended the stream.
 */
export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  events: ReceivedEvent[];
  comments: number;
  retries: number[];
  /** The body, when the answer was not a stream. */
  body(): unknown;
  ended: () => boolean;
  /** Waits until `count` events have arrived. */
  waitForEvents(count: number, what?: string): Promise<ReceivedEvent[]>;
  waitForEnd(): Promise<void>;
  pause(): void;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      let ended = false;
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: 0,
        retries: [],
        body: () => JSON.parse(buffer) as unknown,
        ended: () => ended,
        waitForEvents: (count, what) =>
          eventually(() => client.events.length >= count && client.events, {
            what: what ?? `${count} events (got ${JSON.stringify(client.events)})`,
            timeoutMs: 15_000,
          }),
        waitForEnd: () =>
          eventually(() => ended, { what: 'the server to end the stream', timeoutMs: 15_000 }).then(
            () => undefined,
          ),
        pause: () => res.pause(),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (!String(res.headers['content-type']).startsWith('text/event-stream')) return;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments += 1;
            const at = line.indexOf(': ');
            if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
          }
          if (fields.retry) client.retries.push(Number(fields.retry));
          if (fields.event && fields.data) {
            client.events.push({
              event: fields.event,
              id: fields.id ?? '',
              data: JSON.parse(fields.data) as Record<string, unknown>,
            });
          }
        }
      });
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      res.on('error', () => (ended = true));
      resolve(client);
    });
    req.on('error', reject);
    req.end();
  });
}
