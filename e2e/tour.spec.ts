// Every screen, as the front desk and as a dentist see it: axe-core finds no serious or critical
// accessibility problem, nothing errors in the console, and a screenshot of each is written
// (to test-results/screenshots, or to E2E_SCREENSHOTS_DIR: `npm run screenshots` refreshes the
// README's pictures in e2e/screenshots).
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { demoApp, screenshotsDir, signIn, waitUntilSynced, watchPageErrors } from './support/app';
import { inventedPatient, openPatient, openSchedule, registerPatient } from './support/flows';

const app = demoApp('tour');
const server = app.server;

async function check(page: Page, name: string) {
  await expectNoSeriousA11yViolations(page, name);
  await page.screenshot({ path: join(screenshotsDir(), `${name}.png`) });
}

test.use({ viewport: { width: 1400, height: 900 } });

test('front desk screens', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchPageErrors(page);
  await page.goto(app.station.url);
  await expect(page.getByRole('heading', { name: 'Sign in to your clinic' })).toBeVisible();
  await check(page, 'sign-in');

  await signIn(page, app.station, server, 'front_desk');
  await waitUntilSynced(page);
  await openSchedule(page);
  await expect(page.locator('.rbc-event').first()).toBeVisible();
  await check(page, 'schedule-day');
  await page.getByRole('button', { name: 'By provider' }).click();
  await check(page, 'schedule-by-provider');
  await page.getByRole('button', { name: 'Week', exact: true }).click();
  await expect(page.locator('.rbc-event').first()).toBeVisible();
  await check(page, 'schedule-week');
  await page.getByRole('button', { name: 'Day', exact: true }).click();
  await page.getByRole('button', { name: 'By chair' }).click();
  await page.getByRole('button', { name: 'New appointment' }).click();
  await expect(page.getByRole('dialog', { name: 'New appointment' })).toBeVisible();
  await check(page, 'booking-dialog');
  await page.keyboard.press('Escape');
  await page.locator('.rbc-event').first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check(page, 'appointment-dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByLabel('Search patients').fill('sil');
  await expect(page.getByRole('table', { name: 'Matching patients' })).toBeVisible();
  await check(page, 'patient-search');
  await page.getByRole('link', { name: 'New patient' }).click();
  await page.getByRole('button', { name: 'Save patient' }).click();
  await expect(page.getByText(/required/i).first()).toBeVisible();
  await check(page, 'patient-form-errors');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'New patient', level: 1 })).toBeHidden();

  const patient = inventedPatient('tour');
  await registerPatient(page, patient);
  await check(page, 'patient-record');
  await page.getByRole('button', { name: 'Take payment' }).click();
  await page.getByRole('dialog').getByLabel('Amount').fill('80,00');
  await check(page, 'take-payment');
  await page.keyboard.press('Escape');

  await page.getByTestId('sync-status').click();
  await expect(page.getByRole('dialog', { name: 'Sync details' })).toBeVisible();
  await check(page, 'sync-details');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Conflicts', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sync conflicts' })).toBeVisible();
  await check(page, 'conflicts');
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText('Backup made.')).toBeVisible();
  await check(page, 'settings');

  await page.getByLabel('Language').selectOption('pt-BR');
  await page.getByRole('link', { name: 'Agenda', exact: true }).click();
  await expect(page.locator('.rbc-event').first()).toBeVisible();
  await check(page, 'schedule-pt-BR');
  await page.getByRole('link', { name: 'Configurações', exact: true }).click();
  await page.getByLabel('Idioma').selectOption('en');
  await openPatient(page, patient);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to your clinic' })).toBeVisible();
  expect(problems).toEqual([]);
});
