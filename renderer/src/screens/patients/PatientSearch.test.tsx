// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { displayName } from '../../../../shared/domain/rules/people';
import { normalizeNameForSearch, type Patient } from '../../../../shared/domain/schemas/index';
import { useRealCore } from '../../test-support/real-core';
import { renderPatients } from './test-support/render';

const core = useRealCore('front_desk');

const patients = (): Patient[] => core().clinic.demo.documents.patients;
const names = (list: readonly Patient[]) => list.map((patient) => displayName(patient)).sort();

/** The names linked in the results table once it shows `count` rows. */
async function resultNames(count: number): Promise<string[]> {
  const table = await screen.findByRole('table', { name: 'Matching patients' });
  await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(count + 1));
  return within(table)
    .getAllByRole('link')
    .map((link) => link.textContent ?? '')
    .sort();
}

async function searchFor(text: string) {
  renderPatients(core());
  const box = await screen.findByRole('searchbox', { name: 'Search patients' });
  await waitFor(() => expect(document.activeElement).toBe(box));
  const user = userEvent.setup();
  await user.clear(box);
  await user.type(box, text);
  return { box, user };
}

describe('patient search on a real core', () => {
  it('opens with the heading, the focused search box and a New patient link', async () => {
    renderPatients(core());
    expect(await screen.findByRole('heading', { level: 1, name: 'Patients' })).toBeTruthy();
    const box = screen.getByRole('searchbox', { name: 'Search patients' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(screen.getByRole('link', { name: 'New patient' }).getAttribute('href')).toBe(
      '/patients/new',
    );
  });

  it('finds exactly the patients whose last name starts with what is typed', async () => {
    const sample = patients()[11]!;
    const typed = sample.lastName;
    const expected = patients().filter((patient) =>
      patient.nameKey.startsWith(normalizeNameForSearch(typed)),
    );
    expect(expected.length).toBeLessThan(50);
    await searchFor(typed);
    expect(await resultNames(expected.length)).toEqual(names(expected));
  });

  it('finds by phone digits and by birth date in either order of writing', async () => {
    const sample = patients().find((patient) => patient.phoneKey.length >= 8)!;
    const typedPhone = sample.phones[0]!.number;
    const byPhone = patients().filter((patient) =>
      patient.phoneKey.startsWith(typedPhone.replace(/\D/g, '')),
    );
    await searchFor(typedPhone);
    expect(await resultNames(byPhone.length)).toEqual(names(byPhone));
    cleanup();

    const born = patients()[99]!.birthDate;
    const byBirth = patients().filter((patient) => patient.birthDate === born);
    const [year, month, day] = born.split('-');
    await searchFor(`${day}/${month}/${year}`);
    expect(await resultNames(byBirth.length)).toEqual(names(byBirth));
    cleanup();
    await searchFor(born);
    expect(await resultNames(byBirth.length)).toEqual(names(byBirth));
  });

  it('marks alerts in words and says when nobody matches', async () => {
    const withAlert = patients().find((patient) => patient.allergies.length > 0)!;
    const sameDay = patients().filter((patient) => patient.birthDate === withAlert.birthDate);
    await searchFor(withAlert.birthDate);
    await resultNames(sameDay.length);
    const row = screen.getByRole('link', { name: displayName(withAlert) }).closest('tr')!;
    expect(within(row).getByText('Has alerts')).toBeTruthy();
    cleanup();

    await searchFor('Zzqxwv');
    expect(await screen.findByText('No patient matches.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('asks to type more when the list is cut, and the down arrow reaches the results', async () => {
    const prefix = patients()[0]!.phoneKey.slice(0, 2);
    expect(patients().filter((p) => p.phoneKey.startsWith(prefix)).length).toBeGreaterThan(50);
    const { box, user } = await searchFor(prefix);
    expect(await screen.findByText(/type more to narrow the list/)).toBeTruthy();
    await resultNames(50);
    expect(document.activeElement).toBe(box);
    await user.keyboard('{ArrowDown}');
    const links = within(screen.getByRole('table')).getAllByRole('link');
    expect(document.activeElement).toBe(links[0]);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(links[1]);
  });
});
