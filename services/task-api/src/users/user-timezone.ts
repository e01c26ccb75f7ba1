import { eq } from 'drizzle-orm';
import { users, type Executor } from '@todo/db';

/** The zone of an account that names none, and of rules previewed or saved without one. */
export const DEFAULT_TIMEZONE = 'UTC';

/** The account's zone: what a recurring task or a preview uses when the request names none. */
export async function userTimezone(db: Executor, userId: string): Promise<string> {
  const rows = await db
    .select({ timezone: users.timezone })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return rows[0]?.timezone ?? DEFAULT_TIMEZONE;
}
