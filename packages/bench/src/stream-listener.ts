import { streamTaskChanges, type TaskStreamEvent } from '@todo/api-client';
import type { SignedUpUser } from '@todo/stack-harness';

/** An event of the live stream and when this process read it (epoch ms, sub-millisecond). */
export interface Delivery {
  event: TaskStreamEvent;
  receivedAtMs: number;
}

export interface StreamListener {
  deliveries: Delivery[];
  /** Whether the stream's first `ready` event came (connected, subscribed, position known). */
  isReady(): boolean;
  /** Connections that ended and were retried: an idle stream held as it should stays at 0. */
  reconnects(): number;
  /** Aborts the stream and waits until the helper has returned. */
  close(): Promise<void>;
}

/** Wall-clock time with the monotonic clock's resolution, comparable with PostgreSQL's clock. */
export const nowMs = () => performance.timeOrigin + performance.now();

/**
 * One client of `GET /api/tasks/stream`, through `@todo/api-client`'s `streamTaskChanges` (what a
 * frontend would use: fetch with the bearer header, resume, token renewal), recording when each
 * event arrives.
 */
export function listenToTaskStream(baseUrl: string, user: SignedUpUser): StreamListener {
  const controller = new AbortController();
  const deliveries: Delivery[] = [];
  let reconnects = 0;
  let ready = false;
  let failure: { error: unknown } | undefined;
  const closed = streamTaskChanges({
    baseUrl,
    // Node's fetch (undici) stops following a Request's signal once that Request is garbage
    // collected (nodejs/undici#3644, #4068): aborting then leaves the stream open and this
    // promise pending for good. Sent as URL + init with the signal, the abort always lands.
    fetch: (request) =>
      globalThis.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        signal: controller.signal,
      }),
    getAccessToken: user.session.getAccessToken,
    refreshAccessToken: user.session.refreshAccessToken,
    signal: controller.signal,
    onEvent(event) {
      const receivedAtMs = nowMs();
      if (event.event === 'ready') ready = true;
      deliveries.push({ event, receivedAtMs });
    },
    onReconnect() {
      reconnects += 1;
    },
  }).catch((error: unknown) => {
    failure = { error };
  });
  return {
    deliveries,
    isReady() {
      // A stream that gave up (signed out, a 4xx) will never be ready: say why at once.
      if (failure) throw failure.error;
      return ready;
    },
    reconnects: () => reconnects,
    async close() {
      controller.abort();
      await closed;
      if (failure) throw failure.error;
    },
  };
}
