/**
 * The most expensive recurrence inputs the API accepts, timed: the next occurrence (what the engine
 * computes for each completion) and the 100-occurrence preview (what any signed-in user may ask
 * for). Named worst cases beside thousands of random rules over the whole accepted grammar and
 * date range (1900..9999), so the maximum is of everything tried, not of a chosen few.
 *
 * Prints numbers; asserts nothing. `pnpm --filter @todo/bench bench:recurrence`.
 */
import { pathToFileURL } from 'node:url';
import {
  nextOccurrence,
  parseSeriesRule,
  previewRule,
  RuleError,
  WEEKDAYS,
  type CompletedOccurrence,
} from '@todo/recurrence';
import { markdownTable, percentile, type Row } from './measure.js';

interface Case {
  name: string;
  rrule: string;
  dtstart: string;
  completedAt: string;
  timezone?: string;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Each one once cost seconds of CPU, or would with a naive search (issues 10 and 16). */
const NAMED: Case[] = [
  {
    name: 'daily from 1900, completed in 9999',
    rrule: 'FREQ=DAILY',
    dtstart: '1900-01-01T09:00:00Z',
    completedAt: '9999-12-30T10:00:00Z',
  },
  {
    name: 'every 997 days on 29 February (prime interval, rare)',
    rrule: 'FREQ=DAILY;INTERVAL=997;BYMONTH=2;BYMONTHDAY=29',
    dtstart: '1904-02-29T09:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
  {
    name: '29 February on a Monday',
    rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
    dtstart: '2016-02-29T09:00:00+01:00',
    completedAt: '2016-02-29T10:00:00+01:00',
    timezone: 'Europe/Paris',
  },
  {
    name: 'every 7 days on Mondays from a Sunday (never again)',
    rrule: 'FREQ=DAILY;INTERVAL=7;BYDAY=MO',
    dtstart: '2026-01-04T09:00:00Z',
    completedAt: '2026-01-04T10:00:00Z',
  },
  {
    name: 'monthly, 5th Friday on the 29th-31st, every 1000 months',
    rrule: 'FREQ=MONTHLY;INTERVAL=1000;BYDAY=5FR;BYMONTHDAY=29,30,31',
    dtstart: '1900-01-01T09:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
  {
    name: 'yearly, the 53rd Thursday, every 999 years',
    rrule: 'FREQ=YEARLY;INTERVAL=999;BYDAY=53TH',
    dtstart: '1900-01-01T09:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
  // Issue 16: the rest of the RFC 5545 grammar.
  {
    name: 'every second of the day, all 86,400 BYHOUR × BYMINUTE × BYSECOND times',
    rrule: `FREQ=DAILY;BYHOUR=${range(24)};BYMINUTE=${range(60)};BYSECOND=${range(60)}`,
    dtstart: '1900-01-01T00:00:00Z',
    completedAt: '9999-12-30T10:00:00Z',
    timezone: 'Australia/Lord_Howe',
  },
  {
    name: 'yearly, the last of 366 × 86,400 date-times (BYSETPOS=-1)',
    rrule: `FREQ=YEARLY;BYYEARDAY=${range(366).map((d) => d + 1)};BYHOUR=${range(24)};BYMINUTE=${range(60)};BYSECOND=${range(60)};BYSETPOS=-1,1`,
    dtstart: '1900-01-01T00:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
  {
    name: 'monthly, the 6th Monday by BYSETPOS (never)',
    rrule: 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6',
    dtstart: '2026-01-05T09:00:00Z',
    completedAt: '2026-01-05T10:00:00Z',
  },
  {
    name: 'yearly, week 53 in June (never)',
    rrule: 'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6;WKST=SU',
    dtstart: '2026-01-05T09:00:00Z',
    completedAt: '2026-01-05T10:00:00Z',
  },
  {
    name: 'secondly, every 997 s on 29 February at 05:07:03 (rare or never)',
    rrule: 'FREQ=SECONDLY;INTERVAL=997;BYMONTH=2;BYMONTHDAY=29;BYHOUR=5;BYMINUTE=7;BYSECOND=3',
    dtstart: '1900-01-01T00:00:01Z',
    completedAt: '2026-11-29T10:00:00Z',
    timezone: 'Australia/Lord_Howe',
  },
  {
    name: 'hourly, every 997 h on 29 February at 05:00 (once in centuries)',
    rrule: 'FREQ=HOURLY;INTERVAL=997;BYMONTH=2;BYMONTHDAY=29;BYHOUR=5',
    dtstart: '1904-01-01T00:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
  {
    name: 'minutely, every 7 min only at 03:05 (one aligned minute a week)',
    rrule: 'FREQ=MINUTELY;INTERVAL=7;BYHOUR=3;BYMINUTE=5',
    dtstart: '1900-01-01T00:00:00Z',
    completedAt: '9999-12-01T10:00:00Z',
    timezone: 'America/St_Johns',
  },
  {
    name: 'minutely, every 1000 min on day 366 if a Monday at 23:59',
    rrule: 'FREQ=MINUTELY;INTERVAL=1000;BYYEARDAY=366;BYDAY=MO;BYHOUR=23;BYMINUTE=59',
    dtstart: '1900-01-01T00:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
  {
    name: 'hourly, every 2 h only at 01:00 from midnight (never: INTERVAL misses it)',
    rrule: 'FREQ=HOURLY;INTERVAL=2;BYHOUR=1',
    dtstart: '2026-01-01T00:00:00Z',
    completedAt: '2026-01-01T00:30:00Z',
  },
  {
    name: 'weekly in February only, every 1000 weeks',
    rrule: 'FREQ=WEEKLY;INTERVAL=1000;BYMONTH=2;BYDAY=MO,TU,WE,TH,FR,SA,SU',
    dtstart: '1900-01-01T09:00:00Z',
    completedAt: '2026-11-29T10:00:00Z',
  },
];

/** A small seeded generator (mulberry32), so every run tries the same random rules. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const some = <T>(items: readonly T[], max: number): T[] =>
    [...new Set(Array.from({ length: int(1, max) }, () => pick(items)))] as T[];
  return { next, int, pick, some };
}

const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/St_Johns',
];

const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const signed = (r: ReturnType<typeof random>, max: number) =>
  r.next() < 0.5 ? r.int(1, max) : -r.int(1, max);

/** A random rule over the whole grammar; the parser refuses the combinations RFC 5545 forbids. */
function randomRule(r: ReturnType<typeof random>): string {
  const freq = r.pick(FREQS);
  const parts = [`FREQ=${freq}`];
  const maybe = (p: number, part: () => string) => {
    if (r.next() < p) parts.push(part());
  };
  const list = (n: number, item: () => number) =>
    [...new Set(Array.from({ length: r.int(1, n) }, item))].join(',');
  parts.push(`INTERVAL=${r.next() < 0.5 ? r.int(1, 10) : r.int(1, 1000)}`);
  maybe(0.4, () => `BYMONTH=${r.some([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 3)}`);
  if (freq === 'YEARLY') maybe(0.3, () => `BYWEEKNO=${list(3, () => signed(r, 53))}`);
  if (!['DAILY', 'WEEKLY', 'MONTHLY'].includes(freq))
    maybe(0.3, () => `BYYEARDAY=${list(3, () => signed(r, 366))}`);
  if (freq !== 'WEEKLY')
    maybe(0.4, () => `BYMONTHDAY=${r.some([1, 15, 28, 29, 30, 31, -1, -31], 3)}`);
  maybe(0.5, () => {
    const ordinal = freq === 'MONTHLY' || freq === 'YEARLY' ? r.pick(['', '1', '-1', '5']) : '';
    return `BYDAY=${r.some(WEEKDAYS, 3).map((d) => `${ordinal}${d}`)}`;
  });
  maybe(0.4, () => `BYHOUR=${list(r.next() < 0.2 ? 24 : 3, () => r.int(0, 23))}`);
  maybe(0.4, () => `BYMINUTE=${list(r.next() < 0.2 ? 60 : 3, () => r.int(0, 59))}`);
  maybe(0.3, () => `BYSECOND=${list(r.next() < 0.2 ? 60 : 3, () => r.int(0, 59))}`);
  if (parts.length > 2) maybe(0.3, () => `BYSETPOS=${list(2, () => signed(r, 366))}`);
  maybe(0.2, () => `WKST=${r.pick(WEEKDAYS)}`);
  if ((freq === 'MONTHLY' || freq === 'YEARLY') && r.next() < 0.5)
    parts.push(`RSCALE=GREGORIAN;SKIP=${r.pick(['OMIT', 'BACKWARD', 'FORWARD'])}`);
  return parts.join(';');
}

function randomCase(r: ReturnType<typeof random>): Case {
  const rrule = randomRule(r);
  const startMs = Date.UTC(1900, 0, 1) + r.next() * (Date.UTC(9990, 0, 1) - Date.UTC(1900, 0, 1));
  const start = new Date(Math.floor(startMs / 1000) * 1000);
  const completed = new Date(
    start.getTime() + r.next() * (Date.UTC(9999, 11, 1) - start.getTime()),
  );
  return {
    name: 'random',
    rrule,
    dtstart: start.toISOString(),
    completedAt: completed.toISOString(),
    timezone: r.pick(ZONES),
  };
}

function timeMs(run: () => unknown): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Validation as task-api does it on write: parse, and refuse a rule that never occurs. */
function validate(c: Case): 'accepted' | 'refused' {
  try {
    parseSeriesRule({ rrule: c.rrule, timezone: c.timezone ?? 'UTC', dtstart: c.dtstart });
    return 'accepted';
  } catch (error) {
    if (error instanceof RuleError) return 'refused';
    throw error;
  }
}

const completion = (c: Case): CompletedOccurrence => ({
  rrule: c.rrule,
  timezone: c.timezone ?? 'UTC',
  anchor: 'due',
  overdue: 'skip',
  dtstart: c.dtstart,
  occurrenceIndex: 0,
  dueAt: c.dtstart,
  completedAt: c.completedAt,
});

const preview = (c: Case) => () => {
  try {
    previewRule({ rrule: c.rrule, start: c.dtstart, timezone: c.timezone ?? 'UTC', count: 100 });
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
  }
};

const round = (ms: number) => Math.round(ms * 100) / 100;

export function recurrenceBench(): { rows: Row[]; random: Row[] } {
  // Warm the JIT so the first measured case does not pay for compilation.
  const warm = random(1);
  for (let i = 0; i < 300; i += 1) {
    const c = randomCase(warm);
    if (validate(c) === 'accepted') nextOccurrence(completion(c));
  }

  const rows: Row[] = NAMED.map((c) => {
    const verdict = validate(c);
    const validateMs = Math.max(...[0, 1, 2].map(() => timeMs(() => validate(c))));
    const nextMs = Math.max(...[0, 1, 2].map(() => timeMs(() => nextOccurrence(completion(c)))));
    const previewMs = Math.max(...[0, 1, 2].map(() => timeMs(preview(c))));
    const result = nextOccurrence(completion(c));
    return {
      case: c.name,
      rrule: `\`${c.rrule}\``,
      'on write': verdict,
      'validate ms (max of 3)': round(validateMs),
      'next occurrence ms (max of 3)': round(nextMs),
      'preview of 100 ms (max of 3)': round(previewMs),
      'next occurrence': result.kind === 'next' ? result.dueAt : `ended (${result.reason})`,
    };
  });

  const r = random(20261129);
  const samples = Number(process.env.BENCH_RECURRENCE_SAMPLES ?? 5000);
  const next: number[] = [];
  const previews: number[] = [];
  const validations: number[] = [];
  let worst = { ms: 0, rrule: '' };
  let worstValidation = { ms: 0, rrule: '' };
  let refused = 0;
  for (let i = 0; i < samples; i += 1) {
    const c = randomCase(r);
    let verdict: 'accepted' | 'refused' = 'refused';
    const validateMs = timeMs(() => (verdict = validate(c)));
    validations.push(validateMs);
    if (validateMs > worstValidation.ms)
      worstValidation = { ms: validateMs, rrule: `${c.rrule} from ${c.dtstart} in ${c.timezone}` };
    if (verdict === 'refused') {
      refused += 1;
      continue;
    }
    const ms = timeMs(() => nextOccurrence(completion(c)));
    next.push(ms);
    if (ms > worst.ms) worst = { ms, rrule: `${c.rrule} from ${c.dtstart} in ${c.timezone}` };
    if (i % 10 === 0) previews.push(timeMs(preview(c)));
  }
  const stats = (name: string, values: number[]): Row => ({
    measure: name,
    n: values.length,
    'p50 ms': round(percentile(values, 0.5)),
    'p99 ms': round(percentile(values, 0.99)),
    'max ms': round(Math.max(...values)),
  });
  const randomRows = [
    stats('validate a rule on write (parse + can it recur)', validations),
    stats('next occurrence (accepted rules)', next),
    stats('preview of 100 occurrences', previews),
  ];
  process.stdout.write(
    `[recurrence] ${samples} random rules, ${refused} refused on write; slowest next occurrence ` +
      `${round(worst.ms)} ms: ${worst.rrule}; slowest validation ${round(worstValidation.ms)} ms: ` +
      `${worstValidation.rrule}\n`,
  );
  return { rows, random: randomRows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = recurrenceBench();
  process.stdout.write(`${markdownTable(result.rows)}\n\n${markdownTable(result.random)}\n`);
}
