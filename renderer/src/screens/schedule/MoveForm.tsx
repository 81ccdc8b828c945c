// The keyboard way to do what dragging does: a new day, start, length, chair or provider for an
// appointment. A clash is listed and moved only on "Move anyway".
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingClash, ScheduledAppointment } from '../../../../shared/api/views';
import {
  addMinutesToInstant,
  clinicDayOf,
  clinicLocalToInstant,
  formatInZone,
  isCalendarDate,
  isTimeOfDay,
} from '../../../../shared/domain/time';
import { fieldError, useCommand } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { ClashList } from './ClashList';
import { minutesBetween } from './clinic-time';
import type { ScheduleLists } from './layout';

export function MoveForm({
  appointment,
  lists,
  onMoved,
}: {
  appointment: ScheduledAppointment;
  lists: ScheduleLists;
  onMoved: (message: string) => void;
}) {
  const { t } = useTranslation('schedule');
  const { timeZone } = useClinic();
  const move = useCommand('appointments.move');
  const [day, setDay] = useState(clinicDayOf(appointment.start, timeZone));
  const [time, setTime] = useState(formatInZone(appointment.start, timeZone, 'HH:mm'));
  const [duration, setDuration] = useState(
    String(minutesBetween(appointment.start, appointment.end)),
  );
  const [providerId, setProviderId] = useState(appointment.providerId);
  const [operatoryId, setOperatoryId] = useState(appointment.operatoryId);
  const [localError, setLocalError] = useState<{ time?: string; duration?: string }>({});
  const [clashes, setClashes] = useState<readonly BookingClash[] | null>(null);
  const [done, setDone] = useState('');

  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    setClashes(null);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const minutes = Number(duration);
    const found: { time?: string; duration?: string } = {};
    if (!isCalendarDate(day) || !isTimeOfDay(time)) found.time = t('book.badTime');
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 720) {
      found.duration = t('book.badDuration');
    }
    setLocalError(found);
    setDone('');
    if (found.time || found.duration) return;
    const start = clinicLocalToInstant(day, time, timeZone);
    const outcome = await move.run({
      appointmentId: appointment.id,
      providerId,
      operatoryId,
      start,
      end: addMinutesToInstant(start, minutes),
      ...(clashes ? { allowDoubleBooking: true } : {}),
    });
    if (!outcome) return;
    if (outcome.status === 'needs_confirmation') {
      setClashes(outcome.clashes);
      return;
    }
    setClashes(null);
    setDone(t('appointment.moved'));
    onMoved(t('appointment.moved'));
  };

  const providers = lists.providers.filter((p) => p.active || p.id === providerId);
  const chairs = lists.operatories.filter((o) => o.active || o.id === operatoryId);
  const error = move.error;
  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="move-heading">
      <h3 id="move-heading">{t('appointment.moveHeading')}</h3>
      <div className="form-grid">
        <Field
          label={t('field.day')}
          error={localError.time ?? fieldError(error, 'start') ?? fieldError(error, 'end')}
        >
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
        <Field label={t('field.duration')} error={localError.duration}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={5}
              max={720}
              step={5}
              inputMode="numeric"
              value={duration}
              onChange={(event) => edited(setDuration)(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('field.operatory')} error={fieldError(error, 'operatoryId')}>
          {(props) => (
            <select
              {...props}
              value={operatoryId}
              onChange={(event) => edited(setOperatoryId)(event.target.value)}
            >
              {chairs.map((chair) => (
                <option key={chair.id} value={chair.id}>
                  {chair.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('field.provider')} error={fieldError(error, 'providerId')}>
          {(props) => (
            <select
              {...props}
              value={providerId}
              onChange={(event) => edited(setProviderId)(event.target.value)}
            >
              {providers.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={error} />
      {clashes && (
        <div className="warning" role="alert">
          <p>{t('clash.intro')}</p>
          <ClashList day={day} clashes={clashes} />
          <p>{t('clash.moveQuestion')}</p>
        </div>
      )}
      <p role="status" className="saved">
        {done}
      </p>
      <div className="actions start">
        {/* One submit button at a time, so "Move" never stands beside "Move anyway". */}
        <button type="submit" disabled={move.pending} className={clashes ? 'danger' : ''}>
          {move.pending
            ? t('appointment.moving')
            : clashes
              ? t('appointment.moveAnyway')
              : t('appointment.move')}
        </button>
      </div>
    </form>
  );
}
