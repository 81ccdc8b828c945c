import { enUS, ptBR } from 'date-fns/locale';
import { describe, expect, it } from 'vitest';
import {
  dayToWallClock,
  instantToWallClock,
  minutesBetween,
  shiftDay,
  wallClockDay,
  wallClockTime,
  wallClockToInstant,
  weekStartOf,
} from './clinic-time';

const NEW_YORK = 'America/New_York';
const SAO_PAULO = 'America/Sao_Paulo';

describe('clinic instants as wall-clock Dates', () => {
  it('shows the clinic clock whatever zone the browser is in', () => {
    // 13:30 UTC is 10:30 in São Paulo (UTC-3 all year since 2019).
    const date = instantToWallClock('2025-06-02T13:30:00.000Z', SAO_PAULO);
    expect(wallClockDay(date)).toBe('2025-06-02');
    expect(wallClockTime(date)).toBe('10:30');
    expect(wallClockToInstant(date, SAO_PAULO)).toBe('2025-06-02T13:30:00.000Z');
  });

  it('keeps the wall-clock across a spring-forward day (23 hours)', () => {
    // New York moves from EST (UTC-5) to EDT (UTC-4) at 02:00 on 2025-03-09.
    const before = instantToWallClock('2025-03-09T06:30:00.000Z', NEW_YORK);
    const after = instantToWallClock('2025-03-09T13:00:00.000Z', NEW_YORK);
    expect(wallClockTime(before)).toBe('01:30');
    expect(wallClockTime(after)).toBe('09:00');
    expect(wallClockToInstant(dayToWallClock('2025-03-09', '09:00'), NEW_YORK)).toBe(
      '2025-03-09T13:00:00.000Z',
    );
    // The same 09:00 the day before is an hour later in UTC.
    expect(wallClockToInstant(dayToWallClock('2025-03-08', '09:00'), NEW_YORK)).toBe(
      '2025-03-08T14:00:00.000Z',
    );
  });

  it('keeps the wall-clock across a fall-back day (25 hours)', () => {
    expect(wallClockTime(instantToWallClock('2025-11-02T14:00:00.000Z', NEW_YORK))).toBe('09:00');
    expect(wallClockToInstant(dayToWallClock('2025-11-02', '09:00'), NEW_YORK)).toBe(
      '2025-11-02T14:00:00.000Z',
    );
    expect(wallClockToInstant(dayToWallClock('2025-11-01', '09:00'), NEW_YORK)).toBe(
      '2025-11-01T13:00:00.000Z',
    );
  });

  it('round-trips every quarter hour of a DST day', () => {
    for (let minutes = 4 * 60; minutes < 22 * 60; minutes += 15) {
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      const instant = wallClockToInstant(dayToWallClock('2025-03-09', time), NEW_YORK);
      expect(wallClockTime(instantToWallClock(instant, NEW_YORK))).toBe(time);
    }
  });
});

describe('calendar days', () => {
  it('steps over month and year ends', () => {
    expect(shiftDay('2025-06-30', 1)).toBe('2025-07-01');
    expect(shiftDay('2025-01-01', -1)).toBe('2024-12-31');
    expect(shiftDay('2025-03-08', 7)).toBe('2025-03-15');
  });

  it('starts the week as the calendar does for the UI language', () => {
    // 2025-06-04 is a Wednesday; both en-US and pt-BR weeks start on Sunday.
    expect(weekStartOf('2025-06-04', enUS)).toBe('2025-06-01');
    expect(weekStartOf('2025-06-01', ptBR)).toBe('2025-06-01');
  });

  it('measures a visit in minutes', () => {
    expect(minutesBetween('2025-06-02T13:30:00.000Z', '2025-06-02T14:15:00.000Z')).toBe(45);
  });
});
