// Clinical notes (signed is final, amendments link) and the live subscriptions.
import { firstValueFrom, take, toArray, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, SubscriptionMethod } from '../../../shared/api/contract';
import type { ClinicalNote } from '../../../shared/domain/schemas/index';
import type { CallContext, SubscriptionHandler } from '../service-table';
import {
  auditEventsOf,
  auditTrailWithoutPatientData,
  call,
  checkedInput,
  handlerOf,
  openTestClinic,
  TEST_TODAY,
  type TestClinic,
} from './test-support';

let clinic: TestClinic;
beforeAll(async () => {
  clinic = await openTestClinic();
}, 60_000);
afterAll(async () => {
  await clinic.close();
});

const dentist = () => clinic.context('dentist');
const frontDesk = () => clinic.context('front_desk');
const stored = async (id: string): Promise<ClinicalNote> =>
  (await clinic.db.clinical_notes.findOne(id).exec())!.toMutableJSON();

describe('clinical notes', () => {
  it('saves and edits a draft, signs it, and then refuses any change', async () => {
    const patient = clinic.demo.documents.patients[5]!;
    const { id } = await call(
      clinic,
      'notes.saveDraft',
      { patientId: patient.id, body: 'First draft' },
      dentist(),
    );
    await call(
      clinic,
      'notes.saveDraft',
      { noteId: id, patientId: patient.id, body: 'Second draft' },
      dentist(),
    );
    expect(await stored(id)).toMatchObject({
      status: 'draft',
      body: 'Second draft',
      providerId: dentist().user!.providerId,
    });

    await call(clinic, 'notes.sign', { noteId: id }, dentist());
    const signed = await stored(id);
    expect(signed).toMatchObject({ status: 'signed', signedBy: dentist().user!.id });

    await expect(
      call(
        clinic,
        'notes.saveDraft',
        { noteId: id, patientId: patient.id, body: 'Sneaky' },
        dentist(),
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'This note is signed and cannot change; amend it instead.',
    });
    await expect(call(clinic, 'notes.sign', { noteId: id }, dentist())).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await stored(id)).toEqual(signed);
    const events = await auditEventsOf(clinic.db, id);
    expect(events.map((event) => event.action)).toEqual([
      'notes.save_draft',
      'notes.save_draft',
      'notes.sign',
    ]);
    for (const body of ['First draft', 'Second draft']) {
      expect(JSON.stringify(events)).not.toContain(body);
    }
  });

  it('amends a signed note with a new signed note that links to it', async () => {
    const original = clinic.demo.documents.clinical_notes.find((note) => note.status === 'signed')!;
    const { id } = await call(
      clinic,
      'notes.amend',
      { noteId: original.id, body: 'Correction: tooth 46, not 36.' },
      dentist(),
    );
    expect(await stored(id)).toMatchObject({
      patientId: original.patientId,
      amendsNoteId: original.id,
      status: 'signed',
      body: 'Correction: tooth 46, not 36.',
    });
    expect(await stored(original.id)).toEqual(original);
    expect((await auditEventsOf(clinic.db, id)).map((event) => event.action)).toEqual([
      'notes.amend',
    ]);
    expect(await auditEventsOf(clinic.db, original.id)).toHaveLength(0);
    const record = await call(clinic, 'patients.get', { patientId: original.patientId }, dentist());
    expect(record.notes.map((note) => note.id)).toEqual(expect.arrayContaining([id, original.id]));
  });

  it('refuses to amend a draft and a different provider signing', async () => {
    const patient = clinic.demo.documents.patients[6]!;
    const { id } = await call(
      clinic,
      'notes.saveDraft',
      { patientId: patient.id, body: 'Draft' },
      dentist(),
    );
    await expect(
      call(clinic, 'notes.amend', { noteId: id, body: 'x' }, dentist()),
    ).rejects.toMatchObject({ code: 'conflict' });
    const hygienist = clinic.context('hygienist');
    await expect(call(clinic, 'notes.sign', { noteId: id }, hygienist)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await stored(id)).status).toBe('draft');
  });
});

