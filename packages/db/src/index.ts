export * from './schema.js';
export * from './client.js';
export { runMigrations, MIGRATIONS_FOLDER } from './migrate.js';
