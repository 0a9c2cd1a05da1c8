// Every reason the API can answer (web/src/api/reasons.ts, generated from the server's code) has
// a translation in each of the console's five languages, with the same parameters as the
// Italian one; so do the lists, objects and purposes a reason's parameters name. No server is
// needed: the locales are read as modules.
import { expect, test } from '@playwright/test';
import { REASONS, REASON_LISTS, REASON_OBJECTS, REASON_PURPOSES } from '../src/api/reasons';
import it from '../src/i18n/locales/it';
import en from '../src/i18n/locales/en';
import fr from '../src/i18n/locales/fr';
import ro from '../src/i18n/locales/ro';
import ar from '../src/i18n/locales/ar';

const LOCALES = { it, en, fr, ro, ar } as const;

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

for (const [language, messages] of Object.entries(LOCALES)) {
  test(`every API reason has a translation in ${language}`, () => {
    const reasons = messages.errors.reasons as Record<string, string>;
    const untranslated = REASONS.filter((r) => typeof reasons[r] !== 'string' || reasons[r].trim() === '');
    expect(untranslated, `reasons without a translation in ${language}`).toEqual([]);
    // Nothing translated that the API no longer answers.
    expect(Object.keys(reasons).filter((r) => !(REASONS as readonly string[]).includes(r))).toEqual([]);
    // The same parameters as in Italian: a translation cannot drop or invent one.
    const italian = it.errors.reasons as Record<string, string>;
    const mismatched = REASONS.filter((r) => placeholders(reasons[r] ?? '').join() !== placeholders(italian[r]).join());
    expect(mismatched, `reasons whose parameters differ from Italian in ${language}`).toEqual([]);
    for (const [name, values] of [
      ['lists', REASON_LISTS],
      ['objects', REASON_OBJECTS],
      ['purposes', REASON_PURPOSES],
    ] as const) {
      const named = messages.errors[name] as Record<string, string>;
      expect(
        values.filter((v) => typeof named[v] !== 'string' || named[v].trim() === ''),
        `${name} without a translation in ${language}`,
      ).toEqual([]);
    }
  });
}

test('the Italian parameters are the ones the API sends', () => {
  // Parameter names of docs/api.md's table (camelCase, as in `extensions.params`).
  const known = ['max', 'min', 'list', 'object', 'purpose', 'today', 'maxMonths', 'successors', 'code', 'position', 'from', 'to', 'currentVersion', 'count'];
  const unknown = REASONS.flatMap((r) => placeholders((it.errors.reasons as Record<string, string>)[r]).filter((p) => !known.includes(p)));
  expect(unknown).toEqual([]);
});
