import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROCEDURE_LIST } from '../../../shared/domain/rules/cdt';
import { findAllClashes } from '../../../shared/domain/rules/overlap';
import { clinicDayOf, clinicDayRange } from '../../../shared/domain/time';
import { createServicesTable } from './index';
import { call, openTestClinic, TEST_TODAY, type TestClinic } from './test-support';

let clinic: TestClinic;
beforeAll(async () => {
  clinic = await openTestClinic();
}, 60_000);
afterAll(async () => {
  await clinic.close();
});

const frontDesk = () => clinic.context('front_desk');
const zone = () => clinic.demo.options.timeZone;
// clinicDayOf is slow-ish (a time-zone formatter per call), so each demo visit's day is computed once.
let dayOfAppointment: Map<string, string> | undefined;
const appointmentsOn = (day: string) => {
  dayOfAppointment ??= new Map(
    clinic.demo.documents.appointments.map((a) => [a.id, clinicDayOf(a.start, zone())]),
  );
  return clinic.demo.documents.appointments.filter((a) => dayOfAppointment!.get(a.id) === day);
};

describe('schedule.day', () => {
  it('returns exactly the clinic-local day, in start order, with names and lists', async () => {
    const schedule = await call(clinic, 'schedule.day', { day: TEST_TODAY }, frontDesk());
    const expected = appointmentsOn(TEST_TODAY);
    expect(expected.length).toBeGreaterThan(5);
    expect(schedule.day).toBe(TEST_TODAY);
    expect(schedule.timeZone).toBe(zone());
    expect(schedule.appointments.map((a) => a.id).sort()).toEqual(expected.map((a) => a.id).sort());
    const starts = schedule.appointments.map((a) => a.start);
    expect(starts).toEqual([...starts].sort());
    const { start, end } = clinicDayRange(TEST_TODAY, zone());
    expect(starts.every((s) => s >= start && s < end)).toBe(true);

    const first = schedule.appointments[0]!;
    const patient = clinic.demo.documents.patients.find((p) => p.id === first.patientId)!;
    expect(first.patientName).toBe(
      `${patient.preferredName?.trim() || patient.firstName} ${patient.lastName}`,
    );
    expect(first.patientHasAlerts).toBe(
      patient.allergies.length + patient.medicalAlerts.length > 0,
    );
    expect(schedule.providers).toHaveLength(clinic.demo.documents.providers.length);
    expect(schedule.operatories.map((o) => o.sortOrder)).toEqual(
      clinic.demo.documents.operatories.map((o) => o.sortOrder).sort((a, b) => a - b),
    );
    expect(schedule.appointmentTypes).toHaveLength(clinic.demo.documents.appointment_types.length);
  });

  it('lists the clashes of each appointment', async () => {
    const day = '2025-06-10';
    const victim = appointmentsOn(day).find((a) => a.status === 'scheduled')!;
    const patientId = clinic.demo.documents.patients.find((p) => p.id !== victim.patientId)!.id;
    const outcome = await call(
      clinic,
      'appointments.book',
      {
        patientId,
        typeId: victim.typeId,
        providerId: victim.providerId,
        operatoryId: victim.operatoryId,
        start: victim.start,
        end: victim.end,
        allowDoubleBooking: true,
      },
      frontDesk(),
    );
    if (outcome.status !== 'booked') throw new Error('not booked');
    const schedule = await call(clinic, 'schedule.day', { day }, frontDesk());
    const byId = new Map(schedule.appointments.map((a) => [a.id, a]));
    expect(byId.get(outcome.appointmentId)?.clashesWith).toContain(victim.id);
    expect(byId.get(victim.id)?.clashesWith).toContain(outcome.appointmentId);
    // Nothing else clashes: the demo schedule is clash-free.
    const pairs = findAllClashes(schedule.appointments);
    expect(pairs.every((p) => [p.firstId, p.secondId].includes(outcome.appointmentId))).toBe(true);
  });
});

