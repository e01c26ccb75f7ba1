import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../src/index.js';
import { binariesFor, sharedBase } from '../src/binaries.js';
import { exists, processTree, type ProcessId } from '../src/process-tree.js';
import { postgresUser, userCan } from '../src/run-as.js';

const asRoot = process.geteuid?.() === 0;

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await sql.unsafe(text);
  } finally {
    await sql.end();
  }
}

/** Every process of the server, taken while it runs (the postmaster and its helpers). */
function serverProcesses(server: RunningPostgres): ProcessId[] {
  const tree = processTree(server.pid);
  expect(tree.length).toBeGreaterThan(1);
  return tree;
}

describe('startEmbeddedPostgres', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'todo-embedded-pg-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a server that answers on its port, then stops it and every process it started', async () => {
    const dataDir = join(dir, 'throwaway');
    const server = await startEmbeddedPostgres({ dataDir, persistent: false, fast: true });
    const processes = serverProcesses(server);
    const [row] = await query(
      server.url,
      "SELECT inet_server_port() AS port, pg_backend_pid() > 0 AS ok, current_setting('fsync') AS fsync",
    );
    expect(row).toEqual({ port: server.port, ok: true, fsync: 'off' });

    await server.stop();
    expect(processes.filter(exists)).toEqual([]);
    expect(existsSync(server.dataDir)).toBe(false);
    expect(existsSync(`${dataDir}.password`)).toBe(false);
  }, 60_000);

  it('keeps a persistent cluster, its password and its data across a restart on the same port', async () => {
    const dataDir = join(dir, 'kept');
    let server = await startEmbeddedPostgres({ dataDir, persistent: true });
    const { port, url } = server;
    await query(url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    try {
      expect(server.url).toBe(url);
      expect(await query(url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    } finally {
      await server.stop();
    }
    expect(existsSync(join(server.dataDir, 'PG_VERSION'))).toBe(true);
  }, 60_000);

  it('refuses a port something else listens on instead of taking its answers for ours', async () => {
    const port = await freePort();
    const squatter: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      await expect(
        startEmbeddedPostgres({ dataDir: join(dir, 'squatted'), persistent: false, port }),
      ).rejects.toThrow(/exited while starting/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 60_000);

  // PostgreSQL refuses to run as root, so as root it runs as the `postgres` user, which cannot
  // enter a folder like /root (mode 700): neither the data directory nor the binaries of a
  // checkout there. Only root can show that this works (and only root needs it).
  (asRoot ? it : it.skip)(
    'as root, runs from a data directory under a folder the postgres user cannot enter',
    async () => {
      const closed = join(dir, 'closed');
      await mkdir(join(closed, 'inner'), { recursive: true });
      await chmod(closed, 0o700);
      const dataDir = join(closed, 'inner', 'data');
      const postgresCanEnter = spawnSync('test', ['-x', join(closed, 'inner')], {
        uid: Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
        stdio: 'ignore',
      }).status;
      const server = await startEmbeddedPostgres({ dataDir, persistent: false, fast: true });
      try {
        expect(postgresCanEnter).not.toBe(0);
        expect(server.dataDir).not.toBe(dataDir);
        expect(await query(server.url, 'SELECT current_setting($$data_directory$$) AS d')).toEqual([
          { d: server.dataDir },
        ]);
        expect(await query(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await server.stop();
      }
      expect(existsSync(server.dataDir)).toBe(false);
    },
    60_000,
  );

  (asRoot ? it : it.skip)(
    'as root, runs binaries the postgres user cannot reach from a copy it can, made once per version',
    async () => {
      const user = postgresUser();
      const closed = join(dir, 'closed-checkout');
      const native = join(closed, 'node_modules', 'native');
      await mkdir(join(native, 'bin'), { recursive: true });
      for (const name of ['initdb', 'postgres'])
        await writeFile(join(native, 'bin', name), '#!/bin/sh\necho fake\n', { mode: 0o755 });
      await chmod(closed, 0o700);
      const version = `test-${process.pid}-${Date.now()}`;
      const copy = join(await sharedBase(), `${version}-${platform()}-${arch()}`);
      try {
        expect(userCan(user, 'x', join(native, 'bin', 'postgres'))).toBe(false);
        const binaries = await binariesFor(user, { dir: native, version });
        expect(binaries.postgres).toBe(join(copy, 'bin', 'postgres'));
        expect(userCan(user, 'x', binaries.postgres)).toBe(true);
        expect(userCan(user, 'x', binaries.initdb)).toBe(true);
        // Reused, not copied again: a file added to the copy is still there.
        await writeFile(join(copy, 'marker'), '');
        await binariesFor(user, { dir: native, version });
        expect(existsSync(join(copy, 'marker'))).toBe(true);
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    },
  );
});
