// Booking: from a click on an empty slot (chair or provider and time prefilled) or from the
// "New appointment" button (everything editable). A clash is listed in words and booked only on
// "Book anyway"; a refusal keeps everything typed and shows the message beside its field.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingClash, PatientSummary } from '../../../../shared/api/views';
import { displayName } from '../../../../shared/domain/rules/people';
import {
  addMinutesToInstant,
  clinicLocalToInstant,
  isCalendarDate,
  isTimeOfDay,
} from '../../../../shared/domain/time';
import { fieldError, useCommand } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { PatientPicker } from '../../components/PatientPicker';
import { ClashList } from './ClashList';
import type { ScheduleLists } from './layout';
import { timeRange } from './words';

export interface BookingPrefill {
  readonly day: string;
  readonly time: string;
  /** Set when the person dragged over a range: it wins over the type's default length. */
  readonly duration?: number;
  readonly providerId?: string;
  readonly operatoryId?: string;
}

type LocalErrors = Partial<
  Record<'patient' | 'type' | 'provider' | 'operatory' | 'time' | 'duration', string>
>;

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
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [day, setDay] = useState(prefill.day);
  const [time, setTime] = useState(prefill.time);
  const [typeId, setTypeId] = useState('');
  const [duration, setDuration] = useState(prefill.duration ? String(prefill.duration) : '30');
  const [durationTouched, setDurationTouched] = useState(prefill.duration !== undefined);
  const [providerId, setProviderId] = useState(prefill.providerId ?? '');
  const [operatoryId, setOperatoryId] = useState(prefill.operatoryId ?? '');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<LocalErrors>({});
  const [clashes, setClashes] = useState<readonly BookingClash[] | null>(null);

  // Whatever changes after a clash warning makes it stale: ask again on the next "Book".
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setClashes(null);
    };

  const types = lists.appointmentTypes.filter((type) => type.active || type.id === typeId);
  const providers = lists.providers.filter((p) => p.active || p.id === providerId);
  const chairs = lists.operatories.filter((o) => o.active || o.id === operatoryId);

  const submit = async (allowDoubleBooking: boolean) => {
    const minutes = Number(duration);
    const found: LocalErrors = {};
    if (!patient) found.patient = t('book.needPatient');
    if (!typeId) found.type = t('book.needType');
    if (!providerId) found.provider = t('book.needProvider');
    if (!operatoryId) found.operatory = t('book.needOperatory');
    if (!isCalendarDate(day) || !isTimeOfDay(time)) found.time = t('book.badTime');
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 720) {
      found.duration = t('book.badDuration');
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || !patient) return;
    const start = clinicLocalToInstant(day, time, timeZone);
    const end = addMinutesToInstant(start, minutes);
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
      setClashes(outcome.clashes);
      return;
    }
    const words = { name: displayName(patient), time: timeRange(start, end, timeZone, locale) };
    onBooked(t(outcome.flagged ? 'book.bookedFlagged' : 'book.booked', words));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(clashes !== null);
  };

  const apiError = book.error;
  const timeError = errors.time ?? fieldError(apiError, 'start') ?? fieldError(apiError, 'end');
  return (
    <Dialog open onClose={onClose} title={t('book.title')} wide>
      <form onSubmit={onSubmit} noValidate>
        <PatientPicker
          label={t('field.patient')}
          autoFocus
          onPick={(picked) => {
            setPatient(picked);
            setClashes(null);
          }}
        />
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
          <Field label={t('field.day')} error={timeError}>
            {(props) => (
              <input
                {...props}
                type="date"
                value={day}
                onChange={(event) => edited(setDay)(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('field.start')}>
            {(props) => (
              <input
                {...props}
                type="time"
                step={300}
                value={time}
                onChange={(event) => edited(setTime)(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('field.type')} error={errors.type ?? fieldError(apiError, 'typeId')}>
            {(props) => (
              <select
                {...props}
                value={typeId}
                onChange={(event) => {
                  const next = event.target.value;
                  edited(setTypeId)(next);
                  const type = lists.appointmentTypes.find((item) => item.id === next);
                  if (type && !durationTouched) setDuration(String(type.durationMinutes));
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
          <Field label={t('field.duration')} error={errors.duration}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={5}
                max={720}
                step={5}
                inputMode="numeric"
                value={duration}
                onChange={(event) => {
                  setDurationTouched(true);
                  edited(setDuration)(event.target.value);
                }}
              />
            )}
          </Field>
          <Field
            label={t('field.provider')}
            error={errors.provider ?? fieldError(apiError, 'providerId')}
          >
            {(props) => (
              <select
                {...props}
                value={providerId}
                onChange={(event) => edited(setProviderId)(event.target.value)}
              >
                <option value="">{t('field.choose')}</option>
                {providers.map((provider) => (
                  <option key={provider.id} value={provider.id}>
                    {provider.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('field.operatory')}
            error={errors.operatory ?? fieldError(apiError, 'operatoryId')}
          >
            {(props) => (
              <select
                {...props}
                value={operatoryId}
                onChange={(event) => edited(setOperatoryId)(event.target.value)}
              >
                <option value="">{t('field.choose')}</option>
                {chairs.map((chair) => (
                  <option key={chair.id} value={chair.id}>
                    {chair.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
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
        {clashes && (
          <div className="warning" role="alert">
            <p>{t('clash.intro')}</p>
            <ClashList day={day} clashes={clashes} />
            <p>{t('clash.question')}</p>
          </div>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('common:cancel')}
          </button>
          {/* One submit button at a time, so "Book" never stands beside "Book anyway". */}
          <button type="submit" disabled={book.pending} className={clashes ? 'danger' : ''}>
            {book.pending ? t('book.submitting') : clashes ? t('book.anyway') : t('book.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
