import { describe, expect, it } from '@jest/globals';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { PgDialect, QueryBuilder } from 'drizzle-orm/pg-core';
import { fillStatement, statementTemplate, tasks } from '../src/index.js';

const dialect = new PgDialect();
const qb = new QueryBuilder();
const ph = (name: string) => sql.placeholder(name);

describe('statementTemplate and fillStatement', () => {
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
    const filled = dialect.sqlToQuery(
      fillStatement(
        template,
        { user: 'u-1', s0: 'pending', s1: 'done', before, limit: 51 },
        { user: tasks.userId, before: tasks.dueAt },
      ),
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
    expect(filled).toEqual(direct);
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
    const { sql: text, params } = dialect.sqlToQuery(fillStatement(template, { p: '%a%' }));
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
    expect(() => fillStatement(template, { a: 1 })).toThrow(/no value for placeholder b/);
  });

  it('refuses SQL text with a $n of its own, which would misplace the parameters', () => {
    expect(() => statementTemplate(sql`select '$1', ${ph('a')}`)).toThrow(/out of order/);
  });
});
