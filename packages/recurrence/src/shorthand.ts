import { emptyByParts, hasByParts, type Rule } from './rule.js';

/** The original API's repeat shorthand: `recurring_type` with an optional `recurring_end_date`. */
export const RECURRING_TYPES = ['none', 'daily', 'weekly', 'monthly'] as const;
export type RecurringType = (typeof RECURRING_TYPES)[number];

const FREQ_OF = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY' } as const;

/**
 * The rule the shorthand means: every day/week/month, until the end date (inclusive). "Monthly"
 * from the 31st keeps to month ends (Feb 28), as users of the original API expect, so it is
 * written with SKIP=BACKWARD.
 */
export function ruleFromShorthand(
  type: Exclude<RecurringType, 'none'>,
  endDate: Date | null,
): Rule {
  const rule: Rule = {
    freq: FREQ_OF[type],
    interval: 1,
    ...emptyByParts(),
    wkst: 'MO',
    skip: type === 'monthly' ? 'BACKWARD' : 'OMIT',
  };
  if (endDate)
    rule.until = { kind: 'instant', epochMs: Math.floor(endDate.getTime() / 1000) * 1000 };
  return rule;
}

/** The shorthand for a rule, or `custom` when the rule says more than the shorthand can. */
export function shorthandOf(rule: Rule | null): {
  type: RecurringType | 'custom';
  endDate: Date | null;
} {
  if (!rule) return { type: 'none', endDate: null };
  const simple =
    (rule.freq === 'DAILY' || rule.freq === 'WEEKLY' || rule.freq === 'MONTHLY') &&
    rule.interval === 1 &&
    !hasByParts(rule) &&
    rule.count === undefined &&
    rule.wkst === 'MO' &&
    (rule.freq !== 'MONTHLY' || rule.skip === 'BACKWARD') &&
    (!rule.until || rule.until.kind === 'instant');
  if (!simple) return { type: 'custom', endDate: null };
  const type = (Object.keys(FREQ_OF) as Array<keyof typeof FREQ_OF>).find(
    (key) => FREQ_OF[key] === rule.freq,
  )!;
  return { type, endDate: rule.until?.kind === 'instant' ? new Date(rule.until.epochMs) : null };
}
