// The front desk's and the dentist's flows from the keyboard alone: every step below is Tab,
// Enter, Space, arrows or typing — no click anywhere.
import { expect, test } from '@playwright/test';
import { demoApp, waitUntilSynced } from './support/app';
import { appointmentOf, inventedPatient } from './support/flows';
import { activate, chooseOption, tabTo, typeInto } from './support/keyboard';

const app = demoApp('keyboard');
const server = app.server;

test.use({ viewport: { width: 1400, height: 900 } });

test('front desk: sign in, register, book and check in without a mouse', async ({ page }) => {
  test.setTimeout(180_000);
  const { email, password } = server.login('front_desk');
  await page.goto(app.station.url);
  await typeInto(page, page.getByLabel('Clinic'), server.info.clinicName);
  await typeInto(page, page.getByLabel('Email'), email);
  await typeInto(page, page.getByLabel('Password'), password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await waitUntilSynced(page);

  const patient = inventedPatient('keys');
  const name = `${patient.firstName} ${patient.lastName}`;
  await activate(page, page.getByRole('link', { name: 'Patients', exact: true }));
  await activate(page, page.getByRole('link', { name: 'New patient' }));
  await typeInto(page, page.getByLabel('First name'), patient.firstName);
  await typeInto(page, page.getByLabel('Last name'), patient.lastName);
  await tabTo(page, page.getByLabel('Birth date'));
  await page.keyboard.type('04171988');
  await expect(page.getByLabel('Birth date')).toHaveValue(patient.birthDate);
  await chooseOption(page, page.getByLabel('Sex'), 'Female');
  await typeInto(page, page.getByLabel('Phone', { exact: true }), patient.phone);
  await activate(page, page.getByRole('button', { name: 'Save patient' }));
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  await activate(page, page.getByRole('link', { name: 'Schedule', exact: true }));
  await activate(page, page.getByRole('button', { name: 'New appointment' }));
  const dialog = page.getByRole('dialog', { name: 'New appointment' });
  const picker = dialog.getByRole('combobox', { name: 'Patient' });
  await expect(picker).toBeFocused();
  await page.keyboard.type(patient.lastName);
  await expect(dialog.getByRole('option', { name: new RegExp(patient.lastName) })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await tabTo(page, dialog.getByLabel('Start time'));
  await page.keyboard.type('0415PM');
  for (const list of ['Appointment type', 'Provider', 'Chair']) {
    await tabTo(page, dialog.getByLabel(list));
    await page.keyboard.press('ArrowDown');
  }
  await activate(page, dialog.getByRole('button', { name: 'Book', exact: true }));
  const bookAnyway = dialog.getByRole('button', { name: 'Book anyway' });
  const booked = page.getByText(/^Appointment booked for/);
  await expect(bookAnyway.or(booked)).toBeVisible();
  if (await bookAnyway.isVisible()) await activate(page, bookAnyway);
  await expect(booked).toBeVisible();

  const event = appointmentOf(page, name);
  await tabTo(page, event, 400);
  await page.keyboard.press('Enter');
  const details = page.getByRole('dialog', { name });
  await activate(page, details.getByRole('button', { name: 'Arrived', exact: true }));
  await expect(details.getByRole('button', { name: 'Undo arrival' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(event).toHaveAccessibleName(/Checked in|Arrived/);
});
