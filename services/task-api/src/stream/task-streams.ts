import type { ServerResponse } from 'node:http';
import { AppError, type Logger } from '@todo/service-runtime';
import type { EndedSessions, SessionRef } from '../auth/live-sessions.js';
import type { ChangeFeed } from './change-feed.js';
import { messageOf, type ChangeRow, type StreamMessage } from './change-messages.js';
import { sameTurnReads } from './same-turn-reads.js';
import type { TaskChangesRepository } from './task-changes.repository.js';
import type { SseEvent } from './sse-format.js';
import { StreamConnection, type ConnectionLimits, type EndReason } from './stream-connection.js';

export interface TaskStreamsConfig extends ConnectionLimits {
  /**
   * Comment lines this often, so proxies keep idle streams open; the sessions of the open streams
   * are checked as often, so a stream outlives its session by at most this long.
   */
  heartbeatMs: number;
  /** The `retry:` a stream opens with and ends with (shutdown, token expiry). */
  retryMs: number;
  /** Open streams per user on this replica; the next one is a 429. */
  maxPerUser: number;
  /** Open streams on this replica, all users together; the next one is a 503 with Retry-After. */
  maxOpen: number;
  /** Change-log rows read per query. */
  batchSize: number;
}

export interface OpenStream {
  userId: string;
  /** The session the access token was issued in: the stream ends with it. */
  sessionId: string;
  /** The `Last-Event-ID` header, if the client resumes. */
  lastEventId: string | undefined;
  /** When the access token expires (epoch ms): the stream ends then, with a `retry:` hint. */
  expiresAtMs: number;
  /** The request's logger. */
  log: Logger;
}

export interface TaskStreams {
  /** Streams the user's changes into `res` until the client leaves or the stream is ended. */
  open(res: ServerResponse, stream: OpenStream): Promise<void>;
  /** Ends every stream with a `retry:` hint and refuses new ones (shutdown, before the drain). */
  close(): Promise<void>;
  /** Open streams on this replica. */
  size(): number;
}

/** A position the client may send back: a seq (bigint) written in decimal. */
const POSITION = /^\d{1,19}$/;

/**
 * The live stream of every user's task changes on this replica: per connection, the backlog after
 * `Last-Event-ID` (or a `reset` when it cannot be replayed), then each change as its notification
 * arrives, read from the change log by seq so nothing is sent twice or skipped.
 */
