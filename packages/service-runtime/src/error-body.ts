import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './app-error.js';

/**
 * The body of every error answer, written once: `errorHandler` and the raw answers to requests
 * Node's parser refuses build it, and OpenAPI documents describe it (as the `Error` component).
 */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z
        .array(
          z.object({
            field: z.string().meta({
              description: 'The field at fault: `query.x`, `params.id`, or a body field bare',
            }),
            message: z.string(),
          }),
        )
        .optional(),
      error_id: z
        .string()
        .optional()
        .meta({ description: 'Present on 5xx; quote it when reporting a fault' }),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.output<typeof errorBodySchema>;
