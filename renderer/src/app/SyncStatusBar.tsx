// Always in view: online or offline, how many local changes wait, when the last sync finished.
// A click opens the details (next retry, last problem, clock skew) and "sync now".
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useCommand, useSubscription } from '../api/hooks';
import { Dialog } from '../components/Dialog';
import { formatDateTime, formatTime } from '../i18n/format';
import { useClinic } from './session';

export function SyncStatusBar() {
  const { t } = useTranslation();
  const { timeZone, locale } = useClinic();
  const { data: status } = useSubscription('live.syncStatus', {});
  const syncNow = useCommand('sync.now');
  const [open, setOpen] = useState(false);
  if (!status) return null;
  const lastSynced = status.lastSyncedAt
    ? t('sync.lastSynced', { when: formatTime(status.lastSyncedAt, timeZone, locale) })
    : t('sync.neverSynced');
  return (
    <>
      <button
        type="button"
        className={`sync-status sync-${status.connection}`}
        onClick={() => setOpen(true)}
        aria-label={`${t('sync.details')}: ${t(`sync.${status.connection}`)}`}
        data-testid="sync-status"
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-connection">{t(`sync.${status.connection}`)}</span>
        <span className="sync-pending" data-testid="sync-pending">
          {status.pendingChanges > 0
            ? t('sync.pending', { count: status.pendingChanges })
            : status.lastSyncedAt === null
              ? t('sync.neverSynced')
              : t('sync.allSynced')}
        </span>
        {status.openConflicts > 0 && (
          <span className="sync-conflicts">
            {t('sync.conflicts', { count: status.openConflicts })}
          </span>
        )}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t('sync.details')}>
        <dl className="details">
          <dt>{t(`sync.${status.connection}`)}</dt>
          <dd>
            {status.lastSyncedAt
              ? t('sync.lastSynced', {
                  when: formatDateTime(status.lastSyncedAt, timeZone, locale),
                })
              : lastSynced}
          </dd>
          <dt>{t('sync.pending', { count: status.pendingChanges })}</dt>
          <dd>
            {status.nextRetryInSeconds !== null &&
              t('sync.nextRetry', { seconds: status.nextRetryInSeconds })}
          </dd>
        </dl>
        {status.lastError && <p>{t('sync.lastError', { message: status.lastError })}</p>}
        {status.clockSkewMs !== null && (
          <p className="warning">
            {t('sync.clockSkew', { minutes: Math.round(Math.abs(status.clockSkewMs) / 60_000) })}
          </p>
        )}
        {status.openConflicts > 0 && (
          <p>
            <Link href="/conflicts" onClick={() => setOpen(false)}>
              {t('sync.conflicts', { count: status.openConflicts })}
            </Link>
          </p>
        )}
        <div className="actions">
          <button type="button" disabled={syncNow.pending} onClick={() => void syncNow.run({})}>
            {t('sync.syncNow')}
          </button>
        </div>
      </Dialog>
    </>
  );
}
