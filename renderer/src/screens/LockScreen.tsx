// A shared front-desk workstation: whoever comes next picks their name and types their PIN.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, useCommand } from '../api/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useSession } from '../app/session';
import { SignIn } from './SignIn';

export function LockScreen() {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const unlock = useCommand('session.unlock');
  const [userId, setUserId] = useState(session.user?.id ?? session.pinUsers[0]?.id ?? '');
  const [pin, setPin] = useState('');
  const [withPassword, setWithPassword] = useState(false);

  if (withPassword) return <SignIn onCancel={() => setWithPassword(false)} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const unlocked = await unlock.run({ userId, pin });
    setPin('');
    if (unlocked) await refresh();
  };

  const error = unlock.error;
  return (
    <main className="centered">
      <form className="card" onSubmit={submit} noValidate>
        <h1>{t('lock.title')}</h1>
        {session.pinUsers.length === 0 ? (
          <p>{t('lock.noPinUsers')}</p>
        ) : (
          <>
            <p>{t('lock.intro')}</p>
            <Field label={t('lock.user')}>
              {(props) => (
                <select
                  {...props}
                  value={userId}
                  onChange={(event) => setUserId(event.target.value)}
                >
                  {session.pinUsers.map((user) => (
                    <option key={user.id} value={user.id}>
                      {user.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('lock.pin')} error={fieldError(error, 'pin')}>
              {(props) => (
                <input
                  {...props}
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  value={pin}
                  onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
                  maxLength={8}
                  autoFocus
                />
              )}
            </Field>
            <ErrorMessage error={error} fieldsShown />
          </>
        )}
        <div className="actions">
          <button type="button" className="link-button" onClick={() => setWithPassword(true)}>
            {t('lock.usePassword')}
          </button>
          {session.pinUsers.length > 0 && (
            <button type="submit" disabled={unlock.pending || pin.length < 4}>
              {t('lock.unlock')}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
