import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { STAFF_ROLES } from '../domain/enums';
import { METHOD_NAMES, appApi, isMethodName, type InputOf, type OutputOf } from './contract';
import { validateApiInput } from './validate-input';
import type { BookingOutcome, PatientSearchResult, SyncStatus } from './views';

describe('app API contract', () => {
  it('names every method area.verb, and only subscriptions live under live.', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(30);
    for (const name of METHOD_NAMES) {
      expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]+$/);
      expect(name.startsWith('live.')).toBe(appApi[name].kind === 'subscription');
      expect(appApi[name].summary.length).toBeGreaterThan(5);
    }
  });

  it('has an input schema that compiles in strict mode for every method', () => {
    const ajv = new Ajv({ strict: true });
    addFormats(ajv);
    for (const name of METHOD_NAMES) expect(() => ajv.compile(appApi[name].input)).not.toThrow();
  });

  it('only names real roles', () => {
    for (const name of METHOD_NAMES) {
      const { roles } = appApi[name] as { roles?: readonly string[] };
      for (const role of roles ?? []) expect(STAFF_ROLES).toContain(role);
    }
  });

  it('keeps clinical signing away from the front desk', () => {
    for (const name of ['notes.sign', 'notes.amend', 'procedures.setStatus'] as const) {
      expect(appApi[name].roles).not.toContain('front_desk');
    }
  });

  it('types inputs and outputs from the table', () => {
    expectTypeOf<InputOf<'patients.search'>>().toEqualTypeOf<{ text: string; limit?: number }>();
    expectTypeOf<OutputOf<'patients.search'>>().toEqualTypeOf<PatientSearchResult>();
    expectTypeOf<OutputOf<'appointments.book'>>().toEqualTypeOf<BookingOutcome>();
    expectTypeOf<OutputOf<'live.syncStatus'>>().toEqualTypeOf<SyncStatus>();
    expectTypeOf<InputOf<'appointments.setStatus'>['status']>().toEqualTypeOf<
      'scheduled' | 'checked_in' | 'in_progress' | 'completed' | 'cancelled' | 'no_show'
    >();
    expect(isMethodName('patients.search')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('patients.drop')).toBe(false);
  });
});

describe('validateApiInput', () => {
  const booking = {
    patientId: '0190a6c4-5b1e-7c3d-9f2a-3b4c5d6e7f80',
    typeId: '0190a6c4-5b1e-7c3d-9f2a-3b4c5d6e7f81',
    providerId: '0190a6c4-5b1e-7c3d-9f2a-3b4c5d6e7f82',
    operatoryId: '0190a6c4-5b1e-7c3d-9f2a-3b4c5d6e7f83',
    start: '2026-03-02T12:00:00.000Z',
    end: '2026-03-02T12:30:00.000Z',
  };

  it('accepts a well-formed booking', () => {
    const result = validateApiInput('appointments.book', booking);
    expect(result).toEqual({ ok: true, value: booking });
  });

  it('says what is wrong in words, one issue per field', () => {
    const result = validateApiInput('appointments.book', {
      ...booking,
      start: '02/03/2026 09:00',
      operatoryId: undefined,
      colour: 'red',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { field: 'operatoryId', message: 'chair is required' },
        {
          field: 'start',
          message: 'start time must be a UTC time written like 2024-03-21T14:30:00.000Z',
        },
        { field: 'colour', message: 'the request record has an unexpected field; remove it' },
      ]),
    );
    expect(result.issues).toHaveLength(3);
  });

  it('lists the allowed values of a closed choice', () => {
    const result = validateApiInput('appointments.setStatus', {
      appointmentId: booking.patientId,
      status: 'arrived',
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: 'status',
          message:
            'status must be one of: scheduled, checked_in, in_progress, completed, cancelled, no_show',
        },
      ],
    });
  });

  it('uses the field description as the expectation', () => {
    const result = validateApiInput('session.setPin', { pin: '12' });
    expect(result).toEqual({
      ok: false,
      issues: [{ field: 'pin', message: 'PIN must be 4 to 8 digits' }],
    });
  });

  it('never repeats what was typed in a message', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 40 }), (typed) => {
        const marked = `§${typed}`;
        const result = validateApiInput('patients.search', { text: marked, limit: marked });
        const results = [
          result,
          validateApiInput('appointments.book', { ...booking, start: marked, [marked]: 1 }),
          validateApiInput('session.signIn', {
            serverUrl: marked,
            clinic: 1,
            email: marked,
            password: 2,
          }),
        ];
        for (const each of results) {
          expect(each.ok).toBe(false);
          if (!each.ok) for (const issue of each.issues) expect(issue.message).not.toContain('§');
        }
      }),
    );
  });

  it('refuses an unknown method outright', () => {
    expect(() => validateApiInput('patients.drop' as 'patients.get', {})).toThrow(TypeError);
  });
});
