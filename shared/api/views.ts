// What the app API answers: the shapes the screens read. Documents are the domain types
// themselves; the rest are small read models assembled by the core.
import type { AppointmentStatus, ConfirmationStatus, Currency, StaffRole } from '../domain/enums';
import type {
  Appointment,
  AppointmentType,
  ClinicalNote,
  LedgerEntry,
  Operatory,
  Patient,
  Procedure,
  Provider,
  StaffMember,
} from '../domain/schemas/index';
import type { ValidationIssue } from '../domain/validation';
import type { ProcedureListEntry } from '../domain/rules/cdt';
import type { ToothNotation } from '../domain/rules/teeth';

/** A row of the patient search list: enough to pick the right person, nothing more. */
export interface PatientSummary {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly preferredName?: string | undefined;
  readonly birthDate: string;
  readonly primaryPhone: string | null;
  readonly status: Patient['status'];
  /** Allergies or medical alerts exist: the list shows a marker. */
  readonly hasAlerts: boolean;
}

export interface PatientSearchResult {
  readonly patients: readonly PatientSummary[];
  /** More matched than `limit`: the UI asks the user to type more. */
  readonly truncated: boolean;
}

export interface Balance {
  readonly guarantorId: string;
  readonly currency: Currency;
  /** Positive: the account owes the clinic. Integer cents. */
  readonly balanceCents: number;
}

export interface PatientRecord {
  readonly patient: Patient;
  readonly guarantor: PatientSummary | null;
  readonly upcomingAppointments: readonly Appointment[];
  readonly pastAppointments: readonly Appointment[];
  readonly procedures: readonly Procedure[];
  readonly notes: readonly ClinicalNote[];
  readonly ledger: readonly LedgerEntry[];
  readonly balance: Balance;
}

/** One clinic-local day of the schedule, with what is needed to draw it. */
export interface DaySchedule {
  /** The clinic-local day, YYYY-MM-DD. */
  readonly day: string;
  readonly timeZone: string;
  readonly appointments: readonly ScheduledAppointment[];
  readonly providers: readonly Provider[];
  readonly operatories: readonly Operatory[];
  readonly appointmentTypes: readonly AppointmentType[];
}

export interface ScheduledAppointment extends Appointment {
  /** Display name of the patient (preferred name when set). */
  readonly patientName: string;
  readonly patientHasAlerts: boolean;
  /** Other appointments this one clashes with (same provider or chair). */
  readonly clashesWith: readonly string[];
}

export interface WeekSchedule {
  readonly days: readonly DaySchedule[];
}

/** A row of the dentist's day: the patient in the chair and where they are in their visit. */
export interface DentistDayEntry {
  readonly appointment: ScheduledAppointment;
  readonly status: AppointmentStatus;
}

export type SyncConnection = 'online' | 'offline' | 'connecting' | 'signed_out';

export interface SyncStatus {
  readonly connection: SyncConnection;
  /** ISO instant of the last complete pull/push round, or null before the first. */
  readonly lastSyncedAt: string | null;
  /** Local changes not yet accepted by the server. */
  readonly pendingChanges: number;
  /** Conflicts waiting for review. */
  readonly openConflicts: number;
  /** The last error in words, safe to show (never patient data). */
  readonly lastError: string | null;
  /** The server's clock differs from this device's by more than a minute. */
  readonly clockSkewMs: number | null;
  /** Seconds until the next retry while offline. */
  readonly nextRetryInSeconds: number | null;
}

export interface SyncConflict {
  readonly id: string;
  readonly collection: string;
  readonly documentId: string;
  readonly field: string;
  /** The value written here that lost (kept for review). */
  readonly localValue: unknown;
  /** The value now stored (the server's). */
  readonly serverValue: unknown;
  readonly detectedAt: string;
  readonly resolved: boolean;
}

export type UpdateState =
  | { readonly state: 'idle' }
  | { readonly state: 'checking' }
  | { readonly state: 'available'; readonly version: string }
  | { readonly state: 'downloading'; readonly version: string; readonly percent: number }
  | { readonly state: 'ready'; readonly version: string }
  | { readonly state: 'error'; readonly message: string };

export interface BackupInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly reason: 'scheduled' | 'manual' | 'before_migration' | 'before_update' | 'before_restore';
  readonly sizeBytes: number;
}

/**
 * The local database. `closed` before sign-in; `problem` when the file is damaged or was written
 * by a newer version of the app: nothing was changed, and a person chooses between restoring a
 * backup (`backups.restore`) and setting the file aside to download the clinic again
 * (`database.setAside`).
 */
export type DatabaseStatus =
  | { readonly state: 'closed' }
  | { readonly state: 'opening' }
  | { readonly state: 'open' }
  | {
      readonly state: 'problem';
      readonly problem: 'corrupt' | 'newer_version';
      /** Backups one could restore instead, newest first. */
      readonly backups: readonly BackupInfo[];
    };

export type UpdateChannel = 'stable' | 'beta';

export interface Settings {
  readonly language: 'en' | 'pt-BR';
  readonly toothNotation: ToothNotation;
  readonly updateChannel: UpdateChannel;
  readonly scheduleColumns: 'operatory' | 'provider';
}

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly providerId: string | null;
}

export interface Session {
  readonly serverUrl: string | null;
  readonly clinicId: string | null;
  readonly clinicName: string | null;
  readonly timeZone: string | null;
  readonly currency: Currency | null;
  readonly user: SessionUser | null;
  /** A shared workstation is locked until a PIN is entered. */
  readonly locked: boolean;
  /** Who can unlock (or switch to) this workstation with a PIN, for the lock screen. */
  readonly pinUsers: readonly { readonly id: string; readonly name: string }[];
}

/** What a booking or move answers: done, or clashes the user must confirm first. */
export type BookingOutcome =
  | { readonly status: 'booked'; readonly appointmentId: string; readonly flagged: boolean }
  | { readonly status: 'needs_confirmation'; readonly clashes: readonly BookingClash[] };

export interface BookingClash {
  readonly appointmentId: string;
  readonly resource: 'provider' | 'operatory';
}

export interface Created {
  readonly id: string;
}

export type Done = { readonly done: true };

export interface Lists {
  readonly providers: readonly Provider[];
  readonly operatories: readonly Operatory[];
  readonly appointmentTypes: readonly AppointmentType[];
  readonly staff: readonly StaffMember[];
  readonly procedureList: readonly ProcedureListEntry[];
}

export interface ConfirmationChange {
  readonly confirmation: ConfirmationStatus;
}

/** The error a call rejects with: a code for the UI's logic and a message safe to show. */
export interface ApiErrorBody {
  readonly code: ApiErrorCode;
  readonly message: string;
  /** For `invalid_input`: one entry per field. */
  readonly issues?: readonly ValidationIssue[];
}

export const API_ERROR_CODES = [
  'invalid_input',
  'not_found',
  'forbidden',
  'conflict',
  'not_signed_in',
  'locked',
  'unknown_method',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
