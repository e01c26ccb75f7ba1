import { describe, expect, it } from 'vitest';
import {
  formatDue,
  fromLocalInput,
  startOfDay,
  toLocalInput,
  toMinute,
} from '../src/time/zoned-time';

describe('datetime-local values in the profile’s zone', () => {
  it('shows an instant as the wall time of the zone, not the browser’s', () => {
    expect(toLocalInput('2026-03-02T08:00:00Z', 'Europe/Paris')).toBe('2026-03-02T09:00');
    expect(toLocalInput('2026-03-02T08:00:00Z', 'America/New_York')).toBe('2026-03-02T03:00');
    expect(toLocalInput(null, 'Europe/Paris')).toBe('');
  });

  it('reads a wall time back with the zone’s offset on that date', () => {
    expect(fromLocalInput('2026-03-02T09:00', 'Europe/Paris')).toBe('2026-03-02T09:00:00+01:00');
    expect(fromLocalInput('2026-07-02T09:00', 'Europe/Paris')).toBe('2026-07-02T09:00:00+02:00');
    expect(fromLocalInput('', 'Europe/Paris')).toBeNull();
    expect(fromLocalInput('not a date', 'Europe/Paris')).toBeUndefined();
  });

  it('moves a wall time skipped by a DST change forward by the gap', () => {
    // 02:30 does not exist in Paris on 2026-03-29.
    expect(fromLocalInput('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
  });
});

describe('formatDue', () => {
  const now = new Date('2026-03-02T22:30:00Z'); // 23:30 in Paris, already the 3rd in Tokyo

  it('names today, tomorrow and yesterday in the zone', () => {
    expect(formatDue('2026-03-02T08:00:00Z', 'Europe/Paris', now)).toBe('Today 09:00');
    expect(formatDue('2026-03-03T08:00:00Z', 'Europe/Paris', now)).toBe('Tomorrow 09:00');
    expect(formatDue('2026-03-01T08:00:00Z', 'Europe/Paris', now)).toBe('Yesterday 09:00');
    expect(formatDue('2026-03-03T08:00:00Z', 'Asia/Tokyo', now)).toBe('Today 17:00');
  });

  it('gives the weekday and date further away, with the year when not this one', () => {
    expect(formatDue('2026-03-09T08:00:00Z', 'Europe/Paris', now)).toBe('Mon 9 Mar 09:00');
    expect(formatDue('2027-03-09T08:00:00Z', 'Europe/Paris', now)).toBe('Tue 9 Mar 2027 09:00');
  });
});

describe('day and minute boundaries', () => {
  it('starts days at the zone’s midnight', () => {
    const now = new Date('2026-03-02T23:30:00Z');
    expect(startOfDay('Europe/Paris', now)).toBe('2026-03-03T00:00:00+01:00');
    expect(startOfDay('America/New_York', now, 1)).toBe('2026-03-03T00:00:00-05:00');
  });

  it('keeps the same minute for a minute', () => {
    expect(toMinute('UTC', new Date('2026-03-02T10:15:59.900Z'))).toBe('2026-03-02T10:15:00Z');
  });
});
