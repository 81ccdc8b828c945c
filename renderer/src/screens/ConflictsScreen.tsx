// What clashed during sync, both values side by side. The server's value is what is saved now;
// "keep mine" writes this workstation's value again as a new revision, "keep theirs" closes it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { SyncConflict } from '../../../shared/api/views';
import { fieldHint } from '../../../shared/domain/schemas/field-hints';
import type { CollectionName } from '../../../shared/domain/schemas/collection-names';
import { useCommand, useQuery, useSubscription } from '../api/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime } from '../i18n/format';
import { useClinic } from '../app/session';

/** A stored value as a person reads it. */
export function showValue(value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length === 0 ? empty : value.join(', ');
  }
  return JSON.stringify(value);
}

export default function ConflictsScreen() {
  const { t } = useTranslation();
  const [showResolved, setShowResolved] = useState(false);
  const open = useSubscription('live.conflicts', {});
  const all = useQuery('conflicts.list', { includeResolved: true }, { skip: !showResolved });
  const resolve = useCommand('conflicts.resolve');
  const conflicts: readonly SyncConflict[] = (showResolved ? all.data : open.data) ?? [];

  const decide = async (conflictId: string, keep: 'mine' | 'theirs') => {
    if (await resolve.run({ conflictId, keep })) all.refresh();
  };

  return (
    <section aria-labelledby="conflicts-title">
      <h1 id="conflicts-title">{t('conflicts.title')}</h1>
      <p>{t('conflicts.intro')}</p>
      <label className="inline">
        <input
          type="checkbox"
          checked={showResolved}
          onChange={(event) => setShowResolved(event.target.checked)}
        />
        {t('conflicts.showResolved')}
      </label>
      <ErrorMessage error={resolve.error ?? open.error ?? all.error} />
      {conflicts.length === 0 ? (
        <p className="empty">{t('conflicts.none')}</p>
      ) : (
        <table className="table conflicts">
          <thead>
            <tr>
              <th scope="col">{t('conflicts.what')}</th>
              <th scope="col">{t('conflicts.mine')}</th>
              <th scope="col">{t('conflicts.theirs')}</th>
              <th scope="col">{t('conflicts.when')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('conflicts.keepMine')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {conflicts.map((conflict) => (
              <ConflictRow
                key={conflict.id}
                conflict={conflict}
                busy={resolve.pending}
                onDecide={decide}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ConflictRow({
  conflict,
  busy,
  onDecide,
}: {
  conflict: SyncConflict;
  busy: boolean;
  onDecide: (conflictId: string, keep: 'mine' | 'theirs') => void;
}) {
  const { t } = useTranslation();
  const { timeZone, locale } = useClinic();
  const kind = t(`conflicts.collection.${conflict.collection}`, {
    defaultValue: conflict.collection,
  });
  const field = fieldHint(conflict.collection as CollectionName, conflict.field).label;
  const what = `${kind}: ${field}`;
  return (
    <tr data-testid="conflict-row">
      <th scope="row">
        {conflict.collection === 'patients' ? (
          <Link href={`/patients/${conflict.documentId}`}>{what}</Link>
        ) : (
          what
        )}
      </th>
      <td className="value-mine">{showValue(conflict.localValue, t('conflicts.empty'))}</td>
      <td className="value-theirs">{showValue(conflict.serverValue, t('conflicts.empty'))}</td>
      <td>{formatDateTime(conflict.detectedAt, timeZone, locale)}</td>
      <td className="row-actions">
        {conflict.resolved ? (
          t('conflicts.resolved')
        ) : (
          <>
            <button
              type="button"
              disabled={busy}
              onClick={() => onDecide(conflict.id, 'mine')}
              aria-label={`${t('conflicts.keepMine')}: ${what}`}
            >
              {t('conflicts.keepMine')}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => onDecide(conflict.id, 'theirs')}
              aria-label={`${t('conflicts.keepTheirs')}: ${what}`}
            >
              {t('conflicts.keepTheirs')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