export function createTaskStreams(deps: {
  repo: TaskChangesRepository;
  feed: ChangeFeed;
  /** Which sessions have ended (logout, password change, refresh-token reuse, expiry). */
  endedSessions: EndedSessions;
  logger: Logger;
  config: TaskStreamsConfig;
  now?: () => number;
}): TaskStreams {
  const { repo, feed, logger, config } = deps;
  const now = deps.now ?? Date.now;
  const open = new Map<string, Set<StreamConnection>>();
  /** Each open stream's session, and the stream's `signed_out` event should it end. */
  const sessions = new Map<StreamConnection, { session: SessionRef; signedOut: () => SseEvent }>();
  let closing = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let checking = false;

  const all = () => [...open.values()].flatMap((set) => [...set]);
  const shuttingDown = () =>
    new AppError('service_unavailable', 'shutting down; reconnect shortly');

  // Read-only: the rows of a shared read, and the messages made of them, go to several streams.
  const readAfter = sameTurnReads(
    (userId: string, seq: bigint, limit: number): Promise<ReadonlyArray<Readonly<ChangeRow>>> =>
      repo.readAfter(userId, seq, limit),
    (userId, seq, limit) => `${userId} ${seq} ${limit}`,
  );
  /** Each row's message, made once per row: the streams that shared a read share its rows. */
  const messages = new WeakMap<Readonly<ChangeRow>, Readonly<StreamMessage>>();
  const messageFor = (row: Readonly<ChangeRow>) => {
    let message = messages.get(row);
    if (!message) messages.set(row, (message = messageOf(row)));
    return message;
  };
  // Summed over users, not streams: an open checks it, and 2,000 streams may be open.
  const size = () => {
    let n = 0;
    for (const mine of open.values()) n += mine.size;
    return n;
  };

  /** Ends, with a last `signed_out` event and no `retry:`, the streams whose session is over. */
  async function endSignedOutStreams() {
    // A check still running (a slow database) is not doubled; the next heartbeat tries again.
    if (checking || sessions.size === 0) return;
    checking = true;
    try {
      const watched = [...sessions];
      const ended = await deps.endedSessions(watched.map(([, { session }]) => session));
      for (const [connection, { session, signedOut }] of watched) {
        if (ended.has(session.sessionId)) connection.endWith('signed out', signedOut());
      }
    } catch (error) {
      logger.warn('could not check the streams’ sessions; checked again next heartbeat', {
        err: error,
      });
    } finally {
      checking = false;
    }
  }

  function startHeartbeat() {
    heartbeat ??= setInterval(() => {
      for (const connection of all()) connection.heartbeat();
      void endSignedOutStreams();
    }, config.heartbeatMs);
    heartbeat.unref();
  }

  /** Where a stream starts: after Last-Event-ID when it can be replayed, else now (with why). */
  async function startingPoint(lastEventId: string | undefined) {
    const { oldest, newest } = await repo.bounds();
    const current = newest ?? BigInt(0);
    if (lastEventId === undefined) return { seq: current, opening: 'ready' as const };
    if (!POSITION.test(lastEventId)) return { seq: current, opening: 'unknown' as const };
    const asked = BigInt(lastEventId);
    if (asked > current) return { seq: current, opening: 'unknown' as const };
    // Rows before `oldest` are pruned: a position before `oldest - 1` may have missed some.
    if (oldest !== null && asked < oldest - BigInt(1)) {
      return { seq: current, opening: 'expired' as const };
    }
    return { seq: asked, opening: 'resume' as const };
  }

  return {
    size,

    async open(res, { userId, sessionId, lastEventId, expiresAtMs, log }) {
      // Before the LISTEN too: the feed stopped on shutdown would be started again.
      if (closing) throw shuttingDown();
      // LISTEN first: the checks below and the counting after them run in one turn, so streams
      // opened at the same time cannot all pass a cap, or make two sets for one user.
      await feed.ready().catch((error: unknown) => {
        logger.error('change feed unavailable', { err: error });
        throw new AppError('service_unavailable', 'the live stream is unavailable; retry shortly');
      });
      if (closing) throw shuttingDown();
      if (size() >= config.maxOpen) {
        // Not the caller's doing: another replica behind the load balancer may have room.
        res.setHeader('retry-after', String(Math.ceil(config.retryMs / 1000)));
        throw new AppError(
          'service_unavailable',
          'this server holds its maximum of open streams; retry shortly',
        );
      }
      // A response without a socket waits behind an unfinished one on a pipelined connection. It
      // would not see that connection close, and behind another stream it would wait for ever
      // holding its slots: refused (an answer only the client of a finite response ahead gets).
      if (!res.socket && !res.destroyed) {
        throw new AppError(
          'service_unavailable',
          'a stream cannot wait behind another request on its connection; open it on its own',
        );
      }
      const mine = open.get(userId) ?? new Set<StreamConnection>();
      if (mine.size >= config.maxPerUser) {
        res.setHeader('retry-after', String(Math.ceil(config.retryMs / 1000)));
        throw new AppError(
          'rate_limited',
          `at most ${config.maxPerUser} open streams per user on one server`,
        );
      }

      const connection = new StreamConnection(res, config);
      mine.add(connection);
      open.set(userId, mine);
      let lastSeq: bigint | undefined;
      let pumping = false;
      let again = false;

      // Reads what is after lastSeq until nothing is left; a wake during a read reads again.
      const pump = async () => {
        if (lastSeq === undefined || pumping) {
          again = true;
          return;
        }
        pumping = true;
        try {
          do {
            again = false;
            for (;;) {
              const rows = await readAfter(userId, lastSeq, config.batchSize);
              for (const row of rows) {
                if (!connection.isOpen) return;
                lastSeq = row.seq;
                const message = messageFor(row);
                if (message.kind === 'event') connection.send(message.event);
                if (message.kind === 'final') connection.endWith('account deleted', message.event);
              }
              if (rows.length < config.batchSize) break;
              await connection.drained();
            }
          } while (again && connection.isOpen);
        } catch (error) {
          log.warn('stream read failed; the client reconnects', { err: error });
          connection.endWithRetry('read failed', config.retryMs);
        } finally {
          pumping = false;
        }
      };
      const wake = () => void pump();
      const unsubscribe = feed.subscribe(userId, wake);
      const unwatch = feed.onResubscribed(wake);
      const expiry = setTimeout(
        () => connection.endWithRetry('token expired', config.retryMs),
        Math.max(0, expiresAtMs - now()),
      );
      expiry.unref();
      connection.onClose((reason: EndReason) => {
        clearTimeout(expiry);
        sessions.delete(connection);
        unsubscribe();
        unwatch();
        mine.delete(connection);
        if (mine.size === 0 && open.get(userId) === mine) open.delete(userId);
        log.info('stream ended', { reason, lastEventId: lastSeq?.toString() });
      });

      // Gone before it was counted: the close above has already released its slots.
      if (!connection.isOpen) return;
      connection.open(config.retryMs);
      startHeartbeat();
      try {
        // Subscribed first, then the starting point read: a change committed in between is
        // either before it (counted in) or wakes the pump below.
        const start = await startingPoint(lastEventId);
        const id = start.seq.toString();
        if (start.opening === 'ready') {
          connection.send({ event: 'ready', id, data: { type: 'ready', last_event_id: id } });
        } else if (start.opening !== 'resume') {
          connection.send({
            event: 'reset',
            id,
            data: { type: 'reset', reason: start.opening, last_event_id: id },
          });
        }
        lastSeq = start.seq;
        // Its id is the position reached, so a client signing in again resumes from there.
        if (connection.isOpen)
          sessions.set(connection, {
            session: { sessionId, userId },
            signedOut: () => {
              const id = (lastSeq ?? start.seq).toString();
              return { event: 'signed_out', id, data: { type: 'signed_out', last_event_id: id } };
            },
          });
      } catch (error) {
        log.warn('stream could not start; the client reconnects', { err: error });
        connection.endWithRetry('read failed', config.retryMs);
        return;
      }
      await pump();
    },

    async close() {
      closing = true;
      if (heartbeat) clearInterval(heartbeat);
      // A random retry each, so clients do not all come back at the same instant.
      for (const connection of all()) {
        connection.endWithRetry('shutting down', config.retryMs * (1 + Math.random()));
      }
      await feed.stop();
    },
  };
}
