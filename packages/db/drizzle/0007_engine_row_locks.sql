-- The engine locks the completed task (SELECT ... FOR UPDATE) so a concurrent edit or delete
-- waits for its decision, and PostgreSQL allows row locks only with UPDATE privilege on at least
-- one column. Migration 0004 gave it SELECT and INSERT alone, so under its deployed role every
-- completion failed with "permission denied for table tasks". updated_at is the column it may
-- update: the harmless one (the engine never writes it to an existing task).
GRANT UPDATE (updated_at) ON tasks TO todo_recurrence_engine;
