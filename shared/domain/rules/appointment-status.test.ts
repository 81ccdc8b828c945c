import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppointmentStatus } from '../enums';
import { APPOINTMENT_STATUSES, CONFIRMATION_STATUSES } from '../enums';
import type { LifecycleAppointment } from './appointment-status';
import {
  FHIR_APPOINTMENT_STATUSES,
  ForbiddenTransitionError,
  TERMINAL_APPOINTMENT_STATUSES,
  allowedTransitions,
  applyTransition,
  canTransition,
  isTerminalStatus,
  toFhirAppointmentStatus,
} from './appointment-status';

const T0 = '2025-03-14T09:00:00.000Z';
const T1 = '2025-03-14T09:05:00.000Z';
const T2 = '2025-03-14T09:40:00.000Z';

describe('the lifecycle state machine', () => {
  it.each([
    ['scheduled', ['checked_in', 'in_progress', 'cancelled', 'no_show']],
    ['checked_in', ['in_progress', 'completed', 'cancelled', 'scheduled']],
    ['in_progress', ['completed', 'checked_in']],
    ['completed', []],
    ['cancelled', []],
    ['no_show', []],
  ] as const)('%s may go to %j', (from, expected) => {
    expect(allowedTransitions(from)).toEqual(expected);
    for (const to of APPOINTMENT_STATUSES) {
      expect(canTransition(from, to)).toBe((expected as readonly string[]).includes(to));
    }
  });

  it('has exactly completed, cancelled and no_show as terminal states, with no exits', () => {
    expect(TERMINAL_APPOINTMENT_STATUSES).toEqual(['completed', 'cancelled', 'no_show']);
    for (const status of TERMINAL_APPOINTMENT_STATUSES) {
      expect(isTerminalStatus(status)).toBe(true);
      for (const to of APPOINTMENT_STATUSES) {
        expect(canTransition(status, to)).toBe(false);
        expect(() => applyTransition({ status }, to, T0)).toThrow(ForbiddenTransitionError);
      }
    }
  });

  it('never allows staying in the same status', () => {
    for (const status of APPOINTMENT_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('reaches every terminal state from scheduled', () => {
    const reachable = new Set<AppointmentStatus>(['scheduled']);
    const queue: AppointmentStatus[] = ['scheduled'];
    while (queue.length > 0) {
      for (const next of allowedTransitions(queue.shift()!)) {
        if (reachable.has(next)) continue;
        reachable.add(next);
        queue.push(next);
      }
    }
    expect([...reachable].sort()).toEqual([...APPOINTMENT_STATUSES].sort());
  });
});

describe('applyTransition', () => {
  it('records arrival, seating and dismissal along the happy path', () => {
    const booked: LifecycleAppointment & { id: string; note: string } = {
      id: 'a1',
      status: 'scheduled',
      note: 'kept',
    };
    const arrived = applyTransition(booked, 'checked_in', T0);
    const seated = applyTransition(arrived, 'in_progress', T1);
    const done = applyTransition(seated, 'completed', T2);
    expect(done).toEqual({
      id: 'a1',
      status: 'completed',
      note: 'kept',
      arrivedAt: T0,
      seatedAt: T1,
      dismissedAt: T2,
    });
    expect(booked).toEqual({ id: 'a1', status: 'scheduled', note: 'kept' });
  });

  it('records arrival too when a patient is seated without a check-in', () => {
    expect(applyTransition({ status: 'scheduled' }, 'in_progress', T1)).toEqual({
      status: 'in_progress',
      arrivedAt: T1,
      seatedAt: T1,
    });
  });

  it('does not invent a seating time when a checked-in visit is completed directly', () => {
    const done = applyTransition({ status: 'checked_in', arrivedAt: T0 }, 'completed', T2);
    expect(done).toEqual({ status: 'completed', arrivedAt: T0, dismissedAt: T2 });
  });

  it('undoes an accidental check-in or seating by removing the time it recorded', () => {
    const arrived = applyTransition({ status: 'scheduled' }, 'checked_in', T0);
    expect(applyTransition(arrived, 'scheduled', T1)).toEqual({ status: 'scheduled' });
    const seated = applyTransition(arrived, 'in_progress', T1);
    expect(applyTransition(seated, 'checked_in', T2)).toEqual({
      status: 'checked_in',
      arrivedAt: T0,
    });
  });

  it('keeps the arrival time when a checked-in patient leaves unseen', () => {
    expect(applyTransition({ status: 'checked_in', arrivedAt: T0 }, 'cancelled', T1)).toEqual({
      status: 'cancelled',
      arrivedAt: T0,
    });
  });

  it('raises a time from a clock that runs behind to the previous step', () => {
    const checkedIn: LifecycleAppointment = { status: 'checked_in', arrivedAt: T1 };
    const seated = applyTransition(checkedIn, 'in_progress', T0);
    expect(seated.seatedAt).toBe(T1);
    const done = applyTransition({ ...seated, seatedAt: T2 }, 'completed', T1);
    expect(done.dismissedAt).toBe(T2);
  });

  it('names both statuses, and nothing else, when a move is forbidden', () => {
    const appointment = { status: 'completed' as const, patientName: 'Ana Souza' };
    let caught: unknown;
    try {
      applyTransition(appointment, 'scheduled', T0);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ForbiddenTransitionError);
    const error = caught as ForbiddenTransitionError;
    expect(error.message).toBe('An appointment cannot go from "completed" to "scheduled".');
    expect(error.from).toBe('completed');
    expect(error.to).toBe('scheduled');
  });

  it('rejects a change time that is not a UTC instant', () => {
    expect(() => applyTransition({ status: 'scheduled' }, 'checked_in', '09:00')).toThrow(
      /The time of a status change must be a UTC time/,
    );
  });

  it('keeps visit times ordered and matching the status along any allowed path', () => {
    const baseMs = Date.parse(T0);
    const stepArb = fc.record({
      choice: fc.nat(),
      // Offsets may go backwards: workstation clocks disagree.
      offsetMinutes: fc.integer({ min: -30, max: 240 }),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 12 }), (steps) => {
        let appointment: LifecycleAppointment = { status: 'scheduled' };
        for (const step of steps) {
          const options = allowedTransitions(appointment.status);
          if (options.length === 0) {
            expect(isTerminalStatus(appointment.status)).toBe(true);
            break;
          }
          const to = options[step.choice % options.length]!;
          const at = new Date(baseMs + step.offsetMinutes * 60_000).toISOString();
          appointment = applyTransition(appointment, to, at);
          expect(appointment.status).toBe(to);

          const { arrivedAt, seatedAt, dismissedAt } = appointment;
          const recorded = [arrivedAt, seatedAt, dismissedAt].filter((t) => t != null);
          expect(recorded).toEqual([...recorded].sort());
          if (to === 'scheduled') expect(recorded).toEqual([]);
          if (to === 'checked_in') {
            expect(arrivedAt).toBeDefined();
            expect(seatedAt ?? dismissedAt).toBeUndefined();
          }
          if (to === 'in_progress') {
            expect(arrivedAt && seatedAt).toBeTruthy();
            expect(dismissedAt).toBeUndefined();
          }
          if (to === 'completed') expect(arrivedAt && dismissedAt).toBeTruthy();
          if (to === 'no_show') expect(recorded).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('toFhirAppointmentStatus', () => {
  it.each([
    ['scheduled', 'unconfirmed', 'pending'],
    ['scheduled', 'left_message', 'pending'],
    ['scheduled', 'confirmed', 'booked'],
    ['checked_in', 'unconfirmed', 'arrived'],
    ['checked_in', 'confirmed', 'arrived'],
    ['in_progress', 'left_message', 'checked-in'],
    ['completed', 'confirmed', 'fulfilled'],
    ['cancelled', 'confirmed', 'cancelled'],
    ['no_show', 'confirmed', 'noshow'],
    ['no_show', 'unconfirmed', 'noshow'],
  ] as const)('%s + %s -> %s', (status, confirmation, expected) => {
    expect(toFhirAppointmentStatus(status, confirmation)).toBe(expected);
  });

  it('maps every combination to a FHIR R4 code, and each past-scheduled status to its own', () => {
    for (const status of APPOINTMENT_STATUSES) {
      const codes = new Set(
        CONFIRMATION_STATUSES.map((confirmation) => toFhirAppointmentStatus(status, confirmation)),
      );
      for (const code of codes) expect(FHIR_APPOINTMENT_STATUSES).toContain(code);
      if (status !== 'scheduled') expect(codes.size).toBe(1);
    }
    const afterBooking = APPOINTMENT_STATUSES.filter((status) => status !== 'scheduled').map(
      (status) => toFhirAppointmentStatus(status, 'confirmed'),
    );
    expect(new Set(afterBooking).size).toBe(afterBooking.length);
  });
});
