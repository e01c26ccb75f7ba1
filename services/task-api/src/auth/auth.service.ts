import type { Database } from '@todo/db';
import { AppError, type Logger } from '@todo/service-runtime';
import { DEFAULT_TIMEZONE } from '../users/user-timezone.js';
import type { AccessTokens } from './access-tokens.js';
import type { AccountDeletionRepository } from './account-deletion.repository.js';
import type {
  ChangePasswordBody,
  DeleteAccountBody,
  LoginBody,
  RegisterBody,
  UpdateMeBody,
  UserResponse,
} from './auth.schemas.js';
import type { LiveSessions } from './live-sessions.js';
import type { PasswordHasher } from './password-hasher.js';
import type { RefreshCookie } from './refresh-cookie.js';
import type { IssuedSession, SessionService } from './session.service.js';
import type { User, UsersRepository } from './users.repository.js';

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    timezone: user.timezone,
    created_at: user.createdAt.toISOString(),
  };
}

/** A signed-in user: their account and the session just started for them. */
export interface SignedIn {
  user: User;
  session: IssuedSession;
}

/** What the auth routes reach: the account operations, the sessions, and their HTTP forms. */
export interface AuthDeps {
  db: Database;
  users: UsersRepository;
  deletion: AccountDeletionRepository;
  hasher: PasswordHasher;
  logger: Logger;
  tokens: AccessTokens;
  sessions: SessionService;
  live: LiveSessions;
  cookie: RefreshCookie;
  /** CORS_ORIGINS: the other origins whose pages may use the refresh cookie (csrf.ts). */
  allowedOrigins: readonly string[];
}

const wrongPassword = (field: string) =>
  new AppError('validation_failed', `${field.replace('_', ' ')} is wrong`, [
    { field, message: 'does not match the account’s password' },
  ]);

export function createAuthService(deps: AuthDeps) {
  const { db, users, deletion, hasher, sessions, live, logger } = deps;

  /**
   * Replaces a hash made with older parameters, now that the password is known to be right. Only
   * if the stored hash is still the one verified: a password changed meanwhile stays changed. A
   * failure does not fail the login; the next one tries again.
   */
  async function rehash(userId: string, verified: string, password: string) {
    try {
      await users.replacePasswordHash(userId, verified, await hasher.hash(password));
    } catch (error) {
      logger.warn('could not rehash a password with the current parameters', {
        err: error,
        userId,
      });
    }
  }

  /** The caller's password, checked (argon2: only on rate-limited routes); 400 naming `field`. */
  async function assertPassword(userId: string, password: string, field: string) {
    const hash = await users.findHashById(userId);
    if (!hash) throw new AppError('unauthenticated', 'account no longer exists');
    if (!(await hasher.verify(hash, password))) throw wrongPassword(field);
  }

  return {
    sessions,
    cookie: deps.cookie,
    allowedOrigins: deps.allowedOrigins,
    tokens: deps.tokens,

    async register(input: RegisterBody): Promise<SignedIn> {
      const passwordHash = await hasher.hash(input.password);
      const user = await users.insert({
        email: input.email,
        passwordHash,
        name: input.name ?? null,
        timezone: input.timezone ?? DEFAULT_TIMEZONE,
      });
      if (!user) {
        throw new AppError('conflict', 'an account with this email already exists', [
          { field: 'email', message: 'already registered' },
        ]);
      }
      return { user, session: await sessions.start(user.id) };
    },

    async login(input: LoginBody): Promise<SignedIn> {
      const user = await users.findByEmail(input.email);
      // An unknown email is verified against a hash too: the same time as a known one.
      const ok = await hasher.verify(user?.passwordHash ?? hasher.unknownUserHash, input.password);
      if (!user || !ok) throw new AppError('unauthenticated', 'invalid email or password');
      const { passwordHash, ...account } = user;
      if (hasher.needsRehash(passwordHash)) await rehash(user.id, passwordHash, input.password);
      return { user: account, session: await sessions.start(user.id) };
    },

    async me(userId: string): Promise<UserResponse> {
      const user = await users.findById(userId);
      if (!user) throw new AppError('unauthenticated', 'account no longer exists');
      return toUserResponse(user);
    },

    /** Name and zone; a zone change moves no existing series (each keeps its own zone). */
    async updateMe(userId: string, input: UpdateMeBody): Promise<UserResponse> {
      const user = await users.updateProfile(userId, input);
      if (!user) throw new AppError('unauthenticated', 'account no longer exists');
      return toUserResponse(user);
    },

    /** New password; every other session of the user ends, the caller's stays. */
    async changePassword(userId: string, sessionId: string, input: ChangePasswordBody) {
      await assertPassword(userId, input.current_password, 'current_password');
      const passwordHash = await hasher.hash(input.new_password);
      const ended = await db.transaction(async (tx) => {
        await users.updatePasswordHash(tx, userId, passwordHash);
        return sessions.endOthers(tx, userId, sessionId);
      });
      live.forget(ended);
    },

    /**
     * Deletes the account: tasks, sessions and refresh tokens by cascade, and a last
     * `account.deleted` change for the live stream, in one transaction.
     */
    async deleteAccount(userId: string, input: DeleteAccountBody): Promise<void> {
      await assertPassword(userId, input.password, 'password');
      await db.transaction(async (tx) => {
        await deletion.lockTasksOf(tx, userId);
        // Deleted meanwhile by another request, which sent the notice.
        if (!(await deletion.deleteUser(tx, userId))) {
          throw new AppError('unauthenticated', 'account no longer exists');
        }
        await deletion.recordAccountDeleted(tx, userId);
      });
      live.forgetUser(userId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
