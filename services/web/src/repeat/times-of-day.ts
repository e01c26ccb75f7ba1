/**
 * Times of day as the builder's text ("8:00, 20:00") and as an RRULE's BYHOUR × BYMINUTE. A rule
 * gives every hour it names at every minute it names, so only a set of times that is such a
 * product can be written: 8:00 and 20:00 can, 8:00 and 20:30 cannot (that takes two tasks).
 */

export type ParsedTimes = { hours: number[]; minutes: number[] } | { error: string };

const distinct = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);

/** The times typed, or undefined when none are (the due date's time then). */
export function parseTimes(text: string): ParsedTimes | undefined {
  const items = text.split(/[\s,;]+/).filter((item) => item !== '');
  if (items.length === 0) return undefined;
  const pairs: Array<[number, number]> = [];
  for (const item of items) {
    const match = /^(\d{1,2})(?:[:.h](\d{2}))?$/.exec(item);
    const hour = match ? Number(match[1]) : NaN;
    const minute = match?.[2] !== undefined ? Number(match[2]) : 0;
    if (!match || hour > 23 || minute > 59) {
      return { error: `“${item}” is not a time of day such as 8:00 or 20:30.` };
    }
    pairs.push([hour, minute]);
  }
  const hours = distinct(pairs.map(([h]) => h));
  const minutes = distinct(pairs.map(([, m]) => m));
  const written = new Set(pairs.map(([h, m]) => h * 60 + m));
  if (written.size !== hours.length * minutes.length) {
    return {
      error:
        'Every hour here must have the same minutes (8:00 and 20:00, or 8:15 and 20:15): a rule repeats each hour’s minutes.',
    };
  }
  return { hours, minutes };
}

/** "8:00, 20:00": the text parseTimes reads back as the same hours and minutes. */
export function formatTimes(hours: readonly number[], minutes: readonly number[]): string {
  return hours.flatMap((h) => minutes.map((m) => `${h}:${String(m).padStart(2, '0')}`)).join(', ');
}
