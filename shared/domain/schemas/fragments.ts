// Field fragments shared by the collection schemas. Each is `as const` so that a schema built
// from them still derives its document type, and RxDB's index rules (maxLength on indexed strings)
// are satisfied in one place.
import { CURRENCIES } from '../enums';
import { CALENDAR_DATE_PATTERN, STORED_INSTANT_PATTERN, TIME_OF_DAY_PATTERN } from '../time';

/** A document id or a reference to one (UUIDv7 from `newId()`, 36 characters). */
export const idField = { type: 'string', minLength: 1, maxLength: 36 } as const;

/** An instant in stored form `YYYY-MM-DDTHH:mm:ss.sssZ` (see time.ts). */
export const instantField = {
  type: 'string',
  minLength: 24,
  maxLength: 24,
  pattern: STORED_INSTANT_PATTERN,
  format: 'date-time',
} as const;

/** An instant that is `null` until the thing happens (arrived, seated...). */
export const nullableInstantField = {
  type: ['string', 'null'],
  minLength: 24,
  maxLength: 24,
  pattern: STORED_INSTANT_PATTERN,
  format: 'date-time',
} as const;

/** A calendar date `YYYY-MM-DD` with no time zone. */
export const calendarDateField = {
  type: 'string',
  minLength: 10,
  maxLength: 10,
  pattern: CALENDAR_DATE_PATTERN,
  format: 'date',
} as const;

/** A wall-clock time `HH:mm` in the clinic's zone. */
export const timeOfDayField = {
  type: 'string',
  minLength: 5,
  maxLength: 5,
  pattern: TIME_OF_DAY_PATTERN,
} as const;

/** A person's or thing's name: never empty. */
export const nameField = { type: 'string', minLength: 1, maxLength: 100 } as const;
/** Optional short text (a preferred name, a reason). */
export const shortTextField = { type: 'string', maxLength: 200 } as const;
/** Free text (appointment notes, procedure notes). */
export const notesField = { type: 'string', maxLength: 4000 } as const;
/** A colour as `#rrggbb`. */
export const colourField = { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', maxLength: 7 } as const;
export const emailField = { type: 'string', maxLength: 254, format: 'email' } as const;
export const currencyField = { type: 'string', enum: CURRENCIES } as const;
/** Money in integer cents of `currency`; never a float. Up to 10 million units. */
export const centsField = { type: 'integer', minimum: 0, maximum: 1_000_000_000 } as const;
export const flagField = { type: 'boolean' } as const;

/** Fields every document carries. `updatedBy` is the staff id of the last writer. */
export const baseProperties = {
  id: idField,
  clinicId: idField,
  updatedAt: instantField,
  updatedBy: idField,
} as const;

export const baseRequired = ['id', 'clinicId', 'updatedAt', 'updatedBy'] as const;
