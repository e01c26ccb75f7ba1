import { is, Placeholder, type SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/** How a value is sent to the driver: a column's `mapToDriverValue`, or as it is. */
export interface ParamEncoder {
  mapToDriverValue(value: unknown): unknown;
}

/**
 * A statement rendered once and filled per call: its SQL text, and each parameter named by the
 * drizzle placeholder it was built with. Building a drizzle query and rendering it costs tens of
 * microseconds per statement (a list page's two statements were 8% of task-api's CPU per page,
 * packages/bench README "List"); a template of the same statement only needs its values.
 */
export interface StatementTemplate {
  /** The statement's SQL text, parameters written `$1`…`$n` as drizzle renders them. */
  readonly text: string;
  /** The placeholder name of each parameter, in order (one name may come several times). */
  readonly names: readonly string[];
}

declare const filled: unique symbol;

/**
 * A statement ready for the driver: its text and its parameters' values, as drizzle sends them.
 * Only fillQuery makes one (the brand), so queryRows and queryValues run statements built from
 * drizzle's placeholders, never text put together elsewhere.
 */
export interface RenderedQuery {
  readonly sql: string;
  readonly params: unknown[];
  readonly [filled]: true;
}

const dialect = new PgDialect();

/**
 * Renders `statement` into a template. Every parameter must be a `sql.placeholder`: a value
 * bound in the statement itself would be baked into a template that other calls reuse, another
 * user's id in someone's query, so it is refused rather than kept.
 */
export function statementTemplate(statement: SQLWrapper): StatementTemplate {
  const { sql: text, params } = dialect.sqlToQuery(statement.getSQL());
  const names = params.map((param, index) => {
    if (!is(param, Placeholder)) {
      throw new Error(
        `statementTemplate: parameter $${index + 1} is a value, not a placeholder: ${text}`,
      );
    }
    return param.name;
  });
  // drizzle writes its parameters as $1..$n in order, and the driver binds them by number: a `$n`
  // anywhere else in the text (in a literal, say) would take another parameter's value.
  const numbers = Array.from(text.matchAll(/\$(\d+)/g), (match) => Number(match[1]));
  if (numbers.some((number, index) => number !== index + 1)) {
    throw new Error(`statementTemplate: parameters out of order in ${text}`);
  }
  if (numbers.length !== names.length) {
    throw new Error(`statementTemplate: ${names.length} parameters but ${text}`);
  }
  return { text, names };
}

/**
 * The template's statement with these values, as drizzle would send it: each placeholder's value
 * through its encoder when it has one (as drizzle binds a value compared with a column; NULL is
 * sent as it is). A placeholder without a value is an error, never a NULL.
 */
export function fillQuery(
  template: StatementTemplate,
  values: Readonly<Record<string, unknown>>,
  encoders: Readonly<Record<string, ParamEncoder>> = {},
): RenderedQuery {
  const params = template.names.map((name) => {
    if (!(name in values)) throw new Error(`fillQuery: no value for placeholder ${name}`);
    const value = values[name];
    const encoder = encoders[name];
    return value === null || !encoder ? value : encoder.mapToDriverValue(value);
  });
  return { sql: template.text, params } as RenderedQuery;
}
