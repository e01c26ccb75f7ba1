import type postgres from 'postgres';
import { OUTBOX_NOTIFY_CHANNEL, type Database } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import { errorText, type EventTransport } from './outbox-message.js';
import { publishBatch, retryDelayMs } from './outbox-store.js';

export interface OutboxRelayOptions {
  db: Database;
  /** postgres.js client used for LISTEN (a dedicated connection is taken from it). */
  listenClient: postgres.Sql;
  /** This app's id: the relay publishes only the rows this app wrote. */
  producer: string;
  transport: EventTransport;
  logger: Logger;
  batchSize?: number;
  /** The safety net under LISTEN/NOTIFY: look for rows at least this often. */
  pollIntervalMs?: number;
  /** Cap of the backoff, per row and for the whole relay when the transport is down. */
  maxRetryDelayMs?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  /** Finishes the batch in flight, then stops. */
  stop(): Promise<void>;
}

/**
 * Publishes this service's outbox rows until stopped. A commit that adds rows wakes it at once
 * (LISTEN/NOTIFY, a hint only); polling catches anything a lost notification would miss. When
 * the transport or database fails it backs off exponentially and keeps the rows for later.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const log = options.logger.child({ component: 'outbox-relay', producer: options.producer });

  let stopped = false;
  let pending = false;
  let wakeUp: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let listener: { unlisten: () => Promise<void> } | undefined;

  const wake = () => {
    pending = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  async function loop() {
    let consecutiveFailures = 0;
    while (!stopped) {
      pending = false;
      let delay = pollIntervalMs;
      try {
        const outcome = await publishBatch(
          options.db,
          { producer: options.producer, batchSize, maxRetryDelayMs },
          (messages) => options.transport.publish(messages),
        );
        if (outcome.claimed > 0) {
          log.log(outcome.failed ? 'warn' : 'debug', 'outbox batch', outcome);
        }
        if (outcome.claimed > 0 && outcome.published === 0) {
          // Nothing got through: the sidecar or broker is probably down. Back off as a whole.
          consecutiveFailures += 1;
          delay = retryDelayMs(consecutiveFailures, maxRetryDelayMs);
        } else {
          consecutiveFailures = 0;
          if (outcome.claimed === batchSize) continue;
        }
      } catch (error) {
        consecutiveFailures += 1;
        delay = retryDelayMs(consecutiveFailures, maxRetryDelayMs);
        log.error('outbox relay cycle failed', { err: error, retryInMs: delay });
      }
      await sleep(delay);
    }
  }

  return {
    async start() {
      try {
        listener = await options.listenClient.listen(OUTBOX_NOTIFY_CHANNEL, wake);
      } catch (error) {
        log.warn('LISTEN failed; relying on polling', { error: errorText(error), pollIntervalMs });
      }
      log.info('outbox relay started', {
        transport: options.transport.description,
        batchSize,
        pollIntervalMs,
      });
      running = loop();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
      await listener?.unlisten().catch(() => undefined);
      log.info('outbox relay stopped');
    },
  };
}
