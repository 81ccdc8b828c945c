import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientDraft } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/protocol';
import {
  givenNameKeyOf,
  normalizeNameForSearch,
  type Patient,
} from '../../../shared/domain/schemas/index';
import { ValidationError } from '../../../shared/domain/validation';
import { ServiceError } from '../service-table';
import { searchModeOf, searchQueries } from './patients';
import {
  AUDIT_EVENT_FIELDS,
  auditEventsOf,
  auditTrailWithoutPatientData,
  call,
  explainFind,
  openTestClinic,
  TEST_NOW,
  type TestClinic,
} from './test-support';

let clinic: TestClinic;
beforeAll(async () => {
  clinic = await openTestClinic();
}, 60_000);
afterAll(async () => {
  await clinic.close();
});

const frontDesk = () => clinic.context('front_desk');
const patients = (): Patient[] => clinic.demo.documents.patients;
const ids = (list: readonly { id: string }[]) => list.map((item) => item.id).sort();

/** What a name search promises: a last-name match (any typed word starting the key, every
 * typed word starting a word of it), or a first-name match ("first last" starts as typed). */
function matchesName(patient: Patient, typed: string): boolean {
  const words = normalizeNameForSearch(typed).split(' ');
  const keyWords = patient.nameKey.split(' ');
  const byLastName =
    words.some((word) => patient.nameKey.startsWith(word)) &&
    words.every((word) => keyWords.some((keyWord) => keyWord.startsWith(word)));
  return byLastName || givenNameKeyOf(patient).startsWith(words.join(' '));
}

function newPatientDraft(overrides: Partial<PatientDraft> = {}): PatientDraft {
  return {
    firstName: 'Zélia',
    lastName: 'Quintanilha-Özdemir',
    birthDate: '1990-07-14',
    sex: 'female',
    phones: [{ kind: 'mobile', number: '+1 (555) 010-0123' }],
    insurance: [],
    allergies: ['latex'],
    medicalAlerts: [],
    status: 'active',
    ...overrides,
  };
}

