// What people do on the screens, as steps shared by the end-to-end tests. Each step uses only
// what a person sees: roles, labels and visible text.
import { expect, type Page } from '@playwright/test';

export interface NewPatient {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly phone: string;
}

/** A name nobody in the demo clinic has, so searches and the schedule find exactly this one. */
export function inventedPatient(tag: string): NewPatient {
  const suffix = tag.replace(/[^a-z]/gi, '').slice(0, 8);
  return {
    firstName: 'Quintessa',
    lastName: `Zeferino${suffix}`,
    birthDate: '1988-04-17',
    phone: '+55 11 98765-4321',
  };
}

export async function registerPatient(page: Page, patient: NewPatient): Promise<void> {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByRole('link', { name: 'New patient' }).click();
  await expect(page.getByRole('heading', { name: 'New patient', level: 1 })).toBeVisible();
  await page.getByLabel('First name').fill(patient.firstName);
  await page.getByLabel('Last name').fill(patient.lastName);
  await page.getByLabel('Birth date').fill(patient.birthDate);
  await page.getByLabel('Sex').selectOption({ label: 'Female' });
  await page.getByLabel('Phone', { exact: true }).fill(patient.phone);
  await page.getByRole('button', { name: 'Save patient' }).click();
  await expect(
    page.getByRole('heading', { name: `${patient.firstName} ${patient.lastName}`, level: 1 }),
  ).toBeVisible();
}

/** Opens the schedule on a day (YYYY-MM-DD) in the day view. */
export async function openSchedule(page: Page, day?: string): Promise<void> {
  await page.getByRole('link', { name: 'Schedule', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Schedule', level: 1 })).toBeVisible();
  if (day) await page.getByLabel('Go to date').fill(day);
}

/** The schedule event of a patient, by the start of its accessible name. */
export function appointmentOf(page: Page, displayName: string) {
  return page.getByRole('button', { name: new RegExp(`^${displayName},`) });
}

/**
 * Books through "New appointment" at `startTime` on the day shown; a clash with the busy demo
 * schedule is confirmed with "Book anyway", as the front desk would after reading it.
 */
export async function bookAppointment(
  page: Page,
  patient: Pick<NewPatient, 'firstName' | 'lastName'>,
  startTime: string,
): Promise<void> {
  await page.getByRole('button', { name: 'New appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'New appointment' });
  await dialog.getByRole('combobox', { name: 'Patient' }).fill(patient.lastName);
  await dialog
    .getByRole('option', { name: new RegExp(patient.lastName) })
    .first()
    .click();
  await dialog.getByLabel('Start time').fill(startTime);
  // The first of each list, as a front desk taking whoever is free would.
  for (const list of ['Appointment type', 'Provider', 'Chair']) {
    await dialog.getByLabel(list).selectOption({ index: 1 });
  }
  await dialog.getByRole('button', { name: 'Book', exact: true }).click();
  const bookAnyway = dialog.getByRole('button', { name: 'Book anyway' });
  const booked = page.getByText(/^Appointment booked for/);
  await expect(bookAnyway.or(booked)).toBeVisible();
  if (await bookAnyway.isVisible()) await bookAnyway.click();
  await expect(booked).toBeVisible();
  await expect(dialog).toBeHidden();
}

/** Finds a patient through the search screen and opens the record. */
export async function openPatient(page: Page, patient: Pick<NewPatient, 'firstName' | 'lastName'>) {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByLabel('Search patients').fill(patient.lastName);
  const name = `${patient.firstName} ${patient.lastName}`;
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** Edits the open record's email through the form. */
export async function changeEmail(page: Page, email: string) {
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Edit patient', level: 1 })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Save patient' }).click();
  await expect(page.getByRole('heading', { name: 'Edit patient', level: 1 })).toBeHidden();
}
