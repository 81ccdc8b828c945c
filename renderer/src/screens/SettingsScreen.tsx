// This workstation's settings (language, tooth numbering, update channel, schedule columns),
// the user's PIN, and the local backups: list, back up now, restore (checked first, undoable).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo, Settings } from '../../../shared/api/views';
import { fieldError, useCommand, useQuery } from '../api/hooks';
import { Dialog } from '../components/Dialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { formatDateTime } from '../i18n/format';
import { LANGUAGES } from '../i18n/index';
import { useClinic, useSettings } from '../app/session';
import type { ApiError } from '../../../shared/api/protocol';

type Choice<K extends keyof Settings> = { value: Settings[K]; label: string };

export default function SettingsScreen() {
  const { t } = useTranslation();
  const { settings, update } = useSettings();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const change = async (changes: Partial<Settings>) => {
    setSaved(false);
    const failed = await update(changes);
    setError(failed);
    setSaved(!failed);
  };

  const radios = <K extends keyof Settings>(key: K, legend: string, choices: Choice<K>[]) => (
    <fieldset className="radio-group">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={String(choice.value)} className="inline">
          <input
            type="radio"
            name={key}
            checked={settings[key] === choice.value}
            onChange={() => void change({ [key]: choice.value } as Partial<Settings>)}
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <div className="card">
        <Field label={t('settings.language')}>
          {(props) => (
            <select
              {...props}
              value={settings.language}
              onChange={(event) =>
                void change({ language: event.target.value as Settings['language'] })
              }
            >
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`languageName.${language}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {radios('toothNotation', t('settings.toothNotation'), [
          { value: 'fdi', label: t('settings.fdi') },
          { value: 'universal', label: t('settings.universal') },
        ])}
        {radios('scheduleColumns', t('settings.scheduleColumns'), [
          { value: 'operatory', label: t('settings.byOperatory') },
          { value: 'provider', label: t('settings.byProvider') },
        ])}
        {radios('updateChannel', t('settings.updateChannel'), [
          { value: 'stable', label: t('settings.stable') },
          { value: 'beta', label: t('settings.beta') },
        ])}
        <p role="status" className="saved">
          {saved ? t('settings.saved') : ''}
        </p>
        <ErrorMessage error={error} />
      </div>
      <PinSettings />
      <Backups />
    </section>
  );
}

function PinSettings() {
  const { t } = useTranslation();
  const setPin = useCommand('session.setPin');
  const [pin, setPinText] = useState('');
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (await setPin.run({ pin })) {
      setPinText('');
      setDone(true);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="pin-title">
      <h2 id="pin-title">{t('setPin.title')}</h2>
      <p>{t('setPin.intro')}</p>
      <Field label={t('setPin.pin')} error={fieldError(setPin.error, 'pin')}>
        {(props) => (
          <input
            {...props}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            maxLength={8}
            value={pin}
            onChange={(event) => setPinText(event.target.value.replace(/\D/g, ''))}
          />
        )}
      </Field>
      <ErrorMessage error={setPin.error} fieldsShown />
      <p role="status">{done ? t('setPin.done') : ''}</p>
      <div className="actions">
        <button type="submit" disabled={setPin.pending}>
          {t('setPin.submit')}
        </button>
      </div>
    </form>
  );
}

function Backups() {
  const { t } = useTranslation();
  const { timeZone, locale } = useClinic();
  const backups = useQuery('backups.list', {});
  const create = useCommand('backups.create');
  const restore = useCommand('backups.restore');
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [message, setMessage] = useState('');
  const when = (backup: BackupInfo) => formatDateTime(backup.createdAt, timeZone, locale);
  const size = (bytes: number) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    }).format(bytes / 1_000_000);

  return (
    <section className="card" aria-labelledby="backups-title">
      <h2 id="backups-title">{t('settings.backups')}</h2>
      <div className="actions start">
        <button
          type="button"
          disabled={create.pending}
          onClick={async () => {
            setMessage('');
            if (await create.run({})) {
              setMessage(t('settings.backupDone'));
              backups.refresh();
            }
          }}
        >
          {create.pending ? t('settings.backingUp') : t('settings.backupNow')}
        </button>
      </div>
      <p role="status">{message}</p>
      <ErrorMessage error={create.error ?? restore.error ?? backups.error} />
      {backups.data && backups.data.length === 0 && (
        <p className="empty">{t('settings.noBackups')}</p>
      )}
      {backups.data && backups.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('settings.backupWhen')}</th>
              <th scope="col">{t('settings.backupReason')}</th>
              <th scope="col">{t('settings.backupSize')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('settings.restore')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.data.map((backup) => (
              <tr key={backup.id}>
                <td>{when(backup)}</td>
                <td>{t(`settings.reason.${backup.reason}`)}</td>
                <td>{size(backup.sizeBytes)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setConfirming(backup)}
                    aria-label={`${t('settings.restore')}: ${when(backup)}`}
                  >
                    {t('settings.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={t('settings.restore')}
        description={confirming ? t('settings.restoreConfirm', { when: when(confirming) }) : ''}
      >
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setConfirming(null)}>
            {t('cancel')}
          </button>
          <button
            type="button"
            disabled={restore.pending}
            onClick={async () => {
              if (!confirming) return;
              const done = await restore.run({ backupId: confirming.id });
              setConfirming(null);
              if (done) {
                setMessage(t('settings.restored'));
                backups.refresh();
              }
            }}
          >
            {t('settings.restore')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
