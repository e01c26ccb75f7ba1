export * from './schema.js';
export * from './client.js';
export { timestamptz, parseTimestamptz } from './timestamptz.js';
export { isoString } from './iso-string.js';
export { runMigrations, MIGRATIONS_FOLDER } from './migrate.js';
export { createMigratedDatabase, type CreateMigratedDatabaseOptions } from './create-database.js';
export {
  appendToOutbox,
  recordTaskEvents,
  OUTBOX_NOTIFY_CHANNEL,
  type OutboxEntry,
  type EventOrigin,
} from './outbox-writer.js';
export { seriesIdOf, recurrenceOf, toSnapshot, toCompletedData } from './task-snapshot.js';
export { insertGivenColumns } from './insert-given-columns.js';
export { rowReader, valuesReader, type ValuesResult } from './row-reader.js';
export { queryRows, queryValues, QueryError } from './run-query.js';
export {
  statementTemplate,
  fillQuery,
  type RenderedQuery,
  type StatementTemplate,
  type ParamEncoder,
} from './statement-template.js';
export {
  appendTaskChanges,
  taskChangePayloadOf,
  TASK_CHANGES_CHANNEL,
  TASK_CHANGES_LOCK_NAMESPACE,
  type TaskChangeEntry,
  type TaskChangePayload,
  type TaskChangeTaskPayload,
} from './task-changes.js';
export {
  pruneBatchUnderLock,
  pruningLockKey,
  startPeriodicPruner,
  PRUNING_LOCK_NAMESPACE,
  type PeriodicPruner,
  type PeriodicPrunerConfig,
} from './pruning.js';
