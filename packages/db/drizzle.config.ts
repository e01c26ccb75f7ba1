import { defineConfig } from 'drizzle-kit';

// `drizzle-kit generate` diffs src/schema.ts against the committed snapshots; no database needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
