// Live subscriptions: the current value at once, then a fresh one shortly after every change
// that touches it, whether written here or replicated from another workstation.
import { debounceTime, defer, filter, from, merge, of, switchMap, type Observable } from 'rxjs';
import type { RxChangeEvent } from 'rxdb';
import type { DaySchedule, PatientRecord } from '../../../shared/api/views';
import type { ClinicDatabase } from '../../../shared/domain/schemas/index';
import { clinicDayRange } from '../../../shared/domain/time';
import type { CallContext, ServiceTable } from '../service-table';
import type { Services } from './context';
import { loadPatientRecord } from './patients';
import { loadDaySchedule } from './schedule';

/** Long enough to fold a burst (a sync batch, a booking with its flags) into one recompute. */
export const LIVE_DEBOUNCE_MS = 30;

/** Emits `load()` now and again after each debounced change; a stale load is dropped. */
function recomputeOn<T>(changes: Observable<unknown>, load: () => Promise<T>): Observable<T> {
  return merge(of(null), changes.pipe(debounceTime(LIVE_DEBOUNCE_MS))).pipe(
    switchMap(() => from(load())),
  );
}

/** Did this change touch a document matching `test`, before or after it? */
function touches<T>(event: RxChangeEvent<T>, test: (doc: T) => boolean): boolean {
  return (
    test(event.documentData) ||
    (event.previousDocumentData !== undefined && test(event.previousDocumentData))
  );
}

function liveDay(db: ClinicDatabase, day: string, context: CallContext): Observable<DaySchedule> {
  const range = clinicDayRange(day, context.timeZone);
  let shownPatients = new Set<string>();
  const inDay = (doc: { start: string }) => doc.start >= range.start && doc.start < range.end;
  const changes = merge(
    db.appointments.$.pipe(filter((event) => touches(event, inDay))),
    db.patients.$.pipe(filter((event) => shownPatients.has(event.documentId))),
    db.providers.$,
    db.operatories.$,
    db.appointment_types.$,
  );
  return recomputeOn(changes, async () => {
    const schedule = await loadDaySchedule(db, day, context.timeZone);
    shownPatients = new Set(schedule.appointments.map((appointment) => appointment.patientId));
    return schedule;
  });
}

function livePatient(
  services: Services,
  db: ClinicDatabase,
  patientId: string,
  context: CallContext,
): Observable<PatientRecord> {
  let guarantorId = patientId;
  const aboutPatient = (doc: { patientId: string }) => doc.patientId === patientId;
  const changes = merge(
    db.patients.$.pipe(
      filter((event) => event.documentId === patientId || event.documentId === guarantorId),
    ),
    db.appointments.$.pipe(filter((event) => touches(event, aboutPatient))),
    db.procedures.$.pipe(filter((event) => touches(event, aboutPatient))),
    db.clinical_notes.$.pipe(filter((event) => touches(event, aboutPatient))),
    db.ledger_entries.$.pipe(
      filter((event) => touches(event, (entry) => entry.guarantorId === guarantorId)),
    ),
  );
  return recomputeOn(changes, async () => {
    const record = await loadPatientRecord(services, db, patientId, context.now());
    guarantorId = record.patient.guarantorId;
    return record;
  });
}

export function liveHandlers(
  services: Services,
): Pick<ServiceTable, 'live.daySchedule' | 'live.patient'> {
  return {
    'live.daySchedule': (input, context) =>
      defer(() => liveDay(services.scope(context).db, input.day, context)),
    'live.patient': (input, context) =>
      defer(() => livePatient(services, services.scope(context).db, input.patientId, context)),
  };
}
