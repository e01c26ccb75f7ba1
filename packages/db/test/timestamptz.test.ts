import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, getTableColumns, is } from 'drizzle-orm';
import { PgTable, PgTimestamp } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import * as schema from '../src/schema.js';
import {
  createDatabase,
  insertGivenColumns,
  parseTimestamptz,
  tasks,
  type DatabaseConnection,
} from '../src/index.js';
import { type TestDatabase } from '../src/testing/index.js';
import { createDatabaseWithUser } from './support/database-with-user.js';

// Instants at the edges of what a task can hold, and around them: years with fewer than four
// significant digits are the ones V8's legacy date parser rewrote (0001 → 2001).
const INSTANTS = [
  '0001-01-01T00:00:00.000Z',
  '0001-03-01T12:00:00.000Z',
  '0099-12-31T23:59:59.999Z',
  '0100-01-01T00:00:00.000Z',
  '1899-12-31T23:59:59.000Z',
  '1900-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00.000Z',
  '2026-03-29T01:30:00.000Z',
  '9999-12-31T23:59:59.999Z',
];

const TASK_TIMESTAMP_COLUMNS = [
  'due_at',
  'completed_at',
  'recurrence_dtstart',
  'created_at',
  'updated_at',
] as const;

describe('timestamptz columns', () => {
  let t: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    ({ t, userId } = await createDatabaseWithUser('dates@example.com'));
  });
  afterAll(async () => {
    await t.drop();
  });

  /** Writes `text` into every timestamptz column of a new task with raw SQL; returns its id. */
  async function insertRaw(text: string): Promise<string> {
    const [row] = await t.client<{ id: string }[]>`
      INSERT INTO tasks (user_id, title, status, due_at, completed_at, recurrence_dtstart,
                         created_at, updated_at)
      VALUES (${userId}, 'dates', 'done', ${text}::timestamptz, ${text}::timestamptz,
              ${text}::timestamptz, ${text}::timestamptz, ${text}::timestamptz)
      RETURNING id`;
    return row!.id;
  }

  it('uses the exact reader for every timestamptz column of every table', () => {
    const columns = (Object.values(schema) as unknown[])
      .filter((value) => is(value, PgTable))
      .flatMap((table) => Object.values(getTableColumns(table as PgTable)));
    const timestamps = columns.filter((c) => c.getSQLType().startsWith('timestamp'));
    expect(timestamps.length).toBeGreaterThanOrEqual(11);
    expect(timestamps.filter((c) => is(c, PgTimestamp)).map((c) => c.name)).toEqual([]);
    expect(
      timestamps.every(
        (c) => (c.mapFromDriverValue('0001-01-01 00:00:00+00') as Date).getUTCFullYear() === 1,
      ),
    ).toBe(true);
  });

  it.each(INSTANTS)('reads %s, written by raw SQL, back through drizzle exactly', async (iso) => {
    const id = await insertRaw(iso);
    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, id));
    for (const date of [
      row!.dueAt,
      row!.completedAt,
      row!.recurrenceDtstart,
      row!.createdAt,
      row!.updatedAt,
    ]) {
      expect(date!.toISOString()).toBe(iso);
    }
  });

  it('writes early years exactly too (PostgreSQL reads ISO 8601 as given)', async () => {
    const [row] = await t.db
      .insert(tasks)
      .values({ userId, title: 'year one', dueAt: new Date('0001-01-01T00:00:00Z') })
      .returning();
    expect(row!.dueAt!.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    const [text] = await t.client<{ due_at: string }[]>`
      SELECT due_at::text AS due_at FROM tasks WHERE id = ${row!.id}`;
    expect(text!.due_at).toBe('0001-01-01 00:00:00+00');
  });

  it('maps rows returned by insertGivenColumns with the same reader', async () => {
    const row = await insertGivenColumns(t.db, tasks, {
      userId,
      title: 'given columns',
      dueAt: new Date('0099-07-04T00:00:00Z'),
    });
    expect(row.dueAt!.toISOString()).toBe('0099-07-04T00:00:00.000Z');
  });

  it('reads 1 BC (year 0), which PostgreSQL prints with a BC suffix', async () => {
    const id = await insertRaw('0001-12-31 00:00:00+00 BC');
    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, id));
    expect(row!.dueAt!.getUTCFullYear()).toBe(0);
    expect(row!.dueAt!.toISOString()).toBe('0000-12-31T00:00:00.000Z');
  });

  describe('in a session whose time zone is not UTC', () => {
    // PostgreSQL prints instants in the session's zone, with local mean time offsets that have
    // seconds for dates before a zone adopted standard time (Paris: +00:09:21 until 1911).
    let zoned: DatabaseConnection;
    beforeAll(async () => {
      const admin = postgres(t.url, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`ALTER DATABASE "${t.name}" SET timezone = 'Europe/Paris'`);
      } finally {
        await admin.end();
      }
      zoned = createDatabase(t.url, { max: 1 });
    });
    afterAll(async () => {
      await zoned.close();
    });

    it.each(INSTANTS)('reads %s exactly', async (iso) => {
      const id = await insertRaw(iso);
      const [printed] = await zoned.client<{ text: string }[]>`
        SELECT due_at::text AS text FROM tasks WHERE id = ${id}`;
      expect(printed!.text).not.toMatch(/\+00$/);
      const [row] = await zoned.db.select().from(tasks).where(eq(tasks.id, id));
      for (const column of TASK_TIMESTAMP_COLUMNS) {
        const key = (
          {
            due_at: 'dueAt',
            completed_at: 'completedAt',
            recurrence_dtstart: 'recurrenceDtstart',
            created_at: 'createdAt',
            updated_at: 'updatedAt',
          } as const
        )[column];
        expect(row![key]!.toISOString()).toBe(iso);
      }
    });
  });
});

