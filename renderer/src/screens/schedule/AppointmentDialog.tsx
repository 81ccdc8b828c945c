// One appointment: its details, the confirmation call, the next steps of the visit the lifecycle
// allows (cancelling asks for an optional reason first), the patient's record, and the Move form
// as the keyboard alternative to dragging.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ScheduledAppointment } from '../../../../shared/api/views';
import type { AppointmentStatus, ConfirmationStatus } from '../../../../shared/domain/enums';
import {
  allowedTransitions,
  isTerminalStatus,
} from '../../../../shared/domain/rules/appointment-status';
import { clinicDayOf } from '../../../../shared/domain/time';
import { useCommand } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { formatCalendarDate, formatTime } from '../../i18n/format';
import { ClashList } from './ClashList';
import { showsClash, transitionKey, type ScheduleLists } from './layout';
import { MoveForm } from './MoveForm';
import { timeRange } from './words';

const CONFIRMATIONS: readonly ConfirmationStatus[] = ['left_message', 'confirmed'];

export function AppointmentDialog({
  appointment,
  lists,
  onClose,
  onChanged,
}: {
  appointment: ScheduledAppointment;
  lists: ScheduleLists;
  onClose: () => void;
  onChanged: (message: string) => void;
}) {
  const { t } = useTranslation('schedule');
  const { timeZone, locale } = useClinic();
  const setStatus = useCommand('appointments.setStatus');
  const setConfirmation = useCommand('appointments.setConfirmation');
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState('');

  const provider = lists.providers.find((item) => item.id === appointment.providerId);
  const chair = lists.operatories.find((item) => item.id === appointment.operatoryId);
  const type = lists.appointmentTypes.find((item) => item.id === appointment.typeId);
  const day = clinicDayOf(appointment.start, timeZone);
  const name = appointment.patientName || t('unknownPatient');
  const next = allowedTransitions(appointment.status);
  const busy = setStatus.pending || setConfirmation.pending;

  const changeStatus = async (status: AppointmentStatus, withReason?: string) => {
    setSaved('');
    const done = await setStatus.run({
      appointmentId: appointment.id,
      status,
      ...(withReason ? { reason: withReason } : {}),
    });
    if (done) {
      setCancelling(false);
      setSaved(t('appointment.changed'));
      onChanged(t('appointment.changed'));
    }
  };

  const changeConfirmation = async (confirmation: ConfirmationStatus) => {
    setSaved('');
    const done = await setConfirmation.run({ appointmentId: appointment.id, confirmation });
    if (done) {
      setSaved(t('appointment.changed'));
      onChanged(t('appointment.changed'));
    }
  };

  return (
    <Dialog open onClose={onClose} title={name} wide>
      <div className="appointment-badges">
        <span className={`badge status-badge status-${appointment.status}`}>
          {t(`status.${appointment.status}`)}
        </span>
        {showsClash(appointment) && <span className="badge badge-danger">{t('doubleBooked')}</span>}
        {appointment.patientHasAlerts && <span className="badge badge-danger">⚠ {t('alert')}</span>}
      </div>
      <dl className="details">
        <dt>{t('details.when')}</dt>
        <dd>
          {formatCalendarDate(day, locale, 'full')},{' '}
          {timeRange(appointment.start, appointment.end, timeZone, locale)}
        </dd>
        <dt>{t('details.type')}</dt>
        <dd>{type?.name ?? t('unknownType')}</dd>
        <dt>{t('details.provider')}</dt>
        <dd>{provider?.name ?? '—'}</dd>
        <dt>{t('details.operatory')}</dt>
        <dd>{chair?.name ?? '—'}</dd>
        <dt>{t('details.confirmation')}</dt>
        <dd>{t(`confirmation.${appointment.confirmation}`)}</dd>
        {appointment.arrivedAt && (
          <>
            <dt>{t('details.arrivedAt')}</dt>
            <dd>{formatTime(appointment.arrivedAt, timeZone, locale)}</dd>
          </>
        )}
        {appointment.seatedAt && (
          <>
            <dt>{t('details.seatedAt')}</dt>
            <dd>{formatTime(appointment.seatedAt, timeZone, locale)}</dd>
          </>
        )}
        {appointment.dismissedAt && (
          <>
            <dt>{t('details.dismissedAt')}</dt>
            <dd>{formatTime(appointment.dismissedAt, timeZone, locale)}</dd>
          </>
        )}
        {appointment.notes && (
          <>
            <dt>{t('details.notes')}</dt>
            <dd className="pre-line">{appointment.notes}</dd>
          </>
        )}
        {appointment.cancelledReason && (
          <>
            <dt>{t('details.cancelledReason')}</dt>
            <dd>{appointment.cancelledReason}</dd>
          </>
        )}
      </dl>
      {showsClash(appointment) && appointment.clashesWith.length > 0 && (
        <div className="warning">
          <p>{t('details.clashes')}</p>
          <ClashList day={day} of={appointment} />
        </div>
      )}
      <p>
        <Link href={`/patients/${appointment.patientId}`}>{t('details.openPatient')}</Link>
      </p>

      {!isTerminalStatus(appointment.status) && appointment.status === 'scheduled' && (
        <section aria-labelledby="confirmation-heading" className="dialog-section">
          <h3 id="confirmation-heading">{t('appointment.confirmationHeading')}</h3>
          <div className="actions start">
            {CONFIRMATIONS.map((confirmation) => (
              <button
                key={confirmation}
                type="button"
                className="secondary"
                aria-pressed={appointment.confirmation === confirmation}
                disabled={busy}
                onClick={() => void changeConfirmation(confirmation)}
              >
                {t(`confirmation.${confirmation}`)}
              </button>
            ))}
          </div>
        </section>
      )}

      <section aria-labelledby="status-heading" className="dialog-section">
        <h3 id="status-heading">{t('appointment.statusHeading')}</h3>
        {next.length === 0 ? (
          <p className="empty">{t('appointment.noNextStatus')}</p>
        ) : (
          <div className="actions start">
            {next.map((status) => (
              <button
                key={status}
                type="button"
                className={
                  status === 'cancelled' || status === 'no_show' ? 'secondary danger-outline' : ''
                }
                disabled={busy || cancelling}
                onClick={() =>
                  status === 'cancelled' ? setCancelling(true) : void changeStatus(status)
                }
              >
                {t(transitionKey(appointment.status, status))}
              </button>
            ))}
          </div>
        )}
        {cancelling && (
          <div className="cancel-box" role="group" aria-labelledby="cancel-heading">
            <p id="cancel-heading">
              <strong>{t('appointment.cancelHeading')}</strong>
            </p>
            <Field label={t('field.reason')}>
              {(props) => (
                <input
                  {...props}
                  type="text"
                  maxLength={500}
                  autoFocus
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                />
              )}
            </Field>
            <div className="actions start">
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => void changeStatus('cancelled', reason.trim())}
              >
                {t('appointment.confirmCancel')}
              </button>
              <button type="button" className="secondary" onClick={() => setCancelling(false)}>
                {t('appointment.keep')}
              </button>
            </div>
          </div>
        )}
        <ErrorMessage error={setStatus.error ?? setConfirmation.error} />
        <p role="status" className="saved">
          {saved}
        </p>
      </section>

      <section className="dialog-section">
        {isTerminalStatus(appointment.status) ? (
          <p className="empty">{t('appointment.cannotMove')}</p>
        ) : (
          <MoveForm appointment={appointment} lists={lists} onMoved={onChanged} />
        )}
      </section>
    </Dialog>
  );
}
