import postgres from 'postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__todoTestPostgres;
  if (!state) return;
  if (state.server) {
    await state.server.stop();
    return;
  }
  const admin = postgres(state.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${state.template}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