describe('schedule.week and schedule.dentistDay', () => {
  it('gives seven consecutive days, optionally for one provider', async () => {
    const providerId = clinic.demo.documents.providers[0]!.id;
    const week = await call(clinic, 'schedule.week', { weekStart: TEST_TODAY }, frontDesk());
    expect(week.days.map((d) => d.day)).toEqual([
      '2025-06-02',
      '2025-06-03',
      '2025-06-04',
      '2025-06-05',
      '2025-06-06',
      '2025-06-07',
      '2025-06-08',
    ]);
    for (const day of week.days) {
      expect(day.appointments.map((a) => a.id).sort()).toEqual(
        appointmentsOn(day.day)
          .map((a) => a.id)
          .sort(),
      );
    }
    const theirs = await call(
      clinic,
      'schedule.week',
      { weekStart: TEST_TODAY, providerId },
      frontDesk(),
    );
    const all = theirs.days.flatMap((d) => d.appointments);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((a) => a.providerId === providerId)).toBe(true);
  });

  it("lists a provider's patients today with their status", async () => {
    const dentist = clinic.context('dentist');
    const providerId = dentist.user!.providerId!;
    const entries = await call(
      clinic,
      'schedule.dentistDay',
      { providerId, day: TEST_TODAY },
      dentist,
    );
    const expected = appointmentsOn(TEST_TODAY).filter((a) => a.providerId === providerId);
    expect(entries.map((e) => e.appointment.id).sort()).toEqual(expected.map((a) => a.id).sort());
    for (const entry of entries) expect(entry.status).toBe(entry.appointment.status);
    expect(entries.some((e) => e.status === 'completed')).toBe(true);
  });
});

describe('lists.get', () => {
  it('returns providers, chairs, types, staff and the default procedure list', async () => {
    const lists = await call(clinic, 'lists.get', {}, frontDesk());
    expect(lists.providers).toHaveLength(clinic.demo.documents.providers.length);
    expect(lists.operatories).toHaveLength(clinic.demo.documents.operatories.length);
    expect(lists.appointmentTypes).toHaveLength(clinic.demo.documents.appointment_types.length);
    expect(lists.staff.map((s) => s.id).sort()).toEqual(
      clinic.demo.documents.staff.map((s) => s.id).sort(),
    );
    expect(lists.procedureList).toEqual(DEFAULT_PROCEDURE_LIST);
  });

  it("uses the clinic's own procedure list when it has one", async () => {
    const own = [DEFAULT_PROCEDURE_LIST[0]!];
    const table = createServicesTable({
      db: clinic.db,
      settingsFile: clinic.settingsFile,
      currency: 'BRL',
      procedureList: () => own,
    });
    expect((await call({ table }, 'lists.get', {}, frontDesk())).procedureList).toEqual(own);
  });
});

describe('settings', () => {
  it('starts from the defaults, works before sign-in, and keeps changes in the file', async () => {
    const signedOut = { ...frontDesk(), user: null, clinicId: null };
    expect(await call(clinic, 'settings.get', {}, signedOut)).toEqual({
      language: 'en',
      toothNotation: 'fdi',
      updateChannel: 'stable',
      scheduleColumns: 'operatory',
    });
    const updated = await call(
      clinic,
      'settings.update',
      { language: 'pt-BR', toothNotation: 'universal' },
      signedOut,
    );
    expect(updated).toEqual({
      language: 'pt-BR',
      toothNotation: 'universal',
      updateChannel: 'stable',
      scheduleColumns: 'operatory',
    });
    expect(JSON.parse(await readFile(clinic.settingsFile, 'utf8'))).toEqual(updated);
    // Another table on the same file (a restarted core) reads the same settings.
    const table = createServicesTable({
      db: () => null,
      settingsFile: clinic.settingsFile,
      currency: () => null,
    });
    expect(await call({ table }, 'settings.get', {}, signedOut)).toEqual(updated);
  });

  it('ignores a damaged file or unknown values instead of failing', async () => {
    const signedOut = { ...frontDesk(), user: null, clinicId: null };
    await writeFile(clinic.settingsFile, '{"language": "klingon", "updateChannel": "beta"');
    expect((await call(clinic, 'settings.get', {}, signedOut)).language).toBe('en');
    await writeFile(clinic.settingsFile, '{"language": "klingon", "updateChannel": "beta"}');
    expect(await call(clinic, 'settings.get', {}, signedOut)).toMatchObject({
      language: 'en',
      updateChannel: 'beta',
    });
  });

  it('clinic methods need a signed-in user and an open clinic', async () => {
    const signedOut = { ...frontDesk(), user: null, clinicId: null };
    await expect(call(clinic, 'lists.get', {}, signedOut)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const table = createServicesTable({
      db: () => null,
      settingsFile: clinic.settingsFile,
      currency: 'BRL',
    });
    await expect(call({ table }, 'lists.get', {}, frontDesk())).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
