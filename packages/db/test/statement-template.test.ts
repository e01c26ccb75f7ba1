import { describe, expect, it } from '@jest/globals';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { PgDialect, QueryBuilder } from 'drizzle-orm/pg-core';
import { fillQuery, statementTemplate, tasks } from '../src/index.js';

const dialect = new PgDialect();
const qb = new QueryBuilder();
const ph = (name: string) => sql.placeholder(name);

describe('statementTemplate and fillQuery', () => {
  it('renders the statement drizzle would, with the values in place of the placeholders', () => {
    const statement = qb
      .select({ id: tasks.id })
      .from(tasks)
      .where(
        and(
          eq(tasks.userId, ph('user')),
          inArray(tasks.status, [ph('s0'), ph('s1')]),
          sql`${tasks.dueAt} < ${ph('before')}`,
        ),
      )
      .limit(ph('limit'));
    const template = statementTemplate(statement);
    const before = new Date('2030-01-02T03:04:05.678Z');
    const filled = fillQuery(
      template,
      { user: 'u-1', s0: 'pending', s1: 'done', before, limit: 51 },
      { user: tasks.userId, before: tasks.dueAt },
    );
    const direct = dialect.sqlToQuery(
      qb
        .select({ id: tasks.id })
        .from(tasks)
        .where(
          and(
            eq(tasks.userId, 'u-1'),
            inArray(tasks.status, ['pending', 'done']),
            sql`${tasks.dueAt} < ${sql.param(before, tasks.dueAt)}`,
          ),
        )
        .limit(51)
        .getSQL(),
    );
    // The postgres.js driver sends drizzle's text and parameters; drizzle's typings are not sent.
    expect(filled).toEqual({ sql: direct.sql, params: direct.params });
    expect(filled.params).toEqual([
      'u-1',
      'pending',
      'done',
      tasks.dueAt.mapToDriverValue(before),
      51,
    ]);
  });

  it('fills a placeholder used twice in both places', () => {
    const template = statementTemplate(
      sql`select 1 from ${tasks} where ${tasks.title} ilike ${ph('p')} or ${tasks.description} ilike ${ph('p')}`,
    );
    expect(template.names).toEqual(['p', 'p']);
    const { sql: text, params } = fillQuery(template, { p: '%a%' });
    expect(text).toContain('ilike $1 or "tasks"."description" ilike $2');
    expect(params).toEqual(['%a%', '%a%']);
  });

  it('refuses a statement with a bound value, which every later fill would reuse', () => {
    expect(() => statementTemplate(qb.select().from(tasks).where(eq(tasks.userId, 'u-1')))).toThrow(
      /parameter \$1 is a value, not a placeholder/,
    );
  });

  it('refuses to fill a placeholder without a value rather than send NULL', () => {
    const template = statementTemplate(sql`select ${ph('a')}, ${ph('b')}`);
    expect(() => fillQuery(template, { a: 1 })).toThrow(/no value for placeholder b/);
  });

  it('sends NULL as it is, without its encoder, as drizzle does', () => {
    const template = statementTemplate(sql`select ${ph('a')}, ${ph('b')}`);
    const encoder = {
      mapToDriverValue: (value: unknown) => {
        if (value === null) throw new Error('NULL reached the encoder');
        return `encoded ${String(value)}`;
      },
    };
    expect(fillQuery(template, { a: null, b: 1 }, { a: encoder, b: encoder }).params).toEqual([
      null,
      'encoded 1',
    ]);
  });

  it('refuses SQL text with a $n of its own, which would misplace the parameters', () => {
    expect(() => statementTemplate(sql`select '$1', ${ph('a')}`)).toThrow(/out of order/);
  });
});
