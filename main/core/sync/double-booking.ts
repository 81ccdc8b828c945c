// Double bookings made offline surface only after sync: two workstations each booked the same
// provider or chair while apart. When a pull brings appointments, each is checked against the
// local schedule (the domain's findClashes) and both sides of a clash get the `double_booked`
// flag, so the schedule shows them for review. Flagging is idempotent and converges: every
// workstation that notices writes the same flag, and equal changes never clash in the merge.
import {
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuerySelector,
  type RxDocumentData,
} from 'rxdb';
import type { Appointment, ClinicDatabase } from '../../../shared/domain/schemas/index';
import { findAllClashes, holdsTimeSlot } from '../../../shared/domain/rules/overlap';

const DOUBLE_BOOKED = 'double_booked' as const;
/** No visit lasts a day: older starts cannot overlap. */
const LONGEST_VISIT_MS = 86_400_000;

export interface FlagWriter {
  /** The stored-form instant written as updatedAt. */
  now(): string;
  /** The staff id written as updatedBy; the document's own when null. */
  readonly userId: string | null;
}

type PlainAppointment = RxDocumentData<Appointment>;

/** Stored appointments (plain data, no RxDocument or query cache: a sync brings thousands). */
async function storedAppointments(
  db: ClinicDatabase,
  selector: MangoQuerySelector<Appointment>,
): Promise<PlainAppointment[]> {
  const { schema, storageInstance } = db.appointments;
  // As RxQuery does: without it the range would span the whole `_deleted`-first index.
  const live = { _deleted: { $eq: false }, ...selector } as MangoQuerySelector<Appointment>;
  const query = normalizeMangoQuery<Appointment>(schema.jsonSchema, { selector: live });
  const result = await storageInstance.query(prepareQuery(schema.jsonSchema, query));
  return result.documents;
}

/**
 * Every stored appointment that could overlap one of `appointments` on its provider or chair:
 * one range query per provider and per chair over the span of the group's visits, rather than
 * two per appointment.
 */
async function sameResourceNeighbours(
  db: ClinicDatabase,
  appointments: readonly Appointment[],
): Promise<PlainAppointment[]> {
  const spans = new Map<
    string,
    { field: 'providerId' | 'operatoryId'; id: string; from: number; to: string }
  >();
  for (const appointment of appointments) {
    for (const field of ['providerId', 'operatoryId'] as const) {
      const id = appointment[field];
      const key = `${field}/${id}`;
      const span = spans.get(key);
      const from = Date.parse(appointment.start) - LONGEST_VISIT_MS;
      if (!span) spans.set(key, { field, id, from, to: appointment.end });
      else {
        span.from = Math.min(span.from, from);
        if (appointment.end > span.to) span.to = appointment.end;
      }
    }
  }
  const groups = await Promise.all(
    [...spans.values()].map(({ field, id, from, to }) =>
      storedAppointments(db, {
        ...(field === 'providerId' ? { providerId: id } : { operatoryId: id }),
        start: { $gt: new Date(from).toISOString(), $lt: to },
      }),
    ),
  );
  return groups.flat();
}

/** Flags every clash of the given appointments; returns how many appointments were flagged. */
export async function flagDoubleBookings(
  db: ClinicDatabase,
  appointmentIds: readonly string[],
  writer: FlagWriter,
): Promise<number> {
  const ids = [...new Set(appointmentIds)];
  if (ids.length === 0) return 0;
  const candidates = (await db.appointments.storageInstance.findDocumentsById(ids, false)).filter(
    (appointment) => holdsTimeSlot(appointment.status),
  );
  if (candidates.length === 0) return 0;
  const nearby = new Map<string, Appointment>();
  for (const appointment of [...candidates, ...(await sameResourceNeighbours(db, candidates))]) {
    nearby.set(appointment.id, appointment);
  }
  const candidateIds = new Set(candidates.map((appointment) => appointment.id));
  const toFlag = new Set<string>();
  for (const pair of findAllClashes([...nearby.values()])) {
    if (candidateIds.has(pair.firstId) || candidateIds.has(pair.secondId)) {
      toFlag.add(pair.firstId);
      toFlag.add(pair.secondId);
    }
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
