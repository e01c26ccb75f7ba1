import type postgres from 'postgres';

/**
 * How many distinct statement texts are prepared. postgres.js keeps a prepared statement per
 * connection for as long as the connection lives, and so does the PostgreSQL backend; our queries
 * render a few hundred texts at most, so a bound far above that only matters against input that
 * multiplies texts (a bug, or a caller probing every filter combination): past it, new texts run
 * unprepared, as drizzle would run them, and memory stays bounded.
 */
export const MAX_PREPARED_TEXTS = 1000;

/**
 * drizzle's postgres.js driver runs every query through `unsafe(text, params, { prepare: false })`
 * (drizzle-orm#6096, fix proposed in #6098). For a parameterised query postgres.js then describes
 * the statement first and binds it in a second round trip, on every call. Preparing instead lets
 * postgres.js cache the statement per connection, so after the first call a query costs one round
 * trip and no parse or plan on the server. drizzle renders the same text for the same query shape,
 * with values as `$n` parameters.
 *
 * Transactions and savepoints hand their own scoped `sql` to the callback; those are wrapped too.
 */
export function preparingStatements<T extends postgres.Sql>(
  sql: T,
  maxTexts = MAX_PREPARED_TEXTS,
): T {
  const prepared = new Set<string>();
  const shouldPrepare = (text: string) => {
    if (prepared.has(text)) return true;
    if (prepared.size >= maxTexts) return false;
    prepared.add(text);
    return true;
  };
  return wrap(sql);

  function wrap<S extends postgres.Sql>(sql: S): S {
    return new Proxy(sql, {
      get(target, property, receiver) {
        switch (property) {
          case 'unsafe':
            return (text: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
              target.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
                ...options,
                prepare: shouldPrepare(text),
              });
          case 'begin':
          case 'savepoint':
            return (...args: unknown[]) => {
              const callback = args.pop() as (scoped: postgres.Sql) => unknown;
              const scope = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
              return scope.call(target, ...args, (scoped: postgres.Sql) => callback(wrap(scoped)));
            };
          default:
            return Reflect.get(target, property, receiver);
        }
      },
    });
  }
}
