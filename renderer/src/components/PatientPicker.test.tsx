// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { displayName } from '../../../shared/domain/rules/people';
import { renderWithCore, useRealCore } from '../test-support/real-core';
import { PatientPicker } from './PatientPicker';

const core = useRealCore('front_desk');

describe('PatientPicker on a real core', () => {
  it('finds patients as you type and picks one with the keyboard', async () => {
    const patient = core().clinic.demo.documents.patients[7]!;
    const onPick = vi.fn();
    renderWithCore(core(), <PatientPicker label="Patient" onPick={onPick} />);
    const input = await screen.findByRole('combobox', { name: 'Patient' });
    const user = userEvent.setup();
    await user.type(input, patient.lastName);
    const option = await screen.findByRole('option', { name: new RegExp(displayName(patient)) });
    expect(option).toBeTruthy();
    const options = screen.getAllByRole('option');
    const index = options.indexOf(option);
    for (let step = 0; step < index; step++) await user.keyboard('{ArrowDown}');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(onPick).toHaveBeenCalledTimes(1));
    expect(onPick.mock.calls[0]![0]).toMatchObject({ id: patient.id, lastName: patient.lastName });
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('says so when nobody matches', async () => {
    cleanup();
    renderWithCore(core(), <PatientPicker label="Patient" onPick={() => undefined} />);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('combobox'), 'Zzqxw');
    expect(await screen.findByText('No patient matches.')).toBeTruthy();
  });
});
