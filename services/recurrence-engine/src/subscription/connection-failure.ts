import { rootCause } from './deliver-event.js';

/** SQLSTATE classes of a database that cannot answer now: connection, resources, shutdown. */
const UNAVAILABLE = ['08', '53', '57P'];

/**
 * Whether `error` says the database could not be reached or could not answer now, whatever the
 * events: a client-side connection error (postgres.js: `ECONNREFUSED`, `CONNECTION_CLOSED`, …) or
 * a server error of an "unavailable" class. Any other error (a constraint, a data exception, a
 * trigger, a statement timeout behind one row's lock, a bug) may be one event's doing.
 */
export function isConnectionFailure(error: unknown): boolean {
  const deepest = rootCause(error) as { code?: unknown; severity?: unknown } | undefined;
  if (!deepest || typeof deepest !== 'object' || typeof deepest.code !== 'string') return false;
  // A server error carries its SQLSTATE in `code` and a `severity`; a client one only a code.
  if (typeof deepest.severity !== 'string') return true;
  const code = deepest.code;
  return UNAVAILABLE.some((cls) => code.startsWith(cls));
}
