import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { PATIENT_STATUSES, PHONE_KINDS, SEXES } from '../enums';
import {
  baseProperties,
  baseRequired,
  calendarDateField,
  emailField,
  idField,
  nameField,
  shortTextField,
} from './fragments';

/** Longest `nameKey`: last name + space + first name, with room for letters that expand (æ → ae). */
export const NAME_KEY_MAX_LENGTH = 240;
/** Longest `phoneKey` (digits only). */
export const PHONE_KEY_MAX_LENGTH = 32;

const patientsSchemaLiteral = {
  title: 'patients',
  description: 'A person treated at the clinic, with contact, insurance and medical alerts.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    firstName: nameField,
    lastName: nameField,
    preferredName: shortTextField,
    birthDate: calendarDateField,
    sex: { type: 'string', enum: SEXES },
    /** The first phone is the primary one: it feeds `phoneKey`. */
    phones: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: PHONE_KINDS },
          number: { type: 'string', minLength: 1, maxLength: 30, pattern: '^[0-9+()./ -]+$' },
        },
        required: ['kind', 'number'],
      },
    },
    email: emailField,
    address: {
      type: 'object',
      additionalProperties: false,
      properties: {
        line1: shortTextField,
        line2: shortTextField,
        city: shortTextField,
        region: shortTextField,
        postalCode: { type: 'string', maxLength: 20 },
        /** ISO 3166-1 alpha-2. */
        country: { type: 'string', pattern: '^[A-Z]{2}$', maxLength: 2 },
      },
    },
    nationalId: { type: 'string', maxLength: 40 },
    insurance: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          carrier: { type: 'string', minLength: 1, maxLength: 100 },
          memberId: { type: 'string', minLength: 1, maxLength: 50 },
          groupNumber: { type: 'string', maxLength: 50 },
          subscriberName: shortTextField,
          /** The patient's relationship to the subscriber. */
          relationship: { type: 'string', enum: ['self', 'spouse', 'child', 'other'] },
        },
        required: ['carrier', 'memberId', 'relationship'],
      },
    },
    allergies: {
      type: 'array',
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 100 },
    },
    medicalAlerts: {
      type: 'array',
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 200 },
    },
    status: { type: 'string', enum: PATIENT_STATUSES },
    /** Patients of one household share a familyId; a patient on their own uses their own id. */
    familyId: idField,
    /** The patient who carries the balance: the patient's own id for adults. */
    guarantorId: idField,
    // Derived by derivePatientSearchFields(); stored so that searches are index range scans.
    nameKey: { type: 'string', maxLength: NAME_KEY_MAX_LENGTH },
    phoneKey: { type: 'string', maxLength: PHONE_KEY_MAX_LENGTH },
    // Version 1. "first last", for search by first name. Local to each workstation (see
    // LOCAL_PATIENT_FIELDS): optional and never synced, so peers at version 0 never meet it.
    givenNameKey: { type: 'string', maxLength: NAME_KEY_MAX_LENGTH },
  },
  required: [
    ...baseRequired,
    'firstName',
    'lastName',
    'birthDate',
    'sex',
    'phones',
    'insurance',
    'allergies',
    'medicalAlerts',
    'status',
    'familyId',
    'guarantorId',
    'nameKey',
    'phoneKey',
  ],
  indexes: ['nameKey', 'phoneKey', 'birthDate', 'familyId', 'guarantorId', 'givenNameKey'],
} as const;

export const patientsSchema = toTypedRxJsonSchema(patientsSchemaLiteral);
export type Patient = ExtractDocumentTypeFromTypedRxJsonSchema<typeof patientsSchema>;

/** Maps letters that Unicode decomposition leaves alone to what people type for them. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * The search form of a name: lower case, accents stripped, spaces collapsed. The same function
 * turns what a user types into a search prefix, so stored keys and queries always agree.
 */
export function normalizeNameForSearch(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[ßæœøłđðþı]/g, (letter) => LETTER_FOLDS[letter] ?? letter)
      // O'Brien is searched as obrien; other separators (Smith-Jones) become one space.
      .replace(/['’`]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** The digits of a phone number, as searched. */
export function phoneDigits(phoneNumber: string): string {
  return phoneNumber.replace(/\D/g, '');
}

/** The derived search fields of a patient: fill them on every write of the name or phones. */
export function derivePatientSearchFields(
  patient: Pick<Patient, 'firstName' | 'lastName' | 'phones'>,
): Required<Pick<Patient, 'nameKey' | 'phoneKey' | 'givenNameKey'>> {
  const nameKey = normalizeNameForSearch(`${patient.lastName} ${patient.firstName}`);
  const primaryPhone = patient.phones[0];
  return {
    nameKey: nameKey.slice(0, NAME_KEY_MAX_LENGTH),
    phoneKey: primaryPhone ? phoneDigits(primaryPhone.number).slice(0, PHONE_KEY_MAX_LENGTH) : '',
    givenNameKey: givenNameKeyOf(patient),
  };
}

/** The first-name search key: "first last", so "Maria" and "Maria Sil" are prefixes of it. */
export function givenNameKeyOf(patient: Pick<Patient, 'firstName' | 'lastName'>): string {
  return normalizeNameForSearch(`${patient.firstName} ${patient.lastName}`).slice(
    0,
    NAME_KEY_MAX_LENGTH,
  );
}

/**
 * Patient fields each workstation derives for itself and never sends. A synced derived field
 * would reach version-0 peers during a rollout (which refuse unknown fields), and peers that
 * do not derive it would leave it stale after a name edit; derived on every arrival, it is
 * always current. The replication strips them on push (patientForServer) and derives them on
 * pull (patientFromServer), so the server never holds them and assumed masters still match.
 */
export const LOCAL_PATIENT_FIELDS = ['givenNameKey'] as const;

/** A patient document as pushed and as the server keeps it: without the local fields. */
export function patientForServer<T extends object>(doc: T): T {
  if (!LOCAL_PATIENT_FIELDS.some((field) => field in doc)) return doc;
  const copy = { ...doc } as Record<string, unknown>;
  for (const field of LOCAL_PATIENT_FIELDS) delete copy[field];
  return copy as T;
}

/**
 * A patient document as a workstation keeps it: the local fields derived from the names. Used
 * on pull, by the version 1 migration, and wherever server-form documents are stored locally.
 */
export function patientFromServer<T extends object>(doc: T): T {
  const names = doc as Partial<Record<'firstName' | 'lastName', unknown>>;
  // A document without names (not a valid patient) is left for validation to report.
  if (typeof names.firstName !== 'string' || typeof names.lastName !== 'string') return doc;
  return {
    ...doc,
    givenNameKey: givenNameKeyOf({ firstName: names.firstName, lastName: names.lastName }),
  };
}
