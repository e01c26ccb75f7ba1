import type { z } from 'zod';
import { AppError, type FieldIssue } from './app-error.js';

export function fieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String);
      // An unknown key is reported on its parent; name the key itself so the client can fix it.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          field: [prefix, ...path, key].filter(Boolean).join('.'),
          message: 'unknown field',
        }));
      }
      return [
        {
          field: [prefix, ...path].filter(Boolean).join('.') || (prefix ?? '(root)'),
          message: issue.message,
        },
      ];
    })
    .flat();
}

/** Parses untrusted input; a failure becomes a 400 naming every offending field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const prefix = where === 'body' ? undefined : where;
  throw new AppError(
    'validation_failed',
    `invalid request ${where}`,
    fieldIssues(result.error, prefix),
  );
}
