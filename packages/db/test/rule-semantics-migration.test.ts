import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { runMigrations } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { migrateThrough } from './support/migrate-through.js';

/** Rules as stored before migration 0005, each with the rule it must become. */
const RULES: Array<{ rule: string; zone: string; becomes: string; why: string }> = [
  {
    why: 'a plain monthly rule meant month-end clamping',
    rule: 'FREQ=MONTHLY',
    zone: 'UTC',
    becomes: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
  },
  {
    why: 'a yearly rule on 29 February meant the 28th in common years',
    rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    zone: 'Europe/Paris',
    becomes: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;RSCALE=GREGORIAN;SKIP=BACKWARD',
  },
  {
    why: 'part names are case-insensitive',
    rule: 'freq=monthly;interval=2',
    zone: 'UTC',
    becomes: 'freq=monthly;interval=2;RSCALE=GREGORIAN;SKIP=BACKWARD',
  },
  {
    why: 'a trailing separator is not doubled',
    rule: 'FREQ=MONTHLY;',
    zone: 'UTC',
    becomes: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
  },
  {
    why: 'RSCALE is not named twice',
    rule: 'FREQ=MONTHLY;RSCALE=GREGORIAN',
    zone: 'UTC',
    becomes: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=BACKWARD',
  },
  {
    why: 'an explicit SKIP already says what it means',
    rule: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=FORWARD',
    zone: 'UTC',
    becomes: 'FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=FORWARD',
  },
  {
    why: 'SKIP=OMIT is kept too',
    rule: 'FREQ=YEARLY;SKIP=OMIT',
    zone: 'UTC',
    becomes: 'FREQ=YEARLY;SKIP=OMIT',
  },
  {
    why: 'weekly rules never clamp',
    rule: 'FREQ=WEEKLY;BYDAY=MO,WE',
    zone: 'UTC',
    becomes: 'FREQ=WEEKLY;BYDAY=MO,WE',
  },
  {
    why: 'a date UNTIL ends at the last second of that day in the zone (CET, +01)',
    rule: 'FREQ=DAILY;UNTIL=20260315',
    zone: 'Europe/Paris',
    becomes: 'FREQ=DAILY;UNTIL=20260315T225959Z',
  },
  {
    why: 'on the day clocks go forward, the day ends in summer time (CEST, +02)',
    rule: 'FREQ=DAILY;UNTIL=20260329',
    zone: 'Europe/Paris',
    becomes: 'FREQ=DAILY;UNTIL=20260329T215959Z',
  },
  {
    why: 'west of UTC the day ends on the next UTC date, and both rewrites apply',
    rule: 'FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20261231',
    zone: 'America/New_York',
    becomes: 'FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20270101T045959Z;RSCALE=GREGORIAN;SKIP=BACKWARD',
  },
  {
    why: 'UNTIL in the middle of the rule, fourteen hours east of UTC',
    rule: 'FREQ=WEEKLY;UNTIL=20260101;BYDAY=MO',
    zone: 'Pacific/Kiritimati',
    becomes: 'FREQ=WEEKLY;UNTIL=20260101T095959Z;BYDAY=MO',
  },
  {
    why: 'a zone PostgreSQL does not know is read as UTC rather than failing the migration',
    rule: 'FREQ=DAILY;UNTIL=20260315',
    zone: 'Mars/Olympus_Mons',
    becomes: 'FREQ=DAILY;UNTIL=20260315T235959Z',
  },
  {
    why: 'a date-time UNTIL is already exact',
    rule: 'FREQ=DAILY;UNTIL=20260315T120000Z',
    zone: 'Europe/Paris',
    becomes: 'FREQ=DAILY;UNTIL=20260315T120000Z',
  },
];

