import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import type { ApiError, ApiErrorItem } from '../api/client';
import { TextField } from './Form';
import { periodShown, thisMonth } from '../time';

export interface Period {
  from: string | null;
  to: string | null;
}

/** The fields of a period, as the server names them in a refusal. */
const PERIOD_FIELDS = ['from', 'to'];

/** The server's refusals of the period (its fields), from any of the queries that sent it, once each. */
export function periodRefusals(...errors: (ApiError | undefined)[]): ApiErrorItem[] {
  const all = errors.flatMap((e) => e?.items ?? []).filter((i) => !!i.field && PERIOD_FIELDS.includes(i.field));
  return all.filter((i, n) => all.findIndex((j) => j.field === i.field && j.message === i.message) === n);
}

/**
 * Months `YYYY-MM`. The fields show the period that applies: the server's default when none was
 * chosen (the last twelve months, to this month on the tenant's clock, which also bounds the
 * choice); a field emptied falls back to that default. A first month after the last is named
 * next to the first field and not applied; `errors` are the server's refusals of the period,
 * shown next to the field they name.
 */
export function PeriodForm({ value, onChange, errors = [] }: { value: Period; onChange: (p: Period) => void; errors?: ApiErrorItem[] }) {
  const { t } = useTranslation();
  const shown = periodShown(value);
  const [from, setFrom] = useState(shown.from);
  const [to, setTo] = useState(shown.to);
  const [reversed, setReversed] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An emptied field stands for the default, so the check is on the months that would apply.
    const applied = periodShown({ from: from || null, to: to || null });
    if (applied.from > applied.to) {
      setReversed(true);
      return;
    }
    setReversed(false);
    onChange({ from: from || null, to: to || null });
  };
  const reversedError: ApiErrorItem | undefined = reversed ? { code: 'PERIOD_REVERSED', field: 'from', local: true, message: t('dashboard.periodReversed') } : undefined;
  const fieldError = (name: string) => (name === 'from' ? reversedError : undefined) ?? errors.find((e) => e.field === name);
  return (
    <form className="period-form" noValidate onSubmit={submit} aria-label={t('dashboard.period')} data-testid="period-form">
      <TextField label={t('dashboard.from')} type="month" value={from} onChange={setFrom} max={thisMonth()} error={fieldError('from')} />
      <TextField label={t('dashboard.to')} type="month" value={to} onChange={setTo} max={thisMonth()} error={fieldError('to')} />
      <Button type="submit" color="primary" outline>
        {t('dashboard.apply')}
      </Button>
    </form>
  );
}
