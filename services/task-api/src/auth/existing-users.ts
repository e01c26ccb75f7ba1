import { LRUCache } from 'lru-cache';
import type { UsersRepository } from './users.repository.js';

/**
 * How long "this user exists" is believed without asking again. A valid token outlives its user
 * when the account is deleted, and its requests must answer 401, not reach the tasks table; asking
 * PostgreSQL on every request would undo the verified-token cache's saving (access-tokens.ts). A
 * deletion is therefore seen within this time; a create racing it still answers 401 because the
 * insert's foreign key refuses it (tasks.service.ts).
 */
export const USER_EXISTS_TTL_MS = 30_000;
const REMEMBERED_USERS_MAX = 10_000;

export interface ExistingUsers {
  exists(userId: string): Promise<boolean>;
}

export function createExistingUsers(
  users: Pick<UsersRepository, 'exists'>,
  ttlMs = USER_EXISTS_TTL_MS,
): ExistingUsers {
  // Only positive answers are kept: a user id that does not exist yet cannot be in a token issued
  // by this service, so there is no flood of misses to absorb.
  const known = new LRUCache<string, true>({ max: REMEMBERED_USERS_MAX, ttl: ttlMs });
  return {
    async exists(userId) {
      if (known.has(userId)) return true;
      const found = await users.exists(userId);
      if (found) known.set(userId, true);
      return found;
    },
  };
}
