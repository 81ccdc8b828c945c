// Procedures and the ledger: completing a procedure charges once; payments, adjustments and
// reversals move the guarantor's balance by exactly their amount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry, Patient } from '../../../shared/domain/schemas/index';
import { ValidationError } from '../../../shared/domain/validation';
import { ServiceError } from '../service-table';
import {
  auditEventsOf,
  auditTrailWithoutPatientData,
  call,
  openTestClinic,
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
const dentist = () => clinic.context('dentist');
const patients = (): Patient[] => clinic.demo.documents.patients;
const dependant = () => patients().find((patient) => patient.guarantorId !== patient.id)!;
const balanceOf = async (patientId: string) =>
  (await call(clinic, 'ledger.balance', { patientId }, frontDesk())).balanceCents;

async function chargesFor(procedureId: string): Promise<LedgerEntry[]> {
  const docs = await clinic.db.ledger_entries
    .find({ selector: { procedureId: { $eq: procedureId } } })
    .exec();
  return docs.map((doc) => doc.toMutableJSON() as LedgerEntry);
}

function procedureInput(patientId: string) {
  return {
    patientId,
    providerId: dentist().user!.providerId!,
    cdtCode: 'D2392',
    tooth: '36',
    surfaces: 'dom',
    status: 'planned' as const,
    date: '2025-06-10',
  };
}

describe('procedures', () => {
  it('plans a procedure with canonical surfaces and the list fee, without charging', async () => {
    const patient = patients()[10]!;
    const before = await balanceOf(patient.id);
    const { id } = await call(clinic, 'procedures.record', procedureInput(patient.id), dentist());
    const stored = (await clinic.db.procedures.findOne(id).exec())!.toMutableJSON();
    expect(stored).toMatchObject({
      tooth: '36',
      surfaces: 'MOD',
      status: 'planned',
      feeCents: 23_000,
      currency: clinic.demo.options.currency,
    });
    expect(await chargesFor(id)).toHaveLength(0);
    expect(await balanceOf(patient.id)).toBe(before);
    expect((await auditEventsOf(clinic.db, id)).map((event) => event.action)).toEqual([
      'procedures.record',
    ]);
  });

  it("completing posts exactly one charge on the guarantor's account, dated today", async () => {
    const patient = dependant();
    const before = await balanceOf(patient.id);
    const { id } = await call(clinic, 'procedures.record', procedureInput(patient.id), dentist());
    await call(clinic, 'procedures.setStatus', { procedureId: id, status: 'completed' }, dentist());
    // A repeated click is harmless.
    await call(clinic, 'procedures.setStatus', { procedureId: id, status: 'completed' }, dentist());
    const charges = await chargesFor(id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      kind: 'charge',
      amountCents: 23_000,
      patientId: patient.id,
      guarantorId: patient.guarantorId,
      description: 'D2392 Resin filling, two surfaces, back tooth',
    });
    expect(await balanceOf(patient.id)).toBe(before + 23_000);
    expect(await balanceOf(patient.guarantorId)).toBe(before + 23_000);
    const stored = (await clinic.db.procedures.findOne(id).exec())!.toMutableJSON();
    expect(stored).toMatchObject({ status: 'completed', date: '2025-06-02' });
    expect((await auditEventsOf(clinic.db, charges[0]!.id)).map((event) => event.action)).toEqual([
      'procedures.set_status',
    ]);

    const undo = await call(
      clinic,
      'procedures.setStatus',
      { procedureId: id, status: 'planned' },
      dentist(),
    ).catch((caught: unknown) => caught);
    expect(undo).toMatchObject({ code: 'conflict' });
  });

  it('recording a completed procedure charges its given fee once; existing work is not billed', async () => {
    const patient = patients()[11]!;
    const before = await balanceOf(patient.id);
    const done = await call(
      clinic,
      'procedures.record',
      { ...procedureInput(patient.id), status: 'completed', feeCents: 12_345 },
      dentist(),
    );
    expect((await chargesFor(done.id)).map((entry) => entry.amountCents)).toEqual([12_345]);
    const existing = await call(
      clinic,
      'procedures.record',
      { ...procedureInput(patient.id), cdtCode: 'D2740', surfaces: '', status: 'existing' },
      dentist(),
    );
    expect(await chargesFor(existing.id)).toHaveLength(0);
    expect(await balanceOf(patient.id)).toBe(before + 12_345);
  });

  it('the front desk may plan a procedure but not record one as completed', async () => {
    const patient = patients()[13]!;
    const before = await balanceOf(patient.id);
    await expect(
      call(
        clinic,
        'procedures.record',
        { ...procedureInput(patient.id), status: 'completed' },
        frontDesk(),
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const planned = await call(
      clinic,
      'procedures.record',
      procedureInput(patient.id),
      frontDesk(),
    );
    expect(await chargesFor(planned.id)).toHaveLength(0);
    expect(await balanceOf(patient.id)).toBe(before);
  });

  it('refuses bad teeth and surfaces with human issues, writing nothing', async () => {
    const patient = patients()[12]!;
    const before = await clinic.db.procedures.count().exec();
    const cases = [
      { input: { tooth: '19' }, field: 'tooth' },
      { input: { tooth: '11', surfaces: 'O' }, field: 'surfaces' },
      { input: { tooth: null, surfaces: 'M' }, field: 'surfaces' },
      { input: { cdtCode: 'D0001', status: 'completed' as const }, field: 'feeCents' },
    ];
    for (const { input, field } of cases) {
      const error = await call(
        clinic,
        'procedures.record',
        { ...procedureInput(patient.id), ...input },
        dentist(),
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual([field]);
    }
    const frontToothOcclusal = await call(
      clinic,
      'procedures.record',
      { ...procedureInput(patient.id), tooth: '11', surfaces: 'O' },
      dentist(),
    ).catch((caught: unknown) => caught);
    expect((frontToothOcclusal as ValidationError).message).toBe(
      'O (occlusal) is for back teeth; use I (incisal) on front teeth (this tooth is an incisor).',
    );
    expect(await clinic.db.procedures.count().exec()).toBe(before);
  });
});

describe('ledger', () => {
  it('a payment lowers the balance by exactly its amount; its reversal restores it', async () => {
    const patient = dependant();
    const before = await balanceOf(patient.id);
    const payment = await call(
      clinic,
      'ledger.takePayment',
      {
        patientId: patient.id,
        amountCents: 4_321,
        currency: clinic.demo.options.currency,
        method: 'pix',
      },
      frontDesk(),
    );
    expect(await balanceOf(patient.id)).toBe(before - 4_321);
    const entry = (await clinic.db.ledger_entries.findOne(payment.id).exec())!.toMutableJSON();
    expect(entry).toMatchObject({
      kind: 'payment',
      method: 'pix',
      guarantorId: patient.guarantorId,
      patientId: patient.id,
    });

    const reversal = await call(
      clinic,
      'ledger.reverse',
      { entryId: payment.id, reason: 'Wrong account' },
      frontDesk(),
    );
    expect(await balanceOf(patient.id)).toBe(before);
    const mirror = (await clinic.db.ledger_entries.findOne(reversal.id).exec())!.toMutableJSON();
    expect(mirror).toMatchObject({
      kind: 'payment',
      amountCents: 4_321,
      reversesEntryId: payment.id,
      description: 'Wrong account',
    });
    // The original is untouched: the ledger is append-only.
    expect((await clinic.db.ledger_entries.findOne(payment.id).exec())!.toMutableJSON()).toEqual(
      entry,
    );

    await expect(
      call(clinic, 'ledger.reverse', { entryId: payment.id, reason: 'again' }, frontDesk()),
    ).rejects.toMatchObject({ code: 'conflict', message: 'This entry has already been reversed.' });
    await expect(
      call(clinic, 'ledger.reverse', { entryId: reversal.id, reason: 'undo' }, frontDesk()),
    ).rejects.toBeInstanceOf(ServiceError);
    expect(await balanceOf(patient.id)).toBe(before);
    expect((await auditEventsOf(clinic.db, payment.id)).map((event) => event.action)).toEqual([
      'ledger.take_payment',
    ]);
    expect((await auditEventsOf(clinic.db, reversal.id)).map((event) => event.action)).toEqual([
      'ledger.reverse',
    ]);
  });

  it('adjustments move the balance in their direction', async () => {
    const patient = patients()[20]!;
    const before = await balanceOf(patient.id);
    const currency = clinic.demo.options.currency;
    await call(
      clinic,
      'ledger.adjust',
      {
        patientId: patient.id,
        amountCents: 1_000,
        currency,
        direction: 'credit',
        description: 'Courtesy',
      },
      frontDesk(),
    );
    expect(await balanceOf(patient.id)).toBe(before - 1_000);
    await call(
      clinic,
      'ledger.adjust',
      { patientId: patient.id, amountCents: 250, currency, direction: 'debit', description: 'Fee' },
      frontDesk(),
    );
    expect(await balanceOf(patient.id)).toBe(before - 750);
    const adjustments = await clinic.db.ledger_entries
      .find({ selector: { patientId: { $eq: patient.id }, kind: { $eq: 'adjustment' } } })
      .exec();
    expect(adjustments).toHaveLength(2);
    for (const adjustment of adjustments) {
      expect((await auditEventsOf(clinic.db, adjustment.id)).map((e) => e.action)).toEqual([
        'ledger.adjust',
      ]);
    }
  });

  it('refuses a payment in another currency than the account', async () => {
    const patient = patients()[21]!;
    const error = await call(
      clinic,
      'ledger.takePayment',
      { patientId: patient.id, amountCents: 100, currency: 'EUR', method: 'cash' },
      frontDesk(),
    ).catch((caught: unknown) => caught);
    expect((error as ValidationError).issues).toEqual([
      { field: 'currency', message: 'currency must be BRL, the currency of this account' },
    ]);
  });

  it('an empty account has a zero balance in the clinic currency', async () => {
    const { id } = await call(
      clinic,
      'patients.create',
      {
        patient: {
          firstName: 'Nova',
          lastName: 'Pessoa',
          birthDate: '2001-01-01',
          sex: 'unknown',
          phones: [],
          insurance: [],
          allergies: [],
          medicalAlerts: [],
          status: 'active',
        },
      },
      frontDesk(),
    );
    expect(await call(clinic, 'ledger.balance', { patientId: id }, frontDesk())).toEqual({
      guarantorId: id,
      currency: 'BRL',
      balanceCents: 0,
    });
  });
});

describe('audit trail', () => {
  it('every command so far left audit events with ids only, no patient data', async () => {
    expect(await auditTrailWithoutPatientData(clinic.db)).toBeGreaterThan(8);
  });
});
