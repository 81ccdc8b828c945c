// Booking, moving and the day-of lifecycle of appointments. A booking over another appointment of
// the same provider or chair is not written until the user confirms it; once confirmed, both
// appointments carry the `double_booked` flag so the schedule shows the clash.
import type { InputOf } from '../../../shared/api/contract';
import type { BookingClash, BookingOutcome, Done } from '../../../shared/api/views';
import type { AppointmentFlag } from '../../../shared/domain/enums';
import { newId } from '../../../shared/domain/ids';
import {
  applyTransition,
  findClashes,
  ForbiddenTransitionError,
  holdsTimeSlot,
  isTerminalStatus,
} from '../../../shared/domain/rules/index';
import type { Appointment, ClinicDatabase } from '../../../shared/domain/schemas/index';
import { ValidationError, validateDocument } from '../../../shared/domain/validation';
import { ServiceError, type ServiceTable } from '../service-table';
import {
  audit,
  findDocument,
  getDocument,
  insertDocument,
  plain,
  updateDocument,
  type AuditedWrite,
  type ServiceScope,
  type Services,
} from './context';

/** The longest visit that can be booked; it also bounds how far back a clash check looks. */
export const LONGEST_BOOKING_MS = 12 * 60 * 60 * 1000;
const DOUBLE_BOOKED: AppointmentFlag = 'double_booked';

function instantMinus(instant: string, ms: number): string {
  return new Date(Date.parse(instant) - ms).toISOString();
}

/**
 * The appointments that could overlap `interval` on its provider or its chair: two range scans,
 * one on [providerId, start] and one on [operatoryId, start], reaching back one longest visit.
 */
async function neighbours(
  db: ClinicDatabase,
  candidate: Pick<Appointment, 'providerId' | 'operatoryId' | 'start' | 'end'>,
): Promise<Appointment[]> {
  const start = { $gte: instantMinus(candidate.start, LONGEST_BOOKING_MS), $lt: candidate.end };
  const [byProvider, byChair] = await Promise.all([
    db.appointments
      .find({
        selector: { providerId: { $eq: candidate.providerId }, start },
        sort: [{ start: 'asc' }],
      })
      .exec(),
    db.appointments
      .find({
        selector: { operatoryId: { $eq: candidate.operatoryId }, start },
        sort: [{ start: 'asc' }],
      })
      .exec(),
  ]);
  const found = new Map<string, Appointment>();
  for (const doc of [...byProvider, ...byChair]) found.set(doc.id, plain<Appointment>(doc));
  return [...found.values()];
}

/** The clashes `candidate` has with what is already booked (its own older version excluded). */
export async function clashesOf(
  db: ClinicDatabase,
  candidate: Appointment,
): Promise<BookingClash[]> {
  return findClashes(candidate, await neighbours(db, candidate));
}

function withFlag(flags: readonly AppointmentFlag[], on: boolean): AppointmentFlag[] {
  const others = flags.filter((flag) => flag !== DOUBLE_BOOKED);
  return on ? [...others, DOUBLE_BOOKED] : others;
}

/** Checks a booking's own fields before any clash query: times in order, not absurdly long. */
function assertBookable(appointment: Appointment): void {
  const checked = validateDocument('appointments', appointment);
  if (!checked.ok) throw new ValidationError(checked.issues);
  if (Date.parse(appointment.end) - Date.parse(appointment.start) > LONGEST_BOOKING_MS) {
    throw new ValidationError([
      { field: 'end', message: 'end time must be at most 12 hours after the start time' },
    ]);
  }
}

async function assertBookingReferences(
  db: ClinicDatabase,
  ids: { providerId: string; operatoryId: string; typeId?: string; patientId?: string },
): Promise<void> {
  await getDocument(db, 'providers', ids.providerId);
  await getDocument(db, 'operatories', ids.operatoryId);
  if (ids.typeId !== undefined) await getDocument(db, 'appointment_types', ids.typeId);
  if (ids.patientId !== undefined) await getDocument(db, 'patients', ids.patientId);
}

/** Flags (or unflags) `ids` as double-booked; returns the ones actually changed. */
async function setDoubleBooked(
  scope: ServiceScope,
  ids: Iterable<string>,
  on: boolean,
): Promise<AuditedWrite[]> {
  const written: AuditedWrite[] = [];
  for (const id of ids) {
    const current = await getDocument(scope.db, 'appointments', id);
    if (current.flags.includes(DOUBLE_BOOKED) === on) continue;
    await updateDocument(scope.db, 'appointments', id, (latest) => ({
      ...latest,
      ...scope.stamp,
      flags: withFlag(latest.flags, on),
    }));
    written.push({ entity: 'appointments', entityId: id });
  }
  return written;
}

/** Appointments that clashed with something that has moved away or released its slot. */
async function clearStaleFlags(
  scope: ServiceScope,
  formerPartners: Iterable<string>,
): Promise<AuditedWrite[]> {
  const stale: string[] = [];
  for (const id of formerPartners) {
    const partner = await getDocument(scope.db, 'appointments', id);
    if (!partner.flags.includes(DOUBLE_BOOKED)) continue;
    if ((await clashesOf(scope.db, partner)).length === 0) stale.push(id);
  }
  return setDoubleBooked(scope, stale, false);
}

const partnerIds = (clashes: readonly BookingClash[]) =>
  new Set(clashes.map((clash) => clash.appointmentId));

