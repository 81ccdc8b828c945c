// Keyboard-only driving: reach a control with Tab (as a person without a mouse does) and use it
// with Enter, Space, arrows and typing. A control Tab cannot reach fails the test.
import { expect, type Locator, type Page } from '@playwright/test';

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 120, backwards = false) {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab did not reach ${target.toString()} in ${max} presses`);
}

/** Tabs to a control and presses Enter on it. */
export async function activate(page: Page, target: Locator, key: 'Enter' | 'Space' = 'Enter') {
  await tabTo(page, target);
  await page.keyboard.press(key === 'Space' ? ' ' : 'Enter');
}

/** Tabs to a field and types into it (after selecting what is there). */
export async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

/** Tabs to a select and chooses the option with this label using the arrow keys. */
export async function chooseOption(page: Page, select: Locator, label: string) {
  await tabTo(page, select);
  const labels = await select.locator('option').allTextContents();
  const target = labels.indexOf(label);
  if (target < 0) throw new Error(`no option "${label}" in ${labels.join(', ')}`);
  const current = await select.evaluate((element) => (element as HTMLSelectElement).selectedIndex);
  const key = target > current ? 'ArrowDown' : 'ArrowUp';
  for (let step = 0; step < Math.abs(target - current); step++) await page.keyboard.press(key);
  await expect(select).toHaveValue(
    await select
      .locator('option')
      .nth(target)
      .getAttribute('value')
      .then((value) => value ?? ''),
  );
}
