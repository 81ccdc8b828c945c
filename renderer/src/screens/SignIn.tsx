// First run (and after a sign-out): the server address and the clinic login. What was typed
// stays in the form when sign-in fails, with the reason beside the field it concerns.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError, useCommand } from '../api/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useSession } from '../app/session';

export function SignIn({ onCancel }: { onCancel?: () => void }) {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const signIn = useCommand('session.signIn');
  const [form, setForm] = useState({
    serverUrl: session.serverUrl ?? '',
    clinic: session.clinicName ?? '',
    email: '',
    password: '',
  });
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((previous) => ({ ...previous, [name]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const signedIn = await signIn.run({ ...form, email: form.email.trim() });
    if (signedIn) await refresh();
  };

  const error = signIn.error;
  return (
    <main className="centered">
      <form className="card sign-in" onSubmit={submit} noValidate>
        <h1>{t('signIn.title')}</h1>
        <p>{t('signIn.intro')}</p>
        <Field label={t('signIn.serverUrl')} error={fieldError(error, 'serverUrl')}>
          {(props) => (
            <input
              {...props}
              type="url"
              value={form.serverUrl}
              onChange={set('serverUrl')}
              required
            />
          )}
        </Field>
        <Field label={t('signIn.clinic')} error={fieldError(error, 'clinic')}>
          {(props) => <input {...props} value={form.clinic} onChange={set('clinic')} required />}
        </Field>
        <Field label={t('signIn.email')} error={fieldError(error, 'email')}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="username"
              value={form.email}
              onChange={set('email')}
              required
              autoFocus
            />
          )}
        </Field>
        <Field label={t('signIn.password')} error={fieldError(error, 'password')}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              value={form.password}
              onChange={set('password')}
              required
            />
          )}
        </Field>
        <ErrorMessage error={error} fieldsShown />
        <div className="actions">
          {onCancel && (
            <button type="button" className="secondary" onClick={onCancel}>
              {t('cancel')}
            </button>
          )}
          <button type="submit" disabled={signIn.pending}>
            {signIn.pending ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </div>
      </form>
    </main>
  );
}
