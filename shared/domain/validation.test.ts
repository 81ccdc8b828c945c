import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CollectionName } from './schemas/index';
import { sampleDocument } from './schemas/samples';
import {
  assertValidDocument,
  formatIssues,
  validateDocument,
  ValidationError,
  type ValidationIssue,
} from './validation';

/** The issues for `collection` after applying `change` to its valid sample. */
function issuesFor(
  collection: CollectionName,
  change: (doc: Record<string, unknown>) => void,
): ValidationIssue[] {
  const doc = sampleDocument(collection) as unknown as Record<string, unknown>;
  change(doc);
  const result = validateDocument(collection, doc);
  return result.ok ? [] : result.issues;
}

describe('validateDocument', () => {
  it('returns the valid document itself', () => {
    const patient = sampleDocument('patients');
    const result = validateDocument('patients', patient);
    expect(result).toEqual({ ok: true, value: patient });
    expect(result.ok && result.value).toBe(patient);
  });

  it('accepts the _deleted flag of a replicated tombstone', () => {
    expect(validateDocument('staff', { ...sampleDocument('staff'), _deleted: true }).ok).toBe(true);
  });

  it.each<[string, CollectionName, (doc: Record<string, unknown>) => void, ValidationIssue]>([
    [
      'a missing field',
      'patients',
      (d) => delete d.lastName,
      { field: 'lastName', message: 'last name is required' },
    ],
    [
      'a birth date in the future',
      'patients',
      (d) => (d.birthDate = '2999-01-01'),
      { field: 'birthDate', message: 'birth date must be a date in the past, like 1984-03-21' },
    ],
    [
      'a birth date that is not a real date',
      'patients',
      (d) => (d.birthDate = '1984-02-30'),
      { field: 'birthDate', message: 'birth date must be a date in the past, like 1984-03-21' },
    ],
    [
      'a malformed email',
      'patients',
      (d) => (d.email = 'someone at home'),
      { field: 'email', message: 'email must look like name@example.com' },
    ],
    [
      'an empty name',
      'patients',
      (d) => (d.firstName = ''),
      { field: 'firstName', message: 'first name must not be empty' },
    ],
    [
      'a name that is too long',
      'patients',
      (d) => (d.firstName = 'a'.repeat(101)),
      { field: 'firstName', message: 'first name must be at most 100 characters' },
    ],
    [
      'a value outside its vocabulary',
      'patients',
      (d) => (d.sex = 'f'),
      { field: 'sex', message: 'sex must be one of: female, male, other, unknown' },
    ],
    [
      'a bad phone number inside a list',
      'patients',
      (d) => (d.phones = [{ kind: 'mobile', number: 'call me' }]),
      {
        field: 'phones.0.number',
        message: 'phone number must use only digits, spaces and + ( ) - . /, like +1 555 010 0199',
      },
    ],
    [
      'a fee with fractions of a cent',
      'procedures',
      (d) => (d.feeCents = 125.5),
      { field: 'feeCents', message: 'fee must be a whole number of cents, like 12500 for 125.00' },
    ],
    [
      'a fee given as text',
      'procedures',
      (d) => (d.feeCents = '125.00'),
      { field: 'feeCents', message: 'fee must be a whole number of cents, like 12500 for 125.00' },
    ],
    [
      'a zero amount',
      'ledger_entries',
      (d) => (d.amountCents = 0),
      {
        field: 'amountCents',
        message: 'amount must be a whole number of cents above zero, like 12500 for 125.00',
      },
    ],
    [
      'an instant not in stored form',
      'appointments',
      (d) => (d.start = '2024-03-25T12:00:00Z'),
      {
        field: 'start',
        message: 'start time must be a UTC time written like 2024-03-21T14:30:00.000Z',
      },
    ],
    [
      'an appointment that ends before it starts',
      'appointments',
      (d) => (d.end = '2024-03-25T11:00:00.000Z'),
      { field: 'end', message: 'end time must be after the start time' },
    ],
    [
      'an unknown flag',
      'appointments',
      (d) => (d.flags = ['late']),
      { field: 'flags.0', message: 'appointment flags must be one of: double_booked' },
    ],
    [
      'a CDT code in the wrong form',
      'procedures',
      (d) => (d.cdtCode = '2391'),
      { field: 'cdtCode', message: 'procedure code must be an ADA CDT code, like D2391' },
    ],
    [
      'surfaces out of charting order',
      'procedures',
      (d) => (d.surfaces = 'DOM'),
      {
        field: 'surfaces',
        message:
          'surfaces must be letters the tooth has, once each, in the order M, O or I, D, B or F, L, like MOD on a molar',
      },
    ],
    [
      'a front-tooth surface on a molar',
      'procedures',
      (d) => (d.surfaces = 'MID'),
      {
        field: 'surfaces',
        message:
          'surfaces must be letters the tooth has, once each, in the order M, O or I, D, B or F, L, like MOD on a molar',
      },
    ],
    [
      'surfaces without a tooth',
      'procedures',
      (d) => (d.tooth = null),
      { field: 'surfaces', message: 'surfaces need a tooth, like tooth 36 with surfaces MOD' },
    ],
    [
      'a signed note without its signing time',
      'clinical_notes',
      (d) => delete d.signedAt,
      { field: 'signedAt', message: 'signing time is required on a signed note' },
    ],
    [
      'a payment without a method',
      'ledger_entries',
      (d) => delete d.method,
      { field: 'method', message: 'payment method is required for a payment, like card' },
    ],
    [
      'an adjustment without a direction',
      'ledger_entries',
      (d) => {
        d.kind = 'adjustment';
        delete d.method;
      },
      {
        field: 'adjustmentDirection',
        message: 'adjustment direction is required for an adjustment, like credit for a discount',
      },
    ],
    [
      'working hours that end before they start',
      'providers',
      (d) => (d.workingHours = [{ day: 2, start: '17:00', end: '08:00' }]),
      {
        field: 'workingHours.0.end',
        message: 'working hours end must be after their start, like 08:00 to 17:00',
      },
    ],
    [
      'a weekday out of range',
      'providers',
      (d) => (d.workingHours = [{ day: 7, start: '08:00', end: '17:00' }]),
      {
        field: 'workingHours.0.day',
        message:
          'working day must be a weekday number from 0 (Sunday) to 6 (Saturday), like 1 for Monday',
      },
    ],
    [
      'an unexpected field',
      'patients',
      (d) => (d.favouriteColour = 'blue'),
      {
        field: 'favouriteColour',
        message: 'the patient record has an unexpected field; remove it',
      },
    ],
  ])('explains %s', (_, collection, change, expected) => {
    expect(issuesFor(collection, change)).toEqual([expected]);
  });

  it('reports every problem once per field', () => {
    const issues = issuesFor('patients', (d) => {
      delete d.lastName;
      d.email = 'nope';
      d.birthDate = 'yesterday';
    });
    expect(issues.map((issue) => issue.field).sort()).toEqual(['birthDate', 'email', 'lastName']);
  });

  it('explains input that is not a record at all', () => {
    expect(validateDocument('operatories', 'OP1')).toEqual({
      ok: false,
      issues: [{ field: '', message: 'the operatory must be a record of fields' }],
    });
  });

  it('refuses an unknown collection as a programming error', () => {
    expect(() => validateDocument('teeth' as CollectionName, {})).toThrow(TypeError);
  });
});

