import { RuleError } from '@todo/recurrence';
import { AppError } from '@todo/service-runtime';

/** Turns a rule problem into a 400 naming the request field, with the RRULE part in the message. */
export function ruleErrorToAppError(
  error: unknown,
  fields: { rrule: string; timezone: string; anchor?: string; start?: string },
): unknown {
  if (!(error instanceof RuleError)) return error;
  const field =
    error.part === 'timezone'
      ? fields.timezone
      : error.part === 'anchor' && fields.anchor
        ? fields.anchor
        : error.part === 'start' && fields.start
          ? fields.start
          : fields.rrule;
  return new AppError('validation_failed', 'invalid recurrence rule', [
    { field, message: error.message },
  ]);
}
