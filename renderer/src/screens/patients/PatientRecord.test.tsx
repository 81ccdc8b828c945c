// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { displayName } from '../../../../shared/domain/rules/people';
import { accountBalance } from '../../../../shared/domain/rules/ledger';
import type { Patient } from '../../../../shared/domain/schemas/index';
import { formatMoney } from '../../i18n/format';
import { useRealCore } from '../../test-support/real-core';
import { renderPatients } from './test-support/render';

const core = useRealCore('front_desk');

const currency = () => core().clinic.demo.options.currency;
const money = (cents: number) => formatMoney(cents, currency(), 'en');

/** The balance of a patient's account from the demo ledger, by the domain's own rule. */
function expectedBalance(patient: Patient): number {
  const entries = core().clinic.demo.documents.ledger_entries.filter(
    (entry) => entry.guarantorId === patient.guarantorId,
  );
  return accountBalance(entries, currency());
}

/** A patient with alerts who owes money on their own account. */
function patientWithAlertsAndDebt(): Patient {
  const found = core().clinic.demo.documents.patients.find(
    (patient) =>
      patient.guarantorId === patient.id &&
      patient.allergies.length > 0 &&
      expectedBalance(patient) > 0,
  );
  if (!found) throw new Error('the demo clinic has no indebted patient with allergies');
  return found;
}

const balanceText = () => screen.getByTestId('patient-balance').textContent;

describe('the patient record on a real core', () => {
  it('shows the name, the alerts and the balance the ledger adds up to', async () => {
    const patient = patientWithAlertsAndDebt();
    renderPatients(core(), `/patients/${patient.id}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: displayName(patient) }),
    ).toBeTruthy();
    const alerts = screen.getByRole('region', { name: /Alerts/ });
    for (const allergy of patient.allergies) expect(within(alerts).getByText(new RegExp(allergy)));
    for (const alert of patient.medicalAlerts) expect(within(alerts).getByText(new RegExp(alert)));
    expect(balanceText()).toBe(money(expectedBalance(patient)));
    expect(screen.getByRole('group', { name: 'Balance' }).textContent).toContain(
      'Owed to the clinic',
    );
    for (const section of [
      'Upcoming appointments',
      'Past appointments',
      'Procedures',
      'Clinical notes',
      'Ledger',
    ]) {
      expect(screen.getByRole('heading', { level: 2, name: new RegExp(`^${section}`) }));
    }
    expect(screen.getByRole('link', { name: 'Open chart' }).getAttribute('href')).toBe(
      `/chart/${patient.id}`,
    );
    expect(screen.getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe(
      `/patients/${patient.id}/edit`,
    );
  });

  it('takes a payment typed as text: the balance drops by exactly that amount', async () => {
    const patient = patientWithAlertsAndDebt();
    const before = (await core().api.call('ledger.balance', { patientId: patient.id }))
      .balanceCents;
    renderPatients(core(), `/patients/${patient.id}`);
    await screen.findByTestId('patient-balance');
    expect(balanceText()).toBe(money(before));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Take payment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Take a payment' });
    const amount = within(dialog).getByLabelText('Amount');
    await waitFor(() => expect(document.activeElement).toBe(amount));

    await user.type(amount, 'twelve');
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    expect(within(dialog).getByText(/Type an amount greater than zero/)).toBeTruthy();
    expect((amount as HTMLInputElement).value).toBe('twelve');

    await user.clear(amount);
    await user.type(amount, '12,34');
    expect(within(dialog).getByText(`To record: ${money(1234)}`)).toBeTruthy();
    await user.selectOptions(within(dialog).getByLabelText('Payment method'), 'card');
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));

    await waitFor(() => expect(balanceText()).toBe(money(before - 1234)));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText(`Payment of ${money(1234)} recorded.`)).toBeTruthy();
    const record = await core().api.call('patients.get', { patientId: patient.id });
    expect(record.balance.balanceCents).toBe(before - 1234);
    expect(record.ledger[0]).toMatchObject({ kind: 'payment', method: 'card', amountCents: 1234 });
  });

  it('reverses an entry after asking for a reason, restoring the balance', async () => {
    const patient = patientWithAlertsAndDebt();
    const start = await core().api.call('patients.get', { patientId: patient.id });
    // The first row with a Reverse button: newest entry that is not a reversal nor reversed.
    const reversed = new Set(start.ledger.map((entry) => entry.reversesEntryId));
    const latest = start.ledger.find((entry) => !entry.reversesEntryId && !reversed.has(entry.id))!;
    renderPatients(core(), `/patients/${patient.id}`);
    await screen.findByTestId('patient-balance');
    const user = userEvent.setup();
    const [reverse] = screen.getAllByRole('button', { name: /^Reverse / });
    await user.click(reverse!);
    const dialog = await screen.findByRole('dialog', { name: 'Reverse this entry?' });
    await user.click(within(dialog).getByRole('button', { name: 'Reverse entry' }));
    expect(within(dialog).getByText(/Say why/)).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Reason'), 'Entered twice');
    await user.click(within(dialog).getByRole('button', { name: 'Reverse entry' }));

    const reversedEffect = latest.kind === 'payment' ? latest.amountCents : -latest.amountCents;
    await waitFor(() =>
      expect(balanceText()).toBe(money(start.balance.balanceCents + reversedEffect)),
    );
    expect(screen.getAllByText('Reversed').length).toBeGreaterThan(0);
  });
});
