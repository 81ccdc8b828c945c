// The dentist's day: one provider's patients on one clinic day, in time order, with where each
// is in the visit and the next step one click away. Re-queried after each step and whenever the
// day changes on any workstation (live.daySchedule), so the front desk's check-ins show up here.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { AppointmentStatus } from '../../../../shared/domain/enums';
import { allowedTransitions } from '../../../../shared/domain/rules/appointment-status';
import { clinicToday, isCalendarDate } from '../../../../shared/domain/time';
import type { DentistDayEntry } from '../../../../shared/api/views';
import { useCommand, useQuery, useSubscription } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { formatCalendarDate, formatTime } from '../../i18n/format';
import { ownProviderId } from './own-provider';
import './dentist.css';

/** The one-click steps of the day, forward steps first; cancelling stays with the front desk. */
const STEPS: readonly { from: AppointmentStatus; to: AppointmentStatus; label: string }[] = [
  { from: 'scheduled', to: 'checked_in', label: 'step.checkIn' },
  { from: 'scheduled', to: 'in_progress', label: 'step.seat' },
  { from: 'checked_in', to: 'in_progress', label: 'step.seat' },
  { from: 'checked_in', to: 'completed', label: 'step.complete' },
  { from: 'in_progress', to: 'completed', label: 'step.complete' },
  { from: 'checked_in', to: 'scheduled', label: 'step.undoCheckIn' },
  { from: 'in_progress', to: 'checked_in', label: 'step.backToWaiting' },
];

function stepsFor(status: AppointmentStatus) {
  // The state machine has the last word: a step it does not allow is never offered.
  return STEPS.filter(
    (step) => step.from === status && allowedTransitions(status).includes(step.to),
  );
}

function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export default function DentistDayScreen() {
  const { t } = useTranslation('dentist');
  const { timeZone, locale, user } = useClinic();
  const today = clinicToday(timeZone);
  const [day, setDay] = useState(today);
  const [dayText, setDayText] = useState(today);
  const lists = useQuery('lists.get', {});
  const providers = useMemo(
    () => (lists.data?.providers ?? []).filter((provider) => provider.active),
    [lists.data],
  );
  const [chosenProvider, setChosenProvider] = useState<string | null>(null);
  const providerId = chosenProvider ?? ownProviderId(user, lists.data) ?? providers[0]?.id ?? null;
  const provider = providers.find((candidate) => candidate.id === providerId);

  const entries = useQuery(
    'schedule.dentistDay',
    { providerId: providerId ?? '', day },
    { skip: providerId === null },
  );
  const live = useSubscription('live.daySchedule', { day });
  // Every emission after the first means the day changed somewhere: read this provider's part again.
  const seen = useRef<unknown>(undefined);
  const { refresh } = entries;
  useEffect(() => {
    if (live.data === undefined) return;
    if (seen.current !== undefined && seen.current !== live.data) refresh();
    seen.current = live.data;
  }, [live.data, refresh]);

  const setStatus = useCommand('appointments.setStatus');
  const typeName = (typeId: string) =>
    lists.data?.appointmentTypes.find((type) => type.id === typeId)?.name ?? t('day.unknownType');

  const rows: DentistDayEntry[] = useMemo(
    () =>
      [...(entries.data ?? [])].sort((a, b) =>
        a.appointment.start.localeCompare(b.appointment.start),
      ),
    [entries.data],
  );

  const changeDay = (next: string) => {
    setDayText(next);
    if (isCalendarDate(next)) setDay(next);
  };

  return (
    <section aria-labelledby="my-day-title" className="dentist-day">
      <h1 id="my-day-title">{t('day.title')}</h1>
      <div className="card day-controls">
        <Field label={t('day.provider')}>
          {(props) => (
            <select
              {...props}
              value={providerId ?? ''}
              onChange={(event) => setChosenProvider(event.target.value || null)}
            >
              {providerId === null && <option value="">—</option>}
              {providers.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('day.day')}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={dayText}
              onChange={(event) => changeDay(event.target.value)}
            />
          )}
        </Field>
        <div className="actions start day-nav">
          <button type="button" className="secondary" onClick={() => changeDay(shiftDay(day, -1))}>
            {t('day.previousDay')}
          </button>
          <button type="button" className="secondary" onClick={() => changeDay(today)}>
            {t('day.today')}
          </button>
          <button type="button" className="secondary" onClick={() => changeDay(shiftDay(day, 1))}>
            {t('day.nextDay')}
          </button>
        </div>
      </div>

      <ErrorMessage error={lists.error ?? entries.error} />
      <ErrorMessage error={setStatus.error} />

      {providerId === null ? (
        <p className="empty">
          {lists.loading ? t('loading', { ns: 'common' }) : t('day.noProvider')}
        </p>
      ) : entries.loading && !entries.data ? (
        <p aria-busy="true">{t('loading', { ns: 'common' })}</p>
      ) : rows.length === 0 ? (
        <p className="empty">{t('day.noPatients')}</p>
      ) : (
        <table className="table day-table" aria-busy={entries.loading}>
          <caption>
            {t('day.caption', {
              provider: provider?.name ?? '',
              day: formatCalendarDate(day, locale, 'full'),
            })}{' '}
            · {t('day.patients', { count: rows.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('day.time')}</th>
              <th scope="col">{t('day.patient')}</th>
              <th scope="col">{t('day.type')}</th>
              <th scope="col">{t('day.status')}</th>
              <th scope="col">{t('day.alerts')}</th>
              <th scope="col">{t('day.nextStep')}</th>
              <th scope="col">{t('day.chart')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ appointment, status }) => {
              const nameId = `day-patient-${appointment.id}`;
              return (
                <tr key={appointment.id} className={`day-row status-${status}`}>
                  <td className="numeric-time">
                    {formatTime(appointment.start, timeZone, locale)}–
                    {formatTime(appointment.end, timeZone, locale)}
                  </td>
                  <th scope="row" id={nameId} className="day-patient">
                    {appointment.patientName}
                  </th>
                  <td>{typeName(appointment.typeId)}</td>
                  <td>
                    <span className={`badge day-status day-status-${status}`}>
                      {t(`appointmentStatus.${status}`)}
                    </span>
                    {appointment.flags.includes('double_booked') && (
                      <span className="badge badge-danger">{t('day.doubleBooked')}</span>
                    )}
                  </td>
                  <td>
                    {appointment.patientHasAlerts ? (
                      <span className="badge badge-danger">⚠ {t('day.alert')}</span>
                    ) : (
                      <span className="muted">{t('day.noAlert')}</span>
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      {stepsFor(status).map((step, index) => (
                        <button
                          key={step.to}
                          type="button"
                          className={index === 0 ? undefined : 'secondary'}
                          aria-describedby={nameId}
                          disabled={setStatus.pending}
                          onClick={async () => {
                            const done = await setStatus.run({
                              appointmentId: appointment.id,
                              status: step.to,
                            });
                            if (done) refresh();
                          }}
                        >
                          {t(step.label)}
                        </button>
                      ))}
                    </div>
                  </td>
                  <td>
                    <Link href={`/chart/${appointment.patientId}`} aria-describedby={nameId}>
                      {t('day.openChart')}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
