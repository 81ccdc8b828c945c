// The keyboard way to do what dragging does: a new day, start, length, chair or provider for an
// appointment. A clash is listed and moved only on "Move anyway".
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScheduledAppointment } from '../../../../shared/api/views';
import { clinicDayOf, formatInZone } from '../../../../shared/domain/time';
import { useCommand } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { minutesBetween } from './clinic-time';
import type { ScheduleLists } from './layout';
import {
  ClashWarning,
  DayAndStartFields,
  DurationField,
  ResourceField,
  SlotSubmit,
  useSlot,
} from './SlotFields';

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
  const slot = useSlot({
    day: clinicDayOf(appointment.start, timeZone),
    time: formatInZone(appointment.start, timeZone, 'HH:mm'),
    duration: String(minutesBetween(appointment.start, appointment.end)),
    providerId: appointment.providerId,
    operatoryId: appointment.operatoryId,
  });
  const [done, setDone] = useState('');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const range = slot.check();
    setDone('');
    if (!range) return;
    const outcome = await move.run({
      appointmentId: appointment.id,
      providerId: slot.values.providerId,
      operatoryId: slot.values.operatoryId,
      ...range,
      ...(slot.clashes ? { allowDoubleBooking: true } : {}),
    });
    if (!outcome) return;
    if (outcome.status === 'needs_confirmation') {
      slot.setClashes(outcome.clashes);
      return;
    }
    slot.setClashes(null);
    setDone(t('appointment.moved'));
    onMoved(t('appointment.moved'));
  };

  const error = move.error;
  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="move-heading">
      <h3 id="move-heading">{t('appointment.moveHeading')}</h3>
      <div className="form-grid">
        <DayAndStartFields slot={slot} apiError={error} />
        <DurationField slot={slot} />
        <ResourceField slot={slot} kind="operatory" lists={lists} apiError={error} />
        <ResourceField slot={slot} kind="provider" lists={lists} apiError={error} />
      </div>
      <ErrorMessage error={error} />
      <ClashWarning slot={slot} question={t('clash.moveQuestion')} />
      <p role="status" className="saved">
        {done}
      </p>
      <div className="actions start">
        <SlotSubmit
          slot={slot}
          pending={move.pending}
          labels={{
            pending: t('appointment.moving'),
            anyway: t('appointment.moveAnyway'),
            idle: t('appointment.move'),
          }}
        />
      </div>
    </form>
  );
}
