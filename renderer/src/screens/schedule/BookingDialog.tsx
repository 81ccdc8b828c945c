// Booking: from a click on an empty slot (chair or provider and time prefilled) or from the
// "New appointment" button (everything editable). A clash is listed in words and booked only on
// "Book anyway"; a refusal keeps everything typed and shows the message beside its field.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '../../../../shared/api/views';
import { displayName } from '../../../../shared/domain/rules/people';
import { fieldError, useCommand } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { PatientPicker } from '../../components/PatientPicker';
import type { ScheduleLists } from './layout';
import {
  ClashWarning,
  DayAndStartFields,
  DurationField,
  ResourceField,
  SlotSubmit,
  useSlot,
} from './SlotFields';
import { timeRange } from './words';

export interface BookingPrefill {
  readonly day: string;
  readonly time: string;
  /** Set when the person dragged over a range: it wins over the type's default length. */
  readonly duration?: number;
  readonly providerId?: string;
  readonly operatoryId?: string;
}

type LocalErrors = Partial<Record<'patient' | 'type' | 'provider' | 'operatory', string>>;

export function BookingDialog({
  prefill,
  lists,
  onClose,
  onBooked,
}: {
  prefill: BookingPrefill;
  lists: ScheduleLists;
  onClose: () => void;
  onBooked: (message: string) => void;
}) {
  const { t } = useTranslation('schedule');
  const { timeZone, locale } = useClinic();
  const book = useCommand('appointments.book');
  const slot = useSlot(
    {
      day: prefill.day,
      time: prefill.time,
      duration: prefill.duration ? String(prefill.duration) : '30',
      providerId: prefill.providerId ?? '',
      operatoryId: prefill.operatoryId ?? '',
    },
    prefill.duration !== undefined,
  );
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [typeId, setTypeId] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<LocalErrors>({});

  const types = lists.appointmentTypes.filter((type) => type.active || type.id === typeId);

  const submit = async (allowDoubleBooking: boolean) => {
    const { providerId, operatoryId } = slot.values;
    const found: LocalErrors = {};
    if (!patient) found.patient = t('book.needPatient');
    if (!typeId) found.type = t('book.needType');
    if (!providerId) found.provider = t('book.needProvider');
    if (!operatoryId) found.operatory = t('book.needOperatory');
    const range = slot.check();
    setErrors(found);
    if (Object.keys(found).length > 0 || !range || !patient) return;
    const { start, end } = range;
    const outcome = await book.run({
      patientId: patient.id,
      typeId,
      providerId,
      operatoryId,
      start,
      end,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(allowDoubleBooking ? { allowDoubleBooking: true } : {}),
    });
    if (!outcome) return;
    if (outcome.status === 'needs_confirmation') {
      slot.setClashes(outcome.clashes);
      return;
    }
    const words = { name: displayName(patient), time: timeRange(start, end, timeZone, locale) };
    onBooked(t(outcome.flagged ? 'book.bookedFlagged' : 'book.booked', words));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(slot.clashes !== null);
  };

  const apiError = book.error;
  return (
    <Dialog open onClose={onClose} title={t('book.title')} wide>
      <form onSubmit={onSubmit} noValidate>
        <PatientPicker label={t('field.patient')} autoFocus onPick={slot.edited(setPatient)} />
        {patient && (
          <p className="field-hint" role="status">
            {t('book.chosenPatient', { name: displayName(patient) })}
          </p>
        )}
        {(errors.patient ?? fieldError(apiError, 'patientId')) && (
          <p className="field-error" role="alert">
            {errors.patient ?? fieldError(apiError, 'patientId')}
          </p>
        )}
        <div className="form-grid">
          <DayAndStartFields slot={slot} apiError={apiError} />
          <Field label={t('field.type')} error={errors.type ?? fieldError(apiError, 'typeId')}>
            {(props) => (
              <select
                {...props}
                value={typeId}
                onChange={(event) => {
                  const next = event.target.value;
                  slot.edited(setTypeId)(next);
                  const type = lists.appointmentTypes.find((item) => item.id === next);
                  if (type) slot.suggestDuration(type.durationMinutes);
                }}
              >
                <option value="">{t('field.choose')}</option>
                {types.map((type) => (
                  <option key={type.id} value={type.id}>
                    {type.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <DurationField slot={slot} />
          <ResourceField
            slot={slot}
            kind="provider"
            lists={lists}
            apiError={apiError}
            missing={errors.provider}
            placeholder={t('field.choose')}
          />
          <ResourceField
            slot={slot}
            kind="operatory"
            lists={lists}
            apiError={apiError}
            missing={errors.operatory}
            placeholder={t('field.choose')}
          />
        </div>
        <Field label={t('field.notes')} error={fieldError(apiError, 'notes')}>
          {(props) => (
            <textarea
              {...props}
              className="short-textarea"
              maxLength={2000}
              value={notes}
              onChange={(event) => setNotes(event.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={apiError} />
        <ClashWarning slot={slot} question={t('clash.question')} />
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('common:cancel')}
          </button>
          <SlotSubmit
            slot={slot}
            pending={book.pending}
            labels={{
              pending: t('book.submitting'),
              anyway: t('book.anyway'),
              idle: t('book.submit'),
            }}
          />
        </div>
      </form>
    </Dialog>
  );
}
