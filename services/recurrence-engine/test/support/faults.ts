import { randomBytes } from 'node:crypto';
import { createDatabase, type DatabaseConnection } from '@todo/db';
import { loginAsRole, type TestDatabase } from '@todo/db/testing';

/**
 * A real fault for the engine to meet: a trigger that makes PostgreSQL refuse to insert the next
 * occurrence of tasks titled `title`, as a bug or a broken constraint would. `remove()` is the fix.
 */
export async function refuseChildrenOf(
  database: TestDatabase,
  title: string,
): Promise<{ message: string; remove: () => Promise<void> }> {
  const name = `refuse_${randomBytes(4).toString('hex')}`;
  const message = `injected fault: no next occurrence for ${title}`;
  await database.client.unsafe(`
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.parent_task_id IS NOT NULL AND NEW.title = '${title}' THEN
        RAISE EXCEPTION '${message}';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER ${name} BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION ${name}();`);
  return {
    message,
    remove: async () => {
      await database.client.unsafe(`DROP TRIGGER ${name} ON tasks; DROP FUNCTION ${name}();`);
    },
  };
}

/**
 * The engine's own connection as deployed: a LOGIN user in the todo_recurrence_engine group role
 * (migrations 0004 and 0006), so its privileges are the ones under test.
 */
export async function connectAsEngineRole(
  admin: TestDatabase,
  options: { statementTimeoutMs?: number } = {},
): Promise<DatabaseConnection> {
  return createDatabase(await loginAsRole(admin, 'todo_recurrence_engine'), {
    max: 3,
    ...options,
  });
}
