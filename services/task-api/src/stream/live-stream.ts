import type { Database } from '@todo/db';
import type { Logger } from '@todo/service-runtime';
import { createEndedSessions } from '../auth/live-sessions.js';
import { createSessionsRepository } from '../auth/sessions.repository.js';
import { startChangeLogPruner } from './change-log-pruner.js';
import { createChangeFeed, type ListenClient } from './change-feed.js';
import type { LiveStreamConfig } from './stream-env.js';
import { createTaskChangesRepository } from './task-changes.repository.js';
import { createTaskStreams, type TaskStreams } from './task-streams.js';

export interface LiveStream {
  streams: TaskStreams;
  /** Ends every stream (with a `retry:` hint) and stops pruning: run it before the server drains. */
  stop(): Promise<void>;
}

/** The live stream of one replica: its LISTEN, its streams and its share of pruning. */
export function createLiveStream(deps: {
  db: Database;
  /** The postgres.js client the LISTEN connection is opened from. */
  sql: ListenClient;
  logger: Logger;
  config: LiveStreamConfig;
}): LiveStream {
  const repo = createTaskChangesRepository(deps.db);
  const feed = createChangeFeed({ sql: deps.sql, logger: deps.logger });
  const streams = createTaskStreams({
    repo,
    feed,
    endedSessions: createEndedSessions({ db: deps.db, repo: createSessionsRepository() }),
    logger: deps.logger,
    config: deps.config.streams,
  });
  const pruner = startChangeLogPruner({ repo, logger: deps.logger, config: deps.config.pruner });
  return {
    streams,
    async stop() {
      await Promise.all([streams.close(), pruner.stop()]);
    },
  };
}
