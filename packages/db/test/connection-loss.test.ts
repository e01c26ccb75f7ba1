/**
 * What the services rely on when PostgreSQL drops connections (a restart, a failover, a killed
 * backend): the pool heals by itself, and a transaction whose connection died never commits any
 * part of its work. Both needed fixes in postgres.js 3.4.9 (infra/pnpm-patches).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { startEmbeddedPostgres, type RunningPostgres } from '@todo/embedded-postgres';
import { eventually } from '@todo/service-runtime/testing';
import { createDatabase, createMigratedDatabase, tasks, users } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { ADMIN_URL_ENV } from '../src/testing/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a transaction whose connection dies', () => {
  let t: TestDatabase;
  let admin: postgres.Sql;
  let userId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    admin = postgres(process.env[ADMIN_URL_ENV]!, { max: 1, onnotice: () => {} });
    const [user] = await t.db
      .insert(users)
      .values({ email: 'connection-loss@example.com', passwordHash: 'x' })
      .returning();
    userId = user!.id;
  });
  afterAll(async () => {
    await admin.end();
    await t.drop();
  });

  const titlesOf = async (owner: string) =>
    (await t.db.select().from(tasks).where(eq(tasks.userId, owner))).map((r) => r.title);

  it('fails as a whole: statements after the loss are rejected, not run elsewhere', async () => {
    // One connection, so the pool must reconnect the very connection the transaction had.
    const single = createDatabase(t.url, { max: 1 });
    let late: 'ran' | 'rejected' | 'never settled' | undefined;
    try {
      const attempt = single.db.transaction(async (tx) => {
        await tx.insert(tasks).values({ userId, title: 'before the loss' });
        const [row] = await tx.execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
        await admin`SELECT pg_terminate_backend(${row!.pid})`;
        await sleep(300);
        // Other work reconnects the pool's connection meanwhile.
        await single.db.execute(sql`SELECT 1`).catch(() => undefined);
        late = await Promise.race([
          tx
            .insert(tasks)
            .values({ userId, title: 'after the loss' })
            .then(
              () => 'ran' as const,
              () => 'rejected' as const,
            ),
          sleep(5000).then(() => 'never settled' as const),
        ]);
      });
      await expect(attempt).rejects.toThrow();
      await eventually(() => late !== undefined, { what: 'the late insert to settle' });
      expect(late).toBe('rejected');
      expect(await titlesOf(userId)).toEqual([]);

      // The pool that lost its connection serves the next transaction.
      await single.db.transaction(async (tx) => {
        await tx.insert(tasks).values({ userId, title: 'next' });
      });
      expect(await titlesOf(userId)).toEqual(['next']);
    } finally {
      await single.close();
    }
  }, 30_000);
});

/**
 * A TCP proxy in front of PostgreSQL that can reset every client connection (RST), as a failing
 * network or load balancer does: the socket errors first and closes a moment later.
 */
async function resettingProxy(
  target: URL,
): Promise<{ url: string; reset(): void; close(): Promise<void> }> {
  const clients = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    clients.add(client);
    client.on('close', () => clients.delete(client));
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    reset: () => {
      for (const client of clients) client.resetAndDestroy();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Settles within `ms`, or says it never did. */
const within = (promise: Promise<unknown>, ms: number) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    sleep(ms).then(() => 'never settled'),
  ]);

describe('a connection reset mid-query', () => {
  it('settles the queries caught in it, and the pool serves the next ones', async () => {
    const t = await createTestDatabase();
    const proxy = await resettingProxy(new URL(t.url));
    const single = createDatabase(proxy.url, { max: 1, connectTimeoutSeconds: 5 });
    try {
      await single.db.execute(sql`SELECT 1`);
      // A query in flight when the reset comes; its failure is retried at once, which queues the
      // retry on the connection between the socket's error and its close.
      const caught = single.db
        .execute(sql`SELECT pg_sleep(1)`)
        .catch(() => single.db.execute(sql`SELECT 'retry'`));
      await sleep(200);
      proxy.reset();
      expect(await within(caught, 5000)).not.toBe('never settled');
      expect(await within(single.db.execute(sql`SELECT 2`), 5000)).toBe('resolved');
      expect(
        await within(
          single.db.transaction((tx) => tx.execute(sql`SELECT 3`)),
          5000,
        ),
      ).toBe('resolved');
    } finally {
      await single.close();
      await proxy.close();
      await t.drop();
    }
  }, 30_000);
});

describe('the pool across a PostgreSQL restart', () => {
  let dir: string;
  let server: RunningPostgres;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'todo-db-restart-'));
    server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: true });
    url = await createMigratedDatabase(server.url, 'todo');
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every query once the server is back, with no stale error or connect timeout', async () => {
    // A short connect timeout so a wedged connection fails this test instead of hanging it.
    const database = createDatabase(url, { max: 4, connectTimeoutSeconds: 5 });
    const [user] = await database.db
      .insert(users)
      .values({ email: 'restart@example.com', passwordHash: 'x' })
      .returning();
    let load = true;
    let serverBackAt = Infinity;
    const errorsOnceBack: string[] = [];
    // Transactions in flight on every connection when the server goes away.
    const writers = Array.from({ length: 8 }, async () => {
      while (load) {
        await database.db
          .transaction(async (tx) => {
            await tx.insert(tasks).values({ userId: user!.id, title: 'load' });
            await tx.select().from(tasks).where(eq(tasks.title, 'nothing')).limit(1);
          })
          .catch((error: unknown) => {
            // A margin for a failure already under way when the probe got through.
            if (Date.now() > serverBackAt + 100) errorsOnceBack.push(String(error));
            return sleep(20);
          });
      }
    });
    try {
      await sleep(300);
      await server.stop();
      await sleep(1000);
      server = await startEmbeddedPostgres({
        dataDir: join(dir, 'pg'),
        persistent: true,
        port: server.port,
      });
      // The writers keep trying while the server starts up (57P03 answers), until a fresh client
      // gets through; from then on, the pool must be as good as new.
      const probe = postgres(url, { max: 1, onnotice: () => {} });
      await probe`SELECT 1`;
      await probe.end();
      serverBackAt = Date.now();
      await sleep(1000);
      load = false;
      await Promise.all(writers);
      expect(errorsOnceBack).toEqual([]);

      const failures: string[] = [];
      for (let round = 0; round < 5; round += 1) {
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, () =>
            database.db.transaction(async (tx) => {
              await tx.insert(tasks).values({ userId: user!.id, title: 'after restart' });
              return tx
                .select({ n: sql<number>`1` })
                .from(users)
                .limit(1);
            }),
          ),
        );
        for (const r of results) if (r.status === 'rejected') failures.push(String(r.reason));
      }
      expect(failures).toEqual([]);
    } finally {
      load = false;
      await Promise.all(writers);
      await database.close();
    }
  }, 60_000);
});
