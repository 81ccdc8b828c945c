// The appointment lifecycle as an explicit state machine, and its FHIR R4 mapping.
//
//   scheduled   -> checked_in   patient arrived at the front desk         (sets arrivedAt)
//   scheduled   -> in_progress  seated straight away, no check-in click   (sets arrivedAt, seatedAt)
//   scheduled   -> cancelled
//   scheduled   -> no_show
//   checked_in  -> in_progress  seated in the chair                       (sets seatedAt)
//   checked_in  -> completed    seen and dismissed, seating not recorded  (sets dismissedAt)
//   checked_in  -> cancelled    left before being seen (arrivedAt kept)
//   checked_in  -> scheduled    undo an accidental check-in               (clears arrivedAt)
//   in_progress -> completed    dismissed                                 (sets dismissedAt)
//   in_progress -> checked_in   undo an accidental seating / back to the waiting room (clears seatedAt)
//
// completed, cancelled and no_show are terminal. They feed production and no-show reports, and a
// cancelled or no-show slot is released the moment it is set (someone else may be booked into it
// already), so a visit that does happen after all is booked as a new appointment, which goes
// through the clash check, rather than resurrected.

import type { AppointmentStatus, ConfirmationStatus } from '../enums';
import { APPOINTMENT_STATUSES } from '../enums';
import { assertUtcInstant } from './instant';

const TRANSITIONS: Readonly<Record<AppointmentStatus, readonly AppointmentStatus[]>> = {
  scheduled: ['checked_in', 'in_progress', 'cancelled', 'no_show'],
  checked_in: ['in_progress', 'completed', 'cancelled', 'scheduled'],
  in_progress: ['completed', 'checked_in'],
  completed: [],
  cancelled: [],
  no_show: [],
};

export const TERMINAL_APPOINTMENT_STATUSES: readonly AppointmentStatus[] =
  APPOINTMENT_STATUSES.filter((status) => TRANSITIONS[status].length === 0);

export function isTerminalStatus(status: AppointmentStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** The statuses an appointment in `from` may move to, in the order the UI should offer them. */
export function allowedTransitions(from: AppointmentStatus): readonly AppointmentStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export class ForbiddenTransitionError extends Error {
  constructor(
    readonly from: AppointmentStatus,
    readonly to: AppointmentStatus,
  ) {
    super(`An appointment cannot go from "${from}" to "${to}".`);
    this.name = 'ForbiddenTransitionError';
  }
}

/** The fields the lifecycle touches; any appointment document type fits. */
export interface LifecycleAppointment {
  status: AppointmentStatus;
  arrivedAt?: string | null;
  seatedAt?: string | null;
  dismissedAt?: string | null;
}

type VisitTime = 'arrivedAt' | 'seatedAt' | 'dismissedAt';
const VISIT_TIMES: readonly VisitTime[] = ['arrivedAt', 'seatedAt', 'dismissedAt'];

/** Latest of the visit times recorded before `field`: the floor for a new `field` time. */
function earliestAllowed(appointment: LifecycleAppointment, field: VisitTime): string | null {
  let floor: string | null = null;
  for (const earlier of VISIT_TIMES.slice(0, VISIT_TIMES.indexOf(field))) {
    const value = appointment[earlier];
    if (value != null && (floor === null || value > floor)) floor = value;
  }
  return floor;
}

/**
 * Moves `appointment` to `to` at `atIso` (a UTC instant) and returns the updated copy; the input
 * is not modified. Throws ForbiddenTransitionError for a move the state machine does not allow.
 *
 * Times recorded by different workstations come from different clocks. A time earlier than the
 * step before it (seated before arrived) is raised to that step's time, so the record always
 * reads arrivedAt <= seatedAt <= dismissedAt; a skewed clock never blocks the front desk.
 * Undoing a step removes the time that step recorded (the key is deleted, not set to null).
 * `T` is meant to be a document type whose `status` is the whole AppointmentStatus union.
 */
export function applyTransition<T extends LifecycleAppointment>(
  appointment: T,
  to: AppointmentStatus,
  atIso: string,
): T {
  const from = appointment.status;
  if (!canTransition(from, to)) throw new ForbiddenTransitionError(from, to);
  assertUtcInstant(atIso, 'The time of a status change');

  const next: T = { ...appointment, status: to };
  const stamp = (field: VisitTime): void => {
    const floor = earliestAllowed(next, field);
    next[field] = floor !== null && floor > atIso ? floor : atIso;
  };

  if (from === 'scheduled' && (to === 'checked_in' || to === 'in_progress')) stamp('arrivedAt');
  if (to === 'in_progress') stamp('seatedAt');
  if (to === 'completed') stamp('dismissedAt');
  if (from === 'checked_in' && to === 'scheduled') delete next.arrivedAt;
  if (from === 'in_progress' && to === 'checked_in') delete next.seatedAt;
  return next;
}

/** FHIR R4 Appointment.status codes (http://hl7.org/fhir/R4/valueset-appointmentstatus.html). */
export const FHIR_APPOINTMENT_STATUSES = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
] as const;
export type FhirAppointmentStatus = (typeof FHIR_APPOINTMENT_STATUSES)[number];

/**
 * The FHIR R4 Appointment.status for a lifecycle status and confirmation status.
 *
 * - scheduled: the clinic has booked the slot, so never `proposed`; until the patient confirms,
 *   one participant has not accepted yet, which FHIR calls `pending`; once confirmed, `booked`.
 *   A left message is still unconfirmed.
 * - checked_in -> `arrived` ("arrived and waiting to be seen").
 * - in_progress -> `checked-in`. R4 Appointment has no in-progress code (that lives on the
 *   Encounter); `checked-in` ("pre-encounter work complete, the encounter may begin") is the last
 *   code before `fulfilled` and follows `arrived` in FHIR's own workflow, so the order of our
 *   lifecycle is kept and each status maps to its own code.
 * - completed -> `fulfilled`, cancelled -> `cancelled`, no_show -> `noshow`.
 * Confirmation only matters while scheduled: once the patient is here it is moot.
 */
export function toFhirAppointmentStatus(
  status: AppointmentStatus,
  confirmation: ConfirmationStatus,
): FhirAppointmentStatus {
  switch (status) {
    case 'scheduled':
      return confirmation === 'confirmed' ? 'booked' : 'pending';
    case 'checked_in':
      return 'arrived';
    case 'in_progress':
      return 'checked-in';
    case 'completed':
      return 'fulfilled';
    case 'cancelled':
      return 'cancelled';
    case 'no_show':
      return 'noshow';
  }
}
