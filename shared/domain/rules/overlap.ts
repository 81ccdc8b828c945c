// Double-booking detection. An appointment occupies its provider and its operatory (chair) over
// the half-open interval [start, end): one visit ending at 10:00 and the next starting at 10:00
// do not clash. Times are UTC instants in the fixed-width form of `instant.ts`, so they are
// compared as strings, which is both exact and cheap; each time is validated once first.

import type { AppointmentStatus } from '../enums';
import { assertUtcInstant } from './instant';

export interface TimeInterval {
  start: string;
  end: string;
}

/** The fields overlap detection needs; any appointment document type fits. */
export interface SchedulableAppointment extends TimeInterval {
  id: string;
  status: AppointmentStatus;
  /** An appointment without a provider (or operatory) cannot clash on that resource. */
  providerId?: string | null;
  operatoryId?: string | null;
}

export const CLASH_RESOURCES = ['provider', 'operatory'] as const;
export type ClashResource = (typeof CLASH_RESOURCES)[number];

/** One existing appointment that a candidate clashes with, and on which resource. */
export interface Clash {
  appointmentId: string;
  resource: ClashResource;
}

/** Two appointments that clash on one resource; `firstId < secondId` so each pair is listed once. */
export interface ClashPair {
  firstId: string;
  secondId: string;
  resource: ClashResource;
}

/** Statuses that release the time slot: a cancelled or no-show visit never clashes. */
const SLOT_RELEASING_STATUSES: ReadonlySet<AppointmentStatus> = new Set(['cancelled', 'no_show']);

/** Does an appointment in this status still occupy its provider and operatory? */
export function holdsTimeSlot(status: AppointmentStatus): boolean {
  return !SLOT_RELEASING_STATUSES.has(status);
}

function assertValidInterval(interval: TimeInterval): void {
  assertUtcInstant(interval.start, 'Appointment start');
  assertUtcInstant(interval.end, 'Appointment end');
  if (interval.end < interval.start) {
    throw new RangeError('An appointment cannot end before it starts.');
  }
}

/** Overlap of two already-validated intervals. Empty intervals (start = end) overlap nothing. */
function overlapsValidated(a: TimeInterval, b: TimeInterval): boolean {
  return a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end;
}

/**
 * Do the half-open intervals [a.start, a.end) and [b.start, b.end) share any instant?
 * Touching intervals do not; an empty interval overlaps nothing, not even itself.
 */
export function intervalsOverlap(a: TimeInterval, b: TimeInterval): boolean {
  assertValidInterval(a);
  assertValidInterval(b);
  return overlapsValidated(a, b);
}

function resourceId(
  appointment: SchedulableAppointment,
  resource: ClashResource,
): string | null | undefined {
  return resource === 'provider' ? appointment.providerId : appointment.operatoryId;
}

/**
 * The existing appointments a candidate would clash with, provider clashes before operatory
 * clashes for the same appointment, in the order of `existing`. An entry of `existing` with the
 * candidate's own id is its previous version (a reschedule) and is skipped.
 */
export function findClashes(
  candidate: SchedulableAppointment,
  existing: readonly SchedulableAppointment[],
): Clash[] {
  assertValidInterval(candidate);
  if (!holdsTimeSlot(candidate.status)) return [];
  const clashes: Clash[] = [];
  for (const other of existing) {
    if (other.id === candidate.id || !holdsTimeSlot(other.status)) continue;
    assertValidInterval(other);
    if (!overlapsValidated(candidate, other)) continue;
    for (const resource of CLASH_RESOURCES) {
      const id = resourceId(candidate, resource);
      if (id != null && id === resourceId(other, resource)) {
        clashes.push({ appointmentId: other.id, resource });
      }
    }
  }
  return clashes;
}

function comparePairs(a: ClashPair, b: ClashPair): number {
  if (a.resource !== b.resource) {
    return CLASH_RESOURCES.indexOf(a.resource) - CLASH_RESOURCES.indexOf(b.resource);
  }
  if (a.firstId !== b.firstId) return a.firstId < b.firstId ? -1 : 1;
  if (a.secondId !== b.secondId) return a.secondId < b.secondId ? -1 : 1;
  return 0;
}

/**
 * Every pair of appointments that clash, per resource, sorted (provider pairs first, then by
 * ids). Groups by provider and by operatory, then sorts each group by start and sweeps it with
 * the set of still-running appointments, so the cost is O(n log n + number of clashes) rather
 * than comparing every pair of the day.
 */
export function findAllClashes(appointments: readonly SchedulableAppointment[]): ClashPair[] {
  const busy: SchedulableAppointment[] = [];
  for (const appointment of appointments) {
    assertValidInterval(appointment);
    // Empty intervals overlap nothing, so they never enter the sweep.
    if (holdsTimeSlot(appointment.status) && appointment.start < appointment.end) {
      busy.push(appointment);
    }
  }

  const found = new Map<string, ClashPair>();
  for (const resource of CLASH_RESOURCES) {
    const groups = new Map<string, SchedulableAppointment[]>();
    for (const appointment of busy) {
      const id = resourceId(appointment, resource);
      if (id == null) continue;
      const group = groups.get(id);
      if (group) group.push(appointment);
      else groups.set(id, [appointment]);
    }
    for (const group of groups.values()) {
      group.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      let running: SchedulableAppointment[] = [];
      for (const current of group) {
        // Whatever is still running when `current` starts overlaps it: it started no later
        // and ends after current.start, and current is non-empty.
        running = running.filter((other) => other.end > current.start);
        for (const other of running) {
          if (other.id === current.id) continue;
          const [firstId, secondId] =
            other.id < current.id ? [other.id, current.id] : [current.id, other.id];
          // JSON keeps the key unambiguous whatever characters the ids contain.
          found.set(JSON.stringify([resource, firstId, secondId]), {
            firstId,
            secondId,
            resource,
          });
        }
        running.push(current);
      }
    }
  }
  return [...found.values()].sort(comparePairs);
}
