// An update never interrupts work: while it downloads a quiet line says so, and once ready the
// notice offers a restart but the update otherwise installs when the app is closed.
import { useTranslation } from 'react-i18next';
import { useCommand, useSubscription } from '../api/hooks';

export function UpdateNotice() {
  const { t } = useTranslation();
  const { data: update } = useSubscription('live.updateStatus', {});
  const installNow = useCommand('updates.installNow');
  if (update?.state === 'downloading') {
    return (
      <div className="update-notice quiet" role="status">
        {t('update.downloading', { version: update.version, percent: Math.round(update.percent) })}
      </div>
    );
  }
  if (update?.state !== 'ready') return null;
  return (
    <div className="update-notice" role="status">
      <span>{t('update.ready', { version: update.version })}</span>
      <button
        type="button"
        className="secondary"
        disabled={installNow.pending}
        onClick={() => void installNow.run({})}
      >
        {t('update.installNow')}
      </button>
    </div>
  );
}
