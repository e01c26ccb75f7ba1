import { sql } from 'drizzle-orm';

/**
 * A list of values as ONE text[] parameter. drizzle's `ARRAY[${sql.join(...)}]` or `inArray`
 * bind a parameter per value and walk each through their entity checks while building the SQL,
 * which showed in the engine's profile of a bulk delivery (100 ids per statement).
 */
export const textArray = (values: string[]) => sql`${sql.param(values)}::text[]`;

/** The same as a uuid[] parameter. */
export const uuidArray = (values: string[]) => sql`${sql.param(values)}::uuid[]`;
