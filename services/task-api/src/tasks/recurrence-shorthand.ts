/**
 * The original API's repeat shorthand (`recurring_type` + `recurring_end_date`) expressed as, and
 * read back from, an RFC 5545 RRULE, which is what tasks store and events carry.
 */
export const RECURRING_TYPES = ['none', 'daily', 'weekly', 'monthly'] as const;
export type RecurringType = (typeof RECURRING_TYPES)[number];

const FREQ_BY_TYPE = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY' } as const;
const SIMPLE_RULE =
  /^FREQ=(DAILY|WEEKLY|MONTHLY)(?:;UNTIL=(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z)?$/;

function untilValue(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function shorthandToRrule(
  type: Exclude<RecurringType, 'none'>,
  endDate: Date | null,
): string {
  const freq = `FREQ=${FREQ_BY_TYPE[type]}`;
  return endDate ? `${freq};UNTIL=${untilValue(endDate)}` : freq;
}

/** `custom` when the rule is richer than the shorthand can say. */
export function rruleToShorthand(rrule: string | null): {
  type: RecurringType | 'custom';
  endDate: Date | null;
} {
  if (!rrule) return { type: 'none', endDate: null };
  const match = SIMPLE_RULE.exec(rrule);
  if (!match) return { type: 'custom', endDate: null };
  const type = (Object.keys(FREQ_BY_TYPE) as Array<keyof typeof FREQ_BY_TYPE>).find(
    (key) => FREQ_BY_TYPE[key] === match[1],
  )!;
  const endDate = match[2]
    ? new Date(Date.UTC(+match[2], +match[3]! - 1, +match[4]!, +match[5]!, +match[6]!, +match[7]!))
    : null;
  return { type, endDate };
}