function subscribe<M extends SubscriptionMethod>(
  method: M,
  input: InputOf<M>,
  context: CallContext,
) {
  const handler = handlerOf(clinic.table, method) as unknown as SubscriptionHandler<M>;
  return handler(checkedInput(method, input), context);
}

/** Collects emissions; `next()` resolves with the next one (or one already waiting). */
function recorder<T>(source: Observable<T>) {
  const values: T[] = [];
  let waiting: ((value: T) => void) | undefined;
  const subscription = source.subscribe((value) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(value);
    } else values.push(value);
  });
  return {
    next: () =>
      values.length > 0
        ? Promise.resolve(values.shift()!)
        : new Promise<T>((resolve) => (waiting = resolve)),
    stop: () => subscription.unsubscribe(),
  };
}

describe('live subscriptions', () => {
  it('live.daySchedule emits the day at once, then again after a booking', async () => {
    const live = recorder(subscribe('live.daySchedule', { day: TEST_TODAY }, frontDesk()));
    try {
      const first = await live.next();
      const now = await call(clinic, 'schedule.day', { day: TEST_TODAY }, frontDesk());
      expect(first).toEqual(now);

      const template = first.appointments[0]!;
      const outcome = await call(
        clinic,
        'appointments.book',
        {
          patientId: template.patientId,
          typeId: template.typeId,
          providerId: template.providerId,
          operatoryId: template.operatoryId,
          start: '2025-06-02T23:00:00.000Z',
          end: '2025-06-02T23:30:00.000Z',
        },
        frontDesk(),
      );
      if (outcome.status !== 'booked') throw new Error('not booked');
      const second = await live.next();
      expect(second.appointments.map((a) => a.id)).toContain(outcome.appointmentId);
      expect(second.appointments).toHaveLength(first.appointments.length + 1);
    } finally {
      live.stop();
    }
  });

  it('live.daySchedule ignores bookings on other days', async () => {
    const emissions = firstValueFrom(
      subscribe('live.daySchedule', { day: '2025-06-03' }, frontDesk()).pipe(take(2), toArray()),
    );
    const template = clinic.demo.documents.appointments[0]!;
    await call(
      clinic,
      'appointments.book',
      { ...pick(template), start: '2025-08-01T13:00:00.000Z', end: '2025-08-01T13:30:00.000Z' },
      frontDesk(),
    );
    const winner = await Promise.race([
      emissions.then(() => 'emitted twice'),
      new Promise((resolve) => setTimeout(() => resolve('quiet'), 300)),
    ]);
    expect(winner).toBe('quiet');
  });

  it('live.patient re-sends the record after a payment', async () => {
    const patient = clinic.demo.documents.patients[30]!;
    const live = recorder(subscribe('live.patient', { patientId: patient.id }, frontDesk()));
    try {
      const first = await live.next();
      expect(first.patient.id).toBe(patient.id);
      await call(
        clinic,
        'ledger.takePayment',
        { patientId: patient.id, amountCents: 500, currency: 'BRL', method: 'cash' },
        frontDesk(),
      );
      const second = await live.next();
      expect(second.balance.balanceCents).toBe(first.balance.balanceCents - 500);
      expect(second.ledger).toHaveLength(first.ledger.length + 1);
    } finally {
      live.stop();
    }
  });
});

function pick(appointment: {
  patientId: string;
  typeId: string;
  providerId: string;
  operatoryId: string;
}) {
  const { patientId, typeId, providerId, operatoryId } = appointment;
  return { patientId, typeId, providerId, operatoryId };
}

describe('audit trail', () => {
  it('every command so far left audit events with ids only, no patient data', async () => {
    expect(await auditTrailWithoutPatientData(clinic.db)).toBeGreaterThan(6);
  });
});
