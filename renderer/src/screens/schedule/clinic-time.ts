// react-big-calendar draws plain Dates, which read their wall-clock in the browser's time zone,
// while the clinic keeps its own. The calendar is therefore fed "wall-clock" Dates: a browser Date
// whose local hours and minutes are what the clinic's clock reads. Stored instants are converted
// both ways here, and only here, with the shared clinic time helpers (DST-safe in the clinic's
// zone). A wall-clock time the browser's own zone skips (its DST gap) cannot be drawn exactly;
// when browser and clinic share a zone, as at a front desk, the conversion is the identity.
import { addDays as addCalendarDays, startOfWeek } from 'date-fns';
import type { Locale } from 'date-fns';
import { clinicLocalToInstant, formatInZone } from '../../../../shared/domain/time';

const pad = (value: number) => String(value).padStart(2, '0');

/** The browser Date whose local wall-clock reads what the clinic's clock reads at `instant`. */
export function instantToWallClock(instant: string, timeZone: string): Date {
  const [year, month, date, hours, minutes] = formatInZone(instant, timeZone, 'yyyy M d H m')
    .split(' ')
    .map(Number) as [number, number, number, number, number];
  return new Date(year, month - 1, date, hours, minutes);
}

/** The browser-local calendar day (YYYY-MM-DD) of a wall-clock Date. */
export function wallClockDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The browser-local time of day (HH:mm) of a wall-clock Date. */
export function wallClockTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The stored instant when the clinic's clock reads what `date` reads locally. */
export function wallClockToInstant(date: Date, timeZone: string): string {
  return clinicLocalToInstant(wallClockDay(date), wallClockTime(date), timeZone);
}

/** Local midnight of a calendar day, as the calendar's `date`. */
export function dayToWallClock(day: string, timeOfDay = '00:00'): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = timeOfDay.split(':').map(Number) as [number, number];
  return new Date(year, month - 1, date, hours, minutes);
}

/** The calendar day `count` days after `day`. */
export function shiftDay(day: string, count: number): string {
  return wallClockDay(addCalendarDays(dayToWallClock(day), count));
}

/** The first day of the week holding `day`, as the locale counts weeks (as the calendar draws). */
export function weekStartOf(day: string, locale: Locale): string {
  return wallClockDay(startOfWeek(dayToWallClock(day), { locale }));
}

/** Whole minutes between two stored instants. */
export function minutesBetween(start: string, end: string): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
}
