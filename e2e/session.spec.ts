// First run and the shared front-desk workstation: sign in online once, then the workstation
// opens signed in even with the server down; a PIN locks and unlocks it; the language switches.
import { expect, test } from '@playwright/test';
import { demoApp, signIn, watchPageErrors } from './support/app';

const app = demoApp('session');
const server = app.server;

test('a wrong password keeps what was typed and says why', async ({ page }) => {
  await page.goto(app.station.url);
  await page.getByLabel('Clinic').fill(server.info.clinicName);
  await page.getByLabel('Email').fill(server.login('front_desk').email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(server.login('front_desk').email);
  await expect(page.getByLabel('Clinic')).toHaveValue(server.info.clinicName);
});

test('sign in once, lock with a PIN, unlock, and reopen signed in while the server is down', async ({
  page,
}) => {
  const problems = watchPageErrors(page);
  await signIn(page, app.station, server, 'front_desk');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New PIN (4 to 8 digits)').fill('12');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByText('PIN must be 4 to 8 digits', { exact: false })).toBeVisible();
  await page.getByLabel('New PIN (4 to 8 digits)').fill('2468');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByText('PIN saved.')).toBeVisible();

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Workstation locked' })).toBeVisible();
  await page.getByLabel('PIN').fill('1111');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('The PIN is wrong.')).toBeVisible();
  await page.getByLabel('PIN').fill('2468');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  // The server goes away and the workstation restarts: it opens signed in, and says offline.
  await server.stop();
  await app.station.stop();
  await app.station.start();
  await page.goto(app.station.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toContainText('Offline', { timeout: 30_000 });
  await server.start();
  await expect(page.getByTestId('sync-status')).toContainText('Online', { timeout: 60_000 });
  expect(problems.filter((text) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(text))).toEqual([]);
});

test('the language switches to Brazilian Portuguese and back', async ({ page }) => {
  await page.goto(app.station.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Language').selectOption('pt-BR');
  await expect(page.getByRole('link', { name: 'Agenda' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Configurações' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
  await page.getByLabel('Idioma').selectOption('en');
  await expect(page.getByRole('link', { name: 'Schedule' })).toBeVisible();
});
