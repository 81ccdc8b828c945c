import { describe, expect, it } from 'vitest';
import { isUuidV7 } from '../domain/ids';
import { accountBalance, findAllClashes } from '../domain/rules/index';
import { isPrimary, isToothId } from '../domain/rules/teeth';
import type { CollectionName, DocumentOf } from '../domain/schemas/index';
import { clinicDayOf, clinicLocalToInstant, formatInZone, minutesOfDay } from '../domain/time';
import { validateDocument } from '../domain/validation';
import { ageInYears } from './calendar';
import {
  DEMO_COLLECTIONS,
  DEMO_LOGINS,
  demoLogins,
  generateDemoClinic,
  iterateDemoClinic,
  summarizeDemoClinic,
  type DemoClinic,
  type DemoClinicOptions,
  type DemoRecord,
} from './index';

// A small clinic whose 30 days run from three weeks before "today" to a week after it.
const SMALL: DemoClinicOptions = {
  seed: 7,
  patients: 300,
  today: '2025-06-02',
  startDay: '2025-05-12',
  days: 30,
};
const small = generateDemoClinic(SMALL);
// The same size in English and dollars, in a zone with daylight saving inside the range.
const SMALL_US: DemoClinicOptions = {
  seed: 11,
  patients: 250,
  locale: 'en',
  currency: 'USD',
  timeZone: 'America/New_York',
  today: '2025-03-12',
  startDay: '2025-02-24',
  days: 30,
  operatories: 4,
  providers: { dentists: 2, hygienists: 2 },
};
const smallUs = generateDemoClinic(SMALL_US);
const CLINICS: readonly [string, DemoClinic][] = [
  ['pt_BR / BRL', small],
  ['en / USD', smallUs],
];

function nowOf(clinic: DemoClinic): string {
  const { today, nowTimeOfDay, timeZone } = clinic.options;
  return clinicLocalToInstant(today, nowTimeOfDay, timeZone);
}

function allDocuments(clinic: DemoClinic): [CollectionName, DocumentOf<CollectionName>][] {
  return DEMO_COLLECTIONS.flatMap((collection) =>
    clinic.documents[collection].map(
      (document) => [collection, document] as [CollectionName, DocumentOf<CollectionName>],
    ),
  );
}

