// The signed-in app: navigation, the always-visible sync status, the update notice, and the
// screens, each loaded when first opened so the first paint stays small.
import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useCommand } from '../api/hooks';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { SyncStatusBar } from './SyncStatusBar';
import { UpdateNotice } from './UpdateNotice';
import { useSession } from './session';

const loadSchedule = () => import('../screens/schedule/ScheduleScreen');
// The front desk's first screen (and its calendar library) loads while the session is read,
// not after: it is most of the time to the first usable schedule.
void loadSchedule();
const ScheduleScreen = lazy(loadSchedule);
const PatientsArea = lazy(() => import('../screens/patients/PatientsArea'));
const DentistDayScreen = lazy(() => import('../screens/dentist/DentistDayScreen'));
const ChartScreen = lazy(() => import('../screens/dentist/ChartScreen'));
const ConflictsScreen = lazy(() => import('../screens/ConflictsScreen'));
const SettingsScreen = lazy(() => import('../screens/SettingsScreen'));

const CLINICAL_ROLES = new Set(['dentist', 'hygienist']);

export function Shell() {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const lock = useCommand('session.lock');
  const signOut = useCommand('session.signOut');
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const clinical = session.user ? CLINICAL_ROLES.has(session.user.role) : false;
  const home = clinical ? '/my-day' : '/schedule';

  // Moving to another screen puts the keyboard focus at its start, as a page load would.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [location]);

  const links = [
    { to: '/schedule', label: t('nav.schedule') },
    { to: '/patients', label: t('nav.patients') },
    ...(clinical || session.user?.providerId ? [{ to: '/my-day', label: t('nav.myDay') }] : []),
    { to: '/conflicts', label: t('nav.conflicts') },
    { to: '/settings', label: t('nav.settings') },
  ];

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        {t('nav.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">TopSmile</span>
        <nav aria-label={t('nav.label')}>
          <ul className="nav-links">
            {links.map((link) => (
              <li key={link.to}>
                <Link
                  href={link.to}
                  className={location.startsWith(link.to) ? 'nav-link active' : 'nav-link'}
                  aria-current={location.startsWith(link.to) ? 'page' : undefined}
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <SyncStatusBar />
        <div className="user-menu">
          <span className="user-name">
            {session.user?.name} · {session.clinicName}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={lock.pending}
            onClick={async () => {
              if (await lock.run({})) await refresh();
            }}
          >
            {t('nav.lock')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={signOut.pending}
            onClick={async () => {
              if (await signOut.run({})) await refresh();
            }}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <UpdateNotice />
      <main id="main" ref={main} tabIndex={-1} className="content">
        {/* Keyed on the screen, so a screen that failed is tried again when one navigates. */}
        <ErrorBoundary key={location.split('/')[1] ?? ''}>
          <Suspense fallback={<p aria-busy="true">{t('loading')}</p>}>
            <Switch>
              <Route path="/schedule" component={ScheduleScreen} />
              <Route path="/patients" nest component={PatientsArea} />
              <Route path="/my-day" component={DentistDayScreen} />
              <Route path="/chart/:patientId">
                {(params) => <ChartScreen patientId={params.patientId} />}
              </Route>
              <Route path="/conflicts" component={ConflictsScreen} />
              <Route path="/settings" component={SettingsScreen} />
              <Route>
                <Redirect to={home} replace />
              </Route>
            </Switch>
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
