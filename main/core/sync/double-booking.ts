// Double bookings made offline surface only after sync: two workstations each booked the same
// provider or chair while apart. When a pull brings appointments, each is checked against the
// local schedule (the domain's findClashes) and both sides of a clash get the `double_booked`
// flag, so the schedule shows them for review. Flagging is idempotent and converges: every
// workstation that notices writes the same flag, and equal changes never clash in the merge.
import type { Appointment, ClinicDatabase } from '../../../shared/domain/schemas/index';
import { findClashes, holdsTimeSlot } from '../../../shared/domain/rules/overlap';

const DOUBLE_BOOKED = 'double_booked' as const;
/** No visit lasts a day: older starts cannot overlap. */
const LONGEST_VISIT_MS = 86_400_000;

export interface FlagWriter {
  /** The stored-form instant written as updatedAt. */
  now(): string;
  /** The staff id written as updatedBy; the document's own when null. */
  readonly userId: string | null;
}

async function sameResourceNeighbours(
  db: ClinicDatabase,
  appointment: Appointment,
): Promise<Appointment[]> {
  const from = new Date(Date.parse(appointment.start) - LONGEST_VISIT_MS).toISOString();
  const window = { $gt: from, $lt: appointment.end };
  const [byProvider, byChair] = await Promise.all([
    db.appointments
      .find({ selector: { providerId: appointment.providerId, start: window } })
      .exec(),
    db.appointments
      .find({ selector: { operatoryId: appointment.operatoryId, start: window } })
      .exec(),
  ]);
  const byId = new Map<string, Appointment>();
  for (const doc of [...byProvider, ...byChair]) byId.set(doc.id, doc.toJSON() as Appointment);
  return [...byId.values()];
}

/** Flags every clash of the given appointments; returns how many appointments were flagged. */
export async function flagDoubleBookings(
  db: ClinicDatabase,
  appointmentIds: readonly string[],
  writer: FlagWriter,
): Promise<number> {
  const toFlag = new Set<string>();
  for (const id of new Set(appointmentIds)) {
    const doc = await db.appointments.findOne(id).exec();
    if (!doc) continue;
    const appointment = doc.toJSON() as Appointment;
    if (!holdsTimeSlot(appointment.status)) continue;
    const clashes = findClashes(appointment, await sameResourceNeighbours(db, appointment));
    if (clashes.length === 0) continue;
    toFlag.add(appointment.id);
    for (const clash of clashes) toFlag.add(clash.appointmentId);
  }
  let flagged = 0;
  for (const id of toFlag) {
    const doc = await db.appointments.findOne(id).exec();
    if (!doc || doc.flags.includes(DOUBLE_BOOKED)) continue;
    await doc.incrementalModify((current) =>
      current.flags.includes(DOUBLE_BOOKED)
        ? current
        : {
            ...current,
            flags: [...current.flags, DOUBLE_BOOKED],
            updatedAt: writer.now(),
            updatedBy: writer.userId ?? current.updatedBy,
          },
    );
    flagged += 1;
  }
  return flagged;
}
