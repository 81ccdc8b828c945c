// The clinic services of the app API: patients, schedule, appointments, chart and notes, billing,
// lists, workstation settings and the live views. Every command writes an audit event (ids
// only) right after its own write, in the same call.
//
// Failures: a ServiceError carries its code; an invalid record throws the domain's
// ValidationError, whose `issues` the dispatcher sends as `invalid_input` with one entry per field.
import type { ServiceTable } from '../service-table';
import { appointmentHandlers } from './appointments';
import { Services, type ServicesDeps } from './context';
import { ledgerHandlers } from './ledger';
import { listHandlers } from './lists';
import { liveHandlers } from './live';
import { noteHandlers } from './notes';
import { patientHandlers } from './patients';
import { procedureHandlers } from './procedures';
import { scheduleHandlers } from './schedule';
import { settingsHandlers } from './settings';

export type { ServicesDeps } from './context';
export { auditAction } from './context';
export { DEFAULT_SETTINGS, readSettings } from './settings';
export { clashesOf } from './appointments';

/** The contract methods these services answer. */
export type ServicesMethod =
  | 'patients.search'
  | 'patients.get'
  | 'patients.create'
  | 'patients.update'
  | 'schedule.day'
  | 'schedule.week'
  | 'schedule.dentistDay'
  | 'appointments.book'
  | 'appointments.move'
  | 'appointments.setStatus'
  | 'appointments.setConfirmation'
  | 'procedures.record'
  | 'procedures.setStatus'
  | 'notes.saveDraft'
  | 'notes.sign'
  | 'notes.amend'
  | 'ledger.balance'
  | 'ledger.takePayment'
  | 'ledger.adjust'
  | 'ledger.reverse'
  | 'lists.get'
  | 'settings.get'
  | 'settings.update'
  | 'live.daySchedule'
  | 'live.patient';

/** Exactly these handlers, none optional, so a merged table can be checked with `satisfies`. */
export type ServicesTable = Pick<ServiceTable, ServicesMethod>;

export function createServicesTable(deps: ServicesDeps): ServicesTable {
  const services = new Services(deps);
  return {
    ...patientHandlers(services),
    ...scheduleHandlers(services),
    ...appointmentHandlers(services),
    ...procedureHandlers(services),
    ...noteHandlers(services),
    ...ledgerHandlers(services),
    ...listHandlers(services),
    ...settingsHandlers(deps.settingsFile),
    ...liveHandlers(services),
  } satisfies ServicesTable;
}
