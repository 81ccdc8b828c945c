// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useRealCore } from '../../test-support/real-core';
import { renderPatients } from './test-support/render';

const core = useRealCore('front_desk');

/** The inline message a field's control points at (aria-describedby), or null. */
function messageBeside(control: HTMLElement): string | null {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => document.getElementById(id)).find((node) => node?.role === 'alert');
  return error?.textContent ?? null;
}

describe('registering and editing a patient on a real core', () => {
  it('shows a refused field beside it, keeps what was typed, then saves and opens the record', async () => {
    renderPatients(core(), '/patients/new');
    expect(await screen.findByRole('heading', { level: 1, name: 'New patient' })).toBeTruthy();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('First name'), 'Iolanda');
    await user.type(screen.getByLabelText('Last name'), 'Brandão-Testa');
    await user.type(screen.getByLabelText('Preferred name'), 'Lola');
    await user.type(screen.getByLabelText('Birth date'), '1987-11-23');
    await user.selectOptions(screen.getByLabelText('Sex'), 'female');
    const phone = screen.getByLabelText('Phone');
    await user.type(phone, 'call after 5');
    await user.type(screen.getByLabelText('Email'), 'lola@example.com');
    await user.type(screen.getByLabelText('Allergies'), 'penicillin\nlatex');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));

    await waitFor(() => expect(messageBeside(phone)).toMatch(/^Phone number must use only digits/));
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(phone));
    // Nothing typed is lost, and no other field is blamed.
    expect((screen.getByLabelText('First name') as HTMLInputElement).value).toBe('Iolanda');
    expect((screen.getByLabelText('Last name') as HTMLInputElement).value).toBe('Brandão-Testa');
    expect((screen.getByLabelText('Birth date') as HTMLInputElement).value).toBe('1987-11-23');
    expect((screen.getByLabelText('Allergies') as HTMLTextAreaElement).value).toBe(
      'penicillin\nlatex',
    );
    expect((phone as HTMLInputElement).value).toBe('call after 5');
    expect(messageBeside(screen.getByLabelText('Email'))).toBeNull();

    await user.clear(phone);
    await user.type(phone, '+55 11 98765-4321');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Lola Brandão-Testa' }),
    ).toBeTruthy();
    const alerts = screen.getByRole('region', { name: /Alerts/ });
    expect(within(alerts).getByText(/penicillin, latex/)).toBeTruthy();
    const found = await core().api.call('patients.search', { text: '+55 11 98765-4321' });
    expect(found.patients.map((patient) => patient.firstName)).toContain('Iolanda');
  });

  it('edits a patient, clearing an optional field, and Cancel asks before discarding', async () => {
    const patient = core().clinic.demo.documents.patients.find(
      (candidate) => candidate.email !== undefined,
    )!;
    renderPatients(core(), `/patients/${patient.id}/edit`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Edit patient' })).toBeTruthy();
    const user = userEvent.setup();
    const email = (await screen.findByLabelText('Email')) as HTMLInputElement;
    expect(email.value).toBe(patient.email);
    await user.clear(email);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Discard your changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('');

    await user.clear(screen.getByLabelText('Medical alerts'));
    await user.type(screen.getByLabelText('Medical alerts'), 'takes blood thinners');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));
    await screen.findByRole('region', { name: /Alerts/ });
    const record = await core().api.call('patients.get', { patientId: patient.id });
    expect(record.patient.email).toBeUndefined();
    expect(record.patient.medicalAlerts).toEqual(['takes blood thinners']);
    expect(record.patient.firstName).toBe(patient.firstName);
  });
});
