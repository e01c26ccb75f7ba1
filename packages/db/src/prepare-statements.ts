import type postgres from 'postgres';

/**
 * drizzle's postgres.js driver runs every query through `unsafe(text, params, { prepare: false })`
 * (drizzle-orm#6096, fix proposed in #6098). For a parameterised query postgres.js then describes
 * the statement first and binds it in a second round trip, on every call. Forcing `prepare: true`
 * lets postgres.js cache the statement per connection, so after the first call a query costs one
 * round trip and no parse or plan on the server. The set of statements is bounded: drizzle
 * renders the same text for the same query shape, with values as `$n` parameters.
 *
 * Transactions and savepoints hand their own scoped `sql` to the callback; those are wrapped too.
 */
export function preparingStatements<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      switch (property) {
        case 'unsafe':
          return (text: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
            target.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
              ...options,
              prepare: true,
            });
        case 'begin':
        case 'savepoint':
          return (...args: unknown[]) => {
            const callback = args.pop() as (scoped: postgres.Sql) => unknown;
            const scope = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
            return scope.call(target, ...args, (scoped: postgres.Sql) =>
              callback(preparingStatements(scoped)),
            );
          };
        default:
          return Reflect.get(target, property, receiver);
      }
    },
  });
}
