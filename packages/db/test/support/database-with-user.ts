import { users } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.js';

/** A fresh test database holding one user, the start most suites here share; drop it after. */
export async function createDatabaseWithUser(
  email: string,
): Promise<{ t: TestDatabase; userId: string }> {
  const t = await createTestDatabase();
  const [user] = await t.db.insert(users).values({ email, passwordHash: 'x' }).returning();
  return { t, userId: user!.id };
}
