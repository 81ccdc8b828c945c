// Patients: search as you type, the patient record, registration and edits.
// Search only ever runs index range scans (nameKey, givenNameKey, phoneKey, birthDate), so a
// keystroke costs the same on 300 patients as on 50,000.
import { displayName } from '../../../shared/domain/rules/people';
import type { MangoQuery } from 'rxdb';
import type { InputOf, PatientChanges, PatientDraft } from '../../../shared/api/contract';
import type { PatientRecord, PatientSearchResult, PatientSummary } from '../../../shared/api/views';
import { newId } from '../../../shared/domain/ids';
import {
  derivePatientSearchFields,
  normalizeNameForSearch,
  phoneDigits,
  type Appointment,
  type ClinicDatabase,
  type ClinicalNote,
  type Patient,
  type Procedure,
} from '../../../shared/domain/schemas/index';
import { isCalendarDate } from '../../../shared/domain/time';
import {
  ValidationError,
  validateDocument,
  type ValidationIssue,
} from '../../../shared/domain/validation';
import type { CallContext, ServiceTable } from '../service-table';
import {
  audit,
  getDocument,
  insertDocument,
  plain,
  updateDocument,
  type ServiceScope,
  type Services,
} from './context';
import { accountBalanceOf, accountEntries } from './ledger';

export const DEFAULT_SEARCH_LIMIT = 25;
/** Sorts after every character a search key can hold: the upper bound of a prefix range. */
const PREFIX_END = '\uffff';

export type SearchMode =
  | { readonly kind: 'name'; readonly words: readonly string[] }
  | { readonly kind: 'phone'; readonly digits: string }
  | { readonly kind: 'birthDate'; readonly date: string }
  | { readonly kind: 'none' };

const DAY_FIRST_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE_TEXT = /^[0-9+()./ -]+$/;

/** What the typed text searches by: a birth date, phone digits, or a name prefix. */
export function searchModeOf(text: string): SearchMode {
  const typed = text.trim();
  if (ISO_DATE.test(typed)) {
    return isCalendarDate(typed) ? { kind: 'birthDate', date: typed } : { kind: 'none' };
  }
  const dayFirst = DAY_FIRST_DATE.exec(typed);
  if (dayFirst) {
    const [, dd = '', mm = '', yyyy = ''] = dayFirst;
    const date = `${yyyy}-${mm.padStart(2, '0')}-${dd.padStart(2, '0')}`;
    return isCalendarDate(date) ? { kind: 'birthDate', date } : { kind: 'none' };
  }
  if (PHONE_TEXT.test(typed) && /\d/.test(typed)) {
    // A slash means a date still being typed (12/03/19...), not a phone number.
    return typed.includes('/') ? { kind: 'none' } : { kind: 'phone', digits: phoneDigits(typed) };
  }
  const name = normalizeNameForSearch(typed);
  if (name === '') return { kind: 'none' };
  return { kind: 'name', words: [...new Set(name.split(' '))] };
}

