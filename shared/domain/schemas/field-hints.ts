// Words for people: what each field is called and what a good value looks like, with invented
// examples. They live outside the schemas because any change to a schema object changes RxDB's
// schema hash (a wording fix must not need a migration). The UI can use the labels too.
import type { CollectionName } from './collection-names';

export interface FieldHint {
  /** What a person calls the field, in lower case: "birth date". */
  readonly label: string;
  /** Finishes "<label> must ...", with an invented example: "be a date in the past, like 1984-03-21". */
  readonly expected?: string;
}

const UTC_TIME = 'be a UTC time written like 2024-03-21T14:30:00.000Z';
const RECORD_ID = 'be the id of a record, like 0190a6c4-5b1e-7c3d-9f2a-3b4c5d6e7f80';
const CALENDAR_DATE = 'be a real date written year-month-day, like 2024-03-21';
const TIME_OF_DAY = 'be a time on the 24-hour clock, like 08:30';
const COLOUR = 'be a colour written #rrggbb, like #3a7bd5';
const CENTS = 'be a whole number of cents, like 12500 for 125.00';
const SEARCH_KEY = 'be filled from the name and phone by derivePatientSearchFields';

const idHint = (label: string): FieldHint => ({ label, expected: RECORD_ID });

/** Hints for fields that mean the same in every collection. */
const COMMON_HINTS: Readonly<Record<string, FieldHint>> = {
  id: idHint('record id'),
  clinicId: idHint('clinic'),
  updatedAt: { label: 'last change time', expected: UTC_TIME },
  updatedBy: idHint('last changed by'),
  patientId: idHint('patient'),
  providerId: idHint('provider'),
  operatoryId: idHint('operatory'),
  typeId: idHint('appointment type'),
  appointmentId: idHint('appointment'),
  procedureId: idHint('procedure'),
  staffId: idHint('staff user'),
  notes: { label: 'notes' },
  active: { label: 'active', expected: 'be true or false' },
  colour: { label: 'colour', expected: COLOUR },
  currency: { label: 'currency' },
  email: { label: 'email', expected: 'look like name@example.com' },
};

