// Numbers people read: money from integer cents, dates and times in the clinic's time zone, all
// in the UI language's conventions. Pure functions, so they are tested without a browser.
import type { Currency } from '../../../shared/domain/enums';

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** 12345 BRL in pt-BR → "R$ 123,45"; exact, since cents are integers. */
export function formatMoney(cents: number, currency: Currency, locale: string): string {
  const formatter = cached(
    `money|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
  );
  return formatter.format(cents / 100);
}

/**
 * What a person types as an amount, in cents, or null when it is not one: "125", "125,5",
 * "125.50", "1.234,56", "1,234.56". The last separator followed by one or two digits is the
 * decimal point whatever the language, since people type both; other separators group thousands.
 */
export function parseMoneyInput(text: string): number | null {
  const compact = text.trim().replace(/[\s\u00a0]/g, '');
  // whole part: plain digits, or groups of three behind one consistent separator
  const match = /^(\d{1,3}(?:([.,])\d{3})?(?:\2\d{3})*)(?:([.,])(\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const [, wholeText = '', groupSeparator, decimalSeparator, fractionText = ''] = match;
  // "12,345,6" uses one mark for both jobs: ambiguous, so refused.
  if (groupSeparator && decimalSeparator === groupSeparator) return null;
  const whole = Number(wholeText.replace(/[.,]/g, ''));
  const fraction = Number(fractionText.padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  return Number.isSafeInteger(cents) ? cents : null;
}

/** A stored UTC instant as the clinic's wall-clock time, e.g. "14:30" or "2:30 PM". */
export function formatTime(instant: string, timeZone: string, locale: string): string {
  return cached(
    `time|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' }),
  ).format(new Date(instant));
}

/** A stored UTC instant as the clinic's date and time. */
export function formatDateTime(instant: string, timeZone: string, locale: string): string {
  return cached(
    `datetime|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone,
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
  ).format(new Date(instant));
}

/** A calendar date (YYYY-MM-DD, no time zone) in the locale, e.g. 21/03/2024 or Mar 21, 2024. */
export function formatCalendarDate(
  day: string,
  locale: string,
  style: 'medium' | 'long' | 'full' = 'medium',
): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return cached(
    `date|${locale}|${style}`,
    () => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: style }),
  ).format(new Date(Date.UTC(year, month - 1, date)));
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
