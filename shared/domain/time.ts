// Instants are stored in UTC in one fixed-width form, so comparing the strings (as every index
// does) compares the times. The clinic's IANA time zone is only used to show times and to find
// where a clinic day starts and ends.
import { TZDate } from '@date-fns/tz';
import { addDays, addMinutes, format } from 'date-fns';
import { isUtcInstant } from './rules/instant';

export { STORED_INSTANT_PATTERN } from './rules/instant';
/** `YYYY-MM-DD`, a calendar date without a time zone (birth dates, procedure dates). */
export const CALENDAR_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** `HH:mm`, a wall-clock time in the clinic's zone (working hours). */
export const TIME_OF_DAY_PATTERN = '^(?:[01]\\d|2[0-3]):[0-5]\\d$';

const calendarDateRegex = new RegExp(CALENDAR_DATE_PATTERN);
const timeOfDayRegex = new RegExp(TIME_OF_DAY_PATTERN);
// An instant given as text must say which offset it is in: a bare local time is ambiguous.
const instantWithOffsetRegex =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * The stored form of an instant. Accepts a Date, epoch milliseconds, or ISO 8601 text that
 * carries `Z` or an offset. Throws a RangeError (without echoing the input) otherwise.
 */
export function toStoredInstant(value: Date | string | number): string {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else {
    // Date would quietly roll 2024-02-30 over into March, so the parts are checked first.
    const seconds = value.length > 17 && value[16] === ':' ? Number(value.slice(17, 19)) : 0;
    if (
      !instantWithOffsetRegex.test(value) ||
      !isCalendarDate(value.slice(0, 10)) ||
      !isTimeOfDay(value.slice(11, 16)) ||
      seconds > 59
    ) {
      throw new RangeError('an instant must be ISO 8601 text with Z or an offset');
    }
    date = new Date(value);
  }
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('not a valid instant');
  const stored = new Date(time).toISOString();
  // Years outside 0000-9999 print as ±YYYYYY and would break the fixed width.
  if (!isUtcInstant(stored)) throw new RangeError('instant is outside years 0000-9999');
  return stored;
}

/** True when `value` is `YYYY-MM-DD` and a real calendar date. */
export function isCalendarDate(value: string): boolean {
  if (!calendarDateRegex.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** True when `value` is `HH:mm` on a 24-hour clock. */
export function isTimeOfDay(value: string): boolean {
  return timeOfDayRegex.test(value);
}

/** Minutes since midnight of an `HH:mm` time. */
export function minutesOfDay(timeOfDay: string): number {
  if (!isTimeOfDay(timeOfDay)) throw new RangeError('a time of day must be HH:mm');
  return Number(timeOfDay.slice(0, 2)) * 60 + Number(timeOfDay.slice(3, 5));
}

/** True when the runtime knows `timeZone` as an IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function requireTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError('unknown time zone');
}

function parseCalendarDate(day: string): [year: number, monthIndex: number, date: number] {
  if (!isCalendarDate(day)) throw new RangeError('a day must be a real date written YYYY-MM-DD');
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))];
}

/**
 * The instants `[start, end)` of one clinic-local calendar day, in stored form. A day is not
 * always 24 hours long: across a daylight-saving change it has 23 or 25.
 */
export function clinicDayRange(day: string, timeZone: string): { start: string; end: string } {
  requireTimeZone(timeZone);
  const [year, monthIndex, date] = parseCalendarDate(day);
  const start = new TZDate(year, monthIndex, date, timeZone);
  const end = addDays(start, 1);
  return { start: toStoredInstant(start), end: toStoredInstant(end) };
}

/** The clinic-local calendar day (`YYYY-MM-DD`) that an instant falls on. */
export function clinicDayOf(instant: Date | string | number, timeZone: string): string {
  return formatInZone(instant, timeZone, 'yyyy-MM-dd');
}

/** Today's clinic-local calendar day. */
export function clinicToday(timeZone: string, now: Date = new Date()): string {
  return clinicDayOf(now, timeZone);
}

/**
 * The stored instant of a clinic-local wall-clock time (`HH:mm`) on a clinic-local day. A time
 * that does not exist on that day (skipped by a daylight-saving change) moves forward by the
 * size of the gap, as a wall clock would.
 */
export function clinicLocalToInstant(day: string, timeOfDay: string, timeZone: string): string {
  requireTimeZone(timeZone);
  const [year, monthIndex, date] = parseCalendarDate(day);
  const minutes = minutesOfDay(timeOfDay);
  const local = new TZDate(
    year,
    monthIndex,
    date,
    Math.floor(minutes / 60),
    minutes % 60,
    timeZone,
  );
  return toStoredInstant(local);
}

/**
 * An instant formatted with a date-fns pattern as read on a clock in `timeZone`,
 * e.g. `formatInZone(start, 'America/Sao_Paulo', 'HH:mm')`.
 */
export function formatInZone(
  instant: Date | string | number,
  timeZone: string,
  pattern: string,
): string {
  requireTimeZone(timeZone);
  const time = new Date(toStoredInstant(instant)).getTime();
  return format(new TZDate(time, timeZone), pattern);
}

/** The stored instant `minutes` after another one (e.g. an appointment's end from its start). */
export function addMinutesToInstant(instant: string, minutes: number): string {
  return toStoredInstant(addMinutes(new Date(toStoredInstant(instant)), minutes));
}
