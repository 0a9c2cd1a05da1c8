// Countries and languages by name in the console's language. The lists come from the server
// (`countries`, `languages`: the codes it accepts, with English names, docs/reference-data.md);
// names in the console's language come from the browser's `Intl.DisplayNames`, the English name
// serving where the browser has none (most ISO 639-3 languages), and the two ICAO citizenship
// codes (`XXA`, `XXX`) from the console's own translations.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from './api/client';
import { CountriesQuery, LanguagesQuery } from './api/operations';

export interface IsoEntry {
  code: string;
  /** English name, from the server. */
  name: string;
  /** Countries: a citizenship on its own (`XXA`, `XXX`), never a country of birth. */
  citizenshipOnly?: boolean;
  /** Languages: living (listed first among equal matches). */
  living?: boolean;
}

type Lists = { countries: IsoEntry[]; languages: IsoEntry[] };

// Loaded once per page load: the lists are the same for every tenant and every user.
let loading: Promise<Lists> | null = null;

function loadLists(): Promise<Lists> {
  if (!loading) {
    loading = Promise.all([request(CountriesQuery), request(LanguagesQuery)])
      .then(([c, l]) => ({ countries: c.countries, languages: l.languages }))
      .catch((e: unknown) => {
        loading = null;
        throw e;
      });
  }
  return loading;
}

/** The ISO lists, empty until loaded (codes are then shown as they are). */
export function useIsoLists(): Lists {
  const [lists, setLists] = useState<Lists>({ countries: [], languages: [] });
  useEffect(() => {
    let live = true;
    loadLists()
      .then((l) => {
        if (live) setLists(l);
      })
      .catch(() => {
        // Without the lists the pickers still take codes, and codes are shown as they are.
      });
    return () => {
      live = false;
    };
  }, []);
  return lists;
}

const displayNamesCache = new Map<string, Intl.DisplayNames | null>();

function displayNames(locale: string, type: 'region' | 'language') {
  const key = `${locale} ${type}`;
  if (!displayNamesCache.has(key)) {
    let names: Intl.DisplayNames | null;
    try {
      names = new Intl.DisplayNames([locale], { type, fallback: 'none' });
    } catch {
      names = null;
    }
    displayNamesCache.set(key, names);
  }
  return displayNamesCache.get(key) ?? null;
}

