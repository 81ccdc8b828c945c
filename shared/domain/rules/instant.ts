// Appointment times are UTC instants in one fixed-width form, so that plain string comparison
// is chronological comparison. Every rule that compares times checks the form first: an offset
// like "+02:00" or a missing millisecond part would make string order silently wrong.

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, the only form an instant is stored in, as a JSON-schema pattern. */
export const STORED_INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';
const UTC_INSTANT_PATTERN = new RegExp(STORED_INSTANT_PATTERN);

/** Is `value` a real UTC instant written exactly as `YYYY-MM-DDTHH:mm:ss.sssZ`? */
export function isUtcInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !UTC_INSTANT_PATTERN.test(value)) return false;
  const parsed = new Date(value);
  // The round trip rejects impossible dates such as 2025-02-30 that the pattern lets through.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === value;
}

/** Throws unless `value` is a UTC instant; `what` names the field for the message. */
export function assertUtcInstant(value: unknown, what: string): asserts value is string {
  if (!isUtcInstant(value)) {
    throw new TypeError(
      `${what} must be a UTC time written as YYYY-MM-DDTHH:mm:ss.sssZ (for example 2025-03-14T09:30:00.000Z).`,
    );
  }
}
