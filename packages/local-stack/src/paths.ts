import { fileURLToPath } from 'node:url';

/** The monorepo root, whatever directory `pnpm dev` was started from. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Git-ignored home of everything `pnpm dev` keeps between runs. */
export const DATA_DIR = fileURLToPath(new URL('../../../.data/', import.meta.url));
