// A dentist's chair-side work: from their day to a patient's chart, a procedure recorded on a
// tooth (with its charge on the account), and a clinical note written, signed and amended.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { demoApp, screenshotsDir, signIn, waitUntilSynced, watchPageErrors } from './support/app';

const app = demoApp('dentist', ['chair']);

test.use({ viewport: { width: 1400, height: 900 } });

test('a dentist records a procedure on a tooth and signs a note', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchPageErrors(page);
  const shotsDir = screenshotsDir();
  await signIn(page, app.station, app.server, 'dentist');
  await waitUntilSynced(page);
  await expect(page.getByRole('heading', { name: 'My day', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open chart' }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'my day');
  await page.screenshot({ path: join(shotsDir, 'dentist-day.png') });

  await page.getByRole('link', { name: 'Open chart' }).first().click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(page.getByRole('heading', { name: 'Tooth chart' })).toBeVisible();
  const patientName = (await heading.textContent())?.trim() ?? '';
  expect(patientName.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Tooth 16', exact: true }).click();
  await page.getByRole('button', { name: 'Record procedure' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record procedure' });
  await expect(dialog.getByLabel('Tooth')).toHaveValue('16');
  await dialog.getByLabel('Procedure', { exact: true }).selectOption('D2391');
  await dialog.getByRole('button', { name: 'O occlusal' }).click();
  await dialog.getByLabel('Status').selectOption('completed');
  await dialog.getByLabel('Fee').fill('195,50');
  await expectNoSeriousA11yViolations(page, 'record procedure');
  await page.screenshot({ path: join(shotsDir, 'record-procedure.png') });
  await dialog.getByRole('button', { name: 'Save procedure' }).click();
  await expect(dialog).toBeHidden();
  const row = page
    .getByTestId('procedure-row')
    .filter({ hasText: 'D2391' })
    .filter({ hasText: 'R$195.50' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('16');
  await expect(row).toContainText('Completed');

  await page.getByLabel('New note').fill('Composite on 16 O. Patient tolerated well.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText(/Draft saved at/)).toBeVisible();
  await page.getByRole('button', { name: 'Sign note' }).click();
  await page
    .getByRole('dialog', { name: 'Sign this note?' })
    .getByRole('button', { name: 'Confirm signing' })
    .click();
  const signed = page.getByTestId('note').filter({ hasText: 'Composite on 16 O.' }).first();
  await expect(signed).toContainText('Signed');
  await signed.getByRole('button', { name: 'Amend' }).click();
  await page.getByLabel('Amendment').fill('Post-op check in two weeks.');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await expect(
    page.getByTestId('note').filter({ hasText: 'Post-op check in two weeks.' }),
  ).toContainText('Amendment');
  await expectNoSeriousA11yViolations(page, 'chart');
  await page.screenshot({ path: join(shotsDir, 'chart.png'), fullPage: true });

  // The completed procedure is billed once, on the patient's account.
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByLabel('Search patients').fill(patientName.split(' ').slice(-1)[0]!);
  await page.getByRole('link', { name: patientName, exact: true }).first().click();
  await expect(page.getByText(/D2391/).first()).toBeVisible();
  await expect(page.locator('table').filter({ hasText: 'R$195.50' }).first()).toBeVisible();
  expect(problems).toEqual([]);
});
