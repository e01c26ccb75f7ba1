/**
 * The bare baseline: Express 5 and postgres.js answering the same list query as
 * GET /api/tasks?limit=50, with no auth, validation, logging or response mapping. The ratio of
 * task-api's numbers to these is our overhead.
 */
import express from 'express';
import postgres from 'postgres';
import { taskColumns } from '@todo/db';

const sql = postgres(process.env.DATABASE_URL!, { max: 10 });
// The columns task-api reads, not the search-only folded copies (packages/db schema.ts), which
// would add their bytes to every baseline row. Read from the schema once, at start-up.
const columns = sql.unsafe(
  Object.values(taskColumns)
    .map((column) => `"${column.name}"`)
    .join(', '),
);
const app = express();
app.get('/tasks', async (req, res) => {
  const rows = await sql`
    SELECT ${columns} FROM tasks WHERE user_id = ${String(req.query.user)}
    ORDER BY created_at DESC NULLS LAST, id DESC LIMIT 50`;
  const [counted] = await sql<
    { total: number }[]
  >`SELECT count(*)::int AS total FROM tasks WHERE user_id = ${String(req.query.user)}`;
  res.json({ items: rows, total: counted?.total ?? 0 });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
