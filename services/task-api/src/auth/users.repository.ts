import { and, eq, sql } from 'drizzle-orm';
import { users, type Executor } from '@todo/db';

export interface User {
  id: string;
  email: string;
  name: string | null;
  timezone: string;
  createdAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  timezone: users.timezone,
  createdAt: users.createdAt,
};

export function createUsersRepository(db: Executor) {
  return {
    /** Returns undefined when the email is taken. */
    async insert(input: {
      email: string;
      passwordHash: string;
      name: string | null;
      timezone: string;
    }): Promise<User | undefined> {
      const rows = await db
        .insert(users)
        .values(input)
        .onConflictDoNothing()
        .returning(publicColumns);
      return rows[0];
    },
    async findByEmail(email: string): Promise<UserWithHash | undefined> {
      const rows = await db
        .select({ ...publicColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.email, email))
        .limit(1);
      return rows[0];
    },
    async exists(id: string): Promise<boolean> {
      const rows = await db.select({ id: users.id }).from(users).where(eq(users.id, id)).limit(1);
      return rows.length > 0;
    },
    async findById(id: string): Promise<User | undefined> {
      const rows = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
      return rows[0];
    },
    async findHashById(id: string): Promise<string | undefined> {
      const rows = await db
        .select({ passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, id))
        .limit(1);
      return rows[0]?.passwordHash;
    },
    /** Undefined when the user no longer exists. */
    async updateProfile(
      id: string,
      changes: { name?: string | null; timezone?: string },
    ): Promise<User | undefined> {
      const rows = await db
        .update(users)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning(publicColumns);
      return rows[0];
    },
    /** Sets `next` only while the stored hash is still `current`; whether it did. */
    async replacePasswordHash(id: string, current: string, next: string): Promise<boolean> {
      const rows = await db
        .update(users)
        .set({ passwordHash: next, updatedAt: sql`now()` })
        .where(and(eq(users.id, id), eq(users.passwordHash, current)))
        .returning({ id: users.id });
      return rows.length > 0;
    },
    async updatePasswordHash(tx: Executor, id: string, passwordHash: string): Promise<void> {
      await tx
        .update(users)
        .set({ passwordHash, updatedAt: sql`now()` })
        .where(eq(users.id, id));
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