async function book(scope: ServiceScope, input: InputOf<'appointments.book'>) {
  await assertBookingReferences(scope.db, input);
  const appointment: Appointment = {
    id: newId(),
    ...scope.stamp,
    patientId: input.patientId,
    providerId: input.providerId,
    operatoryId: input.operatoryId,
    typeId: input.typeId,
    start: input.start,
    end: input.end,
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    status: 'scheduled',
    confirmation: 'unconfirmed',
    arrivedAt: null,
    seatedAt: null,
    dismissedAt: null,
    flags: [],
  };
  assertBookable(appointment);
  const clashes = await clashesOf(scope.db, appointment);
  if (clashes.length > 0 && input.allowDoubleBooking !== true) {
    return { status: 'needs_confirmation', clashes } satisfies BookingOutcome;
  }
  const flagged = clashes.length > 0;
  await insertDocument(scope.db, 'appointments', {
    ...appointment,
    flags: withFlag([], flagged),
  });
  const partners = await setDoubleBooked(scope, partnerIds(clashes), true);
  await audit(scope, 'appointments.book', [
    { entity: 'appointments', entityId: appointment.id },
    ...partners,
  ]);
  return { status: 'booked', appointmentId: appointment.id, flagged } satisfies BookingOutcome;
}

async function move(scope: ServiceScope, input: InputOf<'appointments.move'>) {
  const current = await getDocument(scope.db, 'appointments', input.appointmentId);
  if (isTerminalStatus(current.status)) {
    throw new ServiceError(
      'conflict',
      'A completed, cancelled or no-show appointment cannot be moved; book a new one.',
    );
  }
  await assertBookingReferences(scope.db, input);
  const moved: Appointment = {
    ...current,
    ...scope.stamp,
    providerId: input.providerId,
    operatoryId: input.operatoryId,
    start: input.start,
    end: input.end,
  };
  assertBookable(moved);
  const clashes = await clashesOf(scope.db, moved);
  if (clashes.length > 0 && input.allowDoubleBooking !== true) {
    return { status: 'needs_confirmation', clashes } satisfies BookingOutcome;
  }
  const formerPartners = partnerIds(await clashesOf(scope.db, current));
  const flagged = clashes.length > 0;
  await updateDocument(scope.db, 'appointments', moved.id, (latest) => ({
    ...latest,
    ...scope.stamp,
    providerId: input.providerId,
    operatoryId: input.operatoryId,
    start: input.start,
    end: input.end,
    flags: withFlag(latest.flags, flagged),
  }));
  const newPartners = partnerIds(clashes);
  const writes = [
    { entity: 'appointments', entityId: moved.id } as const,
    ...(await setDoubleBooked(scope, newPartners, true)),
    ...(await clearStaleFlags(
      scope,
      [...formerPartners].filter((id) => !newPartners.has(id)),
    )),
  ];
  await audit(scope, 'appointments.move', writes);
  return { status: 'booked', appointmentId: moved.id, flagged } satisfies BookingOutcome;
}

/** applyTransition drops the visit time an undo clears; the schema keeps it as null. */
function withVisitTimes(appointment: Appointment): Appointment {
  return {
    ...appointment,
    arrivedAt: appointment.arrivedAt ?? null,
    seatedAt: appointment.seatedAt ?? null,
    dismissedAt: appointment.dismissedAt ?? null,
  };
}

async function setStatus(scope: ServiceScope, input: InputOf<'appointments.setStatus'>) {
  const current = plain(await findDocument(scope.db, 'appointments', input.appointmentId));
  const change = (latest: Appointment): Appointment => {
    let next: Appointment;
    try {
      next = applyTransition(latest, input.status, scope.now);
    } catch (error) {
      if (error instanceof ForbiddenTransitionError) {
        throw new ServiceError('conflict', error.message);
      }
      throw error;
    }
    const reason =
      input.status === 'cancelled' && input.reason !== undefined
        ? { cancelledReason: input.reason }
        : {};
    return withVisitTimes({ ...next, ...reason, ...scope.stamp });
  };
  change(current); // a forbidden move is refused before anything is written
  const formerPartners = holdsTimeSlot(input.status)
    ? new Set<string>()
    : partnerIds(await clashesOf(scope.db, current));
  await updateDocument(scope.db, 'appointments', current.id, change);
  const writes = [
    { entity: 'appointments', entityId: current.id } as const,
    ...(await clearStaleFlags(scope, formerPartners)),
  ];
  await audit(scope, 'appointments.setStatus', writes);
  return { done: true } satisfies Done;
}

async function setConfirmation(
  scope: ServiceScope,
  input: InputOf<'appointments.setConfirmation'>,
) {
  await updateDocument(scope.db, 'appointments', input.appointmentId, (latest) => ({
    ...latest,
    ...scope.stamp,
    confirmation: input.confirmation,
  }));
  await audit(scope, 'appointments.setConfirmation', [
    { entity: 'appointments', entityId: input.appointmentId },
  ]);
  return { done: true } satisfies Done;
}

export function appointmentHandlers(
  services: Services,
): Pick<
  ServiceTable,
  | 'appointments.book'
  | 'appointments.move'
  | 'appointments.setStatus'
  | 'appointments.setConfirmation'
> {
  return {
    'appointments.book': async (input, context) => book(services.scope(context), input),
    'appointments.move': async (input, context) => move(services.scope(context), input),
    'appointments.setStatus': async (input, context) => setStatus(services.scope(context), input),
    'appointments.setConfirmation': async (input, context) =>
      setConfirmation(services.scope(context), input),
  };
}
