// A Relay connection read a page at a time: the first page whenever the filters change, the next
// ones on "load more". Lists (cases, requests for help, hours, the register, a volunteer's own
// tasks and hours) share it instead of each keeping a cursor by hand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** One page of a connection, as every list query returns it. */
export interface Page<R> {
  nodes: R[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface Paged<R> {
  rows: R[];
  /** Replaces rows in place (an approval, an answer) without reading the list again. */
  setRows: (update: (rows: R[]) => R[]) => void;
  hasNext: boolean;
  /** A page is being read (the first one or the next). */
  loading: boolean;
  error: ApiError | null;
  loadMore: () => void;
  /** Reads the first page again. */
  reload: () => void;
}

/**
 * Reads `fetch(null)` on mount and whenever `deps` change (the filters), `fetch(cursor)` on
 * `loadMore`. An answer that arrives after the filters changed again is dropped.
 */
export function usePaged<R>(fetch: (after: string | null) => Promise<Page<R>>, deps: unknown[]): Paged<R> {
  const [rows, setRowsState] = useState<R[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasNext, setHasNext] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const load = useCallback(async (after: string | null) => {
    const mine = after === null ? ++run.current : run.current;
    setLoading(true);
    try {
      const page = await fetchRef.current(after);
      if (mine !== run.current) return;
      setRowsState((prev) => (after ? [...prev, ...page.nodes] : page.nodes));
      setCursor(page.pageInfo.endCursor ?? null);
      setHasNext(page.pageInfo.hasNextPage);
      setError(null);
    } catch (e) {
      if (mine !== run.current) return;
      setError(e instanceof ApiError ? e : new ApiError([{ message: String(e), code: 'INTERNAL' }]));
    } finally {
      if (mine === run.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  return {
    rows,
    setRows: setRowsState,
    hasNext,
    loading,
    error,
    loadMore: () => void load(cursor),
    reload: () => setTick((n) => n + 1),
  };
}

/** The "load more" button of a paged list, shown while there is a next page to read. */
export function LoadMore({ list, className = 'btn btn-outline-primary' }: { list: Pick<Paged<unknown>, 'hasNext' | 'loading' | 'loadMore'>; className?: string }) {
  const { t } = useTranslation();
  if (!list.hasNext || list.loading) return null;
  return (
    <button type="button" className={className} onClick={list.loadMore}>
      {t('common.loadMore')}
    </button>
  );
}
