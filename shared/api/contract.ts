// The app API: one table of every command, query and subscription the renderer may call.
// The desktop shell serves it over IPC, browser mode over a loopback WebSocket; nothing else
// crosses from the renderer to the core. Inputs are JSON Schema (TypeBox) so the same object
// types the call at compile time and validates it at run time (validate-input.ts).
//
// Documents inside commands (`patient`, `changes`) are checked by the core against the domain
// schemas after it fills in ids and bookkeeping fields, so their rules are written once, in
// shared/domain; here they are only "a record of fields".
import Type, { type Static, type TSchema } from 'typebox';
import {
  APPOINTMENT_STATUSES,
  CONFIRMATION_STATUSES,
  CURRENCIES,
  PAYMENT_METHODS,
  PROCEDURE_STATUSES,
  type StaffRole,
} from '../domain/enums';
import { CALENDAR_DATE_PATTERN, STORED_INSTANT_PATTERN } from '../domain/time';
import type { Appointment, ClinicalNote, Patient, Procedure } from '../domain/schemas/index';
import type {
  BackupInfo,
  Balance,
  BookingOutcome,
  Created,
  DatabaseStatus,
  DaySchedule,
  DentistDayEntry,
  Done,
  Lists,
  PatientRecord,
  PatientSearchResult,
  Session,
  Settings,
  SyncConflict,
  SyncStatus,
  UpdateState,
  WeekSchedule,
} from './views';

export type EndpointKind = 'command' | 'query' | 'subscription';

export interface Endpoint<K extends EndpointKind, I extends TSchema, O> {
  readonly kind: K;
  readonly input: I;
  /** One line for people reading the table, and for the generated docs. */
  readonly summary: string;
  /** Roles allowed to call it; absent means any signed-in user (or none needed, see `public`). */
  readonly roles?: readonly StaffRole[];
  /** Callable before sign-in and while the workstation is locked. */
  readonly public?: boolean;
  /** Type-level only: what the call resolves to (or what a subscription emits). */
  readonly output?: O;
}

type Options = Pick<Endpoint<EndpointKind, TSchema, unknown>, 'roles' | 'public'>;

// `command<Output>()(input, summary)`: the output type is given, the input inferred.
const endpoint =
  <K extends EndpointKind>(kind: K) =>
  <O>() =>
  <I extends TSchema>(input: I, summary: string, options: Options = {}): Endpoint<K, I, O> => ({
    kind,
    input,
    summary,
    ...options,
  });
const command = endpoint('command');
const query = endpoint('query');
const subscription = endpoint('subscription');

// --- Reusable fields, each with the words the validator shows -------------------------------
const id = (title: string) =>
  Type.String({ title, minLength: 1, maxLength: 36, description: 'be the id of a record' });
const day = (title: string) =>
  Type.String({
    title,
    pattern: CALENDAR_DATE_PATTERN,
    description: 'be a real date written year-month-day, like 2024-03-21',
  });
const instant = (title: string) =>
  Type.String({
    title,
    pattern: STORED_INSTANT_PATTERN,
    description: 'be a UTC time written like 2024-03-21T14:30:00.000Z',
  });
const cents = (title: string) =>
  Type.Integer({
    title,
    minimum: 1,
    maximum: 100_000_000_00,
    description: 'be a whole number of cents greater than zero, like 12500 for 125.00',
  });
const text = (title: string, maxLength: number) => Type.String({ title, maxLength });
// A plain enum (not a union of literals) so a bad value gets one clear message.
const oneOf = <T extends readonly string[]>(title: string, values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], title });
const record = <T>(title: string) =>
  Type.Unsafe<T>({ type: 'object', title, description: 'be a record of fields' });
const noInput = Type.Object({}, { additionalProperties: false });
const strict = <P extends Parameters<typeof Type.Object>[0]>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

const CLINICAL_ROLES = ['dentist', 'hygienist'] as const satisfies readonly StaffRole[];
const BILLING_ROLES = ['admin', 'front_desk', 'dentist'] as const satisfies readonly StaffRole[];

