// The local file is damaged or from a newer app: nothing was touched, and a person decides.
import { useTranslation } from 'react-i18next';
import type { DatabaseStatus } from '../../../shared/api/views';
import { useCommand } from '../api/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime } from '../i18n/format';
import { useClinic } from '../app/session';

export function DatabaseProblem({
  status,
}: {
  status: Extract<DatabaseStatus, { state: 'problem' }>;
}) {
  const { t } = useTranslation();
  const { timeZone, locale } = useClinic();
  const restore = useCommand('backups.restore');
  const setAside = useCommand('database.setAside');
  return (
    <main className="centered">
      <section className="card" aria-labelledby="database-problem">
        <h1 id="database-problem">{t(`database.${status.problem}`)}</h1>
        <p>{t('database.untouched')}</p>
        {status.backups.length === 0 ? (
          <p>{t('database.noBackups')}</p>
        ) : (
          <ul className="choices">
            {status.backups.slice(0, 5).map((backup) => (
              <li key={backup.id}>
                <button
                  type="button"
                  disabled={restore.pending}
                  onClick={() => void restore.run({ backupId: backup.id })}
                >
                  {t('database.restore', {
                    when: formatDateTime(backup.createdAt, timeZone, locale),
                  })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <button
          type="button"
          className="secondary"
          disabled={setAside.pending}
          onClick={() => void setAside.run({})}
        >
          {t('database.setAside')}
        </button>
        <ErrorMessage error={restore.error ?? setAside.error} />
      </section>
    </main>
  );
}
