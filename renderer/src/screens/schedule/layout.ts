// What the schedule draws, as pure functions of the read models: the columns (chairs or
// providers), the events with their clash marks and colours, and the hours shown.
import type { DaySchedule, ScheduledAppointment } from '../../../../shared/api/views';
import type { AppointmentStatus } from '../../../../shared/domain/enums';
import { isTerminalStatus } from '../../../../shared/domain/rules/appointment-status';
import { holdsTimeSlot } from '../../../../shared/domain/rules/overlap';
import type { AppointmentType, Operatory, Provider } from '../../../../shared/domain/schemas/index';
import { formatInZone, minutesOfDay } from '../../../../shared/domain/time';
import { instantToWallClock } from './clinic-time';

export type ColumnMode = 'operatory' | 'provider';

export interface ScheduleLists {
  readonly providers: readonly Provider[];
  readonly operatories: readonly Operatory[];
  readonly appointmentTypes: readonly AppointmentType[];
}

export interface ScheduleResource {
  readonly id: string;
  readonly title: string;
  /** The provider's colour for a provider column. */
  readonly colour?: string;
}

export interface ScheduleEvent {
  readonly id: string;
  readonly title: string;
  readonly start: Date;
  readonly end: Date;
  readonly resourceId?: string;
  readonly appointment: ScheduledAppointment;
  readonly provider: Provider | undefined;
  readonly operatory: Operatory | undefined;
  readonly type: AppointmentType | undefined;
  readonly doubleBooked: boolean;
  /** Cancelled or no-show: drawn faded, never dragged. */
  readonly released: boolean;
  /** Completed, cancelled or no-show: the core refuses to move it. */
  readonly locked: boolean;
}

/** Clashes now (same chair or provider) or a double booking found after an offline sync. */
export function isDoubleBooked(appointment: ScheduledAppointment): boolean {
  return appointment.clashesWith.length > 0 || appointment.flags.includes('double_booked');
}

/** A clash worth showing: a cancelled or no-show visit no longer holds its slot. */
export function showsClash(appointment: ScheduledAppointment): boolean {
  return isDoubleBooked(appointment) && holdsTimeSlot(appointment.status);
}

/**
 * The columns of the day view: active chairs (in their sort order) or active providers, plus an
 * inactive one that still has appointments that day, so no booking goes undrawn.
 */
export function resourcesFor(
  mode: ColumnMode,
  lists: ScheduleLists,
  appointments: readonly ScheduledAppointment[],
): ScheduleResource[] {
  const used = new Set(
    appointments.map((appointment) =>
      mode === 'operatory' ? appointment.operatoryId : appointment.providerId,
    ),
  );
  if (mode === 'operatory') {
    return [...lists.operatories]
      .filter((operatory) => operatory.active || used.has(operatory.id))
      .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name))
      .map((operatory) => ({ id: operatory.id, title: operatory.name }));
  }
  return lists.providers
    .filter((provider) => provider.active || used.has(provider.id))
    .map((provider) => ({ id: provider.id, title: provider.name, colour: provider.colour }));
}

/** Calendar events for the appointments; `mode` null for the week view (no columns). */
export function toEvents(
  appointments: readonly ScheduledAppointment[],
  lists: ScheduleLists,
  mode: ColumnMode | null,
  timeZone: string,
): ScheduleEvent[] {
  const providers = new Map(lists.providers.map((provider) => [provider.id, provider]));
  const operatories = new Map(lists.operatories.map((operatory) => [operatory.id, operatory]));
  const types = new Map(lists.appointmentTypes.map((type) => [type.id, type]));
  return appointments.map((appointment) => ({
    id: appointment.id,
    title: appointment.patientName,
    start: instantToWallClock(appointment.start, timeZone),
    end: instantToWallClock(appointment.end, timeZone),
    ...(mode === null
      ? {}
      : {
          resourceId: mode === 'operatory' ? appointment.operatoryId : appointment.providerId,
        }),
    appointment,
    provider: providers.get(appointment.providerId),
    operatory: operatories.get(appointment.operatoryId),
    type: types.get(appointment.typeId),
    doubleBooked: showsClash(appointment),
    released: !holdsTimeSlot(appointment.status),
    locked: isTerminalStatus(appointment.status),
  }));
}

