// The object keys whose values may be patient data or secrets, wherever they appear. Log
// redaction (redact.ts) and error-report scrubbing (scrub.ts) both read this one list.

/** Patient data: names, contacts, dates of birth, identifiers and free text. */
export const PHI_KEYS = [
  'firstName',
  'lastName',
  'preferredName',
  'name',
  'birthDate',
  'phones',
  'phone',
  'number',
  'email',
  'address',
  'street',
  'line1',
  'line2',
  'city',
  'postalCode',
  'nationalId',
  'insurance',
  'memberId',
  'subscriberName',
  'allergies',
  'medicalAlerts',
  'nameKey',
  'givenNameKey',
  'phoneKey',
  'body',
  'notes',
  'note',
  'description',
  'reason',
  // Whole replicated documents: any of them may be a patient.
  'newDocumentState',
  'assumedMasterState',
  'documents',
  'document',
] as const;

/** Credentials: never logged, never reported. */
export const SECRET_KEYS = [
  'password',
  'passwordHash',
  'refreshToken',
  'accessToken',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
] as const;

const sensitive = new Set<string>([...PHI_KEYS, ...SECRET_KEYS].map((key) => key.toLowerCase()));

/** True when a value stored under `key` must never leave the process unmasked. */
export function isSensitiveKey(key: string): boolean {
  return sensitive.has(key.toLowerCase());
}
