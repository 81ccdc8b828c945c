import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/domain/schemas/index';
import { ValidationError } from '../../../shared/domain/validation';
import { ServiceError } from '../service-table';
import {
  AUDIT_EVENT_FIELDS,
  auditEventsOf,
  auditTrailWithoutPatientData,
  call,
  openTestClinic,
  TEST_NOW,
  type TestClinic,
} from './test-support';

let clinic: TestClinic;
beforeAll(async () => {
  clinic = await openTestClinic();
}, 60_000);
afterAll(async () => {
  await clinic.close();
});

const frontDesk = () => clinic.context('front_desk');
const stored = async (id: string): Promise<Appointment> =>
  (await clinic.db.appointments.findOne(id).exec())!.toMutableJSON();

/** A future scheduled appointment of the demo, to book over. */
function existingFutureAppointment(index = 0): Appointment {
  const future = clinic.demo.documents.appointments.filter(
    (appointment) => appointment.start > TEST_NOW && appointment.status === 'scheduled',
  );
  return future[index]!;
}

function bookingNextTo(appointment: Appointment, patientId: string) {
  return {
    patientId,
    typeId: appointment.typeId,
    providerId: appointment.providerId,
    operatoryId: appointment.operatoryId,
    start: appointment.start,
    end: appointment.end,
  };
}

// Past the end of the demo schedule: every slot is free.
const FREE_START = '2025-07-21T13:00:00.000Z';
const FREE_END = '2025-07-21T13:30:00.000Z';

function freeBooking() {
  const template = existingFutureAppointment();
  return { ...bookingNextTo(template, template.patientId), start: FREE_START, end: FREE_END };
}

