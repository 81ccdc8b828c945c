import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clinicLocalToInstant, toStoredInstant } from '../domain/time';
import {
  addCalendarDays,
  ageInYears,
  calendarDateOfDayNumber,
  calendarDayNumber,
  ClinicDayClock,
  instantOf,
  weekdayOfDayNumber,
} from './calendar';

describe('instantOf', () => {
  it('writes exactly what toStoredInstant writes', () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('0000-01-01T00:00:00.000Z'),
          max: Date.parse('9999-12-31T23:59:59.999Z'),
        }),
        (ms) => instantOf(ms) === toStoredInstant(ms),
      ),
      { numRuns: 2_000 },
    );
    // Alternating days, so the remembered date part is replaced every time.
    for (const ms of [0, 86_399_999, 86_400_000, -1, 1_717_000_000_123]) {
      expect(instantOf(ms)).toBe(toStoredInstant(ms));
    }
  });

  it('refuses fractions and years the stored form cannot write', () => {
    expect(() => instantOf(1.5)).toThrow(RangeError);
    expect(() => instantOf(Date.parse('9999-12-31T23:59:59.999Z') + 1)).toThrow(RangeError);
    expect(() => instantOf(Number.NaN)).toThrow(RangeError);
  });
});

describe('calendar days', () => {
  it('counts, adds and names weekdays of calendar dates', () => {
    expect(calendarDayNumber('1970-01-01')).toBe(0);
    expect(calendarDateOfDayNumber(calendarDayNumber('2024-02-28') + 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(weekdayOfDayNumber(calendarDayNumber('2025-06-02'))).toBe(1); // a Monday
    expect(weekdayOfDayNumber(calendarDayNumber('1969-12-28'))).toBe(0); // a Sunday
    expect(() => calendarDayNumber('2025-13-01')).toThrow(RangeError);
  });

  it('counts age in whole years as birthdays do', () => {
    expect(ageInYears('2000-06-02', '2025-06-01')).toBe(24);
    expect(ageInYears('2000-06-02', '2025-06-02')).toBe(25);
    expect(ageInYears('2004-02-29', '2025-03-01')).toBe(21);
  });
});

describe('ClinicDayClock', () => {
  const cases: [zone: string, day: string, first: number, last: number][] = [
    ['America/Sao_Paulo', '2025-06-02', 8 * 60, 19 * 60],
    // Daylight-saving changes inside the span: the clock must fall back to lookups.
    ['Europe/London', '2025-03-30', 0, 4 * 60],
    ['Europe/London', '2025-10-26', 0, 4 * 60],
    ['America/New_York', '2025-03-09', 0, 6 * 60],
    ['America/New_York', '2025-03-10', 7 * 60, 19 * 60],
  ];

  it.each(cases)('matches clinicLocalToInstant in %s on %s', (zone, day, first, last) => {
    const clock = new ClinicDayClock(day, zone, first, last);
    for (let minute = first; minute <= last; minute += 15) {
      const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      expect(clock.msAt(minute)).toBe(Date.parse(clinicLocalToInstant(day, hhmm, zone)));
    }
  });
});
