// Languages of the UI: English and Brazilian Portuguese. Each screen keeps its words in its own
// namespace file (`messages.ts` beside it) so screens can be written and reviewed separately;
// dates and money are formatted by Intl in the same locale (format.ts).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './common';
import schedule from '../screens/schedule/messages';
import patients from '../screens/patients/messages';
import dentist from '../screens/dentist/messages';

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Every namespace, each with the same keys in every language (a test checks it). */
export const NAMESPACES = { common, schedule, patients, dentist } as const;

export function resourcesFor(language: Language) {
  return Object.fromEntries(
    Object.entries(NAMESPACES).map(([namespace, messages]) => [namespace, messages[language]]),
  );
}

export async function initI18n(language: Language = 'en') {
  await i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    defaultNS: 'common',
    ns: Object.keys(NAMESPACES),
    resources: Object.fromEntries(LANGUAGES.map((lng) => [lng, resourcesFor(lng)])),
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
  return i18next;
}

export function setLanguage(language: Language) {
  document.documentElement.lang = language;
  return i18next.changeLanguage(language);
}

export { i18next };