describe('appointments.book', () => {
  it('books a free slot, unflagged, and audits it without patient data', async () => {
    const input = { ...freeBooking(), notes: 'Prefers mornings' };
    const outcome = await call(clinic, 'appointments.book', input, frontDesk());
    expect(outcome).toMatchObject({ status: 'booked', flagged: false });
    if (outcome.status !== 'booked') throw new Error('not booked');
    expect(await stored(outcome.appointmentId)).toMatchObject({
      ...input,
      status: 'scheduled',
      confirmation: 'unconfirmed',
      arrivedAt: null,
      seatedAt: null,
      dismissedAt: null,
      flags: [],
      updatedAt: TEST_NOW,
      updatedBy: frontDesk().user!.id,
    });
    const [event, ...more] = await auditEventsOf(clinic.db, outcome.appointmentId);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ action: 'appointments.book', entity: 'appointments' });
    expect(Object.keys(event!).sort()).toEqual([...AUDIT_EVENT_FIELDS]);
    expect(JSON.stringify(event)).not.toContain('mornings');
  });

  it('asks for confirmation over an existing appointment and writes nothing', async () => {
    const existing = existingFutureAppointment(1);
    const otherPatient = clinic.demo.documents.patients.find((p) => p.id !== existing.patientId)!;
    const before = await clinic.db.appointments.count().exec();
    const auditBefore = await clinic.db.audit_events.count().exec();
    const outcome = await call(
      clinic,
      'appointments.book',
      bookingNextTo(existing, otherPatient.id),
      frontDesk(),
    );
    expect(outcome.status).toBe('needs_confirmation');
    if (outcome.status !== 'needs_confirmation') throw new Error('booked');
    expect(outcome.clashes).toEqual(
      expect.arrayContaining([
        { appointmentId: existing.id, resource: 'provider' },
        { appointmentId: existing.id, resource: 'operatory' },
      ]),
    );
    expect(await clinic.db.appointments.count().exec()).toBe(before);
    expect(await clinic.db.audit_events.count().exec()).toBe(auditBefore);
    expect((await stored(existing.id)).flags).toEqual([]);
  });

  it('books anyway when confirmed and flags both appointments', async () => {
    const existing = existingFutureAppointment(2);
    const otherPatient = clinic.demo.documents.patients.find((p) => p.id !== existing.patientId)!;
    const outcome = await call(
      clinic,
      'appointments.book',
      { ...bookingNextTo(existing, otherPatient.id), allowDoubleBooking: true },
      frontDesk(),
    );
    expect(outcome).toMatchObject({ status: 'booked', flagged: true });
    if (outcome.status !== 'booked') throw new Error('not booked');
    expect((await stored(outcome.appointmentId)).flags).toEqual(['double_booked']);
    expect((await stored(existing.id)).flags).toEqual(['double_booked']);
    expect((await auditEventsOf(clinic.db, existing.id)).map((e) => e.action)).toEqual([
      'appointments.book',
    ]);

    // Moving it to a free slot clears both flags.
    const moved = await call(
      clinic,
      'appointments.move',
      {
        appointmentId: outcome.appointmentId,
        providerId: existing.providerId,
        operatoryId: existing.operatoryId,
        start: '2025-07-22T13:00:00.000Z',
        end: '2025-07-22T14:00:00.000Z',
      },
      frontDesk(),
    );
    expect(moved).toEqual({
      status: 'booked',
      appointmentId: outcome.appointmentId,
      flagged: false,
    });
    expect(await stored(outcome.appointmentId)).toMatchObject({
      start: '2025-07-22T13:00:00.000Z',
      end: '2025-07-22T14:00:00.000Z',
      flags: [],
    });
    expect((await stored(existing.id)).flags).toEqual([]);
    expect((await auditEventsOf(clinic.db, outcome.appointmentId)).map((e) => e.action)).toEqual([
      'appointments.book',
      'appointments.move',
    ]);
    // The unflagged partner is a write of the move too.
    expect((await auditEventsOf(clinic.db, existing.id)).map((e) => e.action)).toEqual([
      'appointments.book',
      'appointments.move',
    ]);
  });

  it('refuses bad bookings with clear errors', async () => {
    const backwards = await call(
      clinic,
      'appointments.book',
      { ...freeBooking(), start: FREE_END, end: FREE_START },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect((backwards as ValidationError).issues).toEqual([
      { field: 'end', message: 'end time must be after the start time' },
    ]);
    const marathon = await call(
      clinic,
      'appointments.book',
      { ...freeBooking(), end: '2025-07-22T13:00:00.000Z' },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect(marathon).toBeInstanceOf(ValidationError);
    const unknownChair = await call(
      clinic,
      'appointments.book',
      { ...freeBooking(), operatoryId: '0190a6c4-0000-7000-8000-000000000009' },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect(unknownChair).toMatchObject({
      code: 'not_found',
      message: 'That chair does not exist.',
    });
  });
});

describe('appointments.move', () => {
  it('asks before moving onto another appointment, and leaves it where it was', async () => {
    const target = existingFutureAppointment(3);
    const { appointmentId } = (await call(
      clinic,
      'appointments.book',
      { ...freeBooking(), start: '2025-07-23T13:00:00.000Z', end: '2025-07-23T13:30:00.000Z' },
      frontDesk(),
    )) as { appointmentId: string };
    const outcome = await call(
      clinic,
      'appointments.move',
      {
        appointmentId,
        providerId: target.providerId,
        operatoryId: target.operatoryId,
        start: target.start,
        end: target.end,
      },
      frontDesk(),
    );
    expect(outcome.status).toBe('needs_confirmation');
    expect((await stored(appointmentId)).start).toBe('2025-07-23T13:00:00.000Z');
    expect((await auditEventsOf(clinic.db, appointmentId)).map((e) => e.action)).toEqual([
      'appointments.book',
    ]);
  });

  it('refuses to move a finished visit', async () => {
    const done = clinic.demo.documents.appointments.find((a) => a.status === 'completed')!;
    const error = await call(
      clinic,
      'appointments.move',
      {
        appointmentId: done.id,
        providerId: done.providerId,
        operatoryId: done.operatoryId,
        start: FREE_START,
        end: FREE_END,
      },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('conflict');
  });
});

describe('appointments.setStatus and setConfirmation', () => {
  it('walks the lifecycle, stamping and clearing visit times', async () => {
    const { appointmentId } = (await call(
      clinic,
      'appointments.book',
      { ...freeBooking(), start: '2025-07-24T13:00:00.000Z', end: '2025-07-24T13:30:00.000Z' },
      frontDesk(),
    )) as { appointmentId: string };
    const at = (time: string) => clinic.context('front_desk', `2025-07-24T${time}.000Z`);

    await call(
      clinic,
      'appointments.setStatus',
      { appointmentId, status: 'checked_in' },
      at('12:55:00'),
    );
    expect(await stored(appointmentId)).toMatchObject({
      status: 'checked_in',
      arrivedAt: '2025-07-24T12:55:00.000Z',
    });
    await call(
      clinic,
      'appointments.setStatus',
      { appointmentId, status: 'in_progress' },
      at('13:01:00'),
    );
    await call(
      clinic,
      'appointments.setStatus',
      { appointmentId, status: 'checked_in' },
      at('13:02:00'),
    );
    expect(await stored(appointmentId)).toMatchObject({ status: 'checked_in', seatedAt: null });
    await call(
      clinic,
      'appointments.setStatus',
      { appointmentId, status: 'in_progress' },
      at('13:03:00'),
    );
    await call(
      clinic,
      'appointments.setStatus',
      { appointmentId, status: 'completed' },
      at('13:40:00'),
    );
    expect(await stored(appointmentId)).toMatchObject({
      status: 'completed',
      arrivedAt: '2025-07-24T12:55:00.000Z',
      seatedAt: '2025-07-24T13:03:00.000Z',
      dismissedAt: '2025-07-24T13:40:00.000Z',
    });

    const before = await stored(appointmentId);
    const error = await call(
      clinic,
      'appointments.setStatus',
      { appointmentId, status: 'scheduled' },
      at('13:41:00'),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'conflict',
      message: 'An appointment cannot go from "completed" to "scheduled".',
    });
    expect(await stored(appointmentId)).toEqual(before);
    const actions = (await auditEventsOf(clinic.db, appointmentId)).map((e) => e.action);
    expect(actions).toEqual(['appointments.book', ...Array(5).fill('appointments.set_status')]);
  });

  it('cancelling keeps the reason and releases a double-booking flag', async () => {
    const existing = existingFutureAppointment(4);
    const otherPatient = clinic.demo.documents.patients.find((p) => p.id !== existing.patientId)!;
    const outcome = await call(
      clinic,
      'appointments.book',
      { ...bookingNextTo(existing, otherPatient.id), allowDoubleBooking: true },
      frontDesk(),
    );
    if (outcome.status !== 'booked') throw new Error('not booked');
    await call(
      clinic,
      'appointments.setStatus',
      { appointmentId: outcome.appointmentId, status: 'cancelled', reason: 'Patient called' },
      frontDesk(),
    );
    expect(await stored(outcome.appointmentId)).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'Patient called',
    });
    expect((await stored(existing.id)).flags).toEqual([]);
  });

  it('records a confirmation call', async () => {
    const existing = existingFutureAppointment(5);
    await call(
      clinic,
      'appointments.setConfirmation',
      { appointmentId: existing.id, confirmation: 'left_message' },
      frontDesk(),
    );
    expect((await stored(existing.id)).confirmation).toBe('left_message');
    expect((await auditEventsOf(clinic.db, existing.id)).map((e) => e.action)).toEqual([
      'appointments.set_confirmation',
    ]);
  });
});

describe('audit trail', () => {
  it('every command so far left audit events with ids only, no patient data', async () => {
    expect(await auditTrailWithoutPatientData(clinic.db)).toBeGreaterThan(10);
  });
});
