// Calendar-date arithmetic for the demo timeline. Calendar dates (`YYYY-MM-DD`) have no time
// zone, so they are counted as whole UTC days; clinic-local instants come from time.ts.
import { clinicLocalToInstant, isCalendarDate } from '../domain/time';

const DAY_MS = 86_400_000;

function dayNumberOf(day: string): number {
  if (!isCalendarDate(day)) throw new RangeError('a day must be a real date written YYYY-MM-DD');
  return (
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) /
    DAY_MS
  );
}

/** Days since 1970-01-01 of a calendar date. */
export function calendarDayNumber(day: string): number {
  return dayNumberOf(day);
}

/** The calendar date `dayNumber` days after 1970-01-01. */
export function calendarDateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function addCalendarDays(day: string, count: number): string {
  return calendarDateOfDayNumber(dayNumberOf(day) + count);
}

/** 0 = Sunday ... 6 = Saturday, as providers' working hours count them. */
export function weekdayOfDayNumber(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Whole years from a birth date to a day, as a birthday would count them. */
export function ageInYears(birthDate: string, onDay: string): number {
  const years = Number(onDay.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDay.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * Epoch milliseconds of clinic-local wall-clock minutes on one day. The zone lookup is slow
 * (time.ts builds an Intl formatter per call), so it is asked twice a day, at both ends of the
 * working day. When the two are exactly the working day's length apart, no daylight-saving
 * change falls between them (there is at most one a day) and the minutes in between are plain
 * arithmetic; otherwise each minute is looked up.
 */
export class ClinicDayClock {
  private readonly firstMs: number;
  private readonly uniform: boolean;
  private readonly cache = new Map<number, number>();

  constructor(
    readonly day: string,
    private readonly timeZone: string,
    private readonly firstMinute: number,
    private readonly lastMinute: number,
  ) {
    this.firstMs = this.lookUp(firstMinute);
    this.uniform = this.lookUp(lastMinute) === this.byArithmetic(lastMinute);
  }

  private byArithmetic(minuteOfDay: number): number {
    return this.firstMs + (minuteOfDay - this.firstMinute) * 60_000;
  }

  private lookUp(minuteOfDay: number): number {
    let ms = this.cache.get(minuteOfDay);
    if (ms === undefined) {
      const hours = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
      const minutes = String(minuteOfDay % 60).padStart(2, '0');
      ms = Date.parse(clinicLocalToInstant(this.day, `${hours}:${minutes}`, this.timeZone));
      this.cache.set(minuteOfDay, ms);
    }
    return ms;
  }

  msAt(minuteOfDay: number): number {
    const inside = minuteOfDay >= this.firstMinute && minuteOfDay <= this.lastMinute;
    return this.uniform && inside ? this.byArithmetic(minuteOfDay) : this.lookUp(minuteOfDay);
  }
}

/** Epoch milliseconds of years 0000-9999, the years the stored instant form can write. */
const FIRST_STORABLE_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_STORABLE_MS = Date.parse('9999-12-31T23:59:59.999Z');
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
// The date part of the last day formatted: most instants in a row fall on the same day.
let lastDayNumber = Number.NaN;
let lastDayPrefix = '';

/**
 * The stored form of epoch milliseconds (`YYYY-MM-DDTHH:mm:ss.sssZ`), exactly as
 * `toStoredInstant` writes it (a test compares the two). The generator formats millions of
 * these from its own arithmetic, so the date part is reused within a day and the time part is
 * built from tables, several times faster than Date#toISOString.
 */
export function instantOf(ms: number): string {
  if (!Number.isInteger(ms) || ms < FIRST_STORABLE_MS || ms > LAST_STORABLE_MS) {
    throw new RangeError('a demo instant is outside years 0000-9999');
  }
  const dayNumber = Math.floor(ms / DAY_MS);
  if (dayNumber !== lastDayNumber) {
    lastDayNumber = dayNumber;
    lastDayPrefix = new Date(dayNumber * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - dayNumber * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  const millis = rest - seconds * 1_000;
  return `${lastDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