/** All appointments of a week's days, each once. */
export function weekAppointments(days: readonly DaySchedule[]): ScheduledAppointment[] {
  const seen = new Map<string, ScheduledAppointment>();
  for (const day of days)
    for (const appointment of day.appointments) seen.set(appointment.id, appointment);
  return [...seen.values()];
}

// --- Colours -------------------------------------------------------------------------------

function channels(hex: string): [number, number, number] {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const value = match ? parseInt(match[1]!, 16) : 0x6b7785;
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const toHex = (parts: readonly number[]) =>
  `#${parts.map((part) => Math.round(part).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance of an sRGB colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export const EVENT_TEXT = '#1b2430';

/**
 * The colours of an event: the provider's colour as a strong left bar, a light tint of it as
 * the background, and dark text, which stays above AA (4.5:1) on any tint this light.
 */
export function eventColours(providerColour: string | undefined): {
  accent: string;
  background: string;
  text: string;
} {
  const accent = providerColour ?? '#6b7785';
  const tint = toHex(channels(accent).map((channel) => channel + (255 - channel) * 0.82));
  return { accent, background: tint, text: EVENT_TEXT };
}

// --- Hours shown ---------------------------------------------------------------------------

export interface HoursShown {
  /** HH:mm, whole hours. */
  readonly min: string;
  readonly max: string;
}

const asTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * From the earliest working hour to the latest of the given weekdays (0 = Sunday), widened to
 * every appointment shown, in whole hours; 07:00 to 19:00 when nobody works.
 */
export function hoursShown(
  providers: readonly Provider[],
  weekdays: readonly number[],
  appointments: readonly ScheduledAppointment[],
  timeZone: string,
): HoursShown {
  let earliest = Infinity;
  let latest = -Infinity;
  for (const provider of providers) {
    if (!provider.active) continue;
    for (const span of provider.workingHours) {
      if (!weekdays.includes(span.day)) continue;
      earliest = Math.min(earliest, minutesOfDay(span.start));
      latest = Math.max(latest, minutesOfDay(span.end));
    }
  }
  for (const appointment of appointments) {
    const start = minutesOfDay(formatInZone(appointment.start, timeZone, 'HH:mm'));
    const endText = formatInZone(appointment.end, timeZone, 'HH:mm');
    // An appointment ending at midnight (or on the next day) runs to the end of the grid.
    const sameDay =
      formatInZone(appointment.end, timeZone, 'yyyy-MM-dd') ===
      formatInZone(appointment.start, timeZone, 'yyyy-MM-dd');
    const end = sameDay ? minutesOfDay(endText) : 24 * 60 - 1;
    earliest = Math.min(earliest, start);
    latest = Math.max(latest, end);
  }
  if (!Number.isFinite(earliest)) return { min: '07:00', max: '19:00' };
  const min = Math.floor(earliest / 60) * 60;
  // The calendar's last slot starts before max, so the day ends at 23:59 at the latest.
  const max = Math.min(Math.ceil(latest / 60) * 60, 24 * 60 - 1);
  return { min: asTime(min), max: asTime(Math.max(max, min + 60)) };
}

// --- Words ---------------------------------------------------------------------------------

/** The message key of a status as the front desk says it. */
export const STATUS_KEYS: Readonly<Record<AppointmentStatus, string>> = {
  scheduled: 'status.scheduled',
  checked_in: 'status.checked_in',
  in_progress: 'status.in_progress',
  completed: 'status.completed',
  cancelled: 'status.cancelled',
  no_show: 'status.no_show',
};

/** The button that moves an appointment from `from` to `to`, e.g. "Arrived", "Undo arrival". */
export function transitionKey(from: AppointmentStatus, to: AppointmentStatus): string {
  if (to === 'scheduled') return 'action.undoArrival';
  if (from === 'in_progress' && to === 'checked_in') return 'action.backToWaiting';
  return `action.${to}`;
}
