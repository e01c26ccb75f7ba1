/**
 * drizzle's `DrizzleQueryError` ends its message (and so its stack and `String(error)`) with the
 * query's parameters, `\nparams: …`: values such as password hashes and emails, which must reach
 * neither logs nor traces. The SQL before them has only `$n` placeholders.
 */
const PARAMS_TAIL = /\nparams: [\s\S]*$/;

/** `text` without a failed query's parameters. */
export const withoutQueryParams = (text: string): string => text.replace(PARAMS_TAIL, '');