/** Hints for fields whose meaning depends on the collection (a "name", a "status"). */
const COLLECTION_HINTS: { readonly [C in CollectionName]: Readonly<Record<string, FieldHint>> } = {
  patients: {
    firstName: { label: 'first name', expected: 'be 1 to 100 characters, like Ana' },
    lastName: { label: 'last name', expected: 'be 1 to 100 characters, like Moreira' },
    preferredName: { label: 'preferred name', expected: 'be at most 200 characters' },
    birthDate: { label: 'birth date', expected: 'be a date in the past, like 1984-03-21' },
    sex: { label: 'sex' },
    phones: { label: 'phone numbers', expected: 'be a list of at most 10 phone numbers' },
    'phones.kind': { label: 'phone type' },
    'phones.number': {
      label: 'phone number',
      expected: 'use only digits, spaces and + ( ) - . /, like +1 555 010 0199',
    },
    address: { label: 'address' },
    'address.line1': { label: 'address line 1', expected: 'be at most 200 characters' },
    'address.line2': { label: 'address line 2', expected: 'be at most 200 characters' },
    'address.city': { label: 'city', expected: 'be at most 200 characters' },
    'address.region': { label: 'state or region', expected: 'be at most 200 characters' },
    'address.postalCode': { label: 'postal code', expected: 'be at most 20 characters' },
    'address.country': { label: 'country', expected: 'be a two-letter country code, like US' },
    nationalId: { label: 'national id number', expected: 'be at most 40 characters' },
    insurance: { label: 'insurance', expected: 'be a list of at most 5 insurance plans' },
    'insurance.carrier': { label: 'insurance carrier', expected: 'be 1 to 100 characters' },
    'insurance.memberId': { label: 'insurance member id', expected: 'be 1 to 50 characters' },
    'insurance.groupNumber': {
      label: 'insurance group number',
      expected: 'be at most 50 characters',
    },
    'insurance.subscriberName': { label: 'insurance subscriber name' },
    'insurance.relationship': { label: 'relationship to the subscriber' },
    allergies: { label: 'allergies', expected: 'be a list of short texts, like penicillin' },
    medicalAlerts: {
      label: 'medical alerts',
      expected: 'be a list of short texts, like takes blood thinners',
    },
    status: { label: 'patient status' },
    familyId: idHint('family'),
    guarantorId: idHint('guarantor'),
    nameKey: { label: 'name search key', expected: SEARCH_KEY },
    phoneKey: { label: 'phone search key', expected: SEARCH_KEY },
    givenNameKey: { label: 'first-name search key', expected: SEARCH_KEY },
  },
  providers: {
    kind: { label: 'provider kind' },
    name: { label: 'provider name', expected: 'be 1 to 100 characters, like Dr. Rita Alves' },
    workingHours: { label: 'working hours', expected: 'be a list of at most 28 time spans' },
    'workingHours.day': {
      label: 'working day',
      expected: 'be a weekday number from 0 (Sunday) to 6 (Saturday), like 1 for Monday',
    },
    'workingHours.start': { label: 'working hours start', expected: TIME_OF_DAY },
    'workingHours.end': { label: 'working hours end', expected: TIME_OF_DAY },
  },
  operatories: {
    name: { label: 'operatory name', expected: 'be 1 to 100 characters, like Hygiene room 2' },
    code: { label: 'short code', expected: 'be 1 to 8 characters, like OP2' },
    sortOrder: { label: 'sort order', expected: 'be a whole number from 0 to 9999, like 2' },
  },
  appointment_types: {
    name: { label: 'appointment type name', expected: 'be 1 to 100 characters, like Cleaning' },
    durationMinutes: {
      label: 'default length',
      expected: 'be a number of minutes in steps of 5 up to 720, like 30',
    },
  },
  appointments: {
    start: { label: 'start time', expected: UTC_TIME },
    end: { label: 'end time', expected: UTC_TIME },
    status: { label: 'appointment status' },
    confirmation: { label: 'confirmation status' },
    arrivedAt: { label: 'arrival time', expected: UTC_TIME },
    seatedAt: { label: 'seated time', expected: UTC_TIME },
    dismissedAt: { label: 'dismissal time', expected: UTC_TIME },
    cancelledReason: { label: 'cancellation reason', expected: 'be at most 200 characters' },
    flags: { label: 'appointment flags' },
  },
  procedures: {
    cdtCode: { label: 'procedure code', expected: 'be an ADA CDT code, like D2391' },
    tooth: { label: 'tooth', expected: 'be a tooth number in FDI notation, like 36' },
    surfaces: {
      label: 'surfaces',
      expected:
        'be letters the tooth has, once each, in the order M, O or I, D, B or F, L, like MOD on a molar',
    },
    status: { label: 'procedure status' },
    feeCents: { label: 'fee', expected: CENTS },
    date: { label: 'procedure date', expected: CALENDAR_DATE },
  },
  clinical_notes: {
    body: { label: 'note text', expected: 'be at most 50000 characters' },
    status: { label: 'note status' },
    signedAt: { label: 'signing time', expected: UTC_TIME },
    signedBy: idHint('signed by'),
    amendsNoteId: idHint('amended note'),
    createdAt: { label: 'creation time', expected: UTC_TIME },
  },
  ledger_entries: {
    guarantorId: idHint('guarantor'),
    kind: { label: 'entry type' },
    amountCents: {
      label: 'amount',
      expected: 'be a whole number of cents above zero, like 12500 for 125.00',
    },
    method: { label: 'payment method' },
    adjustmentDirection: { label: 'adjustment direction' },
    description: { label: 'description', expected: 'be at most 500 characters' },
    postedAt: { label: 'posting time', expected: UTC_TIME },
    reversesEntryId: idHint('reversed entry'),
  },
  audit_events: {
    actorId: idHint('user'),
    deviceId: idHint('device'),
    action: { label: 'action', expected: 'be a dotted name, like appointment.check_in' },
    entity: { label: 'record type' },
    entityId: idHint('record'),
    at: { label: 'event time', expected: UTC_TIME },
  },
  staff: {
    name: { label: 'name', expected: 'be 1 to 100 characters, like Carla Nunes' },
    role: { label: 'role' },
  },
};

const COLLECTION_NOUNS: { readonly [C in CollectionName]: string } = {
  patients: 'patient',
  providers: 'provider',
  operatories: 'operatory',
  appointment_types: 'appointment type',
  appointments: 'appointment',
  procedures: 'procedure',
  clinical_notes: 'clinical note',
  ledger_entries: 'ledger entry',
  audit_events: 'audit event',
  staff: 'staff member',
};

/** What one document of a collection is called: "appointment type". */
export function collectionNoun(collection: CollectionName): string {
  return COLLECTION_NOUNS[collection];
}

/** Drops list positions: `phones.0.number` → `phones.number`. */
export function hintPathOf(fieldPath: string): string {
  return fieldPath
    .split('.')
    .filter((segment) => segment !== '' && !/^\d+$/.test(segment))
    .join('.');
}

/** "postalCode" → "postal code": the last resort for a field without a written hint. */
function humanize(fieldPath: string): string {
  const last = fieldPath.split('.').pop() ?? fieldPath;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** The hint for a field path (`phones.0.number` or `phones.number`) of a collection. */
export function fieldHint(collection: CollectionName, fieldPath: string): FieldHint {
  return COLLECTION_HINTS[collection][hintPathOf(fieldPath)] ?? commonFieldHint(fieldPath);
}

/** The hint for a field that means the same everywhere (ids, times, email), else its name in words. */
export function commonFieldHint(fieldPath: string): FieldHint {
  const path = hintPathOf(fieldPath);
  return COMMON_HINTS[path] ?? { label: path === '' ? 'record' : humanize(path) };
}

/** Whether a field has a written hint (tests check that every schema field has one). */
export function hasWrittenHint(collection: CollectionName, fieldPath: string): boolean {
  const path = hintPathOf(fieldPath);
  return COLLECTION_HINTS[collection][path] !== undefined || COMMON_HINTS[path] !== undefined;
}
