/**
 * Joins reads of one key asked for in the same turn of the event loop. One change wakes every
 * stream of its user at once (the change feed calls them in a loop), and each asks for the rows
 * after the same position: one query answers them all, where a user with 40 tabs open cost 40
 * identical queries, and 40 renderings of each row, per change.
 *
 * A read is shared only within the turn that started it, before its query is sent: a caller
 * woken by a change asked after that change's commit, so the query it joins, sent later, still
 * sees the change. A caller in a later turn starts a read of its own.
 */
export function sameTurnReads<A extends unknown[], T>(
  read: (...args: A) => PromiseLike<T>,
  keyOf: (...args: A) => string,
): (...args: A) => Promise<T> {
  const pending = new Map<string, Promise<T>>();
  return (...args) => {
    const key = keyOf(...args);
    const joined = pending.get(key);
    if (joined) return joined;
    // Resolved once into a promise: a drizzle query is a thenable that runs again per `then`.
    const started = Promise.resolve(read(...args));
    pending.set(key, started);
    queueMicrotask(() => pending.delete(key));
    return started;
  };
}
