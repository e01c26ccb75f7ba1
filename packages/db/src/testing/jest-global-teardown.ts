import { rm } from 'node:fs/promises';
import postgres from 'postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__todoTestPostgres;
  if (!state) return;
  if (state.server) {
    await state.server.stop();
    // stop() removes the data directory and its password file, not the mkdtemp parent they
    // were put in: without this every run left an empty todo-test-pg-* directory in /tmp.
    if (state.tempDir) await rm(state.tempDir, { recursive: true, force: true });
    return;
  }
  const admin = postgres(state.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${state.template}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
