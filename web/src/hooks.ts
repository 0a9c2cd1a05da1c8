import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiErrorItem } from './api/client';

/** Loads data on mount and whenever `deps` change; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const current = useRef(0);
  useEffect(() => {
    const run = ++current.current;
    setLoading(true);
    load()
      .then((d) => {
        if (run !== current.current) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (run !== current.current) return;
        setError(e instanceof ApiError ? e : new ApiError([{ message: String(e), code: 'INTERNAL' }]));
      })
      .finally(() => {
        if (run === current.current) setLoading(false);
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

/**
 * A form's submission state: the server's errors split between the fields the form shows
 * (shown next to them) and the rest (shown above the buttons).
 */
export function useSubmit(fields: string[]) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const fieldError = (name: string) => errors.find((e) => e.field === name);
  const general = errors.filter((e) => !e.field || !fields.includes(e.field));
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setErrors([]);
    try {
      return await action();
    } catch (e) {
      setErrors(e instanceof ApiError ? e.items : [{ message: String(e), code: 'INTERNAL' }]);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, general, fieldError, run, setErrors };
}
