// The patient's chart: alerts first, the tooth chart (FDI or Universal, the workstation's
// setting) with planned, completed, existing and referred procedures by tooth and surface, a
// table of every procedure as the text alternative, recording procedures, and clinical notes.
// The record is live: a change made here or on another workstation redraws it.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcedureStatus } from '../../../../shared/domain/enums';
import { displayName } from '../../../../shared/domain/rules/people';
import {
  formatTooth,
  isPrimary,
  isToothId,
  toothQuadrant,
  toothType,
  type ToothId,
} from '../../../../shared/domain/rules/teeth';
import type { Procedure } from '../../../../shared/domain/schemas/index';
import { clinicToday } from '../../../../shared/domain/time';
import { useCommand, useQuery, useSubscription } from '../../api/hooks';
import { useClinic, useSettings } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ageOn, formatCalendarDate, formatMoney } from '../../i18n/format';
import { proceduresByTooth, sortProcedures } from './chart-layout';
import { NotesPanel } from './NotesPanel';
import { RecordProcedureDialog } from './RecordProcedureDialog';
import { ToothChart } from './ToothChart';
import { ownProviderId } from './own-provider';
import './dentist.css';

const STATUSES: readonly ProcedureStatus[] = ['planned', 'completed', 'existing', 'referred'];
const CLINICAL_ROLES = new Set(['dentist', 'hygienist']);
/** Rows shown before "show all": the newest, which are what a visit is about. */
const FIRST_ROWS = 15;

