import { AppError } from '@todo/service-runtime';

/** tasks.user_id → users.id (packages/db, migration 0001). */
const TASK_OWNER_FOREIGN_KEY = 'tasks_user_id_users_id_fk';

/** drizzle wraps the driver's error; PostgreSQL's fields are on the cause. */
function postgresErrorOf(
  error: unknown,
): { code?: unknown; constraint_name?: unknown } | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    if ('code' in e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
    e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

/**
 * A task written for a user deleted after their token was checked (requireAuth remembers that a
 * user exists for a few seconds) fails the owner foreign key: that is the same 401 a request
 * arriving a moment later gets, not a fault.
 */
export function ownerGoneToAppError(error: unknown): unknown {
  const pg = postgresErrorOf(error);
  return pg?.code === '23503' && pg.constraint_name === TASK_OWNER_FOREIGN_KEY
    ? new AppError('unauthenticated', 'account no longer exists')
    : error;
}