describe.each(CLINICS)('the demo clinic (%s)', (_label, clinic) => {
  const { documents } = clinic;
  const now = nowOf(clinic);
  const patientsById = new Map(documents.patients.map((patient) => [patient.id, patient]));
  const appointmentsById = new Map(documents.appointments.map((visit) => [visit.id, visit]));

  it('passes validateDocument for every document of every collection', () => {
    const failures: string[] = [];
    for (const [collection, document] of allDocuments(clinic)) {
      const result = validateDocument(collection, document);
      if (!result.ok) failures.push(`${collection}: ${JSON.stringify(result.issues)}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(allDocuments(clinic).length).toBeGreaterThan(1_000);
  });

  it('gives every document a distinct UUIDv7 in the clinic', () => {
    const ids = allDocuments(clinic).map(([, document]) => document.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isUuidV7)).toBe(true);
    for (const [, document] of allDocuments(clinic)) {
      expect(document.clinicId).toBe(clinic.options.clinicId);
    }
  });

  it('books no provider or room twice at once (no-shows included)', () => {
    // findAllClashes ignores no-shows; they did hold the chair, so they are checked as booked.
    const holding = documents.appointments
      .filter((visit) => visit.status !== 'cancelled')
      .map((visit) => ({ ...visit, status: 'scheduled' as const }));
    expect(holding.length).toBeGreaterThan(100);
    expect(findAllClashes(holding)).toEqual([]);
  });

  it('books every visit inside one span of its provider’s working hours, clinic time', () => {
    const providers = new Map(documents.providers.map((provider) => [provider.id, provider]));
    const { timeZone } = clinic.options;
    for (const visit of documents.appointments) {
      const day = clinicDayOf(visit.start, timeZone);
      expect(clinicDayOf(visit.end, timeZone)).toBe(day);
      const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
      const start = minutesOfDay(formatInZone(visit.start, timeZone, 'HH:mm'));
      const end = minutesOfDay(formatInZone(visit.end, timeZone, 'HH:mm'));
      const spans = providers
        .get(visit.providerId)!
        .workingHours.filter((span) => span.day === weekday);
      const inside = spans.some(
        (span) => minutesOfDay(span.start) <= start && end <= minutesOfDay(span.end),
      );
      expect(inside, `${visit.start}-${visit.end} on weekday ${weekday}`).toBe(true);
      expect(end - start).toBe(
        documents.appointment_types.find((type) => type.id === visit.typeId)!.durationMinutes,
      );
    }
  });

  it('tells each visit consistently with today and now', () => {
    const { today, timeZone } = clinic.options;
    for (const visit of documents.appointments) {
      const day = clinicDayOf(visit.start, timeZone);
      if (day < today) expect(['completed', 'no_show', 'cancelled']).toContain(visit.status);
      if (day > today) expect(['scheduled', 'cancelled']).toContain(visit.status);
      if (visit.start > now) {
        expect(['scheduled', 'cancelled', 'checked_in']).toContain(visit.status);
      }
      if (visit.end <= now) {
        expect(['completed', 'no_show', 'cancelled']).toContain(visit.status);
      }
      const { arrivedAt, seatedAt, dismissedAt } = visit;
      switch (visit.status) {
        case 'completed':
          expect(arrivedAt! <= seatedAt! && seatedAt! < dismissedAt! && dismissedAt! <= now).toBe(
            true,
          );
          break;
        case 'in_progress':
          expect(arrivedAt! <= seatedAt! && seatedAt! <= now && dismissedAt === null).toBe(true);
          break;
        case 'checked_in':
          expect(arrivedAt! <= now && seatedAt === null && dismissedAt === null).toBe(true);
          break;
        default:
          expect([arrivedAt, seatedAt, dismissedAt]).toEqual([null, null, null]);
      }
      expect(visit.cancelledReason !== undefined).toBe(visit.status === 'cancelled');
    }
    // Nothing in the story happens after "now".
    for (const [, document] of allDocuments(clinic)) expect(document.updatedAt <= now).toBe(true);
    for (const entry of documents.ledger_entries) expect(entry.postedAt <= now).toBe(true);
    for (const note of documents.clinical_notes) {
      expect(note.createdAt <= now && (note.signedAt ?? note.createdAt) <= now).toBe(true);
    }
  });

  it('gives every patient a guarantor adult in the same family', () => {
    const { today } = clinic.options;
    for (const patient of documents.patients) {
      const guarantor = patientsById.get(patient.guarantorId);
      expect(guarantor).toBeDefined();
      expect(guarantor!.familyId).toBe(patient.familyId);
      expect(guarantor!.guarantorId).toBe(guarantor!.id);
      expect(ageInYears(guarantor!.birthDate, today)).toBeGreaterThanOrEqual(18);
      if (ageInYears(patient.birthDate, today) < 18)
        expect(patient.guarantorId).not.toBe(patient.id);
    }
    const families = new Map<string, number>();
    for (const patient of documents.patients) {
      families.set(patient.familyId, (families.get(patient.familyId) ?? 0) + 1);
    }
    expect([...families.values()].some((size) => size >= 3)).toBe(true);
    expect(documents.patients.some((patient) => patient.guarantorId !== patient.id)).toBe(true);
  });

  it('keeps ledgers in integer cents that accountBalance accepts, billed to the guarantor', () => {
    const { currency } = clinic.options;
    const byGuarantor = new Map<string, DocumentOf<'ledger_entries'>[]>();
    for (const entry of documents.ledger_entries) {
      expect(Number.isSafeInteger(entry.amountCents) && entry.amountCents > 0).toBe(true);
      expect(entry.currency).toBe(currency);
      expect(entry.guarantorId).toBe(patientsById.get(entry.patientId)!.guarantorId);
      const entries = byGuarantor.get(entry.guarantorId) ?? [];
      entries.push(entry);
      byGuarantor.set(entry.guarantorId, entries);
    }
    const balances = [...byGuarantor.values()].map((entries) => accountBalance(entries, currency));
    expect(balances.every(Number.isSafeInteger)).toBe(true);
    expect(balances.filter((balance) => balance === 0).length).toBeGreaterThan(balances.length / 2);
    expect(balances.some((balance) => balance > 0)).toBe(true);
  });

  it('charges exactly the completed procedures, at their fee', () => {
    const procedures = new Map(documents.procedures.map((procedure) => [procedure.id, procedure]));
    const charged = new Set<string>();
    for (const entry of documents.ledger_entries.filter((entry) => entry.kind === 'charge')) {
      const procedure = procedures.get(entry.procedureId!)!;
      expect(procedure.status).toBe('completed');
      expect(entry.amountCents).toBe(procedure.feeCents);
      charged.add(procedure.id);
    }
    const completed = documents.procedures.filter((procedure) => procedure.status === 'completed');
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.every((procedure) => charged.has(procedure.id))).toBe(true);
    const methods = new Set(documents.ledger_entries.map((entry) => entry.method));
    expect(methods.size).toBeGreaterThanOrEqual(4);
  });

  it('records procedures on teeth and visits that make sense', () => {
    const { timeZone } = clinic.options;
    for (const procedure of documents.procedures) {
      const visit = procedure.appointmentId ? appointmentsById.get(procedure.appointmentId) : null;
      if (procedure.status === 'completed') {
        expect(visit?.status).toBe('completed');
        expect(procedure.date).toBe(clinicDayOf(visit!.start, timeZone));
      }
      if (procedure.status === 'planned' && visit) {
        expect(['scheduled', 'checked_in', 'in_progress']).toContain(visit.status);
      }
      if (procedure.tooth !== null) {
        expect(isToothId(procedure.tooth)).toBe(true);
        // Primary teeth are only treated in children.
        if (isToothId(procedure.tooth) && isPrimary(procedure.tooth)) {
          const patient = patientsById.get(procedure.patientId)!;
          expect(ageInYears(patient.birthDate, procedure.date)).toBeLessThan(13);
        }
      }
    }
    const statuses = new Set(documents.procedures.map((procedure) => procedure.status));
    expect(statuses).toContain('planned');
    expect(statuses).toContain('completed');
  });

  it('has notes signed by their provider, and amendments of signed notes only', () => {
    const providerStaff = new Map(documents.providers.map((p) => [p.id, p.staffId]));
    const notes = new Map(documents.clinical_notes.map((note) => [note.id, note]));
    for (const note of documents.clinical_notes) {
      if (note.status === 'signed') expect(note.signedBy).toBe(providerStaff.get(note.providerId));
      if (note.amendsNoteId) expect(notes.get(note.amendsNoteId)?.status).toBe('signed');
      // Notes are stock phrases: no patient's name may appear in one.
      const patient = patientsById.get(note.patientId)!;
      expect(note.body.includes(patient.lastName)).toBe(false);
    }
    expect(documents.clinical_notes.some((note) => note.status === 'signed')).toBe(true);
  });

  it('uses only reserved example domains for e-mail and fictional phone ranges', () => {
    const reserved = /^(?:[a-z0-9-]+\.)*example\.(?:com|org|net)$/;
    const emails = [
      ...documents.patients.flatMap((patient) => (patient.email ? [patient.email] : [])),
      ...documents.staff.map((member) => member.email),
    ];
    expect(emails.length).toBeGreaterThan(documents.patients.length / 2);
    for (const email of emails) expect(email.split('@')[1]).toMatch(reserved);
    const fictional = clinic.options.locale === 'en' ? / 555-01\d\d$/ : / 9?5555-\d{4}$/;
    for (const patient of documents.patients) {
      for (const phone of patient.phones) expect(phone.number).toMatch(fictional);
    }
  });
});

describe('options and counts', () => {
  it('makes exactly the asked numbers of patients, providers, rooms and staff', () => {
    const summary = summarizeDemoClinic(smallUs);
    expect(summary.patients).toBe(250);
    expect(summary.operatories).toBe(4);
    expect(smallUs.documents.providers.map((provider) => provider.kind)).toEqual([
      'dentist',
      'dentist',
      'hygienist',
      'hygienist',
    ]);
    // admin + one login per provider + two front-desk users
    expect(summary.staff).toBe(1 + 4 + 2);
    expect(summary.appointment_types).toBe(13);
    for (const collection of DEMO_COLLECTIONS) {
      expect(summary[collection]).toBe(smallUs.documents[collection].length);
    }
  });

  it('schedules only days from startDay for `days` days, working days only', () => {
    const { startDay, timeZone } = small.options;
    const days = new Set(small.documents.appointments.map((v) => clinicDayOf(v.start, timeZone)));
    expect([...days].every((day) => day >= startDay && day <= '2025-06-10')).toBe(true);
    // No provider works on Sundays.
    expect([...days].some((day) => new Date(`${day}T00:00:00Z`).getUTCDay() === 0)).toBe(false);
    expect(days.size).toBeGreaterThanOrEqual(20);
  });

  it('books more visits per room when asked to', () => {
    const options = { ...SMALL, startDay: '2025-05-12', days: 14 };
    const sparse = summarizeDemoClinic(
      iterateDemoClinic({ ...options, appointmentsPerChairPerDay: 3 }),
    );
    const dense = summarizeDemoClinic(
      iterateDemoClinic({ ...options, appointmentsPerChairPerDay: 9 }),
    );
    expect(dense.appointments).toBeGreaterThan(sparse.appointments * 2);
    const none = summarizeDemoClinic(
      iterateDemoClinic({ ...options, appointmentsPerChairPerDay: 0 }),
    );
    expect(none.appointments).toBe(0);
  });

  it('shows today as a mix of visits over, under way, waiting and to come', () => {
    const statuses = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const clinic = generateDemoClinic({
        seed,
        patients: 200,
        startDay: '2025-06-02',
        today: '2025-06-02',
        days: 1,
        operatories: 6,
        providers: { dentists: 4, hygienists: 2 },
      });
      for (const visit of clinic.documents.appointments) statuses.add(visit.status);
    }
    for (const status of ['completed', 'in_progress', 'checked_in', 'scheduled']) {
      expect(statuses).toContain(status);
    }
  });

  it('refuses bad options with a message naming the option, before any document', () => {
    expect(() => iterateDemoClinic({ patients: 0 })).toThrow(/patients/);
    expect(() => iterateDemoClinic({ startDay: '2025-02-30' })).toThrow(/startDay/);
    expect(() => iterateDemoClinic({ today: 'yesterday' })).toThrow(/today/);
    expect(() => iterateDemoClinic({ timeZone: 'Mars/Base' })).toThrow(/timeZone/);
    expect(() => iterateDemoClinic({ staffEmailDomain: 'gmail.com' })).toThrow(/staffEmailDomain/);
    expect(() => iterateDemoClinic({ providers: { dentists: 0 } })).toThrow(/dentist/);
    expect(() => iterateDemoClinic({ currency: 'EUR' as 'USD' })).toThrow(/currency/);
  });
});

describe('determinism', () => {
  it('gives byte-identical documents for the same options', () => {
    expect(JSON.stringify(generateDemoClinic(SMALL))).toBe(JSON.stringify(small));
  });

  it('gives a different clinic for another seed, and other ids for another clinic id', () => {
    const otherSeed = generateDemoClinic({ ...SMALL, seed: 8 });
    expect(otherSeed.documents.patients[0]!.lastName).not.toBe(undefined);
    expect(JSON.stringify(otherSeed.documents.patients)).not.toBe(
      JSON.stringify(small.documents.patients),
    );
    expect(otherSeed.documents.appointments.length).not.toBe(0);
    expect(otherSeed.documents.patients.map((patient) => patient.id)).not.toEqual(
      small.documents.patients.map((patient) => patient.id),
    );

    const otherClinic = generateDemoClinic({ ...SMALL, clinicId: 'clinic-b' });
    const ids = new Set(allDocuments(small).map(([, document]) => document.id));
    expect(allDocuments(otherClinic).some(([, document]) => ids.has(document.id))).toBe(false);
  });

  it('does not read the clock: ids and times follow the story, not the run', () => {
    const now = nowOf(small);
    for (const visit of small.documents.appointments) {
      // A UUIDv7 starts with its milliseconds: the booking time, which is before now.
      const msecs = parseInt(visit.id.replaceAll('-', '').slice(0, 12), 16);
      expect(msecs).toBeLessThanOrEqual(Date.parse(now));
      expect(msecs).toBeLessThan(Date.parse(visit.start));
    }
  });
});

describe('streaming', () => {
  it('yields the same documents as the array form, in dependency order', () => {
    const streamed: DemoRecord[] = [...iterateDemoClinic(SMALL)];
    const grouped = Object.fromEntries(DEMO_COLLECTIONS.map((collection) => [collection, []]));
    for (const record of streamed) (grouped[record.collection] as unknown[]).push(record.document);
    expect(grouped).toEqual(small.documents);
    expect(summarizeDemoClinic(iterateDemoClinic(SMALL))).toEqual(summarizeDemoClinic(small));

    // Setup and patients come first, in that order; then every reference points backwards.
    const setupOrder = DEMO_COLLECTIONS.slice(0, 5);
    const firstVisit = streamed.findIndex((record) => record.collection === 'appointments');
    const head = streamed
      .slice(0, firstVisit)
      .map((record) => setupOrder.indexOf(record.collection));
    expect(head.every((rank, i) => rank >= 0 && (i === 0 || rank >= head[i - 1]!))).toBe(true);
    // Staff and providers name each other; staff come first, so only their link is forward.
    const seen = new Set<string>();
    for (const { collection, document } of streamed) {
      if (collection === 'staff') {
        seen.add(document.id);
        continue;
      }
      for (const key of ['patientId', 'providerId', 'appointmentId', 'procedureId', 'typeId']) {
        const reference = (document as Record<string, unknown>)[key];
        if (typeof reference === 'string') expect(seen.has(reference), key).toBe(true);
      }
      seen.add(document.id);
    }
  });

  it('produces documents one at a time, without building the whole clinic first', () => {
    const stream = iterateDemoClinic({ ...SMALL, patients: 1_000_000 });
    const first = stream.next();
    expect(first.value).toMatchObject({ collection: 'staff' });
    stream.return(undefined);
  });
});

describe('demo logins', () => {
  it('lists one login per staff member with role-based example e-mails and no password', () => {
    expect(DEMO_LOGINS.map((login) => login.email)).toEqual([
      'admin@topsmile-demo.example.com',
      'dentist1@topsmile-demo.example.com',
      'dentist2@topsmile-demo.example.com',
      'dentist3@topsmile-demo.example.com',
      'hygienist1@topsmile-demo.example.com',
      'hygienist2@topsmile-demo.example.com',
      'frontdesk1@topsmile-demo.example.com',
      'frontdesk2@topsmile-demo.example.com',
    ]);
    expect(new Set(DEMO_LOGINS.map((login) => login.role))).toEqual(
      new Set(['admin', 'dentist', 'hygienist', 'front_desk']),
    );
    for (const login of DEMO_LOGINS)
      expect(Object.keys(login).sort()).toEqual(['email', 'name', 'providerId', 'role', 'staffId']);
  });

  it('names the staff ids the generated clinic uses', () => {
    const logins = demoLogins(SMALL_US);
    expect(logins.map((login) => login.staffId)).toEqual(
      smallUs.documents.staff.map((member) => member.id),
    );
    expect(logins.map((login) => login.name)).toEqual(
      smallUs.documents.staff.map((member) => member.name),
    );
  });
});
