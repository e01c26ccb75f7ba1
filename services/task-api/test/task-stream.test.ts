import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get as httpGet } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ACCOUNT_DELETED_CHANGE } from '@todo/contracts';
import { taskChanges } from '@todo/db';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import request from 'supertest';
import { buildOpenApiDocument } from '../src/openapi/openapi-document.js';
import { DEFAULT_LIVE_STREAM_CONFIG } from '../src/stream/stream-env.js';
import { streamReplicas } from './support/stream-replicas.js';
import { registerUser } from './support/test-app.js';

/**
 * The live stream in-process, over a real socket and a real PostgreSQL: what it sends, resume,
 * and how it ends (cap, slow client, token expiry, shutdown, account deletion).
 */
describe('GET /api/tasks/stream', () => {
  let database: TestDatabase;
  const replicas = streamReplicas(() => database);
  const startReplica = replicas.start;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => replicas.stopAll());
  afterAll(async () => {
    await database.drop();
  });

  it('answers 401 JSON without a valid token', async () => {
    const { open } = await startReplica();
    for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Array<
      Record<string, string>
    >) {
      const client = await open(headers);
      await client.waitForEnd();
      expect(client.status).toBe(401);
      expect(client.headers['content-type']).toMatch(/^application\/json/);
      expect(client.body()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('sends each change with the task as the REST API returns it, in order', async () => {
    const { app, open } = await startReplica();
    const user = await registerUser(app);
    const client = await open(user.auth);
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream');
    const [ready] = await client.waitForEvents(1);
    expect(ready).toMatchObject({ event: 'ready', data: { type: 'ready' } });
    expect(client.retries).toEqual([DEFAULT_LIVE_STREAM_CONFIG.streams.retryMs]);

    const created = await request(app)
      .post('/api/tasks')
      .set(user.auth)
      .send({ title: 'Water', recurring_type: 'weekly', due_date: '2030-01-01T09:00:00Z' })
      .expect(201);
    const id = created.body.id as string;
    const completed = await request(app).post(`/api/tasks/${id}/complete`).set(user.auth);
    const renamed = await request(app)
      .patch(`/api/tasks/${id}`)
      .set(user.auth)
      .send({ title: 'W' });
    await request(app).delete(`/api/tasks/${id}`).set(user.auth).expect(204);

    const events = (await client.waitForEvents(5)).slice(1);
    expect(events.map((e) => e.event)).toEqual(['created', 'completed', 'updated', 'deleted']);
    expect(events[0]!.data.task).toEqual(created.body);
    expect(events[1]!.data.task).toEqual(completed.body);
    expect(events[2]!.data.task).toEqual(renamed.body);
    expect(events[3]!.data).toMatchObject({ type: 'deleted', task_id: id, series_id: id });
    const ids = events.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect(BigInt(events[0]!.id)).toBeGreaterThan(BigInt(ready!.id));
    for (const event of events) {
      expect(event.data.event_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.data.type).toBe(event.event);
    }
  });

  it('reads a change once for all of a user’s streams, and sends each the same event', async () => {
    const { app, open, repo } = await startReplica();
    const user = await registerUser(app);
    // Counted from before the streams open: each reads its backlog right after sending `ready`,
    // and a backlog read still running when the change arrives would read again, so the count
    // starts once those are done.
    const readAfter = repo.readAfter;
    let reads = 0;
    let running = 0;
    repo.readAfter = async (...args) => {
      reads += 1;
      running += 1;
      try {
        return await readAfter(...args);
      } finally {
        running -= 1;
      }
    };
    try {
      const clients = await Promise.all(Array.from({ length: 5 }, () => open(user.auth)));
      for (const client of clients) await client.waitForEvents(1);
      await eventually(() => reads > 0 && running === 0, { what: 'the backlog reads' });
      reads = 0;
      const created = await request(app)
        .post('/api/tasks')
        .set(user.auth)
        .send({ title: 'Seen by every tab' })
        .expect(201);
      const events = await Promise.all(
        clients.map(async (client) => (await client.waitForEvents(2))[1]!),
      );
      for (const event of events) {
        expect(event).toEqual(events[0]);
        expect(event.data.task).toEqual(created.body);
      }
      // One wake of the five streams, one query between them (five before they shared it).
      expect(reads).toBe(1);
    } finally {
      repo.readAfter = readAfter;
    }
  });

  it('sends a change recorded without a version (before the log stored one) without one', async () => {
    const { app, open } = await startReplica();
    const user = await registerUser(app);
    const created = await request(app)
      .post('/api/tasks')
      .set(user.auth)
      .send({ title: 'Old' })
      .expect(201);
    const [logged] = await database.db
      .select()
      .from(taskChanges)
      .where(eq(taskChanges.userId, user.id));
    expect(logged!.payload).toMatchObject({ version: 1 });
    const client = await open(user.auth);
    await client.waitForEvents(1);
    // As a writer from before migration 0013 logged it; and versions no API could have issued.
    const { task } = logged!.payload as { task: unknown };
    for (const payload of [{ task }, { task, version: 0 }, { task, version: '1' }]) {
      await database.db
        .insert(taskChanges)
        .values({ userId: user.id, eventId: randomUUID(), type: logged!.type, payload });
    }
    const events = (await client.waitForEvents(4)).slice(1);
    const { version: _version, ...withoutVersion } = created.body as Record<string, unknown>;
    for (const event of events) expect(event.data.task).toStrictEqual(withoutVersion);
  });

  it('resumes after Last-Event-ID with exactly what was missed; a position it cannot replay is a reset', async () => {
    const { app, open, repo } = await startReplica();
    const user = await registerUser(app);
    const first = await open(user.auth);
    const [ready] = await first.waitForEvents(1);
    first.close();
    const titles = ['a', 'b', 'c'];
    for (const title of titles) {
      await request(app).post('/api/tasks').set(user.auth).send({ title }).expect(201);
    }
    const resumed = await open({ ...user.auth, 'last-event-id': ready!.id });
    const missed = await resumed.waitForEvents(3);
    expect(missed.map((e) => (e.data.task as { title: string }).title)).toEqual(titles);
    await request(app).post('/api/tasks').set(user.auth).send({ title: 'd' }).expect(201);
    const all = await resumed.waitForEvents(4);
    expect(all.map((e) => e.event)).toEqual(['created', 'created', 'created', 'created']);
    expect(new Set(all.map((e) => e.id)).size).toBe(4);

    const future = await open({ ...user.auth, 'last-event-id': '999999999' });
    const [unknown] = await future.waitForEvents(1);
    expect(unknown).toMatchObject({ event: 'reset', data: { reason: 'unknown' } });
    expect(unknown!.id).toBe(all[3]!.id);
    future.close();

    // Everything but the newest row is older than the window: pruned, so `ready` is too old.
    await database.db.update(taskChanges).set({ createdAt: new Date(Date.now() - 7_200_000) });
    expect(await repo.prune(3600, 1000)).toBeGreaterThan(0);
    const old = await open({ ...user.auth, 'last-event-id': ready!.id });
    const [expired] = await old.waitForEvents(1);
    expect(expired).toMatchObject({ event: 'reset', data: { reason: 'expired' } });
    // and it goes on live
    await request(app).post('/api/tasks').set(user.auth).send({ title: 'e' }).expect(201);
    const [, live] = await old.waitForEvents(2);
    expect(live).toMatchObject({ event: 'created', data: { task: { title: 'e' } } });
  });

  it('sends heartbeats on an idle stream', async () => {
    const { app, open } = await startReplica({ heartbeatMs: 50 });
    const user = await registerUser(app);
    const client = await open(user.auth);
    await eventually(() => client.comments >= 3, { what: 'three heartbeats' });
  });

  it('refuses a user’s stream over the cap with a 429 JSON answer', async () => {
    const { app, open } = await startReplica({ maxPerUser: 2 });
    const user = await registerUser(app);
    const other = await registerUser(app);
    await (await open(user.auth)).waitForEvents(1);
    await (await open(user.auth)).waitForEvents(1);
    const third = await open(user.auth);
    await third.waitForEnd();
    expect(third.status).toBe(429);
    expect(third.body()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(third.headers['retry-after']).toBe('2');
    expect((await open(other.auth)).status).toBe(200);
  });

  it('refuses a stream over the replica’s cap with a 503 JSON answer, and takes one again once a stream ends', async () => {
    const { app, open, streams } = await startReplica({ maxOpen: 2 });
    const [first, second, third] = [
      await registerUser(app),
      await registerUser(app),
      await registerUser(app),
    ];
    const held = await open(first.auth);
    await held.waitForEvents(1);
    await (await open(second.auth)).waitForEvents(1);
    const refused = await open(third.auth);
    await refused.waitForEnd();
    expect(refused.status).toBe(503);
    expect(refused.body()).toMatchObject({ error: { code: 'service_unavailable' } });
    expect(refused.headers['retry-after']).toBe('2');
    held.close();
    await eventually(() => streams.size() === 1, { what: 'the first stream released' });
    expect((await open(third.auth)).status).toBe(200);
  });

  it.each([
    { cap: 'the replica’s', config: { maxOpen: 1 }, sameUser: false, refused: 503 },
    { cap: 'a user’s', config: { maxPerUser: 1 }, sameUser: true, refused: 429 },
  ])(
    'counts streams that wait for the LISTEN together against $cap cap',
    async ({ config, sameUser, refused }) => {
      let listen!: () => void;
      const gate = new Promise<void>((resolve) => (listen = resolve));
      const { app, open, streams, readyCalls } = await replicas.start(
        config,
        undefined,
        undefined,
        gate,
      );
      const first = await registerUser(app);
      const second = sameUser ? first : await registerUser(app);
      const opening = Promise.all([open(first.auth), open(second.auth)]);
      // Both past authentication and waiting at the feed, then the LISTEN is in place.
      await eventually(() => readyCalls() === 2, { what: 'both streams at the change feed' });
      listen();
      const clients = await opening;
      expect(clients.map((client) => client.status).sort()).toEqual([200, refused]);
      expect(streams.size()).toBe(1);
    },
  );

  it('releases the slots of a client that left before its stream started', async () => {
    const { streams } = await startReplica({ maxOpen: 1, maxPerUser: 1 });
    const { logger } = createCapturingLogger('task-api', 'info');
    const started: Array<Promise<void>> = [];
    // A handler that reaches the stream only once its client has gone, as a client that leaves
    // while its token and session are being checked.
    const server = createServer((_req, res) => {
      started.push(
        once(res, 'close').then(() =>
          streams.open(res, {
            userId: randomUUID(),
            sessionId: randomUUID(),
            lastEventId: undefined,
            expiresAtMs: Date.now() + 60_000,
            log: logger,
          }),
        ),
      );
    }).listen(0, '127.0.0.1');
    try {
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const gone = httpGet({ port, host: '127.0.0.1', path: '/late' });
      gone.on('error', () => undefined);
      await eventually(() => started.length === 1, { what: 'the request handled' });
      gone.destroy();
      await started[0];
      expect(streams.size()).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses a stream pipelined behind another on one connection instead of holding its slots', async () => {
    const { app, url, streams, appLogs } = await startReplica();
    const user = await registerUser(app);
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    const streamRequest = `GET /api/tasks/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${user.auth.Authorization}\r\n\r\n`;
    socket.write(streamRequest);
    await eventually(() => streams.size() === 1, { what: 'the first stream open' });
    // On the same connection: it waits for the first response, which a stream never finishes.
    socket.write(streamRequest);
    await eventually(
      () =>
        appLogs.some(
          (line) => line.message === 'request failed' && line.code === 'service_unavailable',
        ),
      { what: 'the pipelined stream refused' },
    );
    expect(streams.size()).toBe(1);
    socket.destroy();
    await eventually(() => streams.size() === 0, { what: 'the first stream released' });
  });

  it('cuts off a client that stops reading instead of buffering without bound', async () => {
    const { app, open, streams, appLogs } = await startReplica({ maxBufferBytes: 64 * 1024 });
    const user = await registerUser(app);
    const client = await open(user.auth);
    await client.waitForEvents(1);
    client.pause();
    const created = await request(app).post('/api/tasks').set(user.auth).send({ title: 'x' });
    const [row] = await database.db.select().from(taskChanges).limit(1);
    // Far more than the socket buffers hold: about 40 MB of changes.
    const big = {
      task: { ...(row!.payload as { task: object }).task, description: 'y'.repeat(100_000) },
    };
    for (let i = 0; i < 4; i += 1) {
      await database.db.insert(taskChanges).values(
        Array.from({ length: 100 }, () => ({
          userId: user.id,
          eventId: randomUUID(),
          type: 'com.todo.task.updated.v1',
          payload: { ...big, task: { ...big.task, id: created.body.id, user_id: user.id } },
        })),
      );
    }
    await eventually(() => streams.size() === 0, { what: 'the slow client cut off' });
    expect(appLogs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'stream ended', reason: 'slow client' }),
      ]),
    );
  });

  it('ends the stream with a retry hint when the access token expires', async () => {
    // The stream's clock runs an hour ahead, less half a second: the token expires in 0.5 s.
    const { app, open } = await startReplica({}, () => Date.now() + 3_600_000 - 500);
    const user = await registerUser(app);
    const client = await open(user.auth);
    await client.waitForEnd();
    expect(client.retries).toHaveLength(2);
  });

  it('ends every stream with a retry hint on shutdown, and refuses new ones without listening again', async () => {
    const { app, open, streams, readyCalls } = await startReplica();
    const user = await registerUser(app);
    const a = await open(user.auth);
    const b = await open(user.auth);
    await Promise.all([a.waitForEvents(1), b.waitForEvents(1)]);
    await streams.close();
    await Promise.all([a.waitForEnd(), b.waitForEnd()]);
    expect(a.retries).toHaveLength(2);
    expect(b.retries).toHaveLength(2);
    const waited = readyCalls();
    const late = await open(user.auth);
    await late.waitForEnd();
    expect(late.status).toBe(503);
    // The feed stopped on shutdown: a late stream must not start its LISTEN again.
    expect(readyCalls()).toBe(waited);
  });

  it('ends a deleted account’s streams with a last event', async () => {
    const { app, open } = await startReplica();
    const user = await registerUser(app);
    const client = await open(user.auth);
    await client.waitForEvents(1);
    await database.db.insert(taskChanges).values({
      userId: user.id,
      eventId: randomUUID(),
      type: ACCOUNT_DELETED_CHANGE,
      payload: {},
    });
    await client.waitForEnd();
    expect(client.events.at(-1)).toMatchObject({
      event: 'account_deleted',
      data: { type: 'account_deleted' },
    });
    expect(client.retries).toHaveLength(1);
  });

  it('catches up after its LISTEN connection is lost', async () => {
    const { app, open, logs } = await startReplica();
    const user = await registerUser(app);
    const client = await open(user.auth);
    await client.waitForEvents(1);
    await database.client`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query ILIKE 'listen%'`;
    await request(app).post('/api/tasks').set(user.auth).send({ title: 'during' }).expect(201);
    await eventually(
      () => logs.some((line) => line.message === 'change feed listening again; streams catch up'),
      {
        what: 'the LISTEN back',
      },
    );
    await request(app).post('/api/tasks').set(user.auth).send({ title: 'after' }).expect(201);
    const events = await client.waitForEvents(3);
    expect(events.slice(1).map((e) => (e.data.task as { title: string }).title)).toEqual([
      'during',
      'after',
    ]);
  });

  it('is in the OpenAPI document as an event stream with its events', () => {
    const document = buildOpenApiDocument() as unknown as {
      paths: Record<
        string,
        { get: { operationId: string; responses: Record<string, { content?: object }> } }
      >;
    };
    const operation = document.paths['/api/tasks/stream']!.get;
    expect(operation.operationId).toBe('streamTaskChanges');
    expect(Object.keys(operation.responses['200']!.content!)).toEqual(['text/event-stream']);
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '401', '429', '503']),
    );
  });
});
