import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (@node-rs/argon2's default algorithm) with the last of OWASP's five equivalent
 * parameter sets (m=7 MiB, t=5, p=1; the cheat sheet: "an equal level of defense, and the only
 * difference is a trade off between CPU and RAM usage"). It is the set with the least memory:
 * every hash holds its m in native memory while it runs, up to four at once (libuv's pool), and
 * that is what a burst of logins costs a replica: measured alone, with m=19 MiB (the set used
 * before) one hash raised the process's peak RSS by 21 MiB and four at once by 78; with m=7 MiB,
 * by 10 and 30 (packages/bench README, "What the peaks are made of"). On the development machine
 * it also took half the time (9 against 18 ms).
 */
const PARAMETERS = { memoryCost: 7_168, timeCost: 5, parallelism: 1 } as const;

/** How a PHC string made with PARAMETERS begins; a hash made with others needs rehashing. */
const CURRENT_PREFIX = `$argon2id$v=19$m=${PARAMETERS.memoryCost},t=${PARAMETERS.timeCost},p=${PARAMETERS.parallelism}$`;

/**
 * A hash of a random string nobody kept, made with PARAMETERS (a test holds it to them). Login
 * verifies an unknown email's password against it, so the answer takes as long as for an account
 * whose hash has today's parameters, and timing does not reveal which accounts exist. An account
 * still holding an older hash answers in that hash's time until its next login replaces it (see
 * the README's "Sessions": the accounts that stay distinguishable are the dormant ones, not the
 * active ones). A constant rather than a hash made at start-up: that one cost every replica a
 * hash's memory before serving anything.
 */
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=7168,t=5,p=1$cRS33SlJqp1lRCDZ3wCA3g$IMj3BORdiZPYpe7k34Q5+r4ZPDyCkpx00N/c9mx/50M';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for anything that is not an argon2 PHC string. */
  verify(hashed: string, password: string): Promise<boolean>;
  /**
   * Whether `hashed` was made with other parameters than today's. The PHC string records its
   * own, so it still verifies; login replaces it once the password is known to be right.
   */
  needsRehash(hashed: string): boolean;
  /** Verified in place of a real hash when the email is unknown (see UNKNOWN_USER_HASH). */
  readonly unknownUserHash: string;
}

export function createPasswordHasher(): PasswordHasher {
  return {
    hash: (password) => hash(password, PARAMETERS),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
    needsRehash: (hashed) => !hashed.startsWith(CURRENT_PREFIX),
    unknownUserHash: UNKNOWN_USER_HASH,
  };
}
