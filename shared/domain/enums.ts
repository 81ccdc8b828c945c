// The closed vocabularies of the clinic domain. Schemas, rules and the UI all read them from here.

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'checked_in',
  'in_progress',
  'completed',
  'cancelled',
  'no_show',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const CONFIRMATION_STATUSES = ['unconfirmed', 'left_message', 'confirmed'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

export const PROCEDURE_STATUSES = ['planned', 'completed', 'existing', 'referred'] as const;
export type ProcedureStatus = (typeof PROCEDURE_STATUSES)[number];

export const LEDGER_ENTRY_KINDS = ['charge', 'payment', 'adjustment'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** Which way an adjustment moves the balance: a debit raises what the patient owes. */
export const ADJUSTMENT_DIRECTIONS = ['credit', 'debit'] as const;
export type AdjustmentDirection = (typeof ADJUSTMENT_DIRECTIONS)[number];

export const PAYMENT_METHODS = [
  'cash',
  'card',
  'check',
  'bank_transfer',
  'pix',
  'insurance',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const STAFF_ROLES = ['admin', 'dentist', 'hygienist', 'front_desk'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PROVIDER_KINDS = ['dentist', 'hygienist'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const PATIENT_STATUSES = ['active', 'inactive', 'archived', 'deceased'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const PHONE_KINDS = ['mobile', 'home', 'work'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];

export const NOTE_STATUSES = ['draft', 'signed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

/** ISO 4217 codes the clinic may bill in. */
export const CURRENCIES = ['USD', 'BRL', 'EUR', 'GBP', 'CAD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Problems found on an appointment after sync, e.g. two bookings made offline for one chair. */
export const APPOINTMENT_FLAGS = ['double_booked'] as const;
export type AppointmentFlag = (typeof APPOINTMENT_FLAGS)[number];