function nameOf(names: Intl.DisplayNames | null, code: string): string | undefined {
  try {
    return names?.of(code) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Names of country and language codes in the console's current language. */
export function useIsoNames() {
  const { t, i18n } = useTranslation();
  const lists = useIsoLists();
  return useMemo(() => {
    const regions = displayNames(i18n.language, 'region');
    const languages = displayNames(i18n.language, 'language');
    const english = (list: IsoEntry[]) => new Map(list.map((e) => [e.code, e.name]));
    const countryEnglish = english(lists.countries);
    const languageEnglish = english(lists.languages);
    const country = (code: string) => {
      if (code === 'XXA' || code === 'XXX') return t(`iso.${code}`);
      return nameOf(regions, code) ?? countryEnglish.get(code) ?? code;
    };
    // The browser echoes a code it cannot name.
    const ownLanguage = (code: string) => {
      const own = nameOf(languages, code);
      return own && own.toLowerCase() !== code ? own : undefined;
    };
    const language = (code: string) => ownLanguage(code) ?? languageEnglish.get(code) ?? code;
    /** Whether the browser names the language in the console's language (else: its English name). */
    const languageNamedHere = (code: string) => ownLanguage(code) !== undefined;
    return { country, language, languageNamedHere, lists };
  }, [i18n.language, lists, t]);
}

export interface PickerOption {
  value: string;
  label: string;
  /** Further text matched by the search (the English name, the code). */
  search: string;
  /** Listed after the others among equal matches. */
  later?: boolean;
  /**
   * The label is not the name in the console's language (the English name, where the browser
   * has none): a match on it ranks after a match on a name in the console's language.
   */
  foreign?: boolean;
}

/** Lower case without accents, for matching typed text. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The console's languages: a country or language is found by its name in any of them. */
const CONSOLE_LANGUAGES = ['it', 'en', 'fr', 'ar', 'ro'];

/**
 * Names people search by that neither the browser's names nor ISO's English name give: former
 * ISO 3166 short names still on documents (Swaziland until 2018, Czech Republic until 2016 as
 * the short name, Macedonia until 2019, Zaire, Burma), the everyday Italian and English names
 * of a country or language (Olanda, Inghilterra, farsi, mandarino).
 */
const ALSO_KNOWN_AS: Record<string, string> = {
  CZ: 'Repubblica Ceca Czech Republic République tchèque',
  MK: 'Macedonia FYROM ARYM',
  SZ: 'Swaziland',
  CD: 'Repubblica Democratica del Congo RDC DRC Zaire',
  CG: 'Repubblica del Congo Congo-Brazzaville',
  CI: "Ivory Coast Costa d'Avorio",
  MM: 'Birmania Burma',
  PS: 'Palestina Palestine',
  GB: 'Regno Unito Inghilterra Gran Bretagna England Great Britain Scozia Galles',
  NL: 'Olanda Holland',
  US: 'USA America Stati Uniti',
  TR: 'Turchia Turkey',
  CV: 'Capo Verde Cape Verde',
  TL: 'Timor Est East Timor',
  KR: 'Corea del Sud South Korea',
  KP: 'Corea del Nord North Korea',
  VA: 'Vaticano Santa Sede Holy See',
  fa: 'farsi',
  zh: 'mandarino mandarin putonghua',
  ms: 'malay malese',
  ku: 'curdo kurmanji sorani',
};

/** Lower-cased names of `code` in every console language, as the browser has them. */
function namesEverywhere(code: string, type: 'region' | 'language'): string {
  return CONSOLE_LANGUAGES.map((l) => nameOf(displayNames(l, type), code) ?? '').join(' ');
}

/** The options of a country picker; `citizenship` adds the two ICAO codes. */
export function useCountryOptions(citizenship: boolean): PickerOption[] {
  const { country, lists } = useIsoNames();
  return useMemo(
    () =>
      lists.countries
        .filter((c) => citizenship || !c.citizenshipOnly)
        .map((c) => ({
          value: c.code,
          label: country(c.code),
          search: fold(
            `${c.name} ${c.code} ${c.code.length === 2 ? namesEverywhere(c.code, 'region') : ''} ${ALSO_KNOWN_AS[c.code] ?? ''}`,
          ),
        }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [lists, country, citizenship],
  );
}

/** The options of a language picker. */
export function useLanguageOptions(): PickerOption[] {
  const { language, languageNamedHere, lists } = useIsoNames();
  return useMemo(() => {
    // A language is found by its ISO name, its code, its names in the console's languages,
    // its own name (its autonym: `فارسی`, `ትግርኛ`), and the everyday names above. Only the
    // languages with an ISO 639-1 code are named by the browser in every console language: the
    // few hundred of them cost little, the thousands of others would.
    const options = lists.languages.map((l) => {
      const known =
        l.code.length === 2
          ? `${namesEverywhere(l.code, 'language')} ${nameOf(displayNames(l.code, 'language'), l.code) ?? ''}`
          : '';
      return {
        value: l.code,
        label: language(l.code),
        search: fold(`${l.name} ${l.code} ${known} ${ALSO_KNOWN_AS[l.code] ?? ''}`),
        later: !l.living,
        foreign: !languageNamedHere(l.code),
      };
    });
    // A macrolanguage and its main member often have one name in the console's language
    // (fa/pes "persiano", ar/arb, zh/cmn, ps/pbu): two options nobody could tell apart. Only
    // the one with an ISO 639-1 code is offered, found also by the hidden member's names
    // (`Iranian Persian`, `Mandarin Chinese`); members named otherwise (prs "dari") stay.
    const shortByLabel = new Map(
      options.filter((o) => o.value.length === 2).map((o) => [fold(o.label), o] as const),
    );
    const offered = options.filter((o) => {
      const short = o.value.length === 2 ? undefined : shortByLabel.get(fold(o.label));
      if (short) short.search += ` ${o.search}`;
      return !short;
    });
    return offered.sort((a, b) => a.label.localeCompare(b.label));
  }, [lists, language, languageNamedHere]);
}
