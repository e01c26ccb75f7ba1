#!/usr/bin/env node
/** `todo-migrate`: applies migrations to DATABASE_URL; run as a Kubernetes Job before services. */
import { runMigrations } from '../migrate.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: it must point at the PostgreSQL database to migrate.');
  process.exit(2);
}
const started = Date.now();
try {
  await runMigrations(url);
  console.log(`migrations applied in ${Date.now() - started} ms`);
} catch (error) {
  console.error('migration failed:', error);
  process.exit(1);
}