describe('formatIssues and ValidationError', () => {
  const issues: ValidationIssue[] = [
    { field: 'birthDate', message: 'birth date must be a date in the past, like 1984-03-21' },
    { field: 'email', message: 'email must look like name@example.com' },
  ];

  it('makes one sentence of all issues', () => {
    expect(formatIssues(issues)).toBe(
      'Birth date must be a date in the past, like 1984-03-21; email must look like name@example.com.',
    );
    expect(formatIssues([])).toBe('');
  });

  it('carries the issues in a ValidationError', () => {
    const error = new ValidationError(issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(formatIssues(issues));
    expect(error.issues).toEqual(issues);
  });

  it('throws it from assertValidDocument, and returns valid documents', () => {
    const staff = sampleDocument('staff');
    expect(assertValidDocument('staff', staff)).toBe(staff);
    expect(() => assertValidDocument('staff', { ...staff, role: 'boss' })).toThrow(ValidationError);
  });
});

describe('privacy of messages', () => {
  // Every submitted value starts with a character no message template contains, so any echo of
  // a value, even a cut one, shows up as that character in the text.
  const MARK = '\u2603';
  const submitted = fc.string({ unit: 'grapheme', maxLength: 120 }).map((s) => `${MARK}${s}`);

  it('never repeats a submitted value in a message', () => {
    fc.assert(
      fc.property(submitted, submitted, submitted, (name, other, key) => {
        const patient: Record<string, unknown> = {
          ...sampleDocument('patients'),
          firstName: name.padEnd(101, name),
          lastName: name,
          preferredName: other.repeat(3).padEnd(201, 'x'),
          email: name,
          birthDate: other,
          sex: name,
          status: other,
          phones: [{ kind: other, number: name }],
          address: { city: name.repeat(3).padEnd(201, 'x'), country: other },
          nationalId: other.padEnd(41, 'x'),
          allergies: [name, ''],
          insurance: [{ carrier: name, memberId: '', relationship: other }],
          familyId: name.padEnd(37, 'x'),
          [key]: name,
        };
        const result = validateDocument('patients', patient);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.issues.length).toBeGreaterThan(5);
        for (const issue of result.issues) expect(issue.message).not.toContain(MARK);
        expect(formatIssues(result.issues)).not.toContain(MARK);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps values out of the domain-rule messages too', () => {
    fc.assert(
      fc.property(submitted, (text) => {
        const messages = [
          ...issuesFor('procedures', (d) => (d.surfaces = text)),
          ...issuesFor('appointments', (d) => (d.end = text)),
          ...issuesFor('ledger_entries', (d) => (d.method = text)),
          ...issuesFor('clinical_notes', (d) => (d.signedBy = text)),
        ].map((issue) => issue.message);
        expect(messages.length).toBeGreaterThanOrEqual(3);
        for (const message of messages) expect(message).not.toContain(MARK);
      }),
    );
  });
});
