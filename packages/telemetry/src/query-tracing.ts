import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { withoutQueryParams } from './query-error-text.js';
import { tracer } from './trace-context.js';

/** What query tracing needs of a postgres.js client: its queries and its transactions. */
interface SqlClient {
  unsafe(...args: never[]): PromiseLike<unknown>;
  begin(...args: never[]): PromiseLike<unknown>;
}

/** `SELECT`, `INSERT`, …: the statement's first keyword, the span's name. */
const operationOf = (text: string) => /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';

/**
 * Database spans for what drizzle runs (postgres.js has no instrumentation of its own): a span per
 * statement, named by its operation, with the statement's text (drizzle sends values as `$n`
 * parameters, which are never recorded), and a `transaction` span around each transaction, its
 * statements inside it. Statements sent on the raw client (LISTEN, readiness) are not traced.
 */
export function traceQueries<T extends SqlClient>(client: T): T {
  const span = (name: string, text?: string) =>
    tracer().startSpan(name, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        ...(text ? { 'db.query.text': text, 'db.operation.name': name } : {}),
      },
    });
  const ended = (work: PromiseLike<unknown>, current: ReturnType<typeof span>) => {
    const end = (error?: unknown) => {
      if (error !== undefined)
        current.setStatus({
          code: SpanStatusCode.ERROR,
          message: withoutQueryParams(String(error)),
        });
      current.end();
    };
    // As in pool-usage.ts: subscribe a microtask later, once drizzle has set the query's mode.
    queueMicrotask(() => {
      work.then(
        () => end(),
        (error: unknown) => end(error ?? 'failed'),
      );
    });
    return work;
  };

  const wrap = <S extends object>(sql: S): S =>
    new Proxy(sql, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const call = value as (...a: unknown[]) => PromiseLike<unknown>;
        if (property === 'unsafe') {
          return (text: string, ...rest: unknown[]) =>
            ended(call.apply(target, [text, ...rest]), span(operationOf(text), text));
        }
        if (property === 'begin' || property === 'savepoint') {
          return (...args: unknown[]) => {
            const callback = args.pop() as (scoped: object) => unknown;
            const current = span(property === 'begin' ? 'transaction' : 'savepoint');
            const inside = trace.setSpan(context.active(), current);
            return ended(
              call.apply(target, [
                ...args,
                (scoped: object) => context.with(inside, () => callback(wrap(scoped))),
              ]),
              current,
            );
          };
        }
        return value;
      },
    });
  return wrap(client);
}
