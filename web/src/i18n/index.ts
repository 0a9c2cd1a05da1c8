// Italian first; English complete; French, Romanian and Arabic (right to left).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import it from './locales/it';
import en from './locales/en';
import fr from './locales/fr';
import ro from './locales/ro';
import ar from './locales/ar';
import { tenantTimeZone } from '../time';
import { volunteerMessages } from './volunteers';
import { housingMessages } from './housing';
import { apiTokenMessages } from './apiTokens';
import { elideItalian } from './elision';

export const LANGUAGES = [
  { code: 'it', name: 'Italiano' },
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'ro', name: 'Română' },
  { code: 'ar', name: 'العربية' },
] as const;

const RTL = new Set(['ar']);
const STORAGE_KEY = 'sportello.language';

function initial(): string {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored && LANGUAGES.some((l) => l.code === stored) ? stored : 'it';
}

function applyToDocument(lng: string) {
  document.documentElement.lang = lng;
  document.documentElement.dir = RTL.has(lng) ? 'rtl' : 'ltr';
}

void i18n
  .use(initReactI18next)
  .use({
    type: 'postProcessor',
    name: 'italianElision',
    process: (value: string, _key: string, _options: unknown, translator: { language?: string }) =>
      translator?.language === 'it' ? elideItalian(value) : value,
  })
  .init({
  postProcess: ['italianElision'],
  resources: {
    it: { translation: { ...it, volunteers: volunteerMessages('it'), housing: housingMessages('it'), apiTokens: apiTokenMessages('it') } },
    en: { translation: { ...en, volunteers: volunteerMessages('en'), housing: housingMessages('en'), apiTokens: apiTokenMessages('en') } },
    fr: { translation: { ...fr, volunteers: volunteerMessages('fr'), housing: housingMessages('fr'), apiTokens: apiTokenMessages('fr') } },
    ro: { translation: { ...ro, volunteers: volunteerMessages('ro'), housing: housingMessages('ro'), apiTokens: apiTokenMessages('ro') } },
    ar: { translation: { ...ar, volunteers: volunteerMessages('ar'), housing: housingMessages('ar'), apiTokens: apiTokenMessages('ar') } },
  },
  lng: initial(),
  fallbackLng: ['it'],
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyToDocument(i18n.language);
i18n.on('languageChanged', (lng) => {
  localStorage.setItem(STORAGE_KEY, lng);
  applyToDocument(lng);
});

/**
 * Dates and numbers in the console's language. Instants are shown on the tenant's clock; a
 * calendar day (`YYYY-MM-DD`) is shown as it is.
 */
export function formatDate(iso: string, withTime = false): string {
  const d = new Date(iso);
  const timeZone = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'UTC' : tenantTimeZone();
  return new Intl.DateTimeFormat(i18n.language, withTime ? { dateStyle: 'medium', timeStyle: 'short', timeZone } : { dateStyle: 'medium', timeZone }).format(d);
}

/** A month `YYYY-MM` by name, in the console's language (`marzo 2026`). */
export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

export function formatNumber(n: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(i18n.language, { maximumFractionDigits: fractionDigits }).format(n);
}

/**
 * A list in the console's language, as its own words join one (`arabo, francese e inglese`;
 * in Arabic with `و` and never a Latin comma). Items are shown as they are: isolate user data first.
 */
/** The separator between the pieces of a parenthesis in the console's language (", "; "، " in
 * Arabic), for pieces that are markup rather than strings. */
export function listSeparator(): string {
  return i18n.t('common.separator');
}

export function formatList(items: string[]): string {
  return new Intl.ListFormat(i18n.language, { type: 'conjunction', style: 'long' }).format(items);
}

export default i18n;
