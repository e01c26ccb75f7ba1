import { connectionFetch, type TaskApiConnection } from './create-task-api-client.js';
import { pause, reconnectDelay } from './reconnect-delay.js';
import { SignedOutError } from './signed-out-error.js';
import { createSseParser, type SseMessage } from './sse-parser.js';
import type { TaskStreamEvent } from './types.js';

/** Until the server sends its own `retry:` hint. */
const DEFAULT_RETRY_MS = 2000;

const EVENT_NAMES = [
  'created',
  'updated',
  'completed',
  'reopened',
  'deleted',
  'series_ended',
  'ready',
  'reset',
  'account_deleted',
  'signed_out',
] as const satisfies readonly TaskStreamEvent['event'][];
// Fails to compile when the document gains an event this list lacks.
const everyEventNamed: Exclude<TaskStreamEvent['event'], (typeof EVENT_NAMES)[number]> extends never
  ? true
  : false = true;
void everyEventNamed;

const isKnownEvent = (name: string | undefined): name is TaskStreamEvent['event'] =>
  (EVENT_NAMES as readonly (string | undefined)[]).includes(name);

/**
 * The events after which the server ends the stream for good. `signed_out` ends like a refused
 * refresh, with SignedOutError (what callers already handle); `account_deleted` is the account's
 * own last word, handed to onEvent, after which the stream simply ends.
 */
const LAST_EVENTS: Partial<Record<TaskStreamEvent['event'], () => Outcome>> = {
  signed_out: () => ({
    kind: 'stop',
    error: new SignedOutError(401, 'signed out: the session ended (the stream said signed_out)'),
  }),
  account_deleted: () => ({ kind: 'over' }),
};

export interface StreamTaskChangesOptions extends TaskApiConnection {
  /** Aborting it closes the stream; the returned promise then resolves. */
  signal: AbortSignal;
  /** Resume after this event (the `id` of the last one handled, e.g. kept across page loads). */
  lastEventId?: string;
  /**
   * Each event, typed by the document. A `reset` means changes were missed beyond the server's
   * retention: refetch the task list. Last events: after `signed_out` (the session ended: logout,
   * password change) the promise rejects with SignedOutError; after `account_deleted` it resolves.
   */
  onEvent: (event: TaskStreamEvent) => void;
  /** Told when a connection ends and how long until the next attempt (a UI's "reconnecting"). */
  onReconnect?: (info: { delayMs: number; status?: number; error?: unknown }) => void;
}

/**
 * What ended one connection: the server meant it (a clean end resets the backoff), it failed (try
 * again), the stream must stop with `error` (signed out, a throwing `onEvent`), or the account's
 * stream is over.
 */
type Outcome =
  | { kind: 'ended' }
  | { kind: 'failed'; status?: number; retryAfterMs?: number; error?: unknown }
  | { kind: 'stop'; error: unknown }
  | { kind: 'over' };

/**
 * Reads `GET /api/tasks/stream` (operation `streamTaskChanges`) with fetch, so the access token
 * travels in the `Authorization` header (a browser's EventSource cannot send it), and reconnects
 * until `signal` aborts: with `Last-Event-ID` of the last event received, after the server's
 * `retry:` hint, backing off while attempts fail. A 401 renews the access token through
 * `refreshAccessToken`; when the session is over (the refresh is refused, or the stream ends with
 * `signed_out`) the promise rejects with SignedOutError, and with an Error for an answer no retry
 * can change (another 4xx). After `account_deleted`, the account's last event, it resolves.
 */
export async function streamTaskChanges(options: StreamTaskChangesOptions): Promise<void> {
  const { signal } = options;
  const fetch = connectionFetch(options);
  let lastEventId = options.lastEventId;
  let retryHintMs = DEFAULT_RETRY_MS;
  let failures = 0;

  const connect = async (): Promise<Outcome> => {
    const headers = new Headers({ accept: 'text/event-stream' });
    const token = await options.getAccessToken?.();
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (lastEventId !== undefined) headers.set('last-event-id', lastEventId);
    const url = `${options.baseUrl.replace(/\/$/, '')}/api/tasks/stream`;
    const response = await fetch(new Request(url, { headers, signal }));
    if (response.status === 401)
      throw new SignedOutError(401, 'signed out: the stream refused the access token');
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new Error(`GET /api/tasks/stream answered ${response.status}`);
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        kind: 'failed',
        status: response.status,
        ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    }
    let stop: Outcome | undefined;
    const parser = createSseParser({
      onMessage: (message: SseMessage) => {
        if (stop) return;
        if (message.id !== undefined) lastEventId = message.id;
        if (!isKnownEvent(message.event)) return; // an event a newer server added
        failures = 0;
        try {
          options.onEvent({
            event: message.event,
            id: message.id ?? '',
            data: JSON.parse(message.data),
          } as TaskStreamEvent);
        } catch (error) {
          // Returned, not thrown: a TypeError from the caller's code is no network failure.
          stop = { kind: 'stop', error };
          return;
        }
        stop = LAST_EVENTS[message.event]?.();
      },
      onRetry: (ms) => {
        retryHintMs = ms;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    // Node's fetch can lose the link between the signal and a body it is still streaming once the
    // Request is garbage-collected (nodejs/undici#3644, #4068): the read would never settle after
    // an abort. Cancelling the reader ourselves ends it in every runtime.
    const cancelOnAbort = () => {
      reader.cancel(signal.reason).catch(() => undefined);
    };
    signal.addEventListener('abort', cancelOnAbort, { once: true });
    if (signal.aborted) cancelOnAbort();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { kind: 'ended' };
        parser.feed(value);
        if (stop) {
          await reader.cancel();
          return stop;
        }
      }
    } finally {
      signal.removeEventListener('abort', cancelOnAbort);
    }
  };

  while (!signal.aborted) {
    let outcome: Outcome;
    try {
      outcome = await connect();
    } catch (error) {
      if (signal.aborted) return;
      // fetch reports a refused connection or a cut stream as a TypeError; anything else (signed
      // out, an answer no retry changes) is the caller's to see.
      if (!(error instanceof TypeError)) throw error;
      outcome = { kind: 'failed', error };
    }
    if (outcome.kind === 'stop') throw outcome.error;
    if (outcome.kind === 'over') return;
    if (signal.aborted) return;
    const delayMs =
      outcome.kind === 'ended'
        ? reconnectDelay(retryHintMs, 0)
        : Math.max(outcome.retryAfterMs ?? 0, reconnectDelay(retryHintMs, ++failures));
    options.onReconnect?.({
      delayMs,
      ...(outcome.kind === 'failed' ? { status: outcome.status, error: outcome.error } : {}),
    });
    await pause(delayMs, signal);
  }
}
