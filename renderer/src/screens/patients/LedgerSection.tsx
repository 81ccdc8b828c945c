// The patient's account: the balance the core computed, every entry with the balance after it,
// and the front desk's money actions. Amounts are typed as text and shown back formatted before
// anything is posted; reversing an entry asks first and needs a reason.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientRecord } from '../../../../shared/api/views';
import {
  ADJUSTMENT_DIRECTIONS,
  PAYMENT_METHODS,
  type AdjustmentDirection,
  type Currency,
  type PaymentMethod,
} from '../../../../shared/domain/enums';
import { balanceEffect } from '../../../../shared/domain/rules/ledger';
import { displayName } from '../../../../shared/domain/rules/people';
import type { LedgerEntry } from '../../../../shared/domain/schemas/index';
import { clinicDayOf } from '../../../../shared/domain/time';
import { fieldError, useCommand } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { formatCalendarDate, formatMoney, parseMoneyInput } from '../../i18n/format';

const FIRST_ROWS = 10;
const PAYMENT_ROLES = new Set(['admin', 'front_desk', 'dentist']);
const ADJUST_ROLES = new Set(['admin', 'front_desk']);

/** What an entry does to the balance; its bare amount if it breaks the rules (shown, not summed). */
function effectOf(entry: LedgerEntry): number {
  try {
    return balanceEffect(entry);
  } catch {
    return entry.amountCents;
  }
}

/** The balance after each entry, oldest first; null when an entry breaks the ledger rules. */
export function runningBalances(newestFirst: readonly LedgerEntry[]): Map<string, number> | null {
  const after = new Map<string, number>();
  let balance = 0;
  try {
    for (const entry of [...newestFirst].reverse()) {
      balance += balanceEffect(entry);
      after.set(entry.id, balance);
    }
  } catch {
    return null; // the core reports a broken account as a conflict; never show a wrong number
  }
  return after;
}

