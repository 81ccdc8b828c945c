// One patient's record, live (another workstation's change shows at once): who they are, what
// to watch out for, their appointments, procedures, notes and account.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Appointment, ClinicalNote, Procedure } from '../../../../shared/api/contract';
import type { Lists, PatientRecord } from '../../../../shared/api/views';
import { displayName } from '../../../../shared/domain/rules/people';
import { formatTooth, isToothId, type ToothNotation } from '../../../../shared/domain/rules/teeth';
import { clinicDayOf, clinicToday } from '../../../../shared/domain/time';
import { useQuery, useSubscription } from '../../api/hooks';
import { useClinic, useSettings } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ageOn, formatCalendarDate, formatDateTime } from '../../i18n/format';
import { LedgerSection } from './LedgerSection';

/** Rows shown before "Show all": enough for a glance, short enough to reach the ledger. */
const FIRST_ROWS = 5;
const EXCERPT_LENGTH = 140;

export function PatientRecordScreen({ patientId }: { patientId: string }) {
  const { t } = useTranslation('patients');
  const live = useSubscription('live.patient', { patientId });
  const lists = useQuery('lists.get', {});
  const record = live.data?.patient.id === patientId ? live.data : undefined;

  if (!record) {
    return (
      <section aria-labelledby="record-title">
        <p>
          <Link href="/">{t('record.back')}</Link>
        </p>
        {live.error ? (
          <>
            <h1 id="record-title">{t('title')}</h1>
            <ErrorMessage error={live.error} />
          </>
        ) : (
          <p aria-busy="true">{t('record.loading')}</p>
        )}
      </section>
    );
  }
  return <RecordView record={record} lists={lists.data} />;
}

