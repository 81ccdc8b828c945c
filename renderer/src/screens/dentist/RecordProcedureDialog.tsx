// Recording a procedure: tooth (or none), a procedure from the clinic's list found by code or
// words, surfaces as toggle buttons limited to that tooth, status, fee (prefilled from the list,
// editable), date and provider. A refused save keeps everything typed and shows why.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency, ProcedureStatus } from '../../../../shared/domain/enums';
import type { ProcedureListEntry } from '../../../../shared/domain/rules/cdt';
import { allowedSurfaces } from '../../../../shared/domain/rules/surfaces';
import {
  ALL_PERMANENT_TEETH,
  ALL_PRIMARY_TEETH,
  formatTooth,
  type ToothId,
  type ToothNotation,
} from '../../../../shared/domain/rules/teeth';
import { normalizeNameForSearch } from '../../../../shared/domain/schemas/patients';
import type { Provider } from '../../../../shared/domain/schemas/index';
import { fieldError, useCommand } from '../../api/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { parseMoneyInput } from '../../i18n/format';
import { toggleSurface } from './chart-layout';

const STATUSES: readonly ProcedureStatus[] = ['planned', 'completed', 'existing', 'referred'];
const BILLED: ReadonlySet<ProcedureStatus> = new Set(['planned', 'completed']);

/** An amount for the fee box in the UI language, without the currency sign: "1,350.00". */
export function feeText(cents: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
}

function matches(entry: ProcedureListEntry, search: string): boolean {
  const words = normalizeNameForSearch(search).split(' ').filter(Boolean);
  const haystack = normalizeNameForSearch(`${entry.code} ${entry.description}`);
  return words.every((word) => haystack.includes(word));
}

export interface RecordProcedureDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onSaved: () => void;
  readonly patientId: string;
  readonly tooth: ToothId | null;
  readonly notation: ToothNotation;
  readonly showPrimary: boolean;
  readonly procedureList: readonly ProcedureListEntry[];
  readonly providers: readonly Provider[];
  readonly defaultProviderId: string | null;
  readonly today: string;
  readonly currency: Currency;
  readonly locale: string;
}

