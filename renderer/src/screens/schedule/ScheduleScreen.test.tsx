// @vitest-environment happy-dom
// The schedule against a real core: the demo day in its columns, booking through the dialog, a
// clash that asks first and is booked flagged, a status change, and the column setting.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { displayName } from '../../../../shared/domain/rules/people';
import { clinicDayOf, clinicLocalToInstant, formatInZone } from '../../../../shared/domain/time';
import { renderWithCore, useRealCore } from '../../test-support/real-core';
import ScheduleScreen from './ScheduleScreen';

const DAY = '2025-06-02';
const core = useRealCore('front_desk');

const docs = () => core().clinic.demo.documents;
const tz = () => core().clinic.demo.options.timeZone;
const patientName = (patientId: string) =>
  displayName(docs().patients.find((patient) => patient.id === patientId)!);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The event button of a patient, whose accessible name starts with their name. */
const eventOf = (name: string) =>
  screen.findByRole('button', { name: new RegExp(`^${escape(name)}, `) }, { timeout: 10_000 });

/** The index of the calendar column an element sits in (0 = first resource). */
function columnIndex(element: HTMLElement): number {
  const columns = [...document.querySelectorAll('.rbc-time-content .rbc-day-slot')];
  return columns.findIndex((column) => column.contains(element));
}

async function pickPatient(user: ReturnType<typeof userEvent.setup>, patientId: string) {
  const patient = docs().patients.find((item) => item.id === patientId)!;
  const dialog = screen.getByRole('dialog');
  await user.type(within(dialog).getByRole('combobox', { name: 'Patient' }), patient.lastName);
  const option = await within(dialog).findByRole('option', {
    name: new RegExp(escape(displayName(patient))),
  });
  await user.click(option);
}

/** A patient with no appointment on the demo day, so their name is unique on screen. */
function freePatient(skip = 0): string {
  const busy = new Set(
    docs()
      .appointments.filter((appointment) => clinicDayOf(appointment.start, tz()) === DAY)
      .map((appointment) => appointment.patientId),
  );
  const names = new Map<string, number>();
  for (const patient of docs().patients) {
    names.set(displayName(patient), (names.get(displayName(patient)) ?? 0) + 1);
  }
  return docs().patients.filter(
    (patient) =>
      !busy.has(patient.id) && names.get(displayName(patient)) === 1 && patient.status === 'active',
  )[skip]!.id;
}

async function fillBooking(
  user: ReturnType<typeof userEvent.setup>,
  values: { time: string; typeName: string; providerName: string; chairName: string },
) {
  const dialog = screen.getByRole('dialog');
  fireEvent.change(within(dialog).getByLabelText('Start time'), { target: { value: values.time } });
  await user.selectOptions(within(dialog).getByLabelText('Appointment type'), values.typeName);
  await user.selectOptions(within(dialog).getByLabelText('Provider'), values.providerName);
  await user.selectOptions(within(dialog).getByLabelText('Chair'), values.chairName);
}

