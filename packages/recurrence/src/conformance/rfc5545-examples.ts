/**
 * The examples of RFC 5545 section 3.8.5.3 that have a definite answer, written out from the RFC
 * text: each rule, its DTSTART (wall-clock time in America/New_York, as in the RFC), and the
 * occurrences the RFC lists (all of them for a finite rule, the first ones for an endless one).
 * Both the package's tests and task-api's preview endpoint test run this table.
 *
 * Dates are `YYYY-MM-DD` at DTSTART's time, or `YYYY-MM-DDTHH:MM` where the time differs.
 * Left out: the examples that need RDATE/EXDATE, except "every Friday the 13th", whose EXDATE only
 * removes DTSTART (`dropStart`).
 */
export interface Rfc5545Example {
  name: string;
  rrule: string;
  /** Local wall-clock time in `zone`. */
  dtstart: string;
  zone: string;
  expected: string[];
  /** The RFC excludes DTSTART with an EXDATE; here DTSTART is always occurrence #1. */
  dropStart?: boolean;
}

const NY = 'America/New_York';

const days = (year: number, month: number, list: number[]) =>
  list.map((d) => `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const daily19970902To1223 = [
  ...days(1997, 9, range(2, 30)),
  ...days(1997, 10, range(1, 31)),
  ...days(1997, 11, range(1, 30)),
  ...days(1997, 12, range(1, 23)),
];
const everyDayOfJanuary = [1998, 1999, 2000].flatMap((y) => days(y, 1, range(1, 31)));
const every20Minutes = (day: string) =>
  range(9, 16).flatMap((h) =>
    [0, 20, 40].map((m) => `${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  );

const example = (
  name: string,
  rrule: string,
  dtstart: string,
  expected: string[],
  extra: Partial<Rfc5545Example> = {},
): Rfc5545Example => ({ name, rrule, dtstart, zone: NY, expected, ...extra });

export const RFC5545_EXAMPLES: Rfc5545Example[] = [
  example(
    'Daily for 10 occurrences',
    'FREQ=DAILY;COUNT=10',
    '1997-09-02T09:00',
    days(1997, 9, range(2, 11)),
  ),
  example(
    'Daily until December 24, 1997',
    'FREQ=DAILY;UNTIL=19971224T000000Z',
    '1997-09-02T09:00',
    daily19970902To1223,
  ),
  example('Every other day - forever', 'FREQ=DAILY;INTERVAL=2', '1997-09-02T09:00', [
    ...days(1997, 9, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]),
    ...days(1997, 10, [2, 4, 6, 8]),
  ]),
  example('Every 10 days, 5 occurrences', 'FREQ=DAILY;INTERVAL=10;COUNT=5', '1997-09-02T09:00', [
    ...days(1997, 9, [2, 12, 22]),
    ...days(1997, 10, [2, 12]),
  ]),
  example(
    'Every day in January, for 3 years (yearly)',
    'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
    '1998-01-01T09:00',
    everyDayOfJanuary,
  ),
  example(
    'Every day in January, for 3 years (daily)',
    'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1',
    '1998-01-01T09:00',
    everyDayOfJanuary,
  ),
  example('Weekly for 10 occurrences', 'FREQ=WEEKLY;COUNT=10', '1997-09-02T09:00', [
    ...days(1997, 9, [2, 9, 16, 23, 30]),
    ...days(1997, 10, [7, 14, 21, 28]),
    ...days(1997, 11, [4]),
  ]),
  example(
    'Weekly until December 24, 1997',
    'FREQ=WEEKLY;UNTIL=19971224T000000Z',
    '1997-09-02T09:00',
    [
      ...days(1997, 9, [2, 9, 16, 23, 30]),
      ...days(1997, 10, [7, 14, 21, 28]),
      ...days(1997, 11, [4, 11, 18, 25]),
      ...days(1997, 12, [2, 9, 16, 23]),
    ],
  ),
  example('Every other week - forever', 'FREQ=WEEKLY;INTERVAL=2;WKST=SU', '1997-09-02T09:00', [
    ...days(1997, 9, [2, 16, 30]),
    ...days(1997, 10, [14, 28]),
    ...days(1997, 11, [11, 25]),
    ...days(1997, 12, [9, 23]),
    ...days(1998, 1, [6, 20]),
    ...days(1998, 2, [3, 17]),
  ]),
  example(
    'Weekly on Tuesday and Thursday for five weeks (UNTIL)',
    'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
    '1997-09-02T09:00',
    [...days(1997, 9, [2, 4, 9, 11, 16, 18, 23, 25, 30]), ...days(1997, 10, [2])],
  ),
  example(
    'Weekly on Tuesday and Thursday for five weeks (COUNT)',
    'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH',
    '1997-09-02T09:00',
    [...days(1997, 9, [2, 4, 9, 11, 16, 18, 23, 25, 30]), ...days(1997, 10, [2])],
  ),
  example(
    'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
    '1997-09-01T09:00',
    [
      ...days(1997, 9, [1, 3, 5, 15, 17, 19, 29]),
      ...days(1997, 10, [1, 3, 13, 15, 17, 27, 29, 31]),
      ...days(1997, 11, [10, 12, 14, 24, 26, 28]),
      ...days(1997, 12, [8, 10, 12, 22]),
    ],
  ),
  example(
    'Every other week on Tuesday and Thursday, for 8 occurrences',
    'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH',
    '1997-09-02T09:00',
    [...days(1997, 9, [2, 4, 16, 18, 30]), ...days(1997, 10, [2, 14, 16])],
  ),
  example(
    'Monthly on the first Friday for 10 occurrences',
    'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
    '1997-09-05T09:00',
    [
      ...days(1997, 9, [5]),
      ...days(1997, 10, [3]),
      ...days(1997, 11, [7]),
      ...days(1997, 12, [5]),
      ...days(1998, 1, [2]),
      ...days(1998, 2, [6]),
      ...days(1998, 3, [6]),
      ...days(1998, 4, [3]),
      ...days(1998, 5, [1]),
      ...days(1998, 6, [5]),
    ],
  ),
  example(
    'Monthly on the first Friday until December 24, 1997',
    'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR',
    '1997-09-05T09:00',
    [...days(1997, 9, [5]), ...days(1997, 10, [3]), ...days(1997, 11, [7]), ...days(1997, 12, [5])],
  ),
  example(
    'Every other month on the first and last Sunday of the month for 10 occurrences',
    'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
    '1997-09-07T09:00',
    [
      ...days(1997, 9, [7, 28]),
      ...days(1997, 11, [2, 30]),
      ...days(1998, 1, [4, 25]),
      ...days(1998, 3, [1, 29]),
      ...days(1998, 5, [3, 31]),
    ],
  ),
  example(
    'Monthly on the second-to-last Monday of the month for 6 months',
    'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
    '1997-09-22T09:00',
    [
      ...days(1997, 9, [22]),
      ...days(1997, 10, [20]),
      ...days(1997, 11, [17]),
      ...days(1997, 12, [22]),
      ...days(1998, 1, [19]),
      ...days(1998, 2, [16]),
    ],
  ),
  example(
    'Monthly on the third-to-the-last day of the month, forever',
    'FREQ=MONTHLY;BYMONTHDAY=-3',
    '1997-09-28T09:00',
    [
      ...days(1997, 9, [28]),
      ...days(1997, 10, [29]),
      ...days(1997, 11, [28]),
      ...days(1997, 12, [29]),
      ...days(1998, 1, [29]),
      ...days(1998, 2, [26]),
    ],
  ),
  example(
    'Monthly on the 2nd and 15th of the month for 10 occurrences',
    'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
    '1997-09-02T09:00',
    [
      ...days(1997, 9, [2, 15]),
      ...days(1997, 10, [2, 15]),
      ...days(1997, 11, [2, 15]),
      ...days(1997, 12, [2, 15]),
      ...days(1998, 1, [2, 15]),
    ],
  ),
  example(
    'Monthly on the first and last day of the month for 10 occurrences',
    'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
    '1997-09-30T09:00',
    [
      ...days(1997, 9, [30]),
      ...days(1997, 10, [1, 31]),
      ...days(1997, 11, [1, 30]),
      ...days(1997, 12, [1, 31]),
      ...days(1998, 1, [1, 31]),
      ...days(1998, 2, [1]),
    ],
  ),
  example(
    'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
    '1997-09-10T09:00',
    [...days(1997, 9, range(10, 15)), ...days(1999, 3, range(10, 13))],
  ),
  example(
    'Every Tuesday, every other month',
    'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
    '1997-09-02T09:00',
    [
      ...days(1997, 9, [2, 9, 16, 23, 30]),
      ...days(1997, 11, [4, 11, 18, 25]),
      ...days(1998, 1, [6, 13, 20, 27]),
      ...days(1998, 3, [3, 10, 17, 24, 31]),
    ],
  ),
  example(
    'Yearly in June and July for 10 occurrences',
    'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
    '1997-06-10T09:00',
    [1997, 1998, 1999, 2000, 2001].flatMap((y) => [...days(y, 6, [10]), ...days(y, 7, [10])]),
  ),
  example(
    'Every other year on January, February, and March for 10 occurrences',
    'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
    '1997-03-10T09:00',
    [
      ...days(1997, 3, [10]),
      ...[1999, 2001, 2003].flatMap((y) => [1, 2, 3].flatMap((m) => days(y, m, [10]))),
    ],
  ),
  example(
    'Every third year on the 1st, 100th, and 200th day for 10 occurrences',
    'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
    '1997-01-01T09:00',
    [
      ...days(1997, 1, [1]),
      ...days(1997, 4, [10]),
      ...days(1997, 7, [19]),
      ...days(2000, 1, [1]),
      ...days(2000, 4, [9]),
      ...days(2000, 7, [18]),
      ...days(2003, 1, [1]),
      ...days(2003, 4, [10]),
      ...days(2003, 7, [19]),
      ...days(2006, 1, [1]),
    ],
  ),
  example('Every 20th Monday of the year, forever', 'FREQ=YEARLY;BYDAY=20MO', '1997-05-19T09:00', [
    ...days(1997, 5, [19]),
    ...days(1998, 5, [18]),
    ...days(1999, 5, [17]),
  ]),
  example(
    'Monday of week number 20, forever',
    'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
    '1997-05-12T09:00',
    [...days(1997, 5, [12]), ...days(1998, 5, [11]), ...days(1999, 5, [17])],
  ),
  example(
    'Every Thursday in March, forever',
    'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
    '1997-03-13T09:00',
    [
      ...days(1997, 3, [13, 20, 27]),
      ...days(1998, 3, [5, 12, 19, 26]),
      ...days(1999, 3, [4, 11, 18, 25]),
    ],
  ),
  example(
    'Every Thursday, but only during June, July, and August, forever',
    'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8',
    '1997-06-05T09:00',
    [
      ...days(1997, 6, [5, 12, 19, 26]),
      ...days(1997, 7, [3, 10, 17, 24, 31]),
      ...days(1997, 8, [7, 14, 21, 28]),
      ...days(1998, 6, [4, 11, 18, 25]),
      ...days(1998, 7, [2, 9, 16, 23, 30]),
      ...days(1998, 8, [6, 13, 20, 27]),
      ...days(1999, 6, [3, 10, 17, 24]),
      ...days(1999, 7, [1, 8, 15, 22, 29]),
      ...days(1999, 8, [5, 12, 19, 26]),
    ],
  ),
  example(
    'Every Friday the 13th, forever',
    'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
    '1997-09-02T09:00',
    [
      ...days(1998, 2, [13]),
      ...days(1998, 3, [13]),
      ...days(1998, 11, [13]),
      ...days(1999, 8, [13]),
      ...days(2000, 10, [13]),
    ],
    { dropStart: true },
  ),
  example(
    'The first Saturday that follows the first Sunday of the month, forever',
    'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
    '1997-09-13T09:00',
    [
      ...days(1997, 9, [13]),
      ...days(1997, 10, [11]),
      ...days(1997, 11, [8]),
      ...days(1997, 12, [13]),
      ...days(1998, 1, [10]),
      ...days(1998, 2, [7]),
      ...days(1998, 3, [7]),
      ...days(1998, 4, [11]),
      ...days(1998, 5, [9]),
      ...days(1998, 6, [13]),
    ],
  ),
  example(
    'Every 4 years, the first Tuesday after a Monday in November, forever (U.S. Presidential Election day)',
    'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    '1996-11-05T09:00',
    [...days(1996, 11, [5]), ...days(2000, 11, [7]), ...days(2004, 11, [2])],
  ),
  example(
    'The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months',
    'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
    '1997-09-04T09:00',
    [...days(1997, 9, [4]), ...days(1997, 10, [7]), ...days(1997, 11, [6])],
  ),
  example(
    'The second-to-last weekday of the month',
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2',
    '1997-09-29T09:00',
    [
      ...days(1997, 9, [29]),
      ...days(1997, 10, [30]),
      ...days(1997, 11, [27]),
      ...days(1997, 12, [30]),
      ...days(1998, 1, [29]),
      ...days(1998, 2, [26]),
      ...days(1998, 3, [30]),
    ],
  ),
  // The RFC lists 09:00, 12:00 and 15:00, but its UNTIL (17:00 UTC) is 13:00 in New York that
  // day (EDT), so 15:00 is past it: a known erratum of the example, answered as UNTIL says.
  example(
    'Every 3 hours from 9:00 AM to 5:00 PM on a specific day',
    'FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z',
    '1997-09-02T09:00',
    ['1997-09-02T09:00', '1997-09-02T12:00'],
  ),
  example(
    'Every 3 hours from 9:00 AM to 5:00 PM on a specific day (UNTIL at 17:00 local)',
    'FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z',
    '1997-09-02T09:00',
    ['1997-09-02T09:00', '1997-09-02T12:00', '1997-09-02T15:00'],
  ),
  example(
    'Every 15 minutes for 6 occurrences',
    'FREQ=MINUTELY;INTERVAL=15;COUNT=6',
    '1997-09-02T09:00',
    [
      '1997-09-02T09:00',
      '1997-09-02T09:15',
      '1997-09-02T09:30',
      '1997-09-02T09:45',
      '1997-09-02T10:00',
      '1997-09-02T10:15',
    ],
  ),
  example(
    'Every hour and a half for 4 occurrences',
    'FREQ=MINUTELY;INTERVAL=90;COUNT=4',
    '1997-09-02T09:00',
    ['1997-09-02T09:00', '1997-09-02T10:30', '1997-09-02T12:00', '1997-09-02T13:30'],
  ),
  example(
    'Every 20 minutes from 9:00 AM to 4:40 PM every day (daily)',
    'FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40',
    '1997-09-02T09:00',
    [...every20Minutes('1997-09-02'), ...every20Minutes('1997-09-03')],
  ),
  example(
    'Every 20 minutes from 9:00 AM to 4:40 PM every day (minutely)',
    'FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16',
    '1997-09-02T09:00',
    [...every20Minutes('1997-09-02'), ...every20Minutes('1997-09-03')],
  ),
  example(
    'WKST=MO: the days generated differ with the week start',
    'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO',
    '1997-08-05T09:00',
    days(1997, 8, [5, 10, 19, 24]),
  ),
  example(
    'WKST=SU: the days generated differ with the week start',
    'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU',
    '1997-08-05T09:00',
    days(1997, 8, [5, 17, 19, 31]),
  ),
  example(
    'An invalid date (February 30) is ignored',
    'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
    '2007-01-15T09:00',
    [...days(2007, 1, [15, 30]), ...days(2007, 2, [15]), ...days(2007, 3, [15, 30])],
  ),
];