describe('parseTimestamptz', () => {
  it.each([
    ['0001-01-01 00:00:00+00', '0001-01-01T00:00:00.000Z'],
    ['0099-06-15 12:34:56.789+00', '0099-06-15T12:34:56.789Z'],
    ['1900-01-01 00:09:21+00:09:21', '1900-01-01T00:00:00.000Z'],
    ['1900-01-01 05:53:28+05:53:28', '1900-01-01T00:00:00.000Z'],
    ['2026-03-02 10:00:00.123999+01', '2026-03-02T09:00:00.123Z'],
    ['2026-03-02 06:30:00-03:30', '2026-03-02T10:00:00.000Z'],
    ['0001-01-01T00:00:00+00:00', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59.999999+00', '9999-12-31T23:59:59.999Z'],
    ['0002-12-31 00:00:00+00 BC', '-000001-12-31T00:00:00.000Z'],
    ['10000-01-01 00:00:00+00', '+010000-01-01T00:00:00.000Z'],
    // Around the UTC fast path: its first year, the one before it, every fraction length.
    ['1000-01-01 00:00:00+00', '1000-01-01T00:00:00.000Z'],
    ['0999-12-31 23:59:59.9+00', '0999-12-31T23:59:59.900Z'],
    ['2026-03-02 10:00:00.5+00', '2026-03-02T10:00:00.500Z'],
    ['2026-03-02 10:00:00.05+00', '2026-03-02T10:00:00.050Z'],
    ['2026-03-02 10:00:00.123+00', '2026-03-02T10:00:00.123Z'],
    ['2026-03-02 10:00:00.0001+00', '2026-03-02T10:00:00.000Z'],
    ['2026-03-02 10:00:00.98765+00', '2026-03-02T10:00:00.987Z'],
    ['2026-03-02 10:00:00+00:30', '2026-03-02T09:30:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseTimestamptz(text).toISOString()).toBe(iso);
  });

  it('reads what a UTC session prints for any instant from year 1000 to 9999, at every precision', () => {
    // PostgreSQL prints microseconds without trailing zeros, and no fraction at all for whole
    // seconds. A fixed-seed generator: the same 20,000 instants on every run.
    let seed = 20261129;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const from = Date.UTC(1000, 0, 1);
    const to = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    for (let i = 0; i < 20_000; i += 1) {
      const ms = Math.floor(from + next() * (to - from));
      const micros = Math.floor(next() * 1000) * (i % 4 === 0 ? 0 : 1);
      const iso = new Date(ms).toISOString();
      const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
      if (parseTimestamptz(text).toISOString() !== iso) {
        throw new Error(`${text} read as ${parseTimestamptz(text).toISOString()}, not ${iso}`);
      }
    }
  });

  it('gives an invalid Date for infinity and for instants beyond JavaScript’s range', () => {
    expect(parseTimestamptz('infinity').getTime()).toBeNaN();
    expect(parseTimestamptz('-infinity').getTime()).toBeNaN();
    expect(parseTimestamptz('294276-12-31 23:59:59+00').getTime()).toBeNaN();
  });

  it('refuses text that is not an ISO timestamptz rather than guessing', () => {
    expect(() => parseTimestamptz('Mon Mar 02 10:00:00 2026 CET')).toThrow(/ISO timestamptz/);
    expect(() => parseTimestamptz('2026-03-02')).toThrow(/ISO timestamptz/);
    // Shapes the UTC fast path declines and the general reader refuses.
    expect(() => parseTimestamptz('2026-03-02 10:00:00.+00')).toThrow(/ISO timestamptz/);
    expect(() => parseTimestamptz('2026-03-02 10:00:0x+00')).toThrow(/ISO timestamptz/);
    expect(() => parseTimestamptz('2026-03-02 10:00:00.1234567+00')).toThrow(/ISO timestamptz/);
  });
});
