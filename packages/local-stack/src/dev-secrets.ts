import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './paths.js';

/**
 * A development-only secret, generated on first use and kept in the git-ignored .data folder so
 * tokens survive restarts. Nothing secret is ever committed; production supplies its own.
 */
export function devSecret(name: string): string {
  const file = join(DATA_DIR, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
