import { textSchema, timezoneSchema } from '@todo/contracts';
import { z } from 'zod';
import { refreshTokenSchema } from './refresh-tokens.js';

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((email) => email.toLowerCase())
  .meta({ example: 'ada@example.com' });

export const registerBodySchema = z
  .strictObject({
    email: emailSchema,
    // OWASP: at least 8 characters, no composition rules, a generous maximum.
    password: z.string().min(8).max(128),
    name: textSchema().trim().min(1).max(100).optional(),
    timezone: timezoneSchema
      .optional()
      .meta({ description: 'Default zone for recurring tasks', example: 'Europe/Paris' }),
  })
  .meta({ id: 'RegisterRequest' });

export const loginBodySchema = z
  .strictObject({
    email: emailSchema,
    password: z.string().min(1).max(128),
  })
  .meta({ id: 'LoginRequest' });

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    timezone: z.string(),
    created_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'User' });

const accessTokenFields = {
  access_token: z.string().meta({ description: 'JWT to send as `Authorization: Bearer …`' }),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().meta({ description: 'Seconds until the access token expires' }),
  refresh_expires_in: z.number().int().meta({
    description:
      'Seconds until the session ends: no refresh extends it, after it the user signs in again',
  }),
};

const refreshTokenField = refreshTokenSchema.meta({
  description:
    'Single-use refresh token for `POST /api/auth/refresh` (non-browser clients; browsers use the `todo_refresh` cookie set beside it)',
});

export const tokenResponseSchema = z
  .object({ ...accessTokenFields, refresh_token: refreshTokenField, user: userSchema })
  .meta({ id: 'TokenResponse' });

export const refreshResponseSchema = z
  .object({
    ...accessTokenFields,
    refresh_token: refreshTokenField.optional().meta({
      description:
        'The next refresh token, when the request sent one in its body; a refresh by cookie gets it only as the cookie, so page scripts never see it',
    }),
  })
  .meta({ id: 'RefreshResponse' });

/** A refresh token in the body (non-browser clients), or none when the cookie carries it. */
export const refreshBodySchema = z
  .strictObject({ refresh_token: refreshTokenSchema.optional() })
  .optional()
  .meta({ id: 'RefreshRequest' });

export const logoutBodySchema = z
  .strictObject({ refresh_token: refreshTokenSchema.optional() })
  .optional()
  .meta({ id: 'LogoutRequest' });

export const changePasswordBodySchema = z
  .strictObject({
    current_password: z.string().min(1).max(128),
    new_password: z.string().min(8).max(128),
  })
  .meta({ id: 'ChangePasswordRequest' });

/** The caller's profile fields; at least one. */
export const updateMeBodySchema = z
  .strictObject({
    name: textSchema()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .meta({ description: 'Display name; null removes it', example: 'Ada' }),
    timezone: timezoneSchema.optional().meta({
      description: 'Zone for dates and new recurring tasks; existing series keep their own zone',
      example: 'Europe/Paris',
    }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  .meta({ id: 'UpdateMeRequest' });

export const deleteAccountBodySchema = z
  .strictObject({ password: z.string().min(1).max(128) })
  .meta({ id: 'DeleteAccountRequest' });

export type RegisterBody = z.output<typeof registerBodySchema>;
export type LoginBody = z.output<typeof loginBodySchema>;
export type UserResponse = z.output<typeof userSchema>;
export type TokenResponse = z.output<typeof tokenResponseSchema>;
export type RefreshResponse = z.output<typeof refreshResponseSchema>;
export type RefreshBody = z.output<typeof refreshBodySchema>;
export type ChangePasswordBody = z.output<typeof changePasswordBodySchema>;
export type UpdateMeBody = z.output<typeof updateMeBodySchema>;
export type DeleteAccountBody = z.output<typeof deleteAccountBodySchema>;
