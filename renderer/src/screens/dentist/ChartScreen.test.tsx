// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { displayName } from '../../../../shared/domain/rules/people';
import { renderWithCore, useRealCore } from '../../test-support/real-core';
import { formatMoney } from '../../i18n/format';
import ChartScreen from './ChartScreen';

const core = useRealCore('dentist');

const patient = (index: number) => core().clinic.demo.documents.patients[index]!;

async function openChart(index: number) {
  const person = patient(index);
  renderWithCore(core(), <ChartScreen patientId={person.id} />);
  await screen.findByRole('heading', { level: 1, name: displayName(person) });
  return person;
}

describe('the chart on a real core', () => {
  it('records a completed filling on a tooth: drawn on it, listed, and charged once', async () => {
    const person = await openChart(20);
    const user = userEvent.setup();
    const before = await core().api.call('patients.get', { patientId: person.id });

    await user.click(screen.getByRole('button', { name: 'Tooth 16' }));
    await user.click(screen.getByRole('button', { name: 'Record procedure' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record procedure' });
    const form = within(dialog);
    expect((form.getByRole('combobox', { name: 'Tooth' }) as HTMLSelectElement).value).toBe('16');
    await user.type(form.getByRole('searchbox', { name: 'Find a procedure' }), 'resin back one');
    await user.selectOptions(form.getByRole('combobox', { name: 'Procedure' }), 'D2391');
    await user.selectOptions(form.getByRole('combobox', { name: 'Status' }), 'completed');
    const surfaces = form.getByRole('group', { name: 'Surfaces' });
    // Only the five surfaces of a molar are offered.
    expect(
      within(surfaces)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['M mesial', 'O occlusal', 'D distal', 'B buccal', 'L lingual']);
    await user.click(within(surfaces).getByRole('button', { name: 'O occlusal' }));
    const fee = form.getByRole('textbox', { name: 'Fee' }) as HTMLInputElement;
    expect(fee.value).toBe('180.00'); // the list's fee for D2391
    await user.clear(fee);
    await user.type(fee, '195.50');
    await user.click(form.getByRole('button', { name: 'Save procedure' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // On the tooth: the occlusal surface drawn as completed, and the procedure in its description.
    const tooth = screen.getByRole('button', { name: 'Tooth 16' });
    await waitFor(() =>
      expect(tooth.querySelector('[data-surface="O"]')?.getAttribute('data-status')).toBe(
        'completed',
      ),
    );
    expect(tooth.querySelector('[data-surface="M"]')?.getAttribute('data-status')).toBe('none');
    const summary = document.getElementById(tooth.getAttribute('aria-describedby')!)!;
    expect(summary.textContent).toContain('Completed D2391');

    // In the table.
    const row = screen
      .getAllByTestId('procedure-row')
      .find(
        (candidate) =>
          within(candidate).queryByText('D2391') && candidate.textContent?.includes('195.50'),
      );
    expect(row).toBeTruthy();
    const cells = within(row!)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells).toContain('16');
    expect(cells).toContain('O');
    expect(cells).toContain('Completed');
    expect(cells).toContain(formatMoney(19_550, core().clinic.demo.options.currency, 'en'));

    // One charge of exactly the fee on the account.
    const after = await core().api.call('patients.get', { patientId: person.id });
    const recorded = after.procedures.find(
      (item) => !before.procedures.some((old) => old.id === item.id),
    )!;
    expect(recorded).toMatchObject({
      tooth: '16',
      surfaces: 'O',
      status: 'completed',
      feeCents: 19_550,
    });
    const charges = after.ledger.filter((entry) => entry.procedureId === recorded.id);
    expect(charges.map((entry) => [entry.kind, entry.amountCents])).toEqual([['charge', 19_550]]);
    expect(after.balance.balanceCents - before.balance.balanceCents).toBe(19_550);
  });

  it('numbers teeth in Universal notation when the workstation says so', async () => {
    await core().api.call('settings.update', { toothNotation: 'universal' });
    try {
      await openChart(21);
      expect(screen.getByRole('button', { name: 'Tooth 3' }).getAttribute('data-tooth')).toBe('16');
      expect(screen.getByRole('button', { name: 'Tooth 32' }).getAttribute('data-tooth')).toBe(
        '48',
      );
      expect(screen.queryByRole('button', { name: 'Tooth 48' })).toBeNull();
    } finally {
      await core().api.call('settings.update', { toothNotation: 'fdi' });
    }
  });

  it('is operable from the keyboard: one Tab stop, arrows move between teeth, Enter selects', async () => {
    await openChart(25);
    const user = userEvent.setup();
    const primary = screen.getByRole('checkbox', {
      name: 'Show primary teeth',
    }) as HTMLInputElement;
    if (primary.checked) await user.click(primary);
    screen.getByRole('button', { name: 'Tooth 16' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Tooth 15' }));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Tooth 45' }));
    await user.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'Tooth 45' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(screen.getByText(/Selected: tooth 45 \(lower right premolar\)/)).toBeTruthy();
    const inTabOrder = screen
      .getAllByRole('button', { name: /^Tooth \d+$/ })
      .filter((button) => button.tabIndex === 0);
    expect(inTabOrder).toHaveLength(1);
  });

  it('marks a planned procedure completed, which posts its charge', async () => {
    const person = patient(22);
    const planned = await core().api.call('procedures.record', {
      patientId: person.id,
      providerId: core().clinic.context('dentist').user!.providerId!,
      cdtCode: 'D2740',
      tooth: '36',
      status: 'planned',
      date: '2025-06-02',
    });
    await openChart(22);
    const user = userEvent.setup();
    const row = await waitFor(() => {
      const found = screen
        .getAllByTestId('procedure-row')
        .find(
          (candidate) =>
            within(candidate).queryByText('D2740') && candidate.textContent?.includes('Planned'),
        );
      expect(found).toBeTruthy();
      return found!;
    });
    await user.click(within(row).getByRole('button', { name: 'Mark completed' }));
    await waitFor(() => expect(within(row).queryByText('Completed')).toBeTruthy());
    const after = await core().api.call('patients.get', { patientId: person.id });
    expect(after.ledger.filter((entry) => entry.procedureId === planned.id)).toHaveLength(1);
  });

  it('writes a draft that saves itself, signs it after confirming, then amends it', async () => {
    await openChart(23);
    const user = userEvent.setup();
    const box = screen.getByRole('textbox', { name: 'New note' });
    await user.type(box, 'Sensitivity on 16 when drinking cold water.');
    // Saved by itself about a second after typing stops, without pressing anything.
    await screen.findByText(/Draft saved at/, undefined, { timeout: 4000 });
    const draft = await waitFor(() => {
      const found = screen
        .getAllByTestId('note')
        .find((note) => note.textContent?.includes('Sensitivity on 16'));
      expect(found).toBeTruthy();
      return found!;
    });
    expect(within(draft).getByText('Draft')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Sign note' }));
    const confirm = await screen.findByRole('dialog', { name: 'Sign this note?' });
    expect(confirm.textContent).toContain('Signed notes cannot change');
    await user.click(within(confirm).getByRole('button', { name: 'Confirm signing' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const signed = await waitFor(() => {
      const found = screen
        .getAllByTestId('note')
        .find((note) => note.textContent?.includes('Sensitivity on 16'));
      expect(found && within(found).queryByText('Signed')).toBeTruthy();
      return found!;
    });
    expect((screen.getByRole('textbox', { name: 'New note' }) as HTMLTextAreaElement).value).toBe(
      '',
    );

    await user.click(within(signed).getByRole('button', { name: 'Amend' }));
    await user.type(
      within(signed).getByRole('textbox', { name: 'Amendment' }),
      'It was tooth 17, not 16.',
    );
    await user.click(within(signed).getByRole('button', { name: 'Save amendment' }));
    const amendment = await waitFor(() => {
      const found = screen
        .getAllByTestId('note')
        .find((note) => note.textContent?.includes('It was tooth 17'));
      expect(found).toBeTruthy();
      return found!;
    });
    expect(within(amendment).getByText('Amendment')).toBeTruthy();
    expect(amendment.textContent).toContain('Amends the note of');
    // Newest first: the amendment is above the note it amends; the original is unchanged.
    const notes = screen.getAllByTestId('note');
    expect(notes.indexOf(amendment)).toBeLessThan(notes.indexOf(signed));
    expect(signed.textContent).toContain('Sensitivity on 16 when drinking cold water.');
    expect(signed.textContent).toContain('Amended once');
  });

  it('shows the core refusing the front desk: signing a note, recording completed work', async () => {
    const person = patient(24);
    const draft = await core().api.call('notes.saveDraft', {
      patientId: person.id,
      body: 'Draft written by the dentist.',
    });
    core().role = 'front_desk';
    await openChart(24);
    const user = userEvent.setup();
    const note = await waitFor(() => {
      const found = screen
        .getAllByTestId('note')
        .find((item) => item.textContent?.includes('Draft written'));
      expect(found).toBeTruthy();
      return found!;
    });
    await user.click(within(note).getByRole('button', { name: 'Continue this draft' }));
    expect((screen.getByRole('textbox', { name: 'New note' }) as HTMLTextAreaElement).value).toBe(
      'Draft written by the dentist.',
    );
    await user.click(screen.getByRole('button', { name: 'Sign note' }));
    await user.click(
      within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirm signing' }),
    );
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Your role does not allow this. Ask an administrator.',
    );
    const stored = await core().api.call('patients.get', { patientId: person.id });
    expect(stored.notes.find((item) => item.id === draft.id)?.status).toBe('draft');

    // Recording completed work is refused with the core's words, and the form keeps its choices.
    await user.click(screen.getByRole('button', { name: 'Tooth 26' }));
    await user.click(screen.getByRole('button', { name: 'Record procedure' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Record procedure' }));
    await user.selectOptions(dialog.getByRole('combobox', { name: 'Procedure' }), 'D2392');
    await user.selectOptions(dialog.getByRole('combobox', { name: 'Status' }), 'completed');
    await user.click(dialog.getByRole('button', { name: 'Save procedure' }));
    expect((await dialog.findByRole('alert')).textContent).toMatch(
      /^Only a dentist, a hygienist or an administrator can record a completed procedure/,
    );
    expect((dialog.getByRole('combobox', { name: 'Procedure' }) as HTMLSelectElement).value).toBe(
      'D2392',
    );
    const after = await core().api.call('patients.get', { patientId: person.id });
    expect(after.procedures).toHaveLength(stored.procedures.length);
  });
});