export function LedgerSection({ record }: { record: PatientRecord }) {
  const { t } = useTranslation('patients');
  const { locale, timeZone, user } = useClinic();
  const [dialog, setDialog] = useState<
    { kind: MoneyAction } | { kind: 'reverse'; entry: LedgerEntry } | null
  >(null);
  const [done, setDone] = useState('');
  const [all, setAll] = useState(false);
  const { balance, ledger, patient } = record;
  const money = (cents: number) => formatMoney(cents, balance.currency, locale);
  const after = runningBalances(ledger);
  const reversed = new Set(ledger.flatMap((entry) => entry.reversesEntryId ?? []));
  const canPay = user ? PAYMENT_ROLES.has(user.role) : false;
  const canAdjust = user ? ADJUST_ROLES.has(user.role) : false;
  const shown = all ? ledger : ledger.slice(0, FIRST_ROWS);

  const entryName = (entry: LedgerEntry) => {
    const kind = t(`ledger.kind.${entry.kind}`);
    const detail =
      entry.kind === 'payment' && entry.method
        ? ` (${t(`ledger.method.${entry.method}`)})`
        : entry.kind === 'adjustment' && entry.adjustmentDirection
          ? ` (${t(`ledger.${entry.adjustmentDirection}`)})`
          : '';
    return entry.reversesEntryId ? `${t('ledger.reversal')}: ${kind}${detail}` : `${kind}${detail}`;
  };
  const dayOf = (entry: LedgerEntry) =>
    formatCalendarDate(clinicDayOf(entry.postedAt, timeZone), locale);
  const balanceWords =
    balance.balanceCents > 0
      ? t('ledger.owes')
      : balance.balanceCents < 0
        ? t('ledger.inCredit')
        : t('ledger.settled');

  const finish = (message: string) => {
    setDialog(null);
    setDone(message);
  };

  /** Posting a payment or an adjustment: the same dialog around its own form. */
  const moneyDialog = (kind: MoneyAction) => {
    const Form = MONEY_FORMS[kind];
    return (
      <Dialog
        open={dialog?.kind === kind}
        onClose={() => setDialog(null)}
        title={t(`ledger.${kind}Title`)}
      >
        {dialog?.kind === kind && (
          <Form
            patientId={patient.id}
            currency={balance.currency}
            onCancel={() => setDialog(null)}
            onDone={(cents) => finish(t(`ledger.${kind}Done`, { amount: money(cents) }))}
          />
        )}
      </Dialog>
    );
  };

  return (
    <section className="card ledger" aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('ledger.title')}</h2>
      <div className="balance-box" role="group" aria-labelledby="balance-label">
        <span id="balance-label" className="balance-label">
          {t('ledger.balance')}
        </span>
        <span
          className={balance.balanceCents > 0 ? 'balance-amount owes' : 'balance-amount'}
          data-testid="patient-balance"
        >
          {money(balance.balanceCents)}
        </span>
        <span className="balance-words">{balanceWords}</span>
      </div>
      {record.guarantor && (
        <p className="muted-text">{t('ledger.heldBy', { name: displayName(record.guarantor) })}</p>
      )}
      <div className="actions start">
        {canPay && (
          <button type="button" onClick={() => setDialog({ kind: 'payment' })}>
            {t('ledger.takePayment')}
          </button>
        )}
        {canAdjust && (
          <button type="button" className="secondary" onClick={() => setDialog({ kind: 'adjust' })}>
            {t('ledger.adjust')}
          </button>
        )}
      </div>
      <p role="status" className="ledger-done">
        {done}
      </p>
      {ledger.length === 0 ? (
        <p className="empty">{t('ledger.empty')}</p>
      ) : (
        <>
          <table className="table ledger-table">
            <caption className="visually-hidden">{t('ledger.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ledger.date')}</th>
                <th scope="col">{t('ledger.entry')}</th>
                <th scope="col" className="numeric">
                  {t('ledger.amount')}
                </th>
                {after && (
                  <th scope="col" className="numeric">
                    {t('ledger.balanceAfter')}
                  </th>
                )}
                {canAdjust && (
                  <th scope="col">
                    <span className="visually-hidden">{t('ledger.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">{dayOf(entry)}</th>
                  <td>
                    <span className="entry-kind">{entryName(entry)}</span>
                    {reversed.has(entry.id) && (
                      <span className="badge badge-muted">{t('ledger.reversed')}</span>
                    )}
                    {entry.description && <div className="muted-text">{entry.description}</div>}
                  </td>
                  <td className="numeric">{money(effectOf(entry))}</td>
                  {after && <td className="numeric">{money(after.get(entry.id) ?? 0)}</td>}
                  {canAdjust && (
                    <td>
                      {!entry.reversesEntryId && !reversed.has(entry.id) && (
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={t('ledger.reverseEntry', {
                            entry: entryName(entry),
                            amount: money(entry.amountCents),
                            date: dayOf(entry),
                          })}
                          onClick={() => setDialog({ kind: 'reverse', entry })}
                        >
                          {t('ledger.reverse')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {ledger.length > FIRST_ROWS && (
            <button
              type="button"
              className="link-button"
              aria-expanded={all}
              onClick={() => setAll((value) => !value)}
            >
              {all ? t('record.showFewer') : t('record.showAll', { count: ledger.length })}
            </button>
          )}
        </>
      )}

      {moneyDialog('payment')}
      {moneyDialog('adjust')}
      <Dialog
        open={dialog?.kind === 'reverse'}
        onClose={() => setDialog(null)}
        title={t('ledger.reverseTitle')}
        {...(dialog?.kind === 'reverse'
          ? { description: t('ledger.reverseBody', { amount: money(dialog.entry.amountCents) }) }
          : {})}
      >
        {dialog?.kind === 'reverse' && (
          <ReverseForm
            entry={dialog.entry}
            summary={`${dayOf(dialog.entry)} · ${entryName(dialog.entry)} · ${money(effectOf(dialog.entry))}`}
            onCancel={() => setDialog(null)}
            onDone={() => finish(t('ledger.reverseDone'))}
          />
        )}
      </Dialog>
    </section>
  );
}

type MoneyAction = 'payment' | 'adjust';

interface MoneyFormProps {
  patientId: string;
  currency: Currency;
  onCancel: () => void;
  onDone: (cents: number) => void;
}

/** The amount field: typed text, its parsed value shown back formatted as the person types. */
function AmountField({
  text,
  onChange,
  currency,
  error,
}: {
  text: string;
  onChange: (text: string) => void;
  currency: Currency;
  error: string | undefined;
}) {
  const { t } = useTranslation('patients');
  const { locale } = useClinic();
  const cents = parseMoneyInput(text);
  return (
    <>
      <Field label={t('ledger.amountLabel')} hint={t('ledger.amountHint')} error={error}>
        {(props) => (
          <input
            {...props}
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            value={text}
            onChange={(event) => onChange(event.target.value)}
          />
        )}
      </Field>
      <p className="amount-preview" aria-live="polite">
        {cents !== null && cents > 0
          ? t('ledger.amountPreview', { amount: formatMoney(cents, currency, locale) })
          : ''}
      </p>
    </>
  );
}

function PaymentForm({ patientId, currency, onCancel, onDone }: MoneyFormProps) {
  const { t } = useTranslation('patients');
  const pay = useCommand('ledger.takePayment');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [description, setDescription] = useState('');
  const [amountProblem, setAmountProblem] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseMoneyInput(amount);
    if (cents === null || cents <= 0) {
      setAmountProblem(true);
      return;
    }
    setAmountProblem(false);
    const created = await pay.run({
      patientId,
      amountCents: cents,
      currency,
      method,
      ...(description.trim() ? { description: description.trim() } : {}),
    });
    if (created) onDone(cents);
  };

  return (
    <form onSubmit={submit} noValidate>
      <AmountField
        text={amount}
        onChange={setAmount}
        currency={currency}
        error={amountProblem ? t('ledger.amountInvalid') : fieldError(pay.error, 'amountCents')}
      />
      <Field label={t('ledger.paymentMethod')} error={fieldError(pay.error, 'method')}>
        {(props) => (
          <select
            {...props}
            value={method}
            onChange={(event) => setMethod(event.target.value as PaymentMethod)}
          >
            {PAYMENT_METHODS.map((value) => (
              <option key={value} value={value}>
                {t(`ledger.method.${value}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('ledger.optionalDescription')} error={fieldError(pay.error, 'description')}>
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            maxLength={500}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={pay.error} fieldsShown />
      <FormActions
        onCancel={onCancel}
        pending={pay.pending}
        submitLabel={t('ledger.recordPayment')}
      />
    </form>
  );
}

function AdjustForm({ patientId, currency, onCancel, onDone }: MoneyFormProps) {
  const { t } = useTranslation('patients');
  const adjust = useCommand('ledger.adjust');
  const [amount, setAmount] = useState('');
  const [direction, setDirection] = useState<AdjustmentDirection>('credit');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState({ amount: false, reason: false });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseMoneyInput(amount);
    const next = { amount: cents === null || cents <= 0, reason: reason.trim() === '' };
    setProblems(next);
    if (next.amount || next.reason || cents === null) return;
    const created = await adjust.run({
      patientId,
      amountCents: cents,
      currency,
      direction,
      description: reason.trim(),
    });
    if (created) onDone(cents);
  };

  return (
    <form onSubmit={submit} noValidate>
      <AmountField
        text={amount}
        onChange={setAmount}
        currency={currency}
        error={
          problems.amount ? t('ledger.amountInvalid') : fieldError(adjust.error, 'amountCents')
        }
      />
      <fieldset className="radio-group">
        <legend>{t('ledger.direction')}</legend>
        {ADJUSTMENT_DIRECTIONS.map((value) => (
          <label key={value} className="inline">
            <input
              type="radio"
              name="direction"
              value={value}
              checked={direction === value}
              onChange={() => setDirection(value)}
            />
            {value === 'credit' ? t('ledger.creditChoice') : t('ledger.debitChoice')}
          </label>
        ))}
      </fieldset>
      <Field
        label={t('ledger.reason')}
        error={
          problems.reason ? t('ledger.reasonRequired') : fieldError(adjust.error, 'description')
        }
      >
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={adjust.error} fieldsShown />
      <FormActions
        onCancel={onCancel}
        pending={adjust.pending}
        submitLabel={t('ledger.postAdjustment')}
      />
    </form>
  );
}

function ReverseForm({
  entry,
  summary,
  onCancel,
  onDone,
}: {
  entry: LedgerEntry;
  summary: string;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('patients');
  const reverse = useCommand('ledger.reverse');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    if (await reverse.run({ entryId: entry.id, reason: reason.trim() })) onDone();
  };

  return (
    <form onSubmit={submit} noValidate>
      <p className="reverse-summary">{summary}</p>
      <Field
        label={t('ledger.reason')}
        error={missing ? t('ledger.reasonRequired') : fieldError(reverse.error, 'reason')}
      >
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            autoFocus
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={reverse.error} fieldsShown />
      <FormActions
        onCancel={onCancel}
        pending={reverse.pending}
        submitLabel={t('ledger.confirmReverse')}
        danger
      />
    </form>
  );
}

const MONEY_FORMS: Record<MoneyAction, (props: MoneyFormProps) => ReactNode> = {
  payment: PaymentForm,
  adjust: AdjustForm,
};

/** Cancel and the submit button of a ledger dialog's form. */
function FormActions({
  onCancel,
  pending,
  submitLabel,
  danger = false,
}: {
  onCancel: () => void;
  pending: boolean;
  submitLabel: string;
  danger?: boolean;
}) {
  const { t } = useTranslation('patients');
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={onCancel}>
        {t('form.cancel')}
      </button>
      <button type="submit" className={danger ? 'danger' : undefined} disabled={pending}>
        {submitLabel}
      </button>
    </div>
  );
}
