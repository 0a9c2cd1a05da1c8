import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiErrorItem } from './api/client';
import { useTranslation } from 'react-i18next';

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

/**
 * Names the server's refusal of a date that must not be in the past. `fields` maps an input
 * field to the value sent and the earliest value allowed, both on the tenant's clock and in the
 * same shape (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm` for a time, compared as text). An
 * INVALID_INPUT on one of them whose value is before its earliest becomes `PAST_DATE` (a day) or
 * `PAST_TIME` (a time) on that field, with no server words; anything else is returned unchanged.
 * Use it on what a request threw, and throw the result.
 */
export function namePastDates(err: unknown, fields: Record<string, { value: string; min: string }>): unknown {
  if (!(err instanceof ApiError)) return err;
  const past = (i: ApiErrorItem) => {
    const f = i.field ? fields[i.field] : undefined;
    return i.code === 'INVALID_INPUT' && !!f && f.value !== '' && f.value < f.min;
  };
  if (!err.items.some(past)) return err;
  return new ApiError(
    err.items.map((i) => (past(i) ? { ...i, code: fields[i.field ?? ''].value.includes('T') ? 'PAST_TIME' : 'PAST_DATE', message: '' } : i)),
  );
}

/**
 * A local `REQUIRED` error for each field of `values` left empty (blank text, no choice, an empty
 * list), in the order given, so a form names every missing field at once and never sends a
 * request that GraphQL itself would refuse for a null. `message` is the console's own words.
 */
export function missingFields(values: Record<string, string | null | undefined | readonly unknown[]>, message: string): ApiErrorItem[] {
  return Object.entries(values)
    .filter(([, v]) => (Array.isArray(v) ? v.length === 0 : !(typeof v === 'string' && v.trim())))
    .map(([field]) => ({ field, code: 'INVALID_INPUT', reason: 'REQUIRED', local: true, message }));
}

/**
 * Whether `value` has the shape of an e-mail address the API accepts: no spaces, one `@`, and a
 * domain of two or more dot-separated labels of letters, digits and inner hyphens (so `a@b`,
 * `user@.com` and `not-an-email` are refused here). The server keeps the last word.
 */
export function looksLikeEmail(value: string): boolean {
  const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
  return new RegExp(`^[^\\s@]+@${label}(?:\\.${label})+$`, 'u').test(value.trim());
}

/**
 * Whether `value` can be a phone number at all: digits (Western, Arabic-Indic or Persian) with an
 * optional leading `+`, spaces, dots, hyphens and brackets, 6 to 17 digits. Whether the number is
 * valid for its country is the server's to say.
 */
export function looksLikePhone(value: string): boolean {
  const compact = value.trim().replace(/[\s.()-]/g, '');
  const digits = compact.replace(/^(\+|00)/, '');
  return /^[0-9\u0660-\u0669\u06F0-\u06F9]{6,17}$/u.test(digits);
}

/** A whole number typed in any of the digits a phone keyboard gives, or NaN. */
export function wholeNumber(value: string): number {
  const western = value
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
  return /^\d+$/.test(western) ? Number(western) : NaN;
}

/**
 * The local errors of what a form can tell besides the missing fields: an e-mail or a phone that
 * cannot be one, a number outside the API's documented range. Blank values are left to
 * `missingFields` (or are optional). `messages` are the console's words for each reason.
 */
export function shapeErrors(
  checks: (
    | { field: string; email: string }
    | { field: string; phone: string }
    | { field: string; number: string; min: number; max: number }
  )[],
  messages: { email: string; phone: string; range: (min: number, max: number) => string },
): ApiErrorItem[] {
  const out: ApiErrorItem[] = [];
  const wrong = (field: string, reason: string, message: string) => out.push({ field, code: 'INVALID_INPUT', reason, local: true, message });
  for (const c of checks) {
    if ('email' in c) {
      if (c.email.trim() && !looksLikeEmail(c.email)) wrong(c.field, 'NOT_AN_EMAIL', messages.email);
    } else if ('phone' in c) {
      if (c.phone.trim() && !looksLikePhone(c.phone)) wrong(c.field, 'NOT_A_PHONE', messages.phone);
    } else if (c.number.trim()) {
      const n = wholeNumber(c.number);
      if (!(n >= c.min && n <= c.max)) wrong(c.field, 'OUT_OF_RANGE', messages.range(c.min, c.max));
    }
  }
  return out;
}

/** `shapeErrors` with the console's words for each reason, in the console's language. */
export function useShapeErrors() {
  const { t, i18n } = useTranslation();
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  return (checks: Parameters<typeof shapeErrors>[0]) =>
    shapeErrors(checks, {
      email: t('errors.reasons.NOT_AN_EMAIL'),
      phone: t('errors.reasons.NOT_A_PHONE'),
      range: (min, max) => t('errors.reasons.OUT_OF_RANGE', { min: number(min), max: number(max) }),
    });
}

/** `day` (`YYYY-MM-DD`) moved by whole years, as text (a bound compared with other days as text). */
export function yearsFrom(day: string, years: number): string {
  return `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`;
}

/**
 * A local `DATE_OUT_OF_RANGE` on `field` when `value` (a day, `YYYY-MM-DD`) is outside the API's
 * documented `min`..=`max`; none for a blank value. `message` gets both bounds as shown dates.
 */
export function dayOutOfRange(field: string, value: string, min: string, max: string, message: (min: string, max: string) => string): ApiErrorItem[] {
  if (!value || (value >= min && value <= max)) return [];
  return [{ field, code: 'INVALID_INPUT', reason: 'DATE_OUT_OF_RANGE', local: true, message: message(min, max) }];
}
