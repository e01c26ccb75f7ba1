import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestDatabase } from '@todo/db/testing';
import { createCapturingLogger } from '@todo/service-runtime/testing';
import { Registry } from '@todo/telemetry';
import { createEndedSessions, type EndedSessions } from '../../src/auth/live-sessions.js';
import { createSessionsRepository } from '../../src/auth/sessions.repository.js';
import { createChangeFeed } from '../../src/stream/change-feed.js';
import { DEFAULT_LIVE_STREAM_CONFIG } from '../../src/stream/stream-env.js';
import { createTaskChangesRepository } from '../../src/stream/task-changes.repository.js';
import { createTaskStreams, type TaskStreamsConfig } from '../../src/stream/task-streams.js';
import { openSse, type SseClient } from './sse-client.js';
import { createAppOver } from './test-app.js';

/**
 * task-api replicas with a live stream each, listening on free ports over one test database, and
 * the stream clients opened on them; `stopAll` (after each test) closes every one of them.
 */
export function streamReplicas(database: () => TestDatabase) {
  const servers: Array<{ server: Server; stop: () => Promise<void> }> = [];
  const clients: SseClient[] = [];

  /**
   * One replica; `now` is the streams' clock, `endedSessions` replaces the session check, and
   * `listenGate` holds every stream at the change feed's `ready()` until it resolves
   * (`readyCalls` counts the streams waiting there).
   */
  async function start(
    config: Partial<TaskStreamsConfig> = {},
    now?: () => number,
    endedSessions?: EndedSessions,
    listenGate?: Promise<void>,
  ) {
    const { db, client, ready } = database();
    const repo = createTaskChangesRepository(db);
    const { logger, logs } = createCapturingLogger('task-api', 'info');
    const changeFeed = createChangeFeed({ sql: client, logger });
    let readyCalls = 0;
    const feed: typeof changeFeed = {
      ...changeFeed,
      async ready() {
        readyCalls += 1;
        await listenGate;
        return changeFeed.ready();
      },
    };
    const streams = createTaskStreams({
      repo,
      feed,
      endedSessions: endedSessions ?? createEndedSessions({ db, repo: createSessionsRepository() }),
      logger,
      config: { ...DEFAULT_LIVE_STREAM_CONFIG.streams, ...config },
      ...(now ? { now } : {}),
    });
    // A registry of its own, without Node's runtime metrics: the requests' timer is what is read.
    const metrics = new Registry();
    const { app, logs: appLogs } = createAppOver(db, {}, ready, { streams, metrics });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push({ server, stop: () => streams.close() });
    const open = async (headers: Record<string, string>) => {
      const sse = await openSse(`${url}/api/tasks/stream`, headers);
      clients.push(sse);
      return sse;
    };
    return {
      app,
      url,
      streams,
      repo,
      logs,
      appLogs,
      metrics,
      open,
      readyCalls: () => readyCalls,
    };
  }

  async function stopAll() {
    for (const sse of clients.splice(0)) sse.close();
    for (const { server, stop } of servers.splice(0)) {
      await stop();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  return { start, stopAll };
}
