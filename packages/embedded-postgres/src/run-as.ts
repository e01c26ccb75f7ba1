import { execFileSync, spawnSync } from 'node:child_process';
import { constants, lstatSync, statSync } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';

/** The unprivileged user PostgreSQL runs as when we are root (it refuses to run as root). */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

const POSTGRES_USER = 'postgres';

function lookup(name: string): RunAs | undefined {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** The `postgres` system user, created if missing (several test runs may race to create it). */
export function postgresUser(): RunAs {
  const existing = lookup(POSTGRES_USER);
  if (existing) return existing;
  spawnSync('groupadd', ['--system', POSTGRES_USER], { stdio: 'ignore' });
  const created = spawnSync(
    'useradd',
    [
      '--system',
      '--gid',
      POSTGRES_USER,
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      POSTGRES_USER,
    ],
    { encoding: 'utf8' },
  );
  const user = lookup(POSTGRES_USER);
  if (!user) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no "${POSTGRES_USER}" user to run it as; ` +
        `creating one failed: ${created.error?.message ?? created.stderr?.trim() ?? 'unknown error'}`,
    );
  }
  return user;
}

/**
 * Whether `user` can reach `path` with `access` (x: traverse or execute; w: write), asked of the
 * kernel as that user, so every parent directory, group membership and ACL counts exactly as it
 * will when PostgreSQL runs.
 */
export function userCan(user: RunAs, access: 'x' | 'w', path: string): boolean {
  const result = spawnSync('test', [`-${access}`, path], {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** The first directory from `/` down to `path` that `user` may not traverse, for error messages. */
export function firstUntraversable(user: RunAs, path: string): string | undefined {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === parse(dir).root) break;
  }
  for (const dir of chain) {
    let mode: number;
    let uid: number;
    let gid: number;
    try {
      ({ mode, uid, gid } = statSync(dir));
    } catch {
      return undefined;
    }
    const bit =
      uid === user.uid
        ? constants.S_IXUSR
        : gid === user.gid
          ? constants.S_IXGRP
          : constants.S_IXOTH;
    if (!(mode & bit)) return dir;
  }
  return undefined;
}

/**
 * A directory we create under a shared location (os.tmpdir()) and then hand to another user must
 * be ours and writable by nobody else, or another local user could have planted what PostgreSQL
 * then runs or stores its data in.
 */
export function assertPrivateDirectory(dir: string): void {
  const stat = lstatSync(dir);
  const euid = process.geteuid?.() ?? 0;
  if (!stat.isDirectory() || stat.uid !== euid || (stat.mode & 0o022) !== 0) {
    throw new Error(
      `refusing to use ${dir}: it must be a directory owned by uid ${euid} and writable only by ` +
        `it (it is ${stat.isSymbolicLink() ? 'a symlink' : `owned by uid ${stat.uid}, mode ${(stat.mode & 0o7777).toString(8)}`}); remove it`,
    );
  }
}