/** Matches a key in which every typed word starts a word, in any order. */
function everyWordStartsAWord(words: readonly string[]): string {
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^${words.map((word) => `(?=(?:.* )?${escape(word)})`).join('')}`;
}

/**
 * The words a multi-word name search anchors its range scans on: nameKey is "last first", and
 * the last name may be typed first or after the first name, so each typed word is tried as the
 * start of the key. One-letter words are only anchors when nothing longer was typed.
 */
function anchorsOf(words: readonly string[]): readonly string[] {
  const long = words.filter((word) => word.length > 1);
  return long.length > 0 ? long : words;
}

export { displayName };

export function hasAlerts(patient: Pick<Patient, 'allergies' | 'medicalAlerts'>): boolean {
  return patient.allergies.length > 0 || patient.medicalAlerts.length > 0;
}

export function summarizePatient(patient: Patient): PatientSummary {
  return {
    id: patient.id,
    firstName: patient.firstName,
    lastName: patient.lastName,
    ...(patient.preferredName !== undefined ? { preferredName: patient.preferredName } : {}),
    birthDate: patient.birthDate,
    primaryPhone: patient.phones[0]?.number ?? null,
    status: patient.status,
    hasAlerts: hasAlerts(patient),
  };
}

/**
 * The first-name range: givenNameKey is "first last", so what was typed ("maria", "maria sil",
 * "jose luis") is one prefix of it, in the order people say names.
 */
function givenNameQuery(words: readonly string[], take: number): MangoQuery<Patient> {
  const typed = words.join(' ');
  return {
    selector: { givenNameKey: { $gte: typed, $lte: typed + PREFIX_END } },
    sort: [{ givenNameKey: 'asc' }],
    limit: take,
  };
}

/**
 * The Mango queries a search runs; each is a range on one index, limited to `limit + 1`. For a
 * name, the nameKey (last name) ranges come first and the givenNameKey range last: results
 * keep that rank.
 */
export function searchQueries(mode: SearchMode, limit: number): MangoQuery<Patient>[] {
  const take = limit + 1;
  switch (mode.kind) {
    case 'name': {
      const [only] = mode.words;
      if (mode.words.length === 1 && only !== undefined) {
        return [
          {
            selector: { nameKey: { $gte: only, $lte: only + PREFIX_END } },
            sort: [{ nameKey: 'asc' }],
            limit: take,
          },
          givenNameQuery(mode.words, take),
        ];
      }
      // A range on the anchor word, the other words checked on each row of that range only.
      const allWords = everyWordStartsAWord(mode.words);
      return [
        ...anchorsOf(mode.words).map((anchor): MangoQuery<Patient> => ({
          selector: { nameKey: { $gte: anchor, $lte: anchor + PREFIX_END, $regex: allWords } },
          sort: [{ nameKey: 'asc' }],
          limit: take,
        })),
        givenNameQuery(mode.words, take),
      ];
    }
    case 'phone':
      return [
        {
          selector: { phoneKey: { $gte: mode.digits, $lte: mode.digits + PREFIX_END } },
          sort: [{ phoneKey: 'asc' }],
          limit: take,
        },
      ];
    case 'birthDate':
      return [{ selector: { birthDate: { $eq: mode.date } }, sort: [{ id: 'asc' }], limit: take }];
    case 'none':
      return [];
  }
}

const byId = (a: Patient, b: Patient) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Orders one rank by the key its range scanned, so a truncated rank keeps its first rows. */
function byKeyThenId(key: 'nameKey' | 'givenNameKey') {
  return (a: Patient, b: Patient): number => {
    const [x = '', y = ''] = [a[key], b[key]];
    return x !== y ? (x < y ? -1 : 1) : byId(a, b);
  };
}

export async function searchPatients(
  db: ClinicDatabase,
  input: InputOf<'patients.search'>,
): Promise<PatientSearchResult> {
  const limit = input.limit ?? DEFAULT_SEARCH_LIMIT;
  const mode = searchModeOf(input.text);
  // Last-name matches rank first, then first-name matches; a patient found by both ranges is
  // listed once, in the first rank.
  const byLastName = new Map<string, Patient>();
  const byFirstName = new Map<string, Patient>();
  let truncated = false;
  for (const query of searchQueries(mode, limit)) {
    const firstName = query.selector !== undefined && 'givenNameKey' in query.selector;
    const docs = await db.patients.find(query).exec();
    if (docs.length > limit) truncated = true;
    for (const doc of docs) (firstName ? byFirstName : byLastName).set(doc.id, plain(doc));
  }
  for (const id of byLastName.keys()) byFirstName.delete(id);
  const patients = [
    ...[...byLastName.values()].sort(byKeyThenId('nameKey')),
    ...[...byFirstName.values()].sort(byKeyThenId('givenNameKey')),
  ];
  if (patients.length > limit) truncated = true;
  return { patients: patients.slice(0, limit).map(summarizePatient), truncated };
}

/** Everything the patient record screen shows, read through the patient-keyed indexes. */
export async function loadPatientRecord(
  services: Services,
  db: ClinicDatabase,
  patientId: string,
  now: string,
): Promise<PatientRecord> {
  const patient = await getDocument(db, 'patients', patientId);
  const [guarantorDoc, appointments, procedures, notes, ledger] = await Promise.all([
    patient.guarantorId === patient.id
      ? Promise.resolve(null)
      : db.patients.findOne(patient.guarantorId).exec(),
    db.appointments
      .find({ selector: { patientId: { $eq: patientId } }, sort: [{ start: 'asc' }] })
      .exec(),
    db.procedures
      .find({ selector: { patientId: { $eq: patientId } }, sort: [{ date: 'desc' }] })
      .exec(),
    db.clinical_notes
      .find({ selector: { patientId: { $eq: patientId } }, sort: [{ createdAt: 'desc' }] })
      .exec(),
    accountEntries(db, patient.guarantorId),
  ]);
  const allAppointments = appointments.map((doc) => plain<Appointment>(doc));
  return {
    patient,
    guarantor: guarantorDoc ? summarizePatient(plain(guarantorDoc)) : null,
    upcomingAppointments: allAppointments.filter((appointment) => appointment.start >= now),
    pastAppointments: allAppointments.filter((appointment) => appointment.start < now).reverse(),
    procedures: procedures.map((doc) => plain<Procedure>(doc)),
    notes: notes.map((doc) => plain<ClinicalNote>(doc)),
    ledger: [...ledger].reverse(),
    balance: accountBalanceOf(services, patient.guarantorId, ledger),
  };
}

/** Fields the app fills in; a request that sets them is refused rather than half-applied. */
const APP_MANAGED_FIELDS = [
  'id',
  'clinicId',
  'updatedAt',
  'updatedBy',
  'nameKey',
  'phoneKey',
  'givenNameKey',
];

function refuseAppManagedFields(fields: Readonly<Record<string, unknown>>): void {
  const issues: ValidationIssue[] = APP_MANAGED_FIELDS.filter((field) => field in fields).map(
    (field) => ({ field, message: `${field} is filled in by the app; remove it` }),
  );
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * A patient with its search keys derived. The document is checked with placeholder keys first,
 * so malformed names or phones are reported as issues instead of breaking the derivation.
 */
function withSearchFields(candidate: Patient): Patient {
  const draft = { ...candidate, nameKey: '', phoneKey: '' };
  const checked = validateDocument('patients', draft);
  if (!checked.ok) throw new ValidationError(checked.issues);
  return { ...draft, ...derivePatientSearchFields(draft) };
}

async function assertGuarantorExists(db: ClinicDatabase, patient: Patient): Promise<void> {
  if (patient.guarantorId === patient.id) return;
  const guarantor = await db.patients.findOne(patient.guarantorId).exec();
  if (!guarantor) {
    throw new ValidationError([
      { field: 'guarantorId', message: 'guarantor must be a registered patient' },
    ]);
  }
}

async function createPatient(
  scope: ServiceScope,
  draft: PatientDraft,
): Promise<{ readonly id: string }> {
  const fields = draft as unknown as Readonly<Record<string, unknown>>;
  refuseAppManagedFields(fields);
  const id = newId();
  const patient = withSearchFields({
    ...draft,
    id,
    ...scope.stamp,
    familyId: draft.familyId ?? id,
    guarantorId: draft.guarantorId ?? id,
    nameKey: '',
    phoneKey: '',
  });
  await assertGuarantorExists(scope.db, patient);
  await insertDocument(scope.db, 'patients', patient);
  await audit(scope, 'patients.create', [{ entity: 'patients', entityId: id }]);
  return { id };
}

/** Applies changes; `null` clears an optional field (JSON has no undefined). */
function applyPatientChanges(current: Patient, changes: PatientChanges, scope: ServiceScope) {
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return withSearchFields({ ...(next as Patient), ...scope.stamp });
}

async function updatePatient(scope: ServiceScope, input: InputOf<'patients.update'>) {
  refuseAppManagedFields(input.changes as unknown as Readonly<Record<string, unknown>>);
  const current = await getDocument(scope.db, 'patients', input.patientId);
  await assertGuarantorExists(scope.db, applyPatientChanges(current, input.changes, scope));
  await updateDocument(scope.db, 'patients', input.patientId, (latest) =>
    applyPatientChanges(latest, input.changes, scope),
  );
  await audit(scope, 'patients.update', [{ entity: 'patients', entityId: input.patientId }]);
  return { done: true } as const;
}

export function patientHandlers(
  services: Services,
): Pick<ServiceTable, 'patients.search' | 'patients.get' | 'patients.create' | 'patients.update'> {
  return {
    'patients.search': async (input, context: CallContext) =>
      searchPatients(services.scope(context).db, input),
    'patients.get': async (input, context) => {
      const scope = services.scope(context);
      return loadPatientRecord(services, scope.db, input.patientId, scope.now);
    },
    'patients.create': async (input, context) =>
      createPatient(services.scope(context), input.patient),
    'patients.update': async (input, context) => updatePatient(services.scope(context), input),
  };
}
