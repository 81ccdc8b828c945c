// The server goes down in the middle of the day: both desks keep booking and editing, say they
// are offline with changes waiting, and when the server is back they agree with it again; the
// one field both changed shows up as a conflict and is resolved on the conflicts screen.
import { expect, test, type Page } from '@playwright/test';
import { demoApp, signIn, waitUntilSynced } from './support/app';
import {
  appointmentOf,
  bookAppointment,
  changeEmail,
  inventedPatient,
  openPatient,
  openSchedule,
  registerPatient,
} from './support/flows';

const { server, stations } = demoApp('offline', ['desk-a', 'desk-b']);

async function expectOfflineWithPending(page: Page) {
  await expect(page.getByTestId('sync-status')).toContainText('Offline', { timeout: 30_000 });
  await expect(page.getByTestId('sync-pending')).toHaveText(/^\d+ changes? waiting$/, {
    timeout: 30_000,
  });
}

test('both desks work through an outage, converge after it, and resolve the clash', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const deskA = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const deskB = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await signIn(deskA, stations[0]!, server, 'front_desk', 0);
  await signIn(deskB, stations[1]!, server, 'front_desk', 1);
  await waitUntilSynced(deskA);
  await waitUntilSynced(deskB);

  const patient = inventedPatient('outage');
  const displayName = `${patient.firstName} ${patient.lastName}`;
  await registerPatient(deskA, patient);
  await waitUntilSynced(deskA);
  await expect(async () => openPatient(deskB, patient)).toPass({ timeout: 30_000 });

  await server.stop();

  // Offline: each desk books a visit and both change the same field of the same patient.
  await openSchedule(deskA);
  await bookAppointment(deskA, patient, '17:15');
  await openPatient(deskA, patient);
  await changeEmail(deskA, 'quintessa.desk-a@example.com');
  await expectOfflineWithPending(deskA);

  await openSchedule(deskB);
  await bookAppointment(deskB, patient, '18:00');
  await openPatient(deskB, patient);
  await changeEmail(deskB, 'quintessa.desk-b@example.com');
  await expectOfflineWithPending(deskB);

  await server.start();
  await waitUntilSynced(deskA, 90_000);
  await waitUntilSynced(deskB, 90_000);

  // Converged: each desk shows both bookings and the same email.
  for (const desk of [deskA, deskB]) {
    await openSchedule(desk);
    await expect(appointmentOf(desk, displayName)).toHaveCount(2, { timeout: 30_000 });
  }
  const emailOn = async (desk: Page) => {
    await openPatient(desk, patient);
    const shown = desk.getByText(/quintessa\.desk-[ab]@example\.com/);
    await expect(shown).toBeVisible();
    return (await shown.textContent())?.match(/quintessa\.desk-[ab]@example\.com/)?.[0];
  };
  const agreed = await emailOn(deskA);
  await expect.poll(() => emailOn(deskB), { timeout: 30_000 }).toBe(agreed);

  // The desk whose email lost lists the clash, with its value and the saved one side by side.
  const loser = agreed === 'quintessa.desk-a@example.com' ? deskB : deskA;
  const lostEmail =
    loser === deskA ? 'quintessa.desk-a@example.com' : 'quintessa.desk-b@example.com';
  await loser.getByRole('link', { name: 'Conflicts', exact: true }).click();
  const row = loser.getByTestId('conflict-row').filter({ hasText: lostEmail });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(agreed!);
  await row.getByRole('button', { name: /^Keep mine/ }).click();
  await expect(row).toBeHidden();

  // "Keep mine" wrote the losing value again as a new revision: both desks now show it.
  await waitUntilSynced(loser);
  for (const desk of [deskA, deskB]) {
    await expect.poll(() => emailOn(desk), { timeout: 45_000 }).toBe(lostEmail);
  }
});
