import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended parameters (m=19 MiB, t=2, p=1); @node-rs/argon2's default
 * algorithm is argon2id. The PHC string records them, so raising them later still verifies old
 * hashes.
 */
const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

export function createPasswordHasher(): PasswordHasher {
  return {
    hash: (password) => hash(password, OWASP_ARGON2ID),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
  };
}
