export * from './schema.js';
export * from './client.js';
export { timestamptz, parseTimestamptz } from './timestamptz.js';
export { runMigrations, MIGRATIONS_FOLDER } from './migrate.js';
export { appendToOutbox, OUTBOX_NOTIFY_CHANNEL, type OutboxEntry } from './outbox-writer.js';
export { seriesIdOf, recurrenceOf, toSnapshot, toCompletedData } from './task-snapshot.js';
export { insertGivenColumns } from './insert-given-columns.js';
