import { is, Param, Placeholder, SQL, StringChunk, type SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/** How a value is sent to the driver: a column's `mapToDriverValue`, or as it is. */
export interface ParamEncoder {
  mapToDriverValue(value: unknown): unknown;
}

/**
 * A statement rendered once and filled per call: its SQL text split around its parameters, each
 * parameter named by the drizzle placeholder it was built with. Building a drizzle query and
 * rendering it costs tens of microseconds per statement (a list page's two statements were 8% of
 * task-api's CPU per page, packages/bench README "List"); a template of the same statement is
 * filled by joining a few strings.
 */
export interface StatementTemplate {
  /** The SQL text between parameters: one more piece than parameters. */
  readonly pieces: readonly string[];
  /** The placeholder name of each parameter, in order (one name may come several times). */
  readonly names: readonly string[];
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
  // drizzle writes its parameters as $1..$n in order; a `$` anywhere else would misplace them.
  const parts = text.split(/\$(\d+)/);
  const pieces: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    pieces.push(parts[i]!);
    const number = parts[i + 1];
    if (number !== undefined && Number(number) !== pieces.length) {
      throw new Error(`statementTemplate: parameters out of order in ${text}`);
    }
  }
  if (pieces.length !== names.length + 1) {
    throw new Error(`statementTemplate: ${names.length} parameters but ${text}`);
  }
  return { pieces, names };
}

/**
 * The template as a statement with these values: each placeholder's value, through its encoder
 * when it has one (as drizzle binds a value compared with a column). A placeholder without a
 * value is an error, never a NULL.
 */
export function fillStatement(
  template: StatementTemplate,
  values: Readonly<Record<string, unknown>>,
  encoders: Readonly<Record<string, ParamEncoder>> = {},
): SQL {
  const chunks: Array<StringChunk | Param> = [new StringChunk(template.pieces[0]!)];
  template.names.forEach((name, index) => {
    if (!(name in values)) throw new Error(`fillStatement: no value for placeholder ${name}`);
    chunks.push(
      new Param(values[name], encoders[name]),
      new StringChunk(template.pieces[index + 1]!),
    );
  });
  return new SQL(chunks);
}
