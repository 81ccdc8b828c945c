import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUtcInstant } from './rules/instant';
import {
  STORED_INSTANT_PATTERN,
  addMinutesToInstant,
  clinicDayOf,
  clinicDayRange,
  clinicLocalToInstant,
  clinicToday,
  formatInZone,
  isCalendarDate,
  isValidTimeZone,
  minutesOfDay,
  toStoredInstant,
} from './time';

describe('toStoredInstant', () => {
  it('writes every instant as fixed-width UTC', () => {
    expect(toStoredInstant('2024-03-10T09:00:00-03:00')).toBe('2024-03-10T12:00:00.000Z');
    expect(toStoredInstant('2024-03-10T12:00Z')).toBe('2024-03-10T12:00:00.000Z');
    expect(toStoredInstant(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe(
      '2024-01-02T03:04:05.006Z',
    );
    expect(toStoredInstant(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('refuses text without an offset, invalid dates and years that break the width', () => {
    expect(() => toStoredInstant('2024-03-10T09:00:00')).toThrow(RangeError);
    expect(() => toStoredInstant('2024-02-30T09:00:00Z')).toThrow(RangeError);
    expect(() => toStoredInstant('2024-02-10T24:30:00Z')).toThrow(RangeError);
    expect(() => toStoredInstant('2024-02-10T09:30:60Z')).toThrow(RangeError);
    expect(() => toStoredInstant(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => toStoredInstant(Date.UTC(10000, 0, 1))).toThrow(RangeError);
  });

  it('keeps string order equal to time order', () => {
    const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [sa, sb] = [toStoredInstant(a), toStoredInstant(b)];
        expect(Math.sign(sa.localeCompare(sb, 'en'))).toBe(Math.sign(a - b));
        expect(sa < sb).toBe(a < b);
        expect(isUtcInstant(sa)).toBe(true);
      }),
    );
  });
});

describe('format checks', () => {
  it('has a schema pattern for instants that agrees with isUtcInstant on well-formed text', () => {
    const pattern = new RegExp(STORED_INSTANT_PATTERN);
    const good = ['2024-02-29T23:59:59.999Z', '0001-01-01T00:00:00.000Z'];
    const bad = [
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.000+00:00',
      '2024-01-01 00:00:00.000Z',
    ];
    for (const value of good)
      expect([pattern.test(value), isUtcInstant(value)]).toEqual([true, true]);
    for (const value of bad)
      expect([pattern.test(value), isUtcInstant(value)]).toEqual([false, false]);
  });

  it('knows real instants, dates and times of day', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-2-9')).toBe(false);
    expect(minutesOfDay('08:30')).toBe(510);
    expect(() => minutesOfDay('24:00')).toThrow(RangeError);
    expect(isValidTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('clinic days in a time zone', () => {
  it('gives a normal day as 24 hours starting at local midnight', () => {
    expect(clinicDayRange('2024-03-21', 'America/Sao_Paulo')).toEqual({
      start: '2024-03-21T03:00:00.000Z',
      end: '2024-03-22T03:00:00.000Z',
    });
  });

  it('gives daylight-saving days their 23 and 25 hours', () => {
    const spring = clinicDayRange('2024-03-10', 'America/New_York');
    expect(spring).toEqual({ start: '2024-03-10T05:00:00.000Z', end: '2024-03-11T04:00:00.000Z' });
    const autumn = clinicDayRange('2024-11-03', 'America/New_York');
    expect(autumn).toEqual({ start: '2024-11-03T04:00:00.000Z', end: '2024-11-04T05:00:00.000Z' });
  });

  it('puts every instant inside the range of the clinic day it falls on', () => {
    const zones = fc.constantFrom(
      'America/New_York',
      'Europe/Lisbon',
      'Australia/Lord_Howe',
      'UTC',
    );
    const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
    fc.assert(
      fc.property(instant, zones, (time, zone) => {
        const stored = toStoredInstant(time);
        const { start, end } = clinicDayRange(clinicDayOf(stored, zone), zone);
        expect(start <= stored && stored < end).toBe(true);
      }),
    );
  });

  it('turns clinic wall-clock times into instants and back', () => {
    const start = clinicLocalToInstant('2024-07-01', '09:30', 'Europe/Lisbon');
    expect(start).toBe('2024-07-01T08:30:00.000Z');
    expect(formatInZone(start, 'Europe/Lisbon', 'yyyy-MM-dd HH:mm')).toBe('2024-07-01 09:30');
    expect(clinicDayOf('2024-07-01T23:30:00.000Z', 'Europe/Lisbon')).toBe('2024-07-02');
    // 02:30 does not exist in New York on 2024-03-10: the clock jumps from 02:00 to 03:00.
    expect(clinicLocalToInstant('2024-03-10', '02:30', 'America/New_York')).toBe(
      '2024-03-10T07:30:00.000Z',
    );
    expect(clinicToday('Pacific/Kiritimati', new Date('2024-07-01T12:00:00.000Z'))).toBe(
      '2024-07-02',
    );
  });

  it('adds minutes to a stored instant', () => {
    expect(addMinutesToInstant('2024-03-25T23:45:00.000Z', 30)).toBe('2024-03-26T00:15:00.000Z');
  });

  it('refuses unknown zones and impossible days without echoing them', () => {
    expect(() => clinicDayRange('2024-03-21', 'Nowhere/Here')).toThrow('unknown time zone');
    expect(() => clinicDayRange('2024-13-01', 'UTC')).toThrow(RangeError);
  });
});
