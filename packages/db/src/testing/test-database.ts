import { randomBytes } from 'node:crypto';
import { createDatabase, withDatabase, type DatabaseConnection } from '../client.js';
import { quoteIdentifier, withAdminClient } from '../create-database.js';

export const ADMIN_URL_ENV = 'TODO_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'TODO_TEST_TEMPLATE_DB';

export interface TestDatabase extends DatabaseConnection {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the tests through jest with the @todo/db/testing global setup`,
    );
  }
  return value;
}

/**
 * A fresh, migrated database for one test file, cloned from the template the global setup
 * migrated. Cloning takes milliseconds, so every file gets full isolation.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requireEnv(ADMIN_URL_ENV);
  const template = requireEnv(TEMPLATE_ENV);
  const name = `todo_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (admin) =>
    admin.unsafe(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
  );
  const url = withDatabase(adminUrl, name);
  const connection = createDatabase(url, { max: 5, applicationName: 'todo-test' });
  return {
    ...connection,
    url,
    name,
    drop: async () => {
      await connection.close();
      await withAdminClient(adminUrl, (admin) =>
        admin.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}

/**
 * The URL of a new LOGIN user in a service's group role (`todo_task_api`,
 * `todo_recurrence_engine`: migration 0004) on `database`, to connect as that service is deployed.
 */
export async function loginAsRole(
  database: Pick<TestDatabase, 'client' | 'url'>,
  groupRole: string,
): Promise<string> {
  const user = `${groupRole}_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await database.client.unsafe(
    `CREATE ROLE ${quoteIdentifier(user)} LOGIN PASSWORD '${password}' IN ROLE ${quoteIdentifier(groupRole)}`,
  );
  const login = new URL(database.url);
  login.username = user;
  login.password = password;
  return login.toString();
}
