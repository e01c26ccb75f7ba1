/** Server-Sent Events framing (WHATWG HTML §9.2): each field a line, an empty line ends an event. */

export interface SseEvent {
  event: string;
  id: string;
  data: unknown;
}

/** `data` is one line of JSON (JSON.stringify escapes newlines), so one `data:` field is enough. */
export const formatEvent = ({ event, id, data }: SseEvent): string =>
  `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

/** Tells the client how long to wait before reconnecting. */
export const formatRetry = (ms: number): string => `retry: ${Math.round(ms)}\n\n`;

/** A comment line: clients ignore it, proxies see traffic. */
export const HEARTBEAT = ': heartbeat\n\n';