describe('Schedule screen on a real core', () => {
  it('shows the demo day with each appointment in its chair’s column, then by provider', async () => {
    renderWithCore(core(), <ScheduleScreen initialDay={DAY} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Schedule' })).toBeTruthy();
    const chairs = [...docs().operatories].sort((a, b) => a.sortOrder - b.sortOrder);
    const onDay = docs().appointments.filter(
      (appointment) => clinicDayOf(appointment.start, tz()) === DAY,
    );
    // Patients seen once that day, so each name finds one event.
    const counts = new Map<string, number>();
    for (const a of onDay) counts.set(a.patientId, (counts.get(a.patientId) ?? 0) + 1);
    const samples = onDay.filter((a) => counts.get(a.patientId) === 1).slice(0, 4);
    expect(samples.length).toBeGreaterThan(2);
    for (const appointment of samples) {
      const button = await eventOf(patientName(appointment.patientId));
      expect(columnIndex(button)).toBe(chairs.findIndex((c) => c.id === appointment.operatoryId));
    }
    // Headers name the chairs, in order.
    const headers = [...document.querySelectorAll('.rbc-time-header .resource-header')].map(
      (header) => header.textContent,
    );
    expect(headers).toEqual(chairs.map((chair) => chair.name));

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'By provider' }));
    await waitFor(async () =>
      expect((await core().api.call('settings.get', {})).scheduleColumns).toBe('provider'),
    );
    const providers = [...docs().providers].sort((a, b) => a.name.localeCompare(b.name));
    await waitFor(async () => {
      const first = samples[0]!;
      const button = await eventOf(patientName(first.patientId));
      expect(columnIndex(button)).toBe(providers.findIndex((p) => p.id === first.providerId));
    });
    await user.click(screen.getByRole('button', { name: 'By chair' }));
    await waitFor(async () =>
      expect((await core().api.call('settings.get', {})).scheduleColumns).toBe('operatory'),
    );
  });

  it('books through the dialog, and asks before booking over a clash', async () => {
    renderWithCore(core(), <ScheduleScreen initialDay={DAY} />);
    const user = userEvent.setup();
    const chair = [...docs().operatories].sort((a, b) => a.sortOrder - b.sortOrder)[0]!;
    const provider = docs().providers[0]!;
    const type = docs().appointment_types.find((item) => item.durationMinutes === 30)!;
    const first = freePatient(0);
    const second = freePatient(1);

    await user.click(await screen.findByRole('button', { name: 'New appointment' }));
    await pickPatient(user, first);
    await fillBooking(user, {
      time: '06:00',
      typeName: type.name,
      providerName: provider.name,
      chairName: chair.name,
    });
    // The type's own length was offered.
    expect((screen.getByLabelText('Duration (minutes)') as HTMLInputElement).value).toBe('30');
    await user.click(screen.getByRole('button', { name: 'Book' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      await screen.findByText(
        new RegExp(`^Appointment booked for ${escape(patientName(first))} at 6:00 AM`),
      ),
    ).toBeTruthy();
    const booked = await eventOf(patientName(first));
    expect(booked.getAttribute('aria-label') ?? booked.textContent).toMatch(/6:00 AM – 6:30 AM/);
    const start = clinicLocalToInstant(DAY, '06:00', tz());
    const day = await core().api.call('schedule.day', { day: DAY });
    expect(
      day.appointments.find((a) => a.patientId === first && a.start === start)?.operatoryId,
    ).toBe(chair.id);

    // The same chair and time for someone else: the clash is named, and booked only on request.
    await user.click(screen.getByRole('button', { name: 'New appointment' }));
    await pickPatient(user, second);
    await fillBooking(user, {
      time: '06:00',
      typeName: type.name,
      providerName: docs().providers[1]!.name,
      chairName: chair.name,
    });
    await user.click(screen.getByRole('button', { name: 'Book' }));
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByText('This time clashes with:')).toBeTruthy();
    expect(
      await within(dialog).findByText(
        new RegExp(`^${escape(patientName(first))}, 6:00 AM – 6:30 AM, same chair`),
      ),
    ).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Book' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Book anyway' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const flagged = await eventOf(patientName(second));
    expect(flagged.textContent).toContain('Double-booked');
    await waitFor(async () =>
      expect((await eventOf(patientName(first))).textContent).toContain('Double-booked'),
    );
    const after = await core().api.call('schedule.day', { day: DAY });
    const secondBooking = after.appointments.find((a) => a.patientId === second)!;
    expect(secondBooking.flags).toContain('double_booked');
    expect(secondBooking.clashesWith.length).toBe(1);
  });

  it('keeps what was typed when a booking is refused', async () => {
    renderWithCore(core(), <ScheduleScreen initialDay={DAY} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New appointment' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('Notes'), 'Bring X-rays');
    await user.click(within(dialog).getByRole('button', { name: 'Book' }));
    expect(within(dialog).getByText('Choose a patient.')).toBeTruthy();
    expect(within(dialog).getByText('Choose an appointment type.')).toBeTruthy();
    expect((within(dialog).getByLabelText('Notes') as HTMLTextAreaElement).value).toBe(
      'Bring X-rays',
    );
  });

  it('changes a status from the appointment dialog', async () => {
    const target = docs().appointments.find(
      (appointment) =>
        clinicDayOf(appointment.start, tz()) === DAY &&
        appointment.status === 'scheduled' &&
        docs().appointments.filter(
          (other) =>
            other.patientId === appointment.patientId && clinicDayOf(other.start, tz()) === DAY,
        ).length === 1,
    )!;
    renderWithCore(core(), <ScheduleScreen initialDay={DAY} />);
    const user = userEvent.setup();
    const button = await eventOf(patientName(target.patientId));
    button.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: patientName(target.patientId) });
    // Only the allowed next steps of a scheduled visit are offered.
    for (const label of ['Arrived', 'In chair', 'No-show', 'Cancel appointment']) {
      expect(within(dialog).getByRole('button', { name: label })).toBeTruthy();
    }
    expect(within(dialog).queryByRole('button', { name: 'Completed' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Arrived' }));
    expect(await within(dialog).findByRole('button', { name: 'Undo arrival' })).toBeTruthy();
    const day = await core().api.call('schedule.day', { day: DAY });
    const changed = day.appointments.find((a) => a.id === target.id)!;
    expect(changed.status).toBe('checked_in');
    expect(changed.arrivedAt).not.toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Completed' })).toBeTruthy();
  });

  it('shows a booking made elsewhere without a reload, and moves it with the keyboard form', async () => {
    renderWithCore(core(), <ScheduleScreen initialDay={DAY} />);
    const user = userEvent.setup();
    await screen.findByRole('button', { name: 'New appointment' });
    const chairs = [...docs().operatories].sort((a, b) => a.sortOrder - b.sortOrder);
    const patientId = freePatient(2);
    const type = docs().appointment_types[0]!;
    // Another workstation books (the same core, as replication would deliver it).
    const outcome = await core().api.call('appointments.book', {
      patientId,
      typeId: type.id,
      providerId: docs().providers[2]!.id,
      operatoryId: chairs[4]!.id,
      start: clinicLocalToInstant(DAY, '20:00', tz()),
      end: clinicLocalToInstant(DAY, '20:30', tz()),
    });
    expect(outcome.status).toBe('booked');
    const button = await eventOf(patientName(patientId));
    expect(columnIndex(button)).toBe(4);

    // Move it onto a demo visit's chair and time: the clash is asked about first.
    const occupied = docs()
      .appointments.filter((a) => clinicDayOf(a.start, tz()) === DAY && a.status === 'scheduled')
      .at(-1)!;
    const occupiedTime = formatInZone(occupied.start, tz(), 'HH:mm');
    const chairIndex = chairs.findIndex((chair) => chair.id === occupied.operatoryId);
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: patientName(patientId) });
    fireEvent.change(within(dialog).getByLabelText('Start time'), {
      target: { value: occupiedTime },
    });
    await user.selectOptions(within(dialog).getByLabelText('Chair'), chairs[chairIndex]!.name);
    await user.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(await within(dialog).findByText('This time clashes with:')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Move' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Move anyway' }));
    await waitFor(async () => {
      const day = await core().api.call('schedule.day', { day: DAY });
      const moved = day.appointments.find((a) => a.patientId === patientId)!;
      expect(moved.start).toBe(occupied.start);
      expect(moved.operatoryId).toBe(occupied.operatoryId);
      expect(moved.flags).toContain('double_booked');
    });
    expect(await within(dialog).findByText('Appointment moved.')).toBeTruthy();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const moved = await eventOf(patientName(patientId));
    expect(columnIndex(moved)).toBe(chairIndex);
    expect(moved.textContent).toContain('Double-booked');
  });
});