export default function ChartScreen({ patientId }: { patientId: string }) {
  const { t } = useTranslation('dentist');
  const { timeZone, locale, currency, user } = useClinic();
  const { settings } = useSettings();
  const notation = settings.toothNotation;
  const record = useSubscription('live.patient', { patientId });
  const lists = useQuery('lists.get', {});
  const setProcedureStatus = useCommand('procedures.setStatus');
  const [selected, setSelected] = useState<ToothId | null>(null);
  const [primaryChoice, setPrimaryChoice] = useState<boolean | null>(null);
  const [recording, setRecording] = useState(false);
  const [statusFilter, setStatusFilter] = useState<ProcedureStatus | ''>('');
  const [onlySelected, setOnlySelected] = useState(false);
  const [allRows, setAllRows] = useState(false);
  const today = clinicToday(timeZone);

  const data = record.data;
  const procedures = useMemo(() => sortProcedures(data?.procedures ?? []), [data]);
  const byTooth = useMemo(() => proceduresByTooth(procedures), [procedures]);
  const describe = (procedure: Procedure) => {
    const entry = lists.data?.procedureList.find((item) => item.code === procedure.cdtCode);
    return [
      t(`procedureStatus.${procedure.status}`),
      procedure.cdtCode,
      entry?.description,
      procedure.surfaces,
    ]
      .filter(Boolean)
      .join(' ');
  };

  if (!data) {
    if (record.error) {
      return (
        <section className="chart">
          <h1>{t('chart.notFound')}</h1>
          <ErrorMessage error={record.error} />
        </section>
      );
    }
    return <p aria-busy="true">{t('chart.loadingPatient')}</p>;
  }

  const { patient } = data;
  const name = displayName(patient);
  // Children and anyone with primary teeth charted see the primary teeth unless they hide them.
  const hasPrimary = procedures.some(
    (procedure) => isToothId(procedure.tooth) && isPrimary(procedure.tooth),
  );
  const showPrimary = primaryChoice ?? (hasPrimary || ageOn(patient.birthDate, today) < 12);
  const providerName = (id: string) =>
    lists.data?.providers.find((provider) => provider.id === id)?.name ?? '';
  const clinical = user ? CLINICAL_ROLES.has(user.role) : false;
  const toothLabel = (tooth: ToothId) => formatTooth(tooth, notation);
  const kindOf = (tooth: ToothId) =>
    [
      t(`kind.${toothQuadrant(tooth)}`),
      isPrimary(tooth) ? t('kind.primary') : '',
      t(`kind.${toothType(tooth)}`),
    ]
      .filter(Boolean)
      .join(' ');

  const rows = procedures.filter(
    (procedure) =>
      (statusFilter === '' || procedure.status === statusFilter) &&
      (!onlySelected || selected === null || procedure.tooth === selected),
  );

  return (
    <section aria-labelledby="chart-title" className="chart">
      <header className="chart-header">
        <h1 id="chart-title">{name}</h1>
        <p className="muted">
          {t('chart.born', { date: formatCalendarDate(patient.birthDate, locale) })} ·{' '}
          {t('chart.age', { age: ageOn(patient.birthDate, today) })}
        </p>
      </header>
      {(patient.allergies.length > 0 || patient.medicalAlerts.length > 0) && (
        <div className="alert-banner" role="region" aria-label={t('day.alert')}>
          {patient.allergies.length > 0 && (
            <p>⚠ {t('chart.allergies', { list: patient.allergies.join(', ') })}</p>
          )}
          {patient.medicalAlerts.length > 0 && (
            <p>⚠ {t('chart.medicalAlerts', { list: patient.medicalAlerts.join(', ') })}</p>
          )}
        </div>
      )}
      <ErrorMessage error={lists.error ?? record.error} />

      <section aria-labelledby="tooth-chart-title" className="card chart-card">
        <div className="chart-toolbar">
          <h2 id="tooth-chart-title">{t('chart.toothChart')}</h2>
          <span className="muted">{t('chart.notation', { name: t(`chart.${notation}`) })}</span>
          <label className="inline">
            <input
              type="checkbox"
              checked={showPrimary}
              onChange={(event) => setPrimaryChoice(event.target.checked)}
            />
            {t('chart.showPrimary')}
          </label>
        </div>
        <ToothChart
          procedures={byTooth}
          notation={notation}
          showPrimary={showPrimary}
          selected={selected}
          onSelect={(tooth) => setSelected((current) => (current === tooth ? null : tooth))}
          describe={describe}
        />
        <div className="chart-selection" aria-live="polite">
          <p>
            {selected
              ? t('chart.selected', { number: toothLabel(selected), kind: kindOf(selected) })
              : t('chart.noneSelected')}
          </p>
          <div className="actions start">
            <button type="button" onClick={() => setRecording(true)}>
              {t('chart.recordProcedure')}
            </button>
            {selected && (
              <button type="button" className="secondary" onClick={() => setSelected(null)}>
                {t('chart.clearSelection')}
              </button>
            )}
          </div>
        </div>
      </section>

      {recording && (
        <RecordProcedureDialog
          open
          onClose={() => setRecording(false)}
          onSaved={() => setRecording(false)}
          patientId={patientId}
          tooth={selected}
          notation={notation}
          showPrimary={showPrimary}
          procedureList={lists.data?.procedureList ?? []}
          providers={(lists.data?.providers ?? []).filter((provider) => provider.active)}
          defaultProviderId={ownProviderId(user, lists.data)}
          today={today}
          currency={currency}
          locale={locale}
        />
      )}

      <section aria-labelledby="procedures-title" className="card">
        <h2 id="procedures-title">{t('chart.procedures')}</h2>
        <div className="actions start filters">
          {/* A label beside the select, not around it, so its name is not the options' words. */}
          <label className="inline" htmlFor="procedure-status-filter">
            {t('chart.filterStatus')}
          </label>
          <select
            id="procedure-status-filter"
            value={statusFilter}
            onChange={(event) => setStatusFilter(event.target.value as ProcedureStatus | '')}
          >
            <option value="">{t('chart.allStatuses')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`procedureStatus.${status}`)}
              </option>
            ))}
          </select>
          {selected && (
            <label className="inline">
              <input
                type="checkbox"
                checked={onlySelected}
                onChange={(event) => setOnlySelected(event.target.checked)}
              />
              {t('chart.onlySelectedTooth', { number: toothLabel(selected) })}
            </label>
          )}
        </div>
        <ErrorMessage error={setProcedureStatus.error} />
        {rows.length === 0 ? (
          <p className="empty">{t('chart.noRows')}</p>
        ) : (
          <table className="table procedures-table">
            <thead>
              <tr>
                <th scope="col">{t('chart.code')}</th>
                <th scope="col">{t('chart.description')}</th>
                <th scope="col">{t('chart.toothColumn')}</th>
                <th scope="col">{t('chart.surfaces')}</th>
                <th scope="col">{t('chart.status')}</th>
                <th scope="col">{t('chart.date')}</th>
                <th scope="col">{t('chart.provider')}</th>
                <th scope="col" className="numeric">
                  {t('chart.fee')}
                </th>
                {clinical && <th scope="col">{t('chart.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {(allRows ? rows : rows.slice(0, FIRST_ROWS)).map((procedure) => (
                <tr key={procedure.id} data-testid="procedure-row">
                  <th scope="row">{procedure.cdtCode}</th>
                  <td>
                    {lists.data?.procedureList.find((entry) => entry.code === procedure.cdtCode)
                      ?.description ?? ''}
                  </td>
                  <td>
                    {isToothId(procedure.tooth)
                      ? toothLabel(procedure.tooth)
                      : t('chart.wholeMouth')}
                  </td>
                  <td>{procedure.surfaces}</td>
                  <td>
                    <span className={`badge procedure-status procedure-status-${procedure.status}`}>
                      {t(`procedureStatus.${procedure.status}`)}
                    </span>
                  </td>
                  <td>{formatCalendarDate(procedure.date, locale)}</td>
                  <td>{providerName(procedure.providerId)}</td>
                  <td className="numeric">
                    {formatMoney(procedure.feeCents, procedure.currency, locale)}
                  </td>
                  {clinical && (
                    <td>
                      {(procedure.status === 'planned' || procedure.status === 'referred') && (
                        <button
                          type="button"
                          className="secondary"
                          disabled={setProcedureStatus.pending}
                          onClick={() =>
                            void setProcedureStatus.run({
                              procedureId: procedure.id,
                              status: 'completed',
                            })
                          }
                        >
                          {t('chart.markCompleted')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!allRows && rows.length > FIRST_ROWS && (
          <button type="button" className="link-button" onClick={() => setAllRows(true)}>
            {t('chart.showAllProcedures', { count: rows.length })}
          </button>
        )}
      </section>

      <NotesPanel
        patientId={patientId}
        notes={data.notes}
        lists={lists.data}
        timeZone={timeZone}
        locale={locale}
      />
    </section>
  );
}
