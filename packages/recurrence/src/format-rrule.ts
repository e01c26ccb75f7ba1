import type { Rule, Until } from './rule.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatUntil(until: Until): string {
  if (until.kind === 'date') return `${pad(until.year, 4)}${pad(until.month)}${pad(until.day)}`;
  const d = new Date(until.epochMs);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/**
 * The canonical RRULE value for a rule: parts in a fixed order, defaults left out, so equal rules
 * have equal strings. A monthly or yearly rule that keeps month ends states
 * `RSCALE=GREGORIAN;SKIP=BACKWARD` (or FORWARD), so a calendar client reads it as we do; without
 * them it is plain RFC 5545 (SKIP=OMIT).
 */
export function formatRrule(rule: Rule): string {
  const parts = [`FREQ=${rule.freq}`];
  const add = (name: string, values: readonly (number | string)[]) => {
    if (values.length) parts.push(`${name}=${values.join(',')}`);
  };
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  add('BYMONTH', rule.byMonth);
  add('BYWEEKNO', rule.byWeekNo);
  add('BYYEARDAY', rule.byYearDay);
  add('BYMONTHDAY', rule.byMonthDay);
  add(
    'BYDAY',
    rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`),
  );
  add('BYHOUR', rule.byHour);
  add('BYMINUTE', rule.byMinute);
  add('BYSECOND', rule.bySecond);
  add('BYSETPOS', rule.bySetPos);
  if (rule.wkst !== 'MO') parts.push(`WKST=${rule.wkst}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until) parts.push(`UNTIL=${formatUntil(rule.until)}`);
  if ((rule.freq === 'MONTHLY' || rule.freq === 'YEARLY') && rule.skip !== 'OMIT')
    parts.push('RSCALE=GREGORIAN', `SKIP=${rule.skip}`);
  return parts.join(';');
}
