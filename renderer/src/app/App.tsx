// What the window shows: a missing launch key or a lost link first, then the damaged-database
// choice, sign-in, the lock screen, and finally the app itself.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Connection } from '../api/connection';
import { ApiProvider, useSubscription } from '../api/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { DatabaseProblem } from '../screens/DatabaseProblem';
import { LockScreen } from '../screens/LockScreen';
import { SignIn } from '../screens/SignIn';
import { SessionProvider, useSession } from './session';
import { Shell } from './Shell';

export function App({ connection }: { connection: Connection | null }) {
  const { t } = useTranslation();
  const [lost, setLost] = useState(false);
  useEffect(() => {
    void connection?.lost.then(() => setLost(true));
  }, [connection]);
  if (!connection) {
    return <Notice text={t('connection.noSecret')} />;
  }
  return (
    <ApiProvider api={connection.api}>
      {lost && (
        <div className="banner banner-error" role="alert">
          {t('connection.lost')}
        </div>
      )}
      <SessionProvider
        loading={<Notice text={t('loading')} busy />}
        failed={(error, retry) => (
          <main className="centered">
            <ErrorMessage error={error} />
            <button type="button" onClick={retry}>
              {t('retry')}
            </button>
          </main>
        )}
      >
        <Gate />
      </SessionProvider>
    </ApiProvider>
  );
}

function Notice({ text, busy = false }: { text: string; busy?: boolean }) {
  return (
    <main className="centered" aria-busy={busy}>
      <h1 className="brand">TopSmile</h1>
      <p>{text}</p>
    </main>
  );
}

function Gate() {
  const { session } = useSession();
  const database = useSubscription('live.databaseStatus', {});
  if (database.data?.state === 'problem') return <DatabaseProblem status={database.data} />;
  if (!session.user) return <SignIn />;
  if (session.locked) return <LockScreen />;
  return <Shell />;
}
