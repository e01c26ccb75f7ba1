import { TASK_CHANGES_CHANNEL, type DatabaseConnection } from '@todo/db';
import type { Logger } from '@todo/service-runtime';

/** The postgres.js client a LISTEN connection is opened from. */
export type ListenClient = Pick<DatabaseConnection['client'], 'listen'>;
type Listening = Awaited<ReturnType<ListenClient['listen']>>;

/**
 * This replica's one LISTEN on `task_changes` (the change log's insert trigger notifies the user
 * id), fanned out to the streams of that user here. postgres.js keeps the LISTEN on a connection
 * of its own and LISTENs again after losing it; notifications sent meanwhile are lost, so
 * `onResubscribed` tells every stream to catch up from the table by its last seq.
 */
export interface ChangeFeed {
  /** Calls `wake` on each change of `userId` until the returned function is called. */
  subscribe(userId: string, wake: () => void): () => void;
  /** Calls `wake` each time the LISTEN is back after a lost connection. */
  onResubscribed(wake: () => void): () => void;
  /** Resolves once LISTEN is in place (the first call starts it). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export function createChangeFeed(options: { sql: ListenClient; logger: Logger }): ChangeFeed {
  const byUser = new Map<string, Set<() => void>>();
  const resubscribed = new Set<() => void>();
  let listening: Promise<Listening> | undefined;
  let listens = 0;

  const notify = (userId: string) => {
    for (const wake of byUser.get(userId) ?? []) wake();
  };
  const onListen = () => {
    listens += 1;
    if (listens === 1) return;
    options.logger.info('change feed listening again; streams catch up', {
      streams: resubscribed.size,
    });
    for (const wake of resubscribed) wake();
  };

  return {
    subscribe(userId, wake) {
      const set = byUser.get(userId) ?? new Set();
      set.add(wake);
      byUser.set(userId, set);
      return () => {
        set.delete(wake);
        if (set.size === 0) byUser.delete(userId);
      };
    },
    onResubscribed(wake) {
      resubscribed.add(wake);
      return () => resubscribed.delete(wake);
    },
    async ready() {
      listening ??= options.sql.listen(TASK_CHANGES_CHANNEL, notify, onListen);
      try {
        await listening;
      } catch (error) {
        // The next stream tries again.
        listening = undefined;
        throw error;
      }
    },
    async stop() {
      const meta = await listening?.catch(() => undefined);
      listening = undefined;
      await meta?.unlisten().catch(() => undefined);
    },
  };
}
