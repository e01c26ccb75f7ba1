import { textSchema, timezoneSchema } from '@todo/contracts';
import { z } from 'zod';

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

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().meta({ description: 'Seconds until the token expires' }),
    user: userSchema,
  })
  .meta({ id: 'TokenResponse' });

export type RegisterBody = z.output<typeof registerBodySchema>;
export type LoginBody = z.output<typeof loginBodySchema>;
export type UserResponse = z.output<typeof userSchema>;
export type TokenResponse = z.output<typeof tokenResponseSchema>;