describe('patients.search', () => {
  it('finds by last-name prefix, accents and case ignored, exactly the matching patients (first names too)', async () => {
    const sample = patients()[7]!;
    const prefix = sample.lastName.slice(0, 3).toUpperCase();
    const expected = patients().filter((patient) => matchesName(patient, prefix));
    const result = await call(clinic, 'patients.search', { text: prefix, limit: 200 }, frontDesk());
    expect(result.truncated).toBe(false);
    expect(ids(result.patients)).toEqual(ids(expected));
    expect(result.patients.map((patient) => patient.id)).toContain(sample.id);
  });

  it('finds "First Last" and "First partial-last" as typed, though keys are last name first', async () => {
    const sample = patients()[42]!;
    const first = normalizeNameForSearch(sample.firstName).split(' ')[0]!;
    const last = normalizeNameForSearch(sample.lastName);
    for (const typed of [
      `${sample.firstName} ${sample.lastName}`,
      `${first} ${last.slice(0, 4)}`,
    ]) {
      const expected = patients().filter((patient) => matchesName(patient, typed));
      const result = await call(
        clinic,
        'patients.search',
        { text: typed, limit: 200 },
        frontDesk(),
      );
      expect(ids(result.patients)).toEqual(ids(expected));
      expect(result.patients.map((patient) => patient.id)).toContain(sample.id);
    }
  });

  it('finds by phone digits typed with punctuation', async () => {
    const sample = patients().find((patient) => patient.phoneKey.length > 8)!;
    const typed = sample.phones[0]!.number.slice(0, -2);
    const digits = typed.replace(/\D/g, '');
    const expected = patients().filter((patient) => patient.phoneKey.startsWith(digits));
    const result = await call(clinic, 'patients.search', { text: typed, limit: 200 }, frontDesk());
    expect(ids(result.patients)).toEqual(ids(expected));
    expect(result.patients.map((patient) => patient.id)).toContain(sample.id);
  });

  it('finds by birth date written YYYY-MM-DD or DD/MM/YYYY', async () => {
    const sample = patients()[99]!;
    const expected = patients().filter((patient) => patient.birthDate === sample.birthDate);
    const [year, month, day] = sample.birthDate.split('-');
    for (const text of [sample.birthDate, `${day}/${month}/${year}`]) {
      const result = await call(clinic, 'patients.search', { text }, frontDesk());
      expect(ids(result.patients)).toEqual(ids(expected));
    }
  });

  it('caps the list and says so when more matched', async () => {
    const letter = patients()[0]!.nameKey[0]!;
    const matching = patients().filter((patient) => patient.nameKey.startsWith(letter));
    expect(matching.length).toBeGreaterThanOrEqual(3);
    const result = await call(clinic, 'patients.search', { text: letter, limit: 3 }, frontDesk());
    expect(result.patients).toHaveLength(3);
    expect(result.truncated).toBe(true);
    // First three in name order.
    const expected = [...matching]
      .sort((a, b) =>
        a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : a.id < b.id ? -1 : 1,
      )
      .slice(0, 3);
    expect(result.patients.map((patient) => patient.id)).toEqual(expected.map((p) => p.id));
  });

  it('answers nothing for blank text, an impossible date or a date still being typed', async () => {
    for (const text of ['   ', '31/02/1990', '12/03/19']) {
      const result = await call(clinic, 'patients.search', { text }, frontDesk());
      expect(result).toEqual({ patients: [], truncated: false });
    }
  });

  it('summaries carry the alert marker and primary phone, not the whole record', async () => {
    const withAlert = patients().find((patient) => patient.allergies.length > 0)!;
    const result = await call(
      clinic,
      'patients.search',
      { text: withAlert.birthDate },
      frontDesk(),
    );
    const found = result.patients.find((patient) => patient.id === withAlert.id)!;
    expect(found.hasAlerts).toBe(true);
    expect(found.primaryPhone).toBe(withAlert.phones[0]?.number ?? null);
    expect(Object.keys(found)).not.toContain('allergies');
  });

  it('finds by first name alone, first name + start of last name, accents and case ignored', async () => {
    const { id } = await call(
      clinic,
      'patients.create',
      { patient: newPatientDraft({ firstName: 'Joséfa Úrsula', lastName: 'Xavantes Quiroga' }) },
      frontDesk(),
    );
    for (const typed of ['josefa', 'JOSÉFA', 'Josefa Ursula', 'josefa ursula xav', 'josefa u']) {
      const result = await call(
        clinic,
        'patients.search',
        { text: typed, limit: 200 },
        frontDesk(),
      );
      expect(result.truncated, typed).toBe(false);
      expect(
        result.patients.map((patient) => patient.id),
        typed,
      ).toContain(id);
      const all = (await clinic.db.patients.find().exec()).map((doc) => doc.toMutableJSON());
      expect(ids(result.patients), typed).toEqual(
        ids(all.filter((patient) => matchesName(patient, typed))),
      );
    }
    // Last name first still works, typed whole or in part.
    for (const typed of ['xavantes', 'Xavantes Jos', 'xavantes quiroga josefa']) {
      const result = await call(clinic, 'patients.search', { text: typed }, frontDesk());
      expect(
        result.patients.map((patient) => patient.id),
        typed,
      ).toContain(id);
    }
    const middle = await call(clinic, 'patients.search', { text: 'ursula' }, frontDesk());
    expect(middle.patients.map((patient) => patient.id)).not.toContain(id);
  });

  it('ranks last-name matches before first-name matches, and lists a patient found by both once', async () => {
    const create = async (firstName: string, lastName: string) =>
      (
        await call(
          clinic,
          'patients.create',
          { patient: newPatientDraft({ firstName, lastName }) },
          frontDesk(),
        )
      ).id;
    const byFirst = await create('Wendelina', 'Ambrósio');
    const byLast = await create('Bruna', 'Wendelin');
    const byBoth = await create('Wendel', 'Wendelsohn');
    const result = await call(clinic, 'patients.search', { text: 'wendel' }, frontDesk());
    // Last names in nameKey order ("wendelin bruna" < "wendelsohn wendel"), then first names.
    expect(result.patients.map((patient) => patient.id)).toEqual([byLast, byBoth, byFirst]);
    expect(result.truncated).toBe(false);

    const capped = await call(clinic, 'patients.search', { text: 'wendel', limit: 2 }, frontDesk());
    expect(capped.patients.map((patient) => patient.id)).toEqual([byLast, byBoth]);
    expect(capped.truncated).toBe(true);
    const firstOnly = await call(
      clinic,
      'patients.search',
      { text: 'wendelina', limit: 1 },
      frontDesk(),
    );
    expect(firstOnly).toMatchObject({ patients: [{ id: byFirst }], truncated: false });
  });

  it('every search form is an index range scan, never a table scan', () => {
    const byName = [
      ['_deleted', 'nameKey', 'id'],
      ['_deleted', 'givenNameKey', 'id'],
    ];
    const cases = [
      { text: 'silva', indexes: byName },
      { text: 'ana silva', indexes: byName },
      { text: 'maria s', indexes: byName },
      { text: '+55 (11) 9', indexes: [['_deleted', 'phoneKey', 'id']] },
      { text: '21/03/1984', indexes: [['_deleted', 'birthDate', 'id']] },
    ];
    for (const { text, indexes } of cases) {
      const queries = searchQueries(searchModeOf(text), 25);
      expect(queries.length).toBeGreaterThan(0);
      const used = queries.map((query) => explainFind(clinic.db.patients, query).index);
      // Every index of the case is used: a name search always tries the first-name key too.
      expect(new Set(used.map((index) => index.join()))).toEqual(
        new Set(indexes.map((index) => index.join())),
      );
      for (const query of queries) {
        const plan = explainFind(clinic.db.patients, query);
        expect(plan.details).toContain('USING INDEX');
        expect(plan.details).not.toMatch(/\bSCAN\b/);
        expect(plan.details).not.toContain('TEMP B-TREE');
      }
    }
  });
});

