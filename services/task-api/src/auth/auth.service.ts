import { AppError } from '@todo/service-runtime';
import { DEFAULT_TIMEZONE } from '../users/user-timezone.js';
import type { AccessTokens } from './access-tokens.js';
import type { LoginBody, RegisterBody, TokenResponse, UserResponse } from './auth.schemas.js';
import type { PasswordHasher } from './password-hasher.js';
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

export function createAuthService(deps: {
  users: UsersRepository;
  hasher: PasswordHasher;
  tokens: AccessTokens;
}) {
  const { users, hasher, tokens } = deps;
  // Verifying against a real hash when the email is unknown keeps login time the same for known
  // and unknown emails, so response timing does not reveal which accounts exist.
  const dummyHash = hasher.hash('not-a-real-password-but-the-same-cost');

  async function tokenFor(user: User): Promise<TokenResponse> {
    const { token, expiresIn } = await tokens.issue(user.id);
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      user: toUserResponse(user),
    };
  }

  return {
    async register(input: RegisterBody): Promise<TokenResponse> {
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
      return tokenFor(user);
    },

    async login(input: LoginBody): Promise<TokenResponse> {
      const user = await users.findByEmail(input.email);
      const ok = await hasher.verify(user?.passwordHash ?? (await dummyHash), input.password);
      if (!user || !ok) throw new AppError('unauthenticated', 'invalid email or password');
      return tokenFor(user);
    },

    async me(userId: string): Promise<UserResponse> {
      const user = await users.findById(userId);
      if (!user) throw new AppError('unauthenticated', 'account no longer exists');
      return toUserResponse(user);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
