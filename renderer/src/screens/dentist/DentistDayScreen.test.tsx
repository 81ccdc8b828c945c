// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../i18n/format';
import { renderWithCore, useRealCore } from '../../test-support/real-core';
import DentistDayScreen from './DentistDayScreen';

const DAY = '2025-06-02';

const core = useRealCore('dentist');

describe("the dentist's day on a real core", () => {
  it("lists the signed-in provider's patients in time order and moves a visit on in one click", async () => {
    const providerId = core().clinic.context('dentist').user!.providerId!;
    const { timeZone } = core().clinic.demo.options;
    renderWithCore(core(), <DentistDayScreen />);
    expect(await screen.findByRole('heading', { level: 1, name: 'My day' })).toBeTruthy();
    const provider = (await screen.findByRole('combobox', {
      name: 'Provider',
    })) as HTMLSelectElement;
    await waitFor(() => expect(provider.value).toBe(providerId));
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: DAY } });

    const expected = (await core().api.call('schedule.dentistDay', { providerId, day: DAY }))
      .map((entry) => entry.appointment)
      .sort((a, b) => a.start.localeCompare(b.start));
    expect(expected.length).toBeGreaterThan(1);
    const table = await screen.findByRole('table');
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(expected.length + 1),
    );
    const rows = within(table).getAllByRole('row').slice(1);
    // Time order, with the patient's name and the start time in the clinic's zone.
    rows.forEach((row, index) => {
      const appointment = expected[index]!;
      expect(within(row).getByRole('rowheader').textContent).toBe(appointment.patientName);
      expect(row.textContent).toContain(formatTime(appointment.start, timeZone, 'en'));
      const link = within(row).getByRole('link', { name: 'Open chart' });
      expect(link.getAttribute('href')).toBe(`/chart/${appointment.patientId}`);
      expect(row.textContent).toContain(appointment.patientHasAlerts ? 'Medical alert' : 'None');
    });

    // Seat the first patient who is still waiting or not yet here.
    const index = expected.findIndex(
      (appointment) => appointment.status === 'scheduled' || appointment.status === 'checked_in',
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const row = rows[index]!;
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: 'Seat' }));
    await waitFor(() => expect(within(row).getByText('In the chair')).toBeTruthy());
    // The next step is now completing the visit; the core agrees the patient is seated.
    expect(within(row).getByRole('button', { name: 'Complete' })).toBeTruthy();
    const stored = await core().api.call('patients.get', { patientId: expected[index]!.patientId });
    const visit = [...stored.upcomingAppointments, ...stored.pastAppointments].find(
      (appointment) => appointment.id === expected[index]!.id,
    );
    expect(visit?.status).toBe('in_progress');
    expect(visit?.seatedAt).toBeTruthy();

    await user.click(within(row).getByRole('button', { name: 'Complete' }));
    await waitFor(() => expect(within(row).getByText('Completed')).toBeTruthy());
    expect(within(row).queryByRole('button')).toBeNull();
  });
});
