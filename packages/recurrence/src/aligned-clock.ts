import { weekdayOfDay } from './civil-days.js';
import { SECONDS_PER_DAY } from './period-set.js';
import { isoWeekday, SUB_DAILY_SECONDS, type Rule, type SubDailyFrequency } from './rule.js';
import type { SubDailyStart } from './sub-daily.js';

/**
 * How INTERVAL meets the clock parts of a sub-daily rule. Periods start at the clock times the
 * coarser parts allow (BYHOUR for HOURLY; BYHOUR × BYMINUTE for MINUTELY; all three for
 * SECONDLY), the same every day, and INTERVAL reaches a period starting at clock unit c of day d
 * when d × (units a day) + c ≡ start (mod INTERVAL).
 */

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const mod = (a: number, m: number) => ((a % m) + m) % m;

/** The clock fields a period expands to, and those the coarser parts allow a period to start at. */
function clockLists(rule: Rule) {
  const freq = rule.freq as SubDailyFrequency;
  const hours = rule.byHour.length ? rule.byHour : range(24);
  const minutes = freq === 'HOURLY' ? [0] : rule.byMinute.length ? rule.byMinute : range(60);
  const seconds = freq === 'SECONDLY' ? (rule.bySecond.length ? rule.bySecond : range(60)) : [0];
  return { hours, minutes, seconds };
}

/** x⁻¹ modulo m, for x and m coprime (extended Euclid). */
function inverse(x: number, m: number): number {
  let [a, b, u, v] = [x % m, m, 1, 0];
  while (b !== 0) {
    const q = Math.floor(a / b);
    [a, b, u, v] = [b, a - q * b, v, u - q * v];
  }
  return ((u % m) + m) % m;
}

/**
 * Whether INTERVAL reaches some period the clock parts (and BYDAY) allow. A period starting at
 * clock time c on day d is reached when d × (periods a day) + c ≡ start (mod INTERVAL): solvable
 * only for some c, and then only on days in one residue class modulo INTERVAL / g. When that
 * modulus is a multiple of 7 the class fixes the weekday too. So `FREQ=HOURLY;INTERVAL=2;BYHOUR=1`
 * from midnight, or `FREQ=MINUTELY;INTERVAL=7;BYHOUR=10;BYMINUTE=44;BYDAY=MO` when 10:44 only
 * comes round on Thursdays, never occurs, and is refused without a walk.
 */
export function intervalReachesClock(rule: Rule, start: SubDailyStart): boolean {
  const unit = SUB_DAILY_SECONDS[rule.freq as SubDailyFrequency];
  const perDay = SECONDS_PER_DAY / unit;
  const g = gcd(rule.interval, perDay);
  const dayModulus = rule.interval / g;
  const startUnit = Math.floor(start.startSec / unit);
  const weekdays = rule.byDay.map((entry) => isoWeekday(entry.weekday));
  const { hours, minutes, seconds } = clockLists(rule);
  for (const h of hours)
    for (const m of minutes)
      for (const s of seconds) {
        const clock = (h * 3600 + m * 60 + s) / unit;
        const gap = startUnit - clock;
        if (((gap % g) + g) % g !== 0) continue;
        if (!weekdays.length || dayModulus % 7 !== 0) return true;
        // The one day class that reaches this clock time: d ≡ (gap / g) × (perDay / g)⁻¹.
        const cls =
          (((gap / g) % dayModulus) * inverse((perDay / g) % dayModulus, dayModulus)) % dayModulus;
        if (weekdays.includes(weekdayOfDay(((cls % dayModulus) + dayModulus) % dayModulus)))
          return true;
      }
  return false;
}

/**
 * A test of one day, O(1): does INTERVAL reach a clock time the clock parts allow on it? The walk
 * then jumps over a day that has none in one step, instead of trying its hours and minutes.
 */
export function alignedClockDays(rule: Rule, start: SubDailyStart): (day: number) => boolean {
  const unit = SUB_DAILY_SECONDS[rule.freq as SubDailyFrequency];
  const perDay = SECONDS_PER_DAY / unit;
  const interval = rule.interval;
  const startUnit = Math.floor(start.startSec / unit);
  const { hours, minutes, seconds } = clockLists(rule);
  const allowed = new Uint8Array(perDay);
  for (const h of hours)
    for (const m of minutes) for (const s of seconds) allowed[(h * 3600 + m * 60 + s) / unit] = 1;
  // The period starts of a day are c ≡ start - day × perDay (mod INTERVAL): with INTERVAL up to a
  // day long several per day, one residue class; with a longer INTERVAL at most one.
  if (interval <= perDay) {
    const classHas = new Uint8Array(interval);
    for (let c = 0; c < perDay; c += 1) if (allowed[c]) classHas[c % interval] = 1;
    return (day) => classHas[mod(startUnit - day * perDay, interval)] === 1;
  }
  return (day) => {
    const c = mod(startUnit - day * perDay, interval);
    return c < perDay && allowed[c] === 1;
  };
}