describe('patients.get', () => {
  it('assembles the record: appointments split at now, procedures, notes, ledger and balance', async () => {
    const { appointments, ledger_entries: ledger } = clinic.demo.documents;
    const patientId = appointments.find((a) => a.start < TEST_NOW)!.patientId;
    const patient = patients().find((p) => p.id === patientId)!;
    const record = await call(clinic, 'patients.get', { patientId }, frontDesk());

    expect(record.patient.id).toBe(patientId);
    const theirs = appointments.filter((a) => a.patientId === patientId);
    expect(ids(record.upcomingAppointments)).toEqual(
      ids(theirs.filter((a) => a.start >= TEST_NOW)),
    );
    expect(ids(record.pastAppointments)).toEqual(ids(theirs.filter((a) => a.start < TEST_NOW)));
    expect(
      record.upcomingAppointments.every((a, i, all) => i === 0 || all[i - 1]!.start <= a.start),
    ).toBe(true);
    expect(
      record.pastAppointments.every((a, i, all) => i === 0 || all[i - 1]!.start >= a.start),
    ).toBe(true);
    expect(ids(record.procedures)).toEqual(
      ids(clinic.demo.documents.procedures.filter((p) => p.patientId === patientId)),
    );
    expect(ids(record.notes)).toEqual(
      ids(clinic.demo.documents.clinical_notes.filter((n) => n.patientId === patientId)),
    );
    const account = ledger.filter((entry) => entry.guarantorId === patient.guarantorId);
    expect(ids(record.ledger)).toEqual(ids(account));
    const expectedBalance = account.reduce((sum, entry) => {
      const sign = entry.kind === 'charge' || entry.adjustmentDirection === 'debit' ? 1 : -1;
      return sum + (entry.reversesEntryId ? -sign : sign) * entry.amountCents;
    }, 0);
    expect(record.balance).toEqual({
      guarantorId: patient.guarantorId,
      currency: clinic.demo.options.currency,
      balanceCents: expectedBalance,
    });
    expect(record.guarantor?.id ?? patient.id).toBe(patient.guarantorId);
  });

  it('shows the guarantor of a dependant', async () => {
    const dependant = patients().find((patient) => patient.guarantorId !== patient.id);
    expect(dependant).toBeDefined();
    const record = await call(clinic, 'patients.get', { patientId: dependant!.id }, frontDesk());
    expect(record.guarantor?.id).toBe(dependant!.guarantorId);
  });

  it('is not_found for an unknown id, without echoing it', async () => {
    const error = await call(
      clinic,
      'patients.get',
      { patientId: '0190a6c4-0000-7000-8000-000000000000' },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('not_found');
    expect((error as ServiceError).message).not.toContain('0190a6c4');
  });
});

describe('patients.create and patients.update', () => {
  it('registers a patient with ids, search keys and self guarantor, and audits it without PHI', async () => {
    const { id } = await call(
      clinic,
      'patients.create',
      { patient: newPatientDraft() },
      frontDesk(),
    );
    const stored = (await clinic.db.patients.findOne(id).exec())!.toMutableJSON();
    expect(stored).toMatchObject({
      id,
      clinicId: clinic.demo.options.clinicId,
      familyId: id,
      guarantorId: id,
      nameKey: 'quintanilha ozdemir zelia',
      givenNameKey: 'zelia quintanilha ozdemir',
      phoneKey: '15550100123',
      updatedAt: TEST_NOW,
      updatedBy: frontDesk().user!.id,
    });
    const found = await call(clinic, 'patients.search', { text: 'zelia quintan' }, frontDesk());
    expect(found.patients.map((patient) => patient.id)).toEqual([id]);

    const events = await auditEventsOf(clinic.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'patients.create',
      entity: 'patients',
      entityId: id,
      actorId: frontDesk().user!.id,
      deviceId: frontDesk().deviceId,
      at: TEST_NOW,
    });
    expect(Object.keys(events[0]!).sort()).toEqual([...AUDIT_EVENT_FIELDS]);
    const text = JSON.stringify(events[0]);
    for (const phi of ['Zélia', 'Quintanilha', '1990-07-14', '555', 'latex']) {
      expect(text).not.toContain(phi);
    }
  });

  it('refuses an invalid patient with human issues and writes nothing', async () => {
    const before = await clinic.db.patients.count().exec();
    const error = await call(
      clinic,
      'patients.create',
      {
        patient: newPatientDraft({
          firstName: '',
          birthDate: '2999-01-01',
          phones: [{ kind: 'mobile', number: 'call me' }],
        }),
      },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((issue) => issue.field).sort()).toEqual([
      'birthDate',
      'firstName',
      'phones.0.number',
    ]);
    expect(issues.find((issue) => issue.field === 'birthDate')?.message).toBe(
      'birth date must be a date in the past, like 1984-03-21',
    );
    expect((error as Error).message).not.toContain('call me');
    expect(await clinic.db.patients.count().exec()).toBe(before);
    // The renderer sees the same issues.
    expect(new ApiError({ code: 'invalid_input', message: 'x', issues }).issues).toHaveLength(3);
  });

  it('refuses app-managed fields and an unknown guarantor', async () => {
    const managed = await call(
      clinic,
      'patients.create',
      { patient: { ...newPatientDraft(), nameKey: 'x' } as unknown as PatientDraft },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect((managed as ValidationError).issues).toEqual([
      { field: 'nameKey', message: 'nameKey is filled in by the app; remove it' },
    ]);
    const orphan = await call(
      clinic,
      'patients.create',
      { patient: newPatientDraft({ guarantorId: '0190a6c4-0000-7000-8000-000000000001' }) },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect((orphan as ValidationError).issues[0]?.field).toBe('guarantorId');
  });

  it('updates fields, re-derives the search keys, clears with null, and audits', async () => {
    const { id } = await call(
      clinic,
      'patients.create',
      { patient: newPatientDraft({ lastName: 'Antunes', preferredName: 'Zé' }) },
      frontDesk(),
    );
    const later = clinic.context('front_desk', '2025-06-02T14:00:00.000Z');
    await call(
      clinic,
      'patients.update',
      {
        patientId: id,
        changes: {
          lastName: 'Brandão',
          phones: [{ kind: 'home', number: '+1 555 010 0999' }],
          preferredName: null as unknown as string,
        },
      },
      later,
    );
    const stored = (await clinic.db.patients.findOne(id).exec())!.toMutableJSON();
    expect(stored.nameKey).toBe('brandao zelia');
    expect(stored.givenNameKey).toBe('zelia brandao');
    expect(stored.phoneKey).toBe('15550100999');
    expect(stored.preferredName).toBeUndefined();
    expect(stored.updatedAt).toBe('2025-06-02T14:00:00.000Z');
    const byOldName = await call(clinic, 'patients.search', { text: 'antunes zel' }, later);
    expect(byOldName.patients).toHaveLength(0);
    const byFirstName = await call(clinic, 'patients.search', { text: 'zelia bran' }, later);
    expect(byFirstName.patients.map((patient) => patient.id)).toContain(id);
    const events = await auditEventsOf(clinic.db, id);
    expect(events.map((event) => event.action)).toEqual(['patients.create', 'patients.update']);
  });

  it('refuses an invalid change and leaves the patient as it was', async () => {
    const target = patients()[3]!;
    const error = await call(
      clinic,
      'patients.update',
      { patientId: target.id, changes: { email: 'not an email' } },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['email']);
    const stored = (await clinic.db.patients.findOne(target.id).exec())!.toMutableJSON();
    expect(stored.updatedAt).toBe(target.updatedAt);
    expect(await auditEventsOf(clinic.db, target.id)).toHaveLength(0);
  });
});

describe('audit trail', () => {
  it('every command so far left audit events with ids only, no patient data', async () => {
    expect(await auditTrailWithoutPatientData(clinic.db)).toBeGreaterThanOrEqual(3);
  });
});
