import { z } from 'zod';

/**
 * A whole number in a query string, written in digits, `fallback` when absent. `z.coerce.number()`
 * read `''` as 0, `' 5'` as 5 and `'0x10'` as 16, so a client's mistake silently became another
 * page instead of a 400. Documented as the integer it is, so generated clients take a number.
 */
export function queryInteger(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, { message: 'must be a whole number written in digits' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)
    .meta({
      override: ({ jsonSchema }) => {
        delete jsonSchema.pattern;
        Object.assign(jsonSchema, {
          type: 'integer',
          minimum: min,
          maximum: max,
          default: fallback,
        });
      },
    });
}
