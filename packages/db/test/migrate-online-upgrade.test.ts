import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, runMigrations } from '../src/index.js';
import type { TestDatabase } from '../src/testing/index.js';
import {
  createEmptyDatabase,
  drizzleMigrate,
  migrationsThrough,
} from './migration-test-databases.js';

const README = new URL('../README.md', import.meta.url);

/** The sql block after `<!-- online-upgrade:<tag>:<part> -->` in the README, as operators read it. */
async function readmeBlock(tag: string, part: 'build' | 'finish'): Promise<string> {
  const text = await readFile(README, 'utf8');
  const marker = `<!-- online-upgrade:${tag}:${part} -->`;
  const match = new RegExp(`${marker}\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`README has no block ${marker}`);
  return match[1]!;
}

async function schemaAndJournal(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const applied = await sql`
      SELECT hash, created_at::text FROM drizzle.__drizzle_migrations ORDER BY created_at`;
    const indexes = await sql`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`;
    const grants = await sql`
      SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants
      WHERE table_schema = 'public' ORDER BY 1, 2, 3`;
    return { applied: [...applied], indexes: [...indexes], grants: [...grants] };
  } finally {
    await sql.end();
  }
}

describe('README: upgrading a big deployment across 0010-0012 online', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('ends where the migrations themselves end, and todo-migrate carries on', async () => {
    const [online, reference] = [await createEmptyDatabase(), await createEmptyDatabase()];
    databases.push(online, reference);
    const older = await migrationsThrough('0009_stream_and_sessions');
    try {
      await drizzleMigrate(online.url, older.folder);
    } finally {
      await older.remove();
    }
    await online.client`INSERT INTO users (email, password_hash) VALUES ('a@example.com', 'x')`;

    const sql = postgres(online.url, { max: 1, onnotice: () => {} });
    try {
      // Finishing out of order is refused by the block's guard.
      await expect(sql.unsafe(await readmeBlock('0011', 'finish'))).rejects.toThrow(
        /newest applied migration is not 0010/,
      );
      await sql.unsafe('ROLLBACK'); // what psql -v ON_ERROR_STOP=1 does by disconnecting
      for (const tag of ['0010', '0011', '0012']) {
        // As psql -f runs a file: each statement on its own, outside any transaction.
        for (const statement of (await readmeBlock(tag, 'build')).split(';\n')) {
          if (statement.trim()) await sql.unsafe(statement);
        }
        await sql.unsafe(await readmeBlock(tag, 'finish'));
      }
    } finally {
      await sql.end();
    }
    await runMigrations(online.url);
    await runMigrations(reference.url);

    expect(await schemaAndJournal(online.url)).toEqual(await schemaAndJournal(reference.url));
    expect((await schemaAndJournal(online.url)).applied).toHaveLength(
      JSON.parse(await readFile(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')).entries.length,
    );
  });
});
