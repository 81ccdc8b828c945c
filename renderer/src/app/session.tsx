// Who is at the keyboard and this workstation's settings, for every screen. Both are read once
// and re-read after the commands that change them; the clinic's time zone and currency come from
// the session so every screen formats times and money the same way.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Session, Settings } from '../../../shared/api/views';
import { asApiError, useApi } from '../api/hooks';
import type { ApiError } from '../../../shared/api/protocol';
import { setLanguage } from '../i18n/index';

interface SessionValue {
  readonly session: Session;
  readonly refresh: () => Promise<void>;
}

interface SettingsValue {
  readonly settings: Settings;
  readonly update: (changes: Partial<Settings>) => Promise<ApiError | null>;
}

const SessionContext = createContext<SessionValue | null>(null);
const SettingsContext = createContext<SettingsValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a <SessionProvider> above it.');
  return value;
}

export function useSettings(): SettingsValue {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings needs a <SessionProvider> above it.');
  return value;
}

/** The clinic's time zone and currency, with the defaults a new workstation shows before sign-in. */
export function useClinic() {
  const { session } = useSession();
  const { settings } = useSettings();
  return {
    timeZone: session.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: session.currency ?? 'USD',
    locale: settings.language,
    user: session.user,
  };
}

export function SessionProvider({
  children,
  loading,
  failed,
}: {
  children: ReactNode;
  loading: ReactNode;
  failed: (error: ApiError, retry: () => void) => ReactNode;
}) {
  const api = useApi();
  const [session, setSession] = useState<Session | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      const [nextSession, nextSettings] = await Promise.all([
        api.call('session.get', {}),
        api.call('settings.get', {}),
      ]);
      await setLanguage(nextSettings.language);
      setSettings(nextSettings);
      setSession(nextSession);
      setError(null);
    } catch (caught) {
      setError(asApiError(caught));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  // The core signs the workstation out on its own when the server refuses the session: re-read
  // it then, not on every status a signed-out workstation reports.
  const signedIn = session?.user != null;
  useEffect(
    () =>
      api.subscribe('live.syncStatus', {}, (status) => {
        if (signedIn && status.connection === 'signed_out') void load();
      }),
    [api, load, signedIn],
  );

  const refresh = useCallback(async () => {
    try {
      setSession(await api.call('session.get', {}));
    } catch (caught) {
      setError(asApiError(caught));
    }
  }, [api]);

  const update = useCallback(
    async (changes: Partial<Settings>) => {
      try {
        const next = await api.call('settings.update', changes);
        if (next.language !== settings?.language) await setLanguage(next.language);
        setSettings(next);
        return null;
      } catch (caught) {
        return asApiError(caught);
      }
    },
    [api, settings?.language],
  );

  if (error && !session) return <>{failed(error, () => void load())}</>;
  if (!session || !settings) return <>{loading}</>;
  return (
    <SettingsContext.Provider value={{ settings, update }}>
      <SessionContext.Provider value={{ session, refresh }}>{children}</SessionContext.Provider>
    </SettingsContext.Provider>
  );
}
