/** Server-Sent Events framing (WHATWG HTML §9.2): each field a line, an empty line ends an event. */

export interface SseEvent {
  event: string;
  id: string;
  data: unknown;
}

const formatted = new WeakMap<SseEvent, string>();

/**
 * `data` is one line of JSON (JSON.stringify escapes newlines), so one `data:` field is enough.
 * Written once per event object: the streams of one user share the events of the rows they read
 * together (task-streams.ts), and an event is not changed once made.
 */
export function formatEvent(sse: SseEvent): string {
  let text = formatted.get(sse);
  if (text === undefined) {
    text = `event: ${sse.event}\nid: ${sse.id}\ndata: ${JSON.stringify(sse.data)}\n\n`;
    formatted.set(sse, text);
  }
  return text;
}

/** Tells the client how long to wait before reconnecting. */
export const formatRetry = (ms: number): string => `retry: ${Math.round(ms)}\n\n`;

/** A comment line: clients ignore it, proxies see traffic. */
export const HEARTBEAT = ': heartbeat\n\n';