export function RecordProcedureDialog(props: RecordProcedureDialogProps) {
  const { t } = useTranslation('dentist');
  const { open, onClose, onSaved, patientId, notation, procedureList, locale } = props;
  const [tooth, setTooth] = useState<ToothId | null>(props.tooth);
  const [search, setSearch] = useState('');
  const [code, setCode] = useState('');
  const [status, setStatus] = useState<ProcedureStatus>('planned');
  const [surfaces, setSurfaces] = useState('');
  const [fee, setFee] = useState('');
  const [date, setDate] = useState(props.today);
  const [providerId, setProviderId] = useState(
    props.defaultProviderId ?? props.providers[0]?.id ?? '',
  );
  const [notes, setNotes] = useState('');
  const [localError, setLocalError] = useState<{ field: string; message: string } | null>(null);
  const record = useCommand('procedures.record');

  const shown = useMemo(
    () => procedureList.filter((entry) => search.trim() === '' || matches(entry, search)),
    [procedureList, search],
  );
  const teeth = useMemo(
    () => [
      ...ALL_PERMANENT_TEETH,
      ...(props.showPrimary || isPrimaryId(tooth) ? ALL_PRIMARY_TEETH : []),
    ],
    [props.showPrimary, tooth],
  );

  const chooseProcedure = (next: string) => {
    setCode(next);
    const entry = procedureList.find((candidate) => candidate.code === next);
    if (entry) setFee(feeText(entry.defaultFeeCents, locale));
  };

  const chooseTooth = (next: ToothId | null) => {
    setTooth(next);
    // Surfaces belong to a tooth: keep only the letters the new tooth has.
    setSurfaces((current) =>
      next
        ? [...current].filter((letter) => allowedSurfaces(next).includes(letter as never)).join('')
        : '',
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setLocalError(null);
    if (code === '') {
      setLocalError({ field: 'cdtCode', message: t('record.pickProcedure') });
      return;
    }
    if (providerId === '') {
      setLocalError({ field: 'providerId', message: t('record.pickProvider') });
      return;
    }
    const cents = BILLED.has(status) ? parseMoneyInput(fee) : null;
    if (BILLED.has(status) && cents === null) {
      setLocalError({ field: 'feeCents', message: t('record.badFee') });
      return;
    }
    const created = await record.run({
      patientId,
      providerId,
      cdtCode: code,
      tooth,
      surfaces,
      status,
      ...(cents !== null ? { feeCents: cents } : {}),
      date,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
    if (created) onSaved();
  };

  const errorOf = (field: string) =>
    (localError?.field === field ? localError.message : undefined) ??
    fieldError(record.error, field);
  // A refusal that names no field (e.g. the role may not do this) is shown above the buttons.

  return (
    <Dialog open={open} onClose={onClose} title={t('record.title')} wide>
      <form onSubmit={submit} className="record-form" noValidate>
        <div className="form-grid">
          <Field label={t('record.tooth')} error={errorOf('tooth')}>
            {(field) => (
              <select
                {...field}
                value={tooth ?? ''}
                onChange={(event) => chooseTooth((event.target.value || null) as ToothId | null)}
              >
                <option value="">{t('record.noTooth')}</option>
                {teeth.map((id) => (
                  <option key={id} value={id}>
                    {t('chart.tooth', { number: formatTooth(id, notation) })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('record.status')} error={errorOf('status')}>
            {(field) => (
              <select
                {...field}
                value={status}
                onChange={(event) => setStatus(event.target.value as ProcedureStatus)}
              >
                {STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {t(`procedureStatus.${value}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="form-grid procedure-pick">
          <Field label={t('record.search')} hint={t('record.searchHint')}>
            {(field) => (
              <input
                {...field}
                type="search"
                value={search}
                autoComplete="off"
                onChange={(event) => {
                  setSearch(event.target.value);
                  // One match (a code typed in full, or precise words): take it.
                  const found = procedureList.filter((entry) => matches(entry, event.target.value));
                  if (event.target.value.trim() !== '' && found.length === 1) {
                    chooseProcedure(found[0]!.code);
                  }
                }}
              />
            )}
          </Field>
          <Field
            label={t('record.procedure')}
            error={errorOf('cdtCode')}
            {...(shown.length === 0 ? { hint: t('record.noMatch') } : {})}
          >
            {(field) => (
              <select
                {...field}
                value={code}
                onChange={(event) => chooseProcedure(event.target.value)}
              >
                <option value="">{t('record.choose')}</option>
                {/* The chosen one stays listed while a new search narrows the others. */}
                {[
                  ...procedureList.filter((entry) => entry.code === code && !shown.includes(entry)),
                  ...shown,
                ].map((entry) => (
                  <option key={entry.code} value={entry.code}>
                    {entry.code} · {entry.description}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        <div
          role="group"
          aria-labelledby="record-surfaces-label"
          aria-describedby={errorOf('surfaces') ? 'record-surfaces-error' : undefined}
          className={errorOf('surfaces') ? 'field field-invalid surfaces' : 'field surfaces'}
        >
          <span id="record-surfaces-label" className="group-label">
            {t('record.surfaces')}
          </span>
          {tooth ? (
            <div className="surface-buttons">
              {allowedSurfaces(tooth).map((letter) => (
                <button
                  key={letter}
                  type="button"
                  className={surfaces.includes(letter) ? 'surface-toggle on' : 'surface-toggle'}
                  aria-pressed={surfaces.includes(letter)}
                  onClick={() => setSurfaces((current) => toggleSurface(tooth, current, letter))}
                >
                  <strong>{letter}</strong> <span>{t(`surface.${letter}`)}</span>
                </button>
              ))}
            </div>
          ) : (
            <p className="field-hint">{t('record.surfacesNeedTooth')}</p>
          )}
          {errorOf('surfaces') && (
            <p id="record-surfaces-error" className="field-error" role="alert">
              {errorOf('surfaces')}
            </p>
          )}
        </div>

        <div className="form-grid">
          <Field
            label={t('record.fee')}
            error={errorOf('feeCents')}
            hint={
              BILLED.has(status)
                ? t('record.feeHint', { currency: props.currency })
                : t('record.feeNotBilled')
            }
          >
            {(field) => (
              <input
                {...field}
                inputMode="decimal"
                autoComplete="off"
                value={fee}
                onChange={(event) => setFee(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('record.date')} error={errorOf('date')}>
            {(field) => (
              <input
                {...field}
                type="date"
                value={date}
                onChange={(event) => setDate(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('record.provider')} error={errorOf('providerId')}>
            {(field) => (
              <select
                {...field}
                value={providerId}
                onChange={(event) => setProviderId(event.target.value)}
              >
                {providerId === '' && <option value="">—</option>}
                {props.providers.map((provider) => (
                  <option key={provider.id} value={provider.id}>
                    {provider.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field label={t('record.notes')} error={errorOf('notes')}>
          {(field) => (
            <textarea
              {...field}
              rows={2}
              value={notes}
              onChange={(event) => setNotes(event.target.value)}
            />
          )}
        </Field>

        <ErrorMessage error={record.error} fieldsShown />
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('cancel', { ns: 'common' })}
          </button>
          <button type="submit" disabled={record.pending}>
            {record.pending ? t('record.saving') : t('record.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function isPrimaryId(tooth: ToothId | null): boolean {
  return tooth !== null && Number(tooth[0]) >= 5;
}
