// Municipalities by name, wherever the console shows one: a person's, a case's, a breakdown's.
// The tenant's own territories name theirs; a code outside them (a territory since removed)
// takes its official name from the list of Italian municipalities, loaded only then. An ISTAT
// code is shown as it is only while neither list has it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request } from './api/client';
import { TerritoriesQuery } from './api/operations';
import { useLoad } from './hooks';
import { loadMunicipalities } from './municipalities';

export function useTerritoryNames() {
  const territories = useLoad(() => request(TerritoriesQuery), []);
  const own = useMemo(() => new Map((territories.data?.territories.nodes ?? []).map((x) => [x.istatCode, x.name])), [territories.data]);
  const [official, setOfficial] = useState<Map<string, string> | null>(null);
  const missing = useRef(false);
  const name = useCallback(
    (code: string) => {
      const found = own.get(code) ?? official?.get(code);
      if (found === undefined && territories.data && !official) missing.current = true;
      return found ?? code;
    },
    [own, official, territories.data],
  );
  useEffect(() => {
    if (!missing.current || official) return;
    missing.current = false;
    let live = true;
    loadMunicipalities().then(
      (all) => {
        if (live) setOfficial(new Map(all.map((m) => [m.code, m.name])));
      },
      () => {
        // Without the list, such a code stays a code.
      },
    );
    return () => {
      live = false;
    };
  });
  return { name, territories };
}
