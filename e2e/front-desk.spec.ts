// The front desk's day on two workstations of one clinic: a new patient is registered, booked and
// checked in on one; the other sees the booking and the arrival without a reload.
import { expect, test } from '@playwright/test';
import { demoApp, signIn, waitUntilSynced } from './support/app';
import {
  appointmentOf,
  bookAppointment,
  inventedPatient,
  openSchedule,
  registerPatient,
} from './support/flows';

const { server, stations } = demoApp('front-desk', ['reception', 'back-office']);

test('a new patient is booked and checked in at one desk, and the other desk sees it live', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const reception = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const backOffice = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await signIn(reception, stations[0]!, server, 'front_desk', 0);
  await signIn(backOffice, stations[1]!, server, 'front_desk', 1);
  await waitUntilSynced(reception);
  await waitUntilSynced(backOffice);

  const patient = inventedPatient('desk');
  await registerPatient(reception, patient);

  // The other desk shows today's schedule before the booking exists.
  await openSchedule(backOffice);
  const displayName = `${patient.firstName} ${patient.lastName}`;
  await expect(appointmentOf(backOffice, displayName)).toHaveCount(0);

  await openSchedule(reception);
  await bookAppointment(reception, patient, '16:45');
  const booked = appointmentOf(reception, displayName);
  await expect(booked).toBeVisible();
  await expect(booked).toHaveAccessibleName(/, Scheduled/);

  // No reload on the other desk: the booking arrives through sync and the live day view.
  await expect(appointmentOf(backOffice, displayName)).toBeVisible({ timeout: 30_000 });

  await booked.click();
  const details = reception.getByRole('dialog', { name: displayName });
  await details.getByRole('button', { name: 'Arrived', exact: true }).click();
  await expect(details.getByRole('button', { name: 'Undo arrival' })).toBeVisible();
  await reception.keyboard.press('Escape');
  await expect(appointmentOf(reception, displayName)).toHaveAccessibleName(/Checked in|Arrived/);
  await expect(appointmentOf(backOffice, displayName)).toHaveAccessibleName(/Checked in|Arrived/, {
    timeout: 30_000,
  });
});