function RecordView({ record, lists }: { record: PatientRecord; lists: Lists | undefined }) {
  const { t } = useTranslation('patients');
  const { locale, timeZone } = useClinic();
  const { patient } = record;
  const name = displayName(patient);
  const age = ageOn(patient.birthDate, clinicToday(timeZone));
  const address = patient.address
    ? [
        patient.address.line1,
        patient.address.line2,
        [patient.address.postalCode, patient.address.city].filter(Boolean).join(' '),
        patient.address.region,
        patient.address.country,
      ]
        .filter((part) => part && part.trim())
        .join(', ')
    : '';

  return (
    <article className="patient-record" aria-labelledby="record-title">
      <p className="record-back">
        <Link href="/">{t('record.back')}</Link>
      </p>
      <header className="record-header">
        <div>
          <h1 id="record-title">{name}</h1>
          <p className="record-subtitle">
            {patient.preferredName?.trim() && (
              <span>
                {patient.firstName} {patient.lastName} ·{' '}
              </span>
            )}
            <span>{t('record.age', { count: age })}</span> ·{' '}
            <span>{t('record.born', { date: formatCalendarDate(patient.birthDate, locale) })}</span>{' '}
            ·{' '}
            <span className={`badge status-${patient.status}`}>
              {t(`patientStatus.${patient.status}`)}
            </span>
          </p>
        </div>
        <div className="record-actions">
          <Link href={`/${patient.id}/edit`} className="button secondary">
            {t('record.edit')}
          </Link>
          <Link href={`~/chart/${patient.id}`} className="button secondary">
            {t('record.openChart')}
          </Link>
          <Link href="~/schedule" className="button secondary">
            {t('record.book')}
          </Link>
        </div>
      </header>

      {(patient.allergies.length > 0 || patient.medicalAlerts.length > 0) && (
        <section className="alert-banner record-alerts" aria-labelledby="alerts-title">
          <h2 id="alerts-title">
            <span aria-hidden="true">⚠ </span>
            {t('record.alerts')}
          </h2>
          {patient.allergies.length > 0 && (
            <p>
              <strong>{t('record.allergies')}:</strong> {patient.allergies.join(', ')}
            </p>
          )}
          {patient.medicalAlerts.length > 0 && (
            <p>
              <strong>{t('record.medicalAlerts')}:</strong> {patient.medicalAlerts.join(', ')}
            </p>
          )}
        </section>
      )}

      <div className="record-columns">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">{t('record.contact')}</h2>
          <dl className="details">
            <dt>{t('record.phones')}</dt>
            <dd>
              {patient.phones.length === 0 ? (
                t('none')
              ) : (
                <ul className="plain-list">
                  {patient.phones.map((phone, index) => (
                    <li key={index}>
                      {phone.number}{' '}
                      <span className="muted-text">({t(`phoneKind.${phone.kind}`)})</span>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('record.email')}</dt>
            <dd>{patient.email ?? t('none')}</dd>
            <dt>{t('record.address')}</dt>
            <dd>{address || t('none')}</dd>
            {record.guarantor && (
              <>
                <dt>{t('record.accountHolder')}</dt>
                <dd>
                  <Link href={`/${record.guarantor.id}`}>{displayName(record.guarantor)}</Link>
                </dd>
              </>
            )}
          </dl>
        </section>
        <LedgerSection record={record} />
      </div>

      <AppointmentsSection
        id="upcoming"
        title={t('record.upcoming')}
        empty={t('record.noUpcoming')}
        appointments={record.upcomingAppointments}
        lists={lists}
      />
      <AppointmentsSection
        id="past"
        title={t('record.past')}
        empty={t('record.noPast')}
        appointments={record.pastAppointments}
        lists={lists}
      />
      <ProceduresSection procedures={record.procedures} lists={lists} />
      <NotesSection notes={record.notes} />
    </article>
  );
}

/** A section with an h2 and a table of its first rows, the rest one button away. */
function TableSection<T>({
  id,
  title,
  empty,
  rows,
  head,
  row,
}: {
  id: string;
  title: string;
  empty: string;
  rows: readonly T[];
  head: ReactNode;
  row: (item: T) => ReactNode;
}) {
  const { t } = useTranslation('patients');
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {title} <span className="count">({rows.length})</span>
      </h2>
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <>
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>{head}</thead>
            <tbody>{shown.map(row)}</tbody>
          </table>
          {rows.length > FIRST_ROWS && (
            <button
              type="button"
              className="link-button"
              aria-expanded={all}
              onClick={() => setAll((value) => !value)}
            >
              {all ? t('record.showFewer') : t('record.showAll', { count: rows.length })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function AppointmentsSection({
  id,
  title,
  empty,
  appointments,
  lists,
}: {
  id: string;
  title: string;
  empty: string;
  appointments: readonly Appointment[];
  lists: Lists | undefined;
}) {
  const { t } = useTranslation('patients');
  const { locale, timeZone } = useClinic();
  const typeName = (typeId: string) =>
    lists?.appointmentTypes.find((type) => type.id === typeId)?.name ?? t('none');
  const providerName = (providerId: string) =>
    lists?.providers.find((provider) => provider.id === providerId)?.name ?? t('none');
  return (
    <TableSection
      id={id}
      title={title}
      empty={empty}
      rows={appointments}
      head={
        <tr>
          <th scope="col">{t('record.when')}</th>
          <th scope="col">{t('record.type')}</th>
          <th scope="col">{t('record.provider')}</th>
          <th scope="col">{t('record.appointmentStatus')}</th>
        </tr>
      }
      row={(appointment) => (
        <tr key={appointment.id}>
          <th scope="row">{formatDateTime(appointment.start, timeZone, locale)}</th>
          <td>{typeName(appointment.typeId)}</td>
          <td>{providerName(appointment.providerId)}</td>
          <td>
            <span className={`badge appt-${appointment.status}`}>
              {t(`appointmentStatus.${appointment.status}`)}
            </span>
          </td>
        </tr>
      )}
    />
  );
}

function toothText(tooth: string | null, notation: ToothNotation): string {
  if (tooth === null || !isToothId(tooth)) return '';
  return formatTooth(tooth, notation);
}

function ProceduresSection({
  procedures,
  lists,
}: {
  procedures: readonly Procedure[];
  lists: Lists | undefined;
}) {
  const { t } = useTranslation('patients');
  const { locale } = useClinic();
  const { settings } = useSettings();
  const describe = (code: string) =>
    lists?.procedureList.find((entry) => entry.code === code)?.description ?? '';
  return (
    <TableSection
      id="procedures"
      title={t('record.procedures')}
      empty={t('record.noProcedures')}
      rows={procedures}
      head={
        <tr>
          <th scope="col">{t('record.date')}</th>
          <th scope="col">{t('record.code')}</th>
          <th scope="col">{t('record.description')}</th>
          <th scope="col">{t('record.tooth')}</th>
          <th scope="col">{t('record.surfaces')}</th>
          <th scope="col">{t('record.procedureStatus')}</th>
        </tr>
      }
      row={(procedure) => (
        <tr key={procedure.id}>
          <th scope="row">{formatCalendarDate(procedure.date, locale)}</th>
          <td>{procedure.cdtCode}</td>
          <td>{describe(procedure.cdtCode)}</td>
          <td>{toothText(procedure.tooth, settings.toothNotation) || t('none')}</td>
          <td>{procedure.surfaces || t('none')}</td>
          <td>
            <span className={`badge proc-${procedure.status}`}>
              {t(`procedureStatus.${procedure.status}`)}
            </span>
          </td>
        </tr>
      )}
    />
  );
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_LENGTH ? flat : `${flat.slice(0, EXCERPT_LENGTH).trimEnd()}…`;
}

function NotesSection({ notes }: { notes: readonly ClinicalNote[] }) {
  const { t } = useTranslation('patients');
  const { locale, timeZone } = useClinic();
  const kind = (note: ClinicalNote) =>
    note.amendsNoteId
      ? t('record.noteAmendment')
      : note.status === 'signed'
        ? t('record.noteSigned')
        : t('record.noteDraft');
  return (
    <TableSection
      id="notes"
      title={t('record.notes')}
      empty={t('record.noNotes')}
      rows={notes}
      head={
        <tr>
          <th scope="col">{t('record.date')}</th>
          <th scope="col">{t('record.noteKind')}</th>
          <th scope="col">{t('record.excerpt')}</th>
        </tr>
      }
      row={(note) => (
        <tr key={note.id}>
          <th scope="row">
            {formatCalendarDate(clinicDayOf(note.signedAt ?? note.createdAt, timeZone), locale)}
          </th>
          <td>
            <span className={note.status === 'signed' ? 'badge' : 'badge badge-draft'}>
              {kind(note)}
            </span>
          </td>
          <td>{excerpt(note.body)}</td>
        </tr>
      )}
    />
  );
}
