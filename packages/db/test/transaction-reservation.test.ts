/**
 * sql.begin() must own its connection from the moment its BEGIN is queued, whatever the pool is
 * doing: postgres.js 3.4.9 skipped the reservation when the pipeline was full or the socket's
 * buffer past its high-water mark, so BEGIN ran on a connection still in the pool (an
 * UNSAFE_TRANSACTION error, or another caller's queries inside the transaction). Patched in
 * infra/pnpm-patches (porsager/postgres#823, #1189, #1210).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

/** `max_pipeline` is a postgres.js option its type declarations leave out. */
const client = (url: string, options: { max: number; max_pipeline: number }) =>
  postgres(url, { ...options, onnotice: () => {} } as postgres.Options<Record<string, never>>);

describe('a transaction reserves its connection', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('with no pipelining at all (max_pipeline: 0), where every BEGIN went out unreserved', async () => {
    const sql = client(t.url, { max: 2, max_pipeline: 0 });
    try {
      const pids = await sql.begin(async (tx) => {
        const [first] = await tx<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
        const [second] = await tx<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
        return [first!.pid, second!.pid];
      });
      expect(pids[0]).toBe(pids[1]);
    } finally {
      await sql.end();
    }
  });

  it('with every connection busy and transactions queued behind other queries', async () => {
    // The reported reproduction: a small pool held busy, then plain queries and transactions at
    // once, so BEGINs are dispatched onto pipelines that are full. Each transaction checks that
    // it alone is in its transaction: its backend is the same throughout and no other session's
    // write is visible, and no plain query ever lands inside a transaction.
    const sql = client(t.url, { max: 3, max_pipeline: 2 });
    const failures: string[] = [];
    try {
      for (let round = 0; round < 10; round += 1) {
        const held = [1, 2, 3].map(() => sql`SELECT pg_sleep(0.05)`);
        // Every transaction marks its session with SET LOCAL, which ends with it: a plain query
        // that sees the mark ran inside someone's transaction.
        const plain = Array.from({ length: 6 }, () =>
          sql<[{ mark: string }]>`SELECT current_setting('application_name') AS mark`.then(
            ([row]) => {
              if (row!.mark === 'in-transaction') {
                failures.push('a plain query ran inside a transaction');
              }
            },
          ),
        );
        const transactions = Array.from({ length: 5 }, () =>
          sql
            .begin(async (tx) => {
              await tx`SET LOCAL application_name = 'in-transaction'`;
              const [a] = await tx<[{ pid: number; xid: string }]>`
                SELECT pg_backend_pid() AS pid, txid_current()::text AS xid`;
              await tx`SELECT pg_sleep(0.01)`;
              const [b] = await tx<[{ pid: number; xid: string }]>`
                SELECT pg_backend_pid() AS pid, txid_current()::text AS xid`;
              if (a!.pid !== b!.pid || a!.xid !== b!.xid) failures.push('a transaction moved');
            })
            .catch((error: unknown) => {
              failures.push(String(error));
            }),
        );
        await Promise.all([...held, ...plain, ...transactions]);
      }
    } finally {
      await sql.end();
    }
    expect(failures).toEqual([]);
  });
});
