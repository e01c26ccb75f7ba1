import type { Sql } from 'postgres';

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const CONCURRENT_CREATE = new RegExp(
  String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?` +
    `(${IDENTIFIER}(?:\\s*\\.\\s*${IDENTIFIER})?)\\s+ON\\s`,
  'i',
);

/** The index a `CREATE [UNIQUE] INDEX CONCURRENTLY` statement names, as written; else null. */
export function concurrentlyBuiltIndex(statement: string): string | null {
  const code = statement
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .trim();
  return CONCURRENT_CREATE.exec(code)?.[1]?.replace(/\s*\.\s*/, '.') ?? null;
}

/**
 * A concurrent build that fails (duplicate values for a unique index, a deadlock, a cancelled
 * statement, a lost connection) leaves its index behind, INVALID: never used by queries, yet
 * still updated by every write, and `IF NOT EXISTS` would keep it forever. Before the statement
 * runs again, such a leftover of the same name is dropped (concurrently, so writes go on).
 * A build of that index still running in another session is not a leftover: refuse instead.
 */
export async function dropInvalidIndexBefore(sql: Sql, statement: string): Promise<void> {
  const name = concurrentlyBuiltIndex(statement);
  if (!name) return;
  const [index] = await sql<{ oid: number; valid: boolean; building: boolean }[]>`
    SELECT i.indexrelid::int AS oid, i.indisvalid AS valid,
      EXISTS (SELECT FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
        AS building
    FROM pg_index i WHERE i.indexrelid = to_regclass(${name})`;
  if (!index || index.valid) return;
  if (index.building) {
    throw new Error(
      `index ${name} is being built by another session; wait for it to finish, then migrate`,
    );
  }
  await sql.unsafe(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
}
