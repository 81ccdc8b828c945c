// A deterministic demo dental clinic for development, demos and benchmarks. Invented people only.
export {
  DEMO_LOGINS,
  demoLogins,
  generateDemoClinic,
  iterateDemoClinic,
  summarizeDemoClinic,
  type DemoClinic,
  type DemoClinicSummary,
} from './generate';
export {
  DEFAULT_DEMO_TODAY,
  DEFAULT_FUTURE_DAYS,
  DEFAULT_STAFF_EMAIL_DOMAIN,
  DEMO_CURRENCIES,
  DEMO_LOCALES,
  isReservedExampleDomain,
  resolveDemoClinicOptions,
  type DemoClinicOptions,
  type DemoCurrency,
  type DemoLocale,
  type ResolvedDemoClinicOptions,
} from './options';
export { DEMO_COLLECTIONS, type DemoCollection, type DemoRecord } from './records';
export type { DemoLogin } from './setup';
