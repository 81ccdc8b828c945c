// Find a patient as you type: name, phone digits or birth date, one query per keystroke (the core
// answers from index range scans). The text survives a visit to a record and back.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import type { PatientSummary } from '../../../../shared/api/views';
import { displayName } from '../../../../shared/domain/rules/people';
import { clinicToday } from '../../../../shared/domain/time';
import { useQuery } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ageOn, formatCalendarDate } from '../../i18n/format';

export const SEARCH_LIMIT = 50;

// Kept for the session only (never stored): coming back from a record shows the same list.
let lastSearch = '';

export function PatientSearch() {
  const { t } = useTranslation('patients');
  const { locale, timeZone } = useClinic();
  const [, navigate] = useLocation();
  const [text, setText] = useState(lastSearch);
  const table = useRef<HTMLTableElement>(null);
  const box = useRef<HTMLInputElement>(null);
  // After the Shell's own move of focus to <main> on navigation (it runs after this effect).
  useEffect(() => {
    const timer = setTimeout(() => box.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);
  const trimmed = text.trim();
  const searchInput = { text: trimmed, limit: SEARCH_LIMIT };
  const searchKey = JSON.stringify(searchInput);
  const search = useQuery('patients.search', searchInput, { skip: trimmed === '' });
  const patients = trimmed === '' ? [] : (search.data?.patients ?? []);
  const today = clinicToday(timeZone);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      const first = table.current?.querySelector<HTMLAnchorElement>('a');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === 'Enter' && patients.length === 1 && patients[0]) {
      event.preventDefault();
      navigate(`/${patients[0].id}`);
    }
  };

  // Up and down arrows walk the result links; Escape goes back to the search box.
  const onTableKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const links = [...(table.current?.querySelectorAll<HTMLAnchorElement>('a') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? index + 1 : index - 1;
      if (next < 0) box.current?.focus();
      else links[Math.min(next, links.length - 1)]?.focus();
    } else if (event.key === 'Escape') {
      box.current?.focus();
    }
  };

  const status = (() => {
    if (trimmed === '') return t('search.startTyping');
    if (search.loading && !search.data) return t('search.searching');
    if (patients.length === 0) return t('search.noMatches');
    return t('search.found', { count: patients.length });
  })();

  return (
    <section className="patients-search" aria-labelledby="patients-title">
      <div className="patients-heading">
        <h1 id="patients-title">{t('title')}</h1>
        <Link href="/new" className="button">
          {t('search.newPatient')}
        </Link>
      </div>
      <div className="field search-field">
        <label htmlFor="patient-search">{t('search.label')}</label>
        <input
          id="patient-search"
          type="search"
          autoComplete="off"
          spellCheck={false}
          ref={box}
          aria-describedby="patient-search-hint"
          aria-controls={patients.length > 0 ? 'patient-results' : undefined}
          value={text}
          onChange={(event) => {
            lastSearch = event.target.value;
            setText(event.target.value);
          }}
          onKeyDown={onKeyDown}
        />
        <p id="patient-search-hint" className="field-hint">
          {t('search.hint')}
        </p>
      </div>
      <ErrorMessage error={search.error} />
      <p
        role="status"
        className={patients.length === 0 ? 'empty' : 'search-count'}
        // Which text the list shows the matches of: the UI benchmark times keystrokes by it.
        data-search-text={
          trimmed !== '' && search.dataKey === searchKey && !search.loading ? trimmed : undefined
        }
      >
        {status}
      </p>
      {search.data?.truncated && trimmed !== '' && (
        <p className="warning">{t('search.typeMore')}</p>
      )}
      {patients.length > 0 && (
        <table
          id="patient-results"
          ref={table}
          className="table patients-table"
          aria-busy={search.loading}
          onKeyDown={onTableKeyDown}
        >
          <caption className="visually-hidden">{t('search.results')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('columns.name')}</th>
              <th scope="col">{t('columns.birthDate')}</th>
              <th scope="col" className="numeric">
                {t('columns.age')}
              </th>
              <th scope="col">{t('columns.phone')}</th>
              <th scope="col">{t('columns.status')}</th>
              <th scope="col">{t('columns.alerts')}</th>
            </tr>
          </thead>
          <tbody>
            {patients.map((patient) => (
              <ResultRow key={patient.id} patient={patient} today={today} locale={locale} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ResultRow({
  patient,
  today,
  locale,
}: {
  patient: PatientSummary;
  today: string;
  locale: string;
}) {
  const { t } = useTranslation('patients');
  return (
    <tr>
      <th scope="row">
        <Link href={`/${patient.id}`}>{displayName(patient)}</Link>
        {patient.preferredName?.trim() && (
          <span className="muted-text"> ({patient.firstName})</span>
        )}
      </th>
      <td>{formatCalendarDate(patient.birthDate, locale)}</td>
      <td className="numeric">{ageOn(patient.birthDate, today)}</td>
      <td>{patient.primaryPhone ?? t('none')}</td>
      <td>
        <span className={`badge status-${patient.status}`}>
          {t(`patientStatus.${patient.status}`)}
        </span>
      </td>
      <td>
        {patient.hasAlerts ? (
          <span className="badge badge-danger">
            <span aria-hidden="true">⚠ </span>
            {t('hasAlerts')}
          </span>
        ) : (
          <span className="muted-text">{t('noAlerts')}</span>
        )}
      </td>
    </tr>
  );
}
