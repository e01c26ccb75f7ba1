/** One Server-Sent Event of `GET /api/tasks/stream`, its `data` parsed. */
export interface StreamEvent {
  event: string;
  id: string;
  data: Record<string, unknown>;
}

export interface TaskStreamReader {
  status: number;
  /** Events in arrival order. */
  events: StreamEvent[];
  /** `retry:` values received. */
  retries: number[];
  /** Resolves when the server ends the stream (or the reader is closed). */
  ended: Promise<void>;
  close(): void;
}

/**
 * Reads the live stream as a browser's `fetch` does (the bearer header, never the token in the
 * URL), collecting what arrives; `lastEventId` resumes.
 */
export async function readTaskStream(
  baseUrl: string,
  accessToken: string,
  options: { lastEventId?: string } = {},
): Promise<TaskStreamReader> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/tasks/stream`, {
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: 'text/event-stream',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: abort.signal,
  });
  const reader: TaskStreamReader = {
    status: response.status,
    events: [],
    retries: [],
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return reader;
  }
  const body = response.body.pipeThrough(new TextDecoderStream());
  reader.ended = (async () => {
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const fields = new Map<string, string>();
          for (const line of buffer.slice(0, end).split('\n')) {
            const at = line.indexOf(': ');
            if (at > 0) fields.set(line.slice(0, at), line.slice(at + 2));
          }
          buffer = buffer.slice(end + 2);
          if (fields.has('retry')) reader.retries.push(Number(fields.get('retry')));
          const event = fields.get('event');
          const data = fields.get('data');
          if (event && data) {
            reader.events.push({
              event,
              id: fields.get('id') ?? '',
              data: JSON.parse(data) as Record<string, unknown>,
            });
          }
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return reader;
}
