import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { TASK_EVENT_TYPES } from '@todo/contracts';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import {
  createDatabase,
  createMigratedDatabase,
  outbox,
  recordTaskEvents,
  tasks,
  toSnapshot,
  users,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { ADMIN_URL_ENV } from '../src/testing/test-database.js';

const adminUrl = () => process.env[ADMIN_URL_ENV]!;

describe('createMigratedDatabase', () => {
  let admin: postgres.Sql;
  const created: string[] = [];
  // A name that needs quoting: capitals and hyphens.
  const nameFor = (what: string) => {
    const name = `Todo-Test-${what}-${randomBytes(4).toString('hex')}`;
    created.push(name);
    return name;
  };
  const tablesOf = async (url: string) => {
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await client<{ table_name: string }[]>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
      return rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => {
    admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    for (const name of created)
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates the database under a name that needs quoting, migrates it and returns its URL', async () => {
    const name = nameFor('Fresh');
    const url = await createMigratedDatabase(adminUrl(), name);
    expect(new URL(url).pathname).toBe(`/${name}`);
    expect(await tablesOf(url)).toEqual(expect.arrayContaining(['users', 'tasks', 'outbox']));
  });

  it('refuses a name a URL would have to escape, before creating anything', async () => {
    await expect(createMigratedDatabase(adminUrl(), 'todo test')).rejects.toThrow(
      'database name "todo test": use letters, digits and _ $ . - only',
    );
  });

  it('fails for an existing database unless told to keep or replace it', async () => {
    const name = nameFor('existing');
    const url = await createMigratedDatabase(adminUrl(), name);
    await expect(createMigratedDatabase(adminUrl(), name)).rejects.toMatchObject({
      code: '42P04',
    });

    const kept = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await kept`INSERT INTO users (email, password_hash) VALUES ('kept@example.com', 'x')`;
      await createMigratedDatabase(adminUrl(), name, { ifExists: 'keep' });
      expect(await kept`SELECT email FROM users`).toEqual([{ email: 'kept@example.com' }]);
    } finally {
      await kept.end();
    }

    await createMigratedDatabase(adminUrl(), name, { ifExists: 'replace' });
    const replaced = postgres(url, { max: 1, onnotice: () => {} });
    try {
      expect(await replaced`SELECT email FROM users`).toEqual([]);
    } finally {
      await replaced.end();
    }
  });

  it('creates a missing database when told to keep an existing one', async () => {
    const url = await createMigratedDatabase(adminUrl(), nameFor('missing'), { ifExists: 'keep' });
    expect(await tablesOf(url)).toContain('tasks');
  });
});

describe('DatabaseConnection.ready', () => {
  it('resolves while the server answers and rejects when it cannot be reached', async () => {
    const t = await createTestDatabase();
    const nowhere = createDatabase('postgres://nobody:nothing@127.0.0.1:1/none', {
      max: 1,
      connectTimeoutSeconds: 2,
    });
    try {
      await expect(t.ready()).resolves.toBeUndefined();
      await expect(nowhere.ready()).rejects.toThrow();
    } finally {
      await nowhere.close();
      await t.drop();
    }
  });
});

describe('recordTaskEvents', () => {
  let t: TestDatabase;
  afterEach(async () => {
    await t.drop();
  });

  it("appends each event keyed by the task's series, with the producer and traceparent", async () => {
    t = await createTestDatabase();
    const [user] = await t.db
      .insert(users)
      .values({ email: 'record@example.com', passwordHash: 'x' })
      .returning();
    const [root] = await t.db.insert(tasks).values({ userId: user!.id, title: 'root' }).returning();
    const [child] = await t.db
      .insert(tasks)
      .values({ userId: user!.id, title: 'child', seriesId: root!.id, parentTaskId: root!.id })
      .returning();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ids = await t.db.transaction((tx) =>
      recordTaskEvents(tx, { producer: 'some-app', traceparent }, child!, [
        { type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(child!) } },
        { type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(child!) } },
      ]),
    );
    expect(ids).toHaveLength(2);
    const rows = await t.db.select().from(outbox).where(eq(outbox.producer, 'some-app'));
    expect(rows.map((row) => row.eventId).sort()).toEqual([...ids].sort());
    for (const row of rows) {
      expect(row).toMatchObject({
        aggregateId: root!.id,
        type: TASK_EVENT_TYPES.created,
        traceparent,
      });
    }
    // A root task is its own series; no traceparent is stored as null.
    await recordTaskEvents(t.db, { producer: 'root-app' }, root!, [
      { type: TASK_EVENT_TYPES.created, data: { task: toSnapshot(root!) } },
    ]);
    const [own] = await t.db.select().from(outbox).where(eq(outbox.producer, 'root-app'));
    expect(own).toMatchObject({ aggregateId: root!.id, traceparent: null });
    expect(await recordTaskEvents(t.db, { producer: 'none' }, root!, [])).toEqual([]);
  });
});
