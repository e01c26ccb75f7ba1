import type postgres from 'postgres';
import { OUTBOX_NOTIFY_CHANNEL, type Database } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import { errorText, type EventTransport } from './outbox-message.js';
import { runLane, type RunningLane } from './outbox-lane.js';

export interface OutboxRelayOptions {
  db: Database;
  /** postgres.js client used for LISTEN (a dedicated connection is taken from it). */
  listenClient: postgres.Sql;
  /** This app's id: the relay publishes only the rows this app wrote. */
  producer: string;
  transport: EventTransport;
  logger: Logger;
  batchSize?: number;
  /**
   * Publishing loops (lanes) of this replica, each with a batch in flight at once; a row's lane
   * is its aggregate's hash, so one aggregate's rows still leave one batch after another.
   */
  publishers?: number;
  /** The safety net under LISTEN/NOTIFY: look for rows at least this often. */
  pollIntervalMs?: number;
  /** Cap of the backoff, per row and for a lane when the transport is down. */
  maxRetryDelayMs?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  /** Finishes every lane's batch in flight, then stops. */
  stop(): Promise<void>;
}

/**
 * Publishes this service's outbox rows until stopped, in `publishers` lanes. A commit that adds
 * rows of this producer wakes every lane at once (LISTEN/NOTIFY with the producer as payload, a
 * hint only); polling catches anything a lost notification would miss. When the transport or
 * database fails a lane backs off exponentially and keeps the rows for later.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const publishers = options.publishers ?? 1;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const log = options.logger.child({ component: 'outbox-relay', producer: options.producer });

  let stopped = false;
  let lanes: RunningLane[] = [];
  let listener: { unlisten: () => Promise<void> } | undefined;

  // Since migration 0014 the payload is the producer of the rows a commit added; an empty one is
  // the trigger before it (a replica started while the migration is not applied yet).
  const onNotify = (payload: string) => {
    if (payload === options.producer || payload === '') for (const lane of lanes) lane.wake();
  };

  return {
    async start() {
      try {
        listener = await options.listenClient.listen(OUTBOX_NOTIFY_CHANNEL, onNotify);
      } catch (error) {
        log.warn('LISTEN failed; relying on polling', { error: errorText(error), pollIntervalMs });
      }
      if (stopped) {
        // Stopped while LISTEN was being set up: no lane may start after stop() returned.
        await listener?.unlisten().catch(() => undefined);
        return;
      }
      log.info('outbox relay started', {
        transport: options.transport.description,
        batchSize,
        publishers,
        pollIntervalMs,
      });
      lanes = Array.from({ length: publishers }, (_, index) =>
        runLane({
          db: options.db,
          producer: options.producer,
          transport: options.transport,
          lane: { index, count: publishers },
          batchSize,
          pollIntervalMs,
          maxRetryDelayMs,
          logger: log,
        }),
      );
    },
    async stop() {
      stopped = true;
      await Promise.all(lanes.map((lane) => lane.stop()));
      await listener?.unlisten().catch(() => undefined);
      log.info('outbox relay stopped');
    },
  };
}
