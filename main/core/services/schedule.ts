// The schedule read models: a clinic-local day (or seven of them) with patient names joined and
// clashes computed, and a provider's day. Appointments are read by index range only:
// [operatoryId, start] per chair and [providerId, start] per provider over the day's UTC range.
import type {
  DaySchedule,
  DentistDayEntry,
  ScheduledAppointment,
  WeekSchedule,
} from '../../../shared/api/views';
import { findAllClashes } from '../../../shared/domain/rules/overlap';
import type {
  Appointment,
  AppointmentType,
  ClinicDatabase,
  Operatory,
  Patient,
  Provider,
} from '../../../shared/domain/schemas/index';
import { clinicDayRange } from '../../../shared/domain/time';
import type { ServiceTable } from '../service-table';
import { plain, type Services } from './context';
import { displayName, hasAlerts } from './patients';

export interface ScheduleLists {
  readonly providers: readonly Provider[];
  readonly operatories: readonly Operatory[];
  readonly appointmentTypes: readonly AppointmentType[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Providers, chairs and appointment types: a handful of documents each. */
export async function loadScheduleLists(db: ClinicDatabase): Promise<ScheduleLists> {
  const [providers, operatories, appointmentTypes] = await Promise.all([
    db.providers.find().exec(),
    db.operatories.find().exec(),
    db.appointment_types.find().exec(),
  ]);
  return {
    providers: providers.map((doc) => plain<Provider>(doc)).sort(byName),
    operatories: operatories
      .map((doc) => plain<Operatory>(doc))
      .sort((a, b) => a.sortOrder - b.sortOrder || byName(a, b)),
    appointmentTypes: appointmentTypes.map((doc) => plain<AppointmentType>(doc)).sort(byName),
  };
}

/** The calendar day `count` days after `day` (both YYYY-MM-DD). */
export function addDays(day: string, count: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + count)).toISOString().slice(0, 10);
}

export interface DayFilter {
  /** Only this provider's appointments (the week view of one provider, the dentist's day). */
  readonly providerId?: string;
}

/** The appointments starting within [start, end), each read once. */
async function appointmentsBetween(
  db: ClinicDatabase,
  lists: ScheduleLists,
  range: { start: string; end: string },
  filter: DayFilter,
): Promise<Appointment[]> {
  const start = { $gte: range.start, $lt: range.end };
  // Chairs and providers both: an appointment whose chair was removed still shows up.
  const byChair =
    filter.providerId === undefined
      ? lists.operatories.map((operatory) =>
          db.appointments
            .find({
              selector: { operatoryId: { $eq: operatory.id }, start },
              sort: [{ start: 'asc' }],
            })
            .exec(),
        )
      : [];
  const providerIds =
    filter.providerId === undefined
      ? lists.providers.map((provider) => provider.id)
      : [filter.providerId];
  const byProvider = providerIds.map((providerId) =>
    db.appointments
      .find({ selector: { providerId: { $eq: providerId }, start }, sort: [{ start: 'asc' }] })
      .exec(),
  );
  const found = new Map<string, Appointment>();
  for (const docs of await Promise.all([...byChair, ...byProvider])) {
    for (const doc of docs) found.set(doc.id, plain<Appointment>(doc));
  }
  return [...found.values()].sort((a, b) =>
    a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
}

/** Joins patient names and alert markers, and lists each appointment's clashes. */
async function scheduled(
  db: ClinicDatabase,
  appointments: readonly Appointment[],
): Promise<ScheduledAppointment[]> {
  const patientIds = [...new Set(appointments.map((appointment) => appointment.patientId))];
  const patients = await db.patients.findByIds(patientIds).exec();
  const clashesWith = new Map<string, string[]>();
  const note = (id: string, other: string) => {
    const list = clashesWith.get(id) ?? [];
    if (!list.includes(other)) list.push(other);
    clashesWith.set(id, list);
  };
  for (const pair of findAllClashes(appointments)) {
    note(pair.firstId, pair.secondId);
    note(pair.secondId, pair.firstId);
  }
  return appointments.map((appointment) => {
    const doc = patients.get(appointment.patientId);
    const patient = doc ? plain<Patient>(doc) : null;
    return {
      ...appointment,
      // A patient not replicated yet shows as unknown rather than hiding the booking.
      patientName: patient ? displayName(patient) : '',
      patientHasAlerts: patient ? hasAlerts(patient) : false,
      clashesWith: clashesWith.get(appointment.id) ?? [],
    };
  });
}

export async function loadDaySchedule(
  db: ClinicDatabase,
  day: string,
  timeZone: string,
  filter: DayFilter = {},
  lists?: ScheduleLists,
): Promise<DaySchedule> {
  const resolvedLists = lists ?? (await loadScheduleLists(db));
  const range = clinicDayRange(day, timeZone);
  const appointments = await appointmentsBetween(db, resolvedLists, range, filter);
  return {
    day,
    timeZone,
    appointments: await scheduled(db, appointments),
    ...resolvedLists,
  };
}

async function loadWeek(
  db: ClinicDatabase,
  weekStart: string,
  timeZone: string,
  filter: DayFilter,
): Promise<WeekSchedule> {
  const lists = await loadScheduleLists(db);
  const days = await Promise.all(
    Array.from({ length: 7 }, (_, index) =>
      loadDaySchedule(db, addDays(weekStart, index), timeZone, filter, lists),
    ),
  );
  return { days };
}

async function loadDentistDay(
  db: ClinicDatabase,
  providerId: string,
  day: string,
  timeZone: string,
): Promise<DentistDayEntry[]> {
  // The whole day, so a clash with another provider in the same chair is seen too.
  const schedule = await loadDaySchedule(db, day, timeZone);
  return schedule.appointments
    .filter((appointment) => appointment.providerId === providerId)
    .map((appointment) => ({ appointment, status: appointment.status }));
}

export function scheduleHandlers(
  services: Services,
): Pick<ServiceTable, 'schedule.day' | 'schedule.week' | 'schedule.dentistDay'> {
  return {
    'schedule.day': async (input, context) =>
      loadDaySchedule(services.scope(context).db, input.day, context.timeZone),
    'schedule.week': async (input, context) =>
      loadWeek(
        services.scope(context).db,
        input.weekStart,
        context.timeZone,
        input.providerId !== undefined ? { providerId: input.providerId } : {},
      ),
    'schedule.dentistDay': async (input, context) =>
      loadDentistDay(services.scope(context).db, input.providerId, input.day, context.timeZone),
  };
}
