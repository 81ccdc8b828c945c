// The demo clinic's options and their defaults. Nothing here reads the clock: "today" is an
// option, so the same options always describe the same clinic.
import { isCalendarDate, isTimeOfDay, isValidTimeZone } from '../domain/time';
import { addCalendarDays, calendarDayNumber } from './calendar';
import { DemoIdFactory } from './random';

export const DEMO_LOCALES = ['pt_BR', 'en'] as const;
export type DemoLocale = (typeof DEMO_LOCALES)[number];
export const DEMO_CURRENCIES = ['BRL', 'USD'] as const;
export type DemoCurrency = (typeof DEMO_CURRENCIES)[number];

export interface DemoClinicOptions {
  /** Same seed and options, same clinic, byte for byte. Default 1. */
  seed?: number;
  /** Default: an id derived from the seed. */
  clinicId?: string;
  /**
   * The clinic-local day the story is told from: before it visits are over, after it they are
   * booked. Callers pass the real day (e.g. `clinicToday(timeZone)`); the default is fixed.
   */
  today?: string;
  /** The clinic-local time of "now" on `today` (`HH:mm`), which splits today's visits. */
  nowTimeOfDay?: string;
  /** Number of patients. Default 2,000. */
  patients?: number;
  /** Bookable providers. Default 3 dentists and 2 hygienists. */
  providers?: { dentists?: number; hygienists?: number };
  /** Front-desk users. Default 2. */
  frontDesk?: number;
  /** Treatment rooms. Default 5. */
  operatories?: number;
  /** First day of the schedule. Default: one year before `today`. */
  startDay?: string;
  /** Calendar days in the schedule. Default: through `today` and six weeks of future bookings. */
  days?: number;
  /** IANA zone of the clinic. Default 'America/Sao_Paulo'. */
  timeZone?: string;
  /** Billing currency. Default 'BRL'. */
  currency?: DemoCurrency;
  /** Language of names, addresses and texts. Default 'pt_BR'. */
  locale?: DemoLocale;
  /**
   * The density knob: visits each room aims for on a fully booked working day. Working hours cap
   * it (about 9 or 10 visits of 30-120 minutes fit a 9-hour day), and so does staffing: a room
   * only fills while some provider is free. Days ahead of `today` are booked more thinly.
   * Default 8.
   */
  appointmentsPerChairPerDay?: number;
  /** Domain of the staff logins; must be example.com, .org or .net, or a subdomain of one. */
  staffEmailDomain?: string;
}

export interface ResolvedDemoClinicOptions {
  seed: number;
  clinicId: string;
  today: string;
  nowTimeOfDay: string;
  patients: number;
  providers: { dentists: number; hygienists: number };
  frontDesk: number;
  operatories: number;
  startDay: string;
  days: number;
  timeZone: string;
  currency: DemoCurrency;
  locale: DemoLocale;
  appointmentsPerChairPerDay: number;
  staffEmailDomain: string;
}

/** The fixed default "today" (a Monday): the generator never reads the clock. */
export const DEFAULT_DEMO_TODAY = '2025-06-02';
/** How far ahead of `today` the default schedule books. */
export const DEFAULT_FUTURE_DAYS = 42;
export const DEFAULT_STAFF_EMAIL_DOMAIN = 'topsmile-demo.example.com';

/** The domains RFC 2606 reserves for examples, which can never reach a real mailbox. */
const RESERVED_EXAMPLE_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*example\.(?:com|org|net)$/;

export function isReservedExampleDomain(domain: string): boolean {
  return RESERVED_EXAMPLE_DOMAIN.test(domain);
}

function wholeNumber(value: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${what} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Fills in the defaults and checks every option, with a message naming the bad one. */
export function resolveDemoClinicOptions(
  options: DemoClinicOptions = {},
): ResolvedDemoClinicOptions {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a whole number');
  const today = options.today ?? DEFAULT_DEMO_TODAY;
  if (!isCalendarDate(today)) throw new RangeError('today must be a real date written YYYY-MM-DD');
  const nowTimeOfDay = options.nowTimeOfDay ?? '10:30';
  if (!isTimeOfDay(nowTimeOfDay)) throw new RangeError('nowTimeOfDay must be written HH:mm');
  const startDay = options.startDay ?? addCalendarDays(today, -364);
  if (!isCalendarDate(startDay)) {
    throw new RangeError('startDay must be a real date written YYYY-MM-DD');
  }
  const daysThroughToday = calendarDayNumber(today) - calendarDayNumber(startDay) + 1;
  const days = wholeNumber(
    options.days ?? Math.max(1, daysThroughToday + DEFAULT_FUTURE_DAYS),
    'days',
    1,
    36_600,
  );
  const timeZone = options.timeZone ?? 'America/Sao_Paulo';
  if (!isValidTimeZone(timeZone)) throw new RangeError('timeZone must be an IANA time zone');
  const dentists = wholeNumber(options.providers?.dentists ?? 3, 'providers.dentists', 0, 500);
  const hygienists = wholeNumber(
    options.providers?.hygienists ?? 2,
    'providers.hygienists',
    0,
    500,
  );
  if (dentists === 0) throw new RangeError('the demo clinic needs at least one dentist');
  const staffEmailDomain = options.staffEmailDomain ?? DEFAULT_STAFF_EMAIL_DOMAIN;
  if (!isReservedExampleDomain(staffEmailDomain)) {
    throw new RangeError('staffEmailDomain must be example.com, example.org or example.net');
  }
  const clinicId =
    options.clinicId ?? new DemoIdFactory(`clinic:${seed}`).next(Date.UTC(2020, 0, 1));
  if (clinicId.length < 1 || clinicId.length > 36) {
    throw new RangeError('clinicId must be 1 to 36 characters');
  }
  return {
    seed,
    clinicId,
    today,
    nowTimeOfDay,
    patients: wholeNumber(options.patients ?? 2_000, 'patients', 1, 10_000_000),
    providers: { dentists, hygienists },
    frontDesk: wholeNumber(options.frontDesk ?? 2, 'frontDesk', 1, 100),
    operatories: wholeNumber(options.operatories ?? 5, 'operatories', 1, 9_999),
    startDay,
    days,
    timeZone,
    currency: oneOf(options.currency ?? 'BRL', DEMO_CURRENCIES, 'currency'),
    locale: oneOf(options.locale ?? 'pt_BR', DEMO_LOCALES, 'locale'),
    appointmentsPerChairPerDay: wholeNumber(
      options.appointmentsPerChairPerDay ?? 8,
      'appointmentsPerChairPerDay',
      0,
      96,
    ),
    staffEmailDomain,
  };
}
