import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { describeRule, parseRrule } from '../src/index.js';

const start = DateTime.fromISO('2026-01-05T09:30:00', { zone: 'UTC' });

describe('describeRule over the whole grammar', () => {
  it.each([
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'the last weekday of every month'],
    ['FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1', 'the 1st weekend day of every month'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1', 'the 1st and last weekday of every month'],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=FR;BYSETPOS=-1', 'the last Friday of every year in March'],
    [
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=17;BYMINUTE=0;BYSETPOS=-1',
      'the last weekday of every month at 17:00',
    ],
    ['FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0', 'every day at 8:00 and 20:00'],
    ['FREQ=DAILY;BYHOUR=8,20', 'every day at 8:30 and 20:30'],
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=7;BYMINUTE=15', 'every week on Monday at 7:15'],
    ['FREQ=HOURLY;INTERVAL=3', 'every 3 hours'],
    ['FREQ=MINUTELY;INTERVAL=90', 'every 90 minutes'],
    ['FREQ=MINUTELY;INTERVAL=15;BYHOUR=9,10', 'every 15 minutes in hours 9 and 10'],
    ['FREQ=HOURLY;BYMINUTE=0,30', 'every hour at minutes 0 and 30'],
    ['FREQ=SECONDLY;INTERVAL=30', 'every 30 seconds'],
    ['FREQ=YEARLY;BYYEARDAY=100', 'every year on day 100 of the year'],
    ['FREQ=YEARLY;BYYEARDAY=-1', 'every year on the last day of the year'],
    ['FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO', 'every year in week 1 on Monday'],
    ['FREQ=YEARLY;BYWEEKNO=-1', 'every year in the last week'],
    ['FREQ=YEARLY;BYDAY=20MO', 'every year on the 20th Monday'],
    [
      'FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=3;COUNT=3',
      "every month on Tuesday, Wednesday and Thursday (only the 3rd of each month's times) for 3 occurrences",
    ],
  ])('%s is "%s"', (rrule, description) => {
    expect(describeRule(parseRrule(rrule), start)).toBe(description);
  });
});