/** The fields a person fills in for a patient; the core adds ids, search keys and bookkeeping. */
export type PatientDraft = Omit<
  Patient,
  | 'id'
  | 'clinicId'
  | 'updatedAt'
  | 'updatedBy'
  | 'nameKey'
  | 'phoneKey'
  | 'givenNameKey'
  | 'familyId'
  | 'guarantorId'
> &
  Partial<Pick<Patient, 'familyId' | 'guarantorId'>>;

export type PatientChanges = Partial<PatientDraft>;

const booking = {
  providerId: id('provider'),
  operatoryId: id('chair'),
  start: instant('start time'),
  end: instant('end time'),
  /** Book even though it clashes; the appointment is then flagged. */
  allowDoubleBooking: Type.Optional(Type.Boolean({ title: 'book anyway' })),
};

export const appApi = {
  // --- Session ------------------------------------------------------------------------------
  'session.get': query<Session>()(noInput, 'Who is signed in, where, and whether locked.', {
    public: true,
  }),
  'session.signIn': command<Session>()(
    strict({
      serverUrl: Type.String({
        title: 'server address',
        pattern: '^https?://',
        maxLength: 500,
        description: 'be a web address, like https://sync.example.com',
      }),
      clinic: text('clinic', 200),
      email: Type.String({
        title: 'email',
        format: 'email',
        maxLength: 254,
        description: 'look like name@example.com',
      }),
      password: Type.String({ title: 'password', minLength: 1, maxLength: 500 }),
    }),
    'Sign in online once; afterwards the workstation works offline.',
    { public: true },
  ),
  'session.signOut': command<Done>()(noInput, 'Sign out and stop syncing.'),
  'session.lock': command<Done>()(noInput, 'Lock a shared workstation.'),
  'session.unlock': command<Session>()(
    strict({
      userId: id('user'),
      pin: Type.String({
        title: 'PIN',
        pattern: '^\\d{4,8}$',
        description: 'be 4 to 8 digits',
      }),
    }),
    'Unlock (or switch user) with a PIN.',
    { public: true },
  ),
  'session.setPin': command<Done>()(
    strict({
      pin: Type.String({ title: 'PIN', pattern: '^\\d{4,8}$', description: 'be 4 to 8 digits' }),
    }),
    'Set the PIN used to unlock this workstation.',
  ),

  // --- Patients -----------------------------------------------------------------------------
  'patients.search': query<PatientSearchResult>()(
    strict({
      text: text('search text', 100),
      limit: Type.Optional(Type.Integer({ title: 'limit', minimum: 1, maximum: 200 })),
    }),
    'Search as you type by name, phone digits or birth date (YYYY-MM-DD or DD/MM/YYYY).',
  ),
  'patients.get': query<PatientRecord>()(
    strict({ patientId: id('patient') }),
    'The patient record: alerts, appointments, procedures, notes, ledger and balance.',
  ),
  'patients.create': command<Created>()(
    strict({ patient: record<PatientDraft>('patient') }),
    'Register a new patient.',
    { roles: ['admin', 'front_desk', 'dentist', 'hygienist'] },
  ),
  'patients.update': command<Done>()(
    strict({ patientId: id('patient'), changes: record<PatientChanges>('changes') }),
    'Change a patient’s details.',
  ),

  // --- Schedule -----------------------------------------------------------------------------
  'schedule.day': query<DaySchedule>()(
    strict({ day: day('day') }),
    'One clinic-local day: appointments with clashes, providers, chairs, types.',
  ),
  'schedule.week': query<WeekSchedule>()(
    strict({ weekStart: day('first day of the week'), providerId: Type.Optional(id('provider')) }),
    'Seven clinic-local days.',
  ),
  'schedule.dentistDay': query<readonly DentistDayEntry[]>()(
    strict({ providerId: id('provider'), day: day('day') }),
    'A provider’s patients today with where each is in the visit.',
  ),
  'appointments.book': command<BookingOutcome>()(
    strict({
      patientId: id('patient'),
      typeId: id('appointment type'),
      notes: Type.Optional(text('notes', 2000)),
      ...booking,
    }),
    'Book an appointment. A clash with the same provider or chair asks for confirmation.',
    { roles: ['admin', 'front_desk', 'dentist', 'hygienist'] },
  ),
  'appointments.move': command<BookingOutcome>()(
    strict({ appointmentId: id('appointment'), ...booking }),
    'Move or resize an appointment (drag on the schedule).',
  ),
  'appointments.setStatus': command<Done>()(
    strict({
      appointmentId: id('appointment'),
      status: oneOf('status', APPOINTMENT_STATUSES),
      reason: Type.Optional(text('reason', 500)),
    }),
    'Check in, seat, complete, mark no-show or cancel (the lifecycle rules decide what is allowed).',
  ),
  'appointments.setConfirmation': command<Done>()(
    strict({
      appointmentId: id('appointment'),
      confirmation: oneOf('confirmation', CONFIRMATION_STATUSES),
    }),
    'Record a confirmation call: left a message, confirmed.',
  ),

  // --- Chart and notes ----------------------------------------------------------------------
  'procedures.record': command<Created>()(
    strict({
      patientId: id('patient'),
      appointmentId: Type.Optional(id('appointment')),
      providerId: id('provider'),
      cdtCode: Type.String({
        title: 'procedure code',
        pattern: '^D\\d{4}$',
        description: 'be D followed by four digits, like D2391',
      }),
      tooth: Type.Optional(
        Type.Union([Type.String({ title: 'tooth', maxLength: 3 }), Type.Null()]),
      ),
      surfaces: Type.Optional(text('surfaces', 10)),
      status: oneOf('procedure status', PROCEDURE_STATUSES),
      feeCents: Type.Optional(Type.Integer({ title: 'fee', minimum: 0, maximum: 100_000_000_00 })),
      date: day('date'),
      notes: Type.Optional(text('notes', 2000)),
    }),
    'Record a planned, completed, existing or referred procedure. Completing one posts its charge.',
    { roles: ['admin', 'front_desk', ...CLINICAL_ROLES] },
  ),
  'procedures.setStatus': command<Done>()(
    strict({ procedureId: id('procedure'), status: oneOf('procedure status', PROCEDURE_STATUSES) }),
    'Mark a planned procedure completed (posts its charge) or referred.',
    { roles: CLINICAL_ROLES },
  ),
  'notes.saveDraft': command<Created>()(
    strict({
      noteId: Type.Optional(id('note')),
      patientId: id('patient'),
      appointmentId: Type.Optional(id('appointment')),
      body: Type.String({ title: 'note', minLength: 1, maxLength: 50_000 }),
    }),
    'Create or update a draft clinical note.',
    { roles: CLINICAL_ROLES },
  ),
  'notes.sign': command<Done>()(
    strict({ noteId: id('note') }),
    'Sign a draft note; it can no longer change.',
    { roles: CLINICAL_ROLES },
  ),
  'notes.amend': command<Created>()(
    strict({
      noteId: id('note'),
      body: Type.String({ title: 'amendment', minLength: 1, maxLength: 50_000 }),
    }),
    'Amend a signed note: a new note that links to it.',
    { roles: CLINICAL_ROLES },
  ),

  // --- Billing ------------------------------------------------------------------------------
  'ledger.balance': query<Balance>()(
    strict({ patientId: id('patient') }),
    'The balance of the account that carries this patient (the guarantor’s).',
  ),
  'ledger.takePayment': command<Created>()(
    strict({
      patientId: id('patient'),
      amountCents: cents('amount'),
      currency: oneOf('currency', CURRENCIES),
      method: oneOf('payment method', PAYMENT_METHODS),
      description: Type.Optional(text('description', 500)),
    }),
    'Take a payment on the guarantor’s account.',
    { roles: BILLING_ROLES },
  ),
  'ledger.adjust': command<Created>()(
    strict({
      patientId: id('patient'),
      amountCents: cents('amount'),
      currency: oneOf('currency', CURRENCIES),
      direction: oneOf('direction', ['credit', 'debit'] as const),
      description: text('reason', 500),
    }),
    'Post an adjustment (a discount, a write-off, a correction).',
    { roles: ['admin', 'front_desk'] },
  ),
  'ledger.reverse': command<Created>()(
    strict({ entryId: id('ledger entry'), reason: text('reason', 500) }),
    'Correct a ledger entry by posting its reversal (the ledger is append-only).',
    { roles: ['admin', 'front_desk'] },
  ),

  // --- Lists and settings -------------------------------------------------------------------
  'lists.get': query<Lists>()(
    noInput,
    'Providers, chairs, appointment types, staff and the procedure list.',
  ),
  'settings.get': query<Settings>()(noInput, 'This workstation’s settings.', { public: true }),
  'settings.update': command<Settings>()(
    strict({
      language: Type.Optional(oneOf('language', ['en', 'pt-BR'] as const)),
      toothNotation: Type.Optional(oneOf('tooth numbering', ['fdi', 'universal'] as const)),
      updateChannel: Type.Optional(oneOf('update channel', ['stable', 'beta'] as const)),
      scheduleColumns: Type.Optional(oneOf('schedule columns', ['operatory', 'provider'] as const)),
    }),
    'Change this workstation’s settings.',
    { public: true },
  ),

  // --- Sync, conflicts, backups, updates ------------------------------------------------------
  'sync.now': command<Done>()(noInput, 'Sync now instead of waiting for the next retry.'),
  'conflicts.list': query<readonly SyncConflict[]>()(
    strict({ includeResolved: Type.Optional(Type.Boolean({ title: 'include resolved' })) }),
    'What clashed during sync: both values side by side.',
  ),
  'conflicts.resolve': command<Done>()(
    strict({ conflictId: id('conflict'), keep: oneOf('choice', ['mine', 'theirs'] as const) }),
    'Keep mine (writes a new revision) or keep theirs (closes the conflict).',
  ),
  'backups.list': query<readonly BackupInfo[]>()(noInput, 'Local backups, newest first.'),
  'backups.create': command<BackupInfo>()(noInput, 'Back up now.'),
  'backups.restore': command<Done>()(
    strict({ backupId: id('backup') }),
    'Restore a backup after checking it; the current file is kept so the restore can be undone.',
    { roles: ['admin'] },
  ),
  'database.status': query<DatabaseStatus>()(
    noInput,
    'The local database: open, closed before sign-in, or a problem that needs a decision.',
    { public: true },
  ),
  'database.setAside': command<Done>()(
    noInput,
    'Set a damaged or newer-version database file aside (it is kept) and download the clinic again.',
  ),
  'updates.installNow': command<Done>()(
    noInput,
    'Restart now to install a downloaded update (otherwise it installs on quit).',
  ),

  // --- Live subscriptions --------------------------------------------------------------------
  'live.syncStatus': subscription<SyncStatus>()(noInput, 'Sync status, on every change.', {
    public: true,
  }),
  'live.updateStatus': subscription<UpdateState>()(noInput, 'Update status, on every change.', {
    public: true,
  }),
  'live.databaseStatus': subscription<DatabaseStatus>()(
    noInput,
    'database.status, on every change.',
    { public: true },
  ),
  'live.daySchedule': subscription<DaySchedule>()(
    strict({ day: day('day') }),
    'schedule.day, re-sent whenever the day changes (here or from another workstation).',
  ),
  'live.patient': subscription<PatientRecord>()(
    strict({ patientId: id('patient') }),
    'patients.get, re-sent on every change to the record.',
  ),
  'live.conflicts': subscription<readonly SyncConflict[]>()(
    noInput,
    'Open conflicts, re-sent on every change.',
  ),
} as const;

export type AppApi = typeof appApi;
export type MethodName = keyof AppApi;
export type MethodOfKind<K extends EndpointKind> = {
  [M in MethodName]: AppApi[M]['kind'] extends K ? M : never;
}[MethodName];
export type CallableMethod = MethodOfKind<'command' | 'query'>;
export type SubscriptionMethod = MethodOfKind<'subscription'>;
export type InputOf<M extends MethodName> = Static<AppApi[M]['input']>;
export type OutputOf<M extends MethodName> = NonNullable<AppApi[M]['output']>;

export const METHOD_NAMES = Object.keys(appApi) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(appApi, name);
}

// Re-exported so callers of the contract need one import for the shapes it speaks of.
export type { Appointment, ClinicalNote, Patient, Procedure };
