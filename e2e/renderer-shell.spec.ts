// The built renderer loads in Chromium under its Content-Security-Policy without errors.
import { expect, test } from '@playwright/test';

test('the renderer loads under its CSP with no console errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto('http://127.0.0.1:4319/');
  await expect(page.getByRole('heading', { level: 1, name: 'TopSmile' })).toBeVisible();
  expect(problems).toEqual([]);
});
