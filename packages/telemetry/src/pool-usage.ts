import { Gauge, type Registry } from 'prom-client';

/** What pool usage needs of a postgres.js client: its queries and its transactions. */
interface SqlClient {
  unsafe(...args: never[]): PromiseLike<unknown>;
  begin(...args: never[]): PromiseLike<unknown>;
}

/**
 * Database pool use, from what the service asks of its postgres.js client (which exposes no pool
 * statistics): each transaction (`begin`) holds a connection until it ends, and each query
 * outside one holds a connection while it runs. Their sum is the demand on the pool; up to the
 * pool size it is connections in use, beyond it operations waiting for a connection of their own
 * (postgres.js queues or pipelines them). Gauges, named by OpenTelemetry's `db.client.connection.*`:
 *
 * - `db_client_connection_max`: the pool size (DATABASE_POOL_MAX);
 * - `db_client_connection_count{db_client_connection_state="used"}`: connections in use;
 * - `db_client_connection_pending_requests`: operations beyond the pool size.
 *
 * It counts what goes through the returned client (everything drizzle runs); queries sent on the
 * raw client (readiness `SELECT 1`, the live stream's and the relay's LISTEN) are not counted.
 */
export function observePoolUsage<T extends SqlClient>(
  client: T,
  registry: Registry,
  options: { max: number },
): T {
  let demand = 0;
  new Gauge({
    name: 'db_client_connection_max',
    help: 'The pool size: connections the service may open to PostgreSQL.',
    registers: [registry],
  }).set(options.max);
  new Gauge({
    name: 'db_client_connection_count',
    help: 'Pool connections in use by a transaction or a query.',
    labelNames: ['db_client_connection_state'] as const,
    registers: [registry],
    collect() {
      this.set({ db_client_connection_state: 'used' }, Math.min(demand, options.max));
    },
  });
  new Gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Transactions and queries beyond the pool size, waiting for a connection of their own.',
    registers: [registry],
    collect() {
      this.set(Math.max(0, demand - options.max));
    },
  });

  const counted = (work: PromiseLike<unknown>) => {
    demand += 1;
    const done = () => {
      demand -= 1;
    };
    // A postgres.js query starts when first awaited and reads its mode (`.values()`, which
    // drizzle sets right after creating it) a tick later; waiting one microtask before
    // subscribing leaves both as drizzle makes them.
    queueMicrotask(() => {
      work.then(done, done);
    });
    return work;
  };

  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property === 'unsafe' || property === 'begin') && typeof value === 'function') {
        return (...args: never[]) =>
          counted((value as (...a: never[]) => PromiseLike<unknown>).apply(target, args));
      }
      return value;
    },
  });
}
