// The demo clinic generator. No real patient data is used anywhere: every person is an invented
// combination of Faker's first and last names, phone numbers sit in ranges reserved for fiction,
// e-mail addresses use the reserved example.com/.org/.net domains, and clinical notes are
// assembled from stock phrases. The same options always give byte-identical documents: all
// randomness is seeded, ids are UUIDv7 built from the story's timeline, and the clock is never
// read ("today" is an option).
import type { DocumentOf } from '../domain/schemas/index';
import {
  resolveDemoClinicOptions,
  type DemoClinicOptions,
  type ResolvedDemoClinicOptions,
} from './options';
import { generatePatients, newPatientRoster } from './patients';
import { DemoIdFactory, DemoRandom } from './random';
import { DEMO_COLLECTIONS, type DemoCollection, type DemoRecord } from './records';
import { generateSchedule } from './schedule';
import { buildSetup, clinicSetupMs, newFaker, streamSeed, type DemoLogin } from './setup';

const DAY_MS = 86_400_000;

/** A whole demo clinic in memory, collection by collection. */
export interface DemoClinic {
  options: ResolvedDemoClinicOptions;
  documents: { [C in DemoCollection]: DocumentOf<C>[] };
}

export type DemoClinicSummary = Record<DemoCollection, number>;

function idFactoryFor(options: ResolvedDemoClinicOptions): DemoIdFactory {
  return new DemoIdFactory(`${options.seed}:ids:${options.clinicId}`);
}

/**
 * The demo clinic as a stream of `{ collection, document }`, in dependency order: staff,
 * providers, operatories, appointment types, patients, then day by day each appointment followed
 * by its procedures, clinical notes and ledger entries. Only one day is held in memory, so a
 * benchmark can stream hundreds of thousands of appointments. Options are checked at once.
 */
export function iterateDemoClinic(options: DemoClinicOptions = {}): Generator<DemoRecord> {
  return streamClinic(resolveDemoClinicOptions(options));
}

function* streamClinic(options: ResolvedDemoClinicOptions): Generator<DemoRecord> {
  const ids = idFactoryFor(options);
  const setup = buildSetup(options, ids);
  for (const document of setup.staff) yield { collection: 'staff', document };
  for (const { document } of setup.providers) yield { collection: 'providers', document };
  for (const document of setup.operatories) yield { collection: 'operatories', document };
  for (const { document } of setup.appointmentTypes) {
    yield { collection: 'appointment_types', document };
  }

  const roster = newPatientRoster(options.patients);
  const earliestRegistrationMs = clinicSetupMs(options) + DAY_MS;
  const patients = generatePatients(
    {
      options,
      ids,
      random: new DemoRandom(`${options.seed}:patients`),
      faker: newFaker(options.locale, streamSeed(options.seed, 'patients')),
      frontDeskIds: setup.frontDeskIds,
      earliestRegistrationMs,
      latestRegistrationMs: Math.max(
        earliestRegistrationMs,
        Date.parse(`${options.startDay}T12:00:00.000Z`) - DAY_MS,
      ),
    },
    roster,
  );
  for (const document of patients) yield { collection: 'patients', document };

  // A clinic whose patients are all inactive has nobody to book.
  if (roster.bookable.length === 0) return;
  yield* generateSchedule({
    options,
    setup,
    roster,
    ids,
    random: new DemoRandom(`${options.seed}:schedule`),
  });
}

/** The whole demo clinic in memory: the documents of `iterateDemoClinic`, grouped. */
export function generateDemoClinic(options: DemoClinicOptions = {}): DemoClinic {
  const resolved = resolveDemoClinicOptions(options);
  const documents = Object.fromEntries(
    DEMO_COLLECTIONS.map((collection) => [collection, []]),
  ) as unknown as DemoClinic['documents'];
  for (const record of streamClinic(resolved)) {
    (documents[record.collection] as DocumentOf<DemoCollection>[]).push(record.document);
  }
  return { options: resolved, documents };
}

/** Documents per collection, for printing. Accepts a generated clinic or a stream of records. */
export function summarizeDemoClinic(clinic: DemoClinic | Iterable<DemoRecord>): DemoClinicSummary {
  const summary = Object.fromEntries(
    DEMO_COLLECTIONS.map((collection) => [collection, 0]),
  ) as DemoClinicSummary;
  if ('documents' in clinic) {
    for (const collection of DEMO_COLLECTIONS) {
      summary[collection] = clinic.documents[collection].length;
    }
  } else {
    for (const record of clinic) summary[record.collection] += 1;
  }
  return summary;
}

/**
 * The staff logins of the demo clinic made with these options: e-mail, role, name and the staff
 * id the generated documents use. E-mails depend only on role and position (admin@, dentist1@,
 * hygienist1@, frontdesk1@ at `staffEmailDomain`). Passwords are not made here: the server CLI
 * sets them.
 */
export function demoLogins(options: DemoClinicOptions = {}): DemoLogin[] {
  const resolved = resolveDemoClinicOptions(options);
  return buildSetup(resolved, idFactoryFor(resolved)).staff.map((member) => ({
    email: member.email,
    role: member.role,
    name: member.name,
    staffId: member.id,
    providerId: member.providerId ?? null,
  }));
}

/** The logins of the demo clinic made with the default options. */
export const DEMO_LOGINS: readonly Readonly<DemoLogin>[] = Object.freeze(
  demoLogins().map((login) => Object.freeze(login)),
);