describe('migration 0005: stored rules keep their meaning under RFC 5545', () => {
  let t: TestDatabase;
  let sql: postgres.Sql;
  const taskIds: string[] = [];
  let oneOffId: string;
  const events = {
    completed: randomUUID(),
    created: randomUUID(),
    published: randomUUID(),
    notRecurring: randomUUID(),
  };
  const updatedAt = '2026-01-02T03:04:05Z';

  beforeAll(async () => {
    // An emptied clone stands in for a database that is at migration 0004 with rows in it.
    t = await createTestDatabase();
    await t.client.unsafe(
      'DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS drizzle CASCADE;',
    );
    await migrateThrough(t.url, '0004_service_roles');
    sql = postgres(t.url, { max: 1, onnotice: () => {} });

    const [user] = await sql<{ id: string }[]>`
      INSERT INTO users (email, password_hash) VALUES ('rules@example.com', 'x') RETURNING id`;
    for (const { rule, zone } of RULES) {
      const [row] = await sql<{ id: string }[]>`
        INSERT INTO tasks (user_id, title, recurrence_rule, recurrence_timezone,
                           recurrence_anchor, recurrence_overdue, updated_at)
        VALUES (${user!.id}, 'rule', ${rule}, ${zone}, 'due', 'skip', ${updatedAt})
        RETURNING id`;
      taskIds.push(row!.id);
    }
    const [oneOff] = await sql<{ id: string }[]>`
      INSERT INTO tasks (user_id, title) VALUES (${user!.id}, 'one-off') RETURNING id`;
    oneOffId = oneOff!.id;

    const recurrence = (rrule: string, timezone: string) => ({
      rrule,
      timezone,
      anchor: 'due',
      overdue: 'skip',
      dtstart: null,
    });
    const insertEvent = (id: string, type: string, payload: object, published: boolean) => sql`
      INSERT INTO outbox (event_id, producer, aggregate_id, type, payload, published_at)
      VALUES (${id}, 'task-api', ${randomUUID()}, ${type}, ${sql.json(payload as postgres.JSONValue)},
              ${published ? new Date() : null})`;
    await insertEvent(
      events.completed,
      'com.todo.task.completed.v1',
      {
        title: 'keep me',
        recurrence: recurrence('FREQ=MONTHLY;UNTIL=20261231', 'Europe/Paris'),
      },
      false,
    );
    await insertEvent(
      events.created,
      'com.todo.task.created.v1',
      { task: { title: 'keep me too', recurrence: recurrence('FREQ=YEARLY', 'UTC') } },
      false,
    );
    await insertEvent(
      events.published,
      'com.todo.task.completed.v1',
      { recurrence: recurrence('FREQ=MONTHLY', 'UTC') },
      true,
    );
    await insertEvent(
      events.notRecurring,
      'com.todo.task.completed.v1',
      { recurrence: null },
      false,
    );

    await runMigrations(t.url);
  });
  afterAll(async () => {
    await sql.end();
    await t.drop();
  });

  it.each(RULES.map((r, i) => [r.why, i] as const))('%s', async (_why, index) => {
    const [row] = await sql<{ recurrence_rule: string; updated_at: Date }[]>`
      SELECT recurrence_rule, updated_at FROM tasks WHERE id = ${taskIds[index]!}`;
    expect(row!.recurrence_rule).toBe(RULES[index]!.becomes);
    // A rewrite that keeps the meaning is not an edit by the user.
    expect(row!.updated_at.toISOString()).toBe(new Date(updatedAt).toISOString());
  });

  it('leaves one-off tasks without a rule', async () => {
    const [row] = await sql<{ recurrence_rule: string | null }[]>`
      SELECT recurrence_rule FROM tasks WHERE id = ${oneOffId}`;
    expect(row!.recurrence_rule).toBeNull();
  });

  it('rewrites the rule inside events still waiting in the outbox, and nothing else', async () => {
    const rows = await sql<{ event_id: string; payload: Record<string, unknown> }[]>`
      SELECT event_id, payload FROM outbox`;
    const payload = (id: string) => rows.find((r) => r.event_id === id)!.payload;
    expect(payload(events.completed)).toEqual({
      title: 'keep me',
      recurrence: {
        rrule: 'FREQ=MONTHLY;UNTIL=20261231T225959Z;RSCALE=GREGORIAN;SKIP=BACKWARD',
        timezone: 'Europe/Paris',
        anchor: 'due',
        overdue: 'skip',
        dtstart: null,
      },
    });
    expect(payload(events.created)).toMatchObject({
      task: {
        title: 'keep me too',
        recurrence: { rrule: 'FREQ=YEARLY;RSCALE=GREGORIAN;SKIP=BACKWARD', timezone: 'UTC' },
      },
    });
    // Published events are history: consumers have them as they were.
    expect(payload(events.published)).toMatchObject({ recurrence: { rrule: 'FREQ=MONTHLY' } });
    expect(payload(events.notRecurring)).toEqual({ recurrence: null });
  });

  it('leaves no helper function behind', async () => {
    const functions = await sql`
      SELECT proname FROM pg_proc WHERE proname = 'todo_rfc5545_rrule'`;
    expect(functions).toHaveLength(0);
  });
});
