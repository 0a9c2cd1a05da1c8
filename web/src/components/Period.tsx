import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import { TextField } from './Form';
import { periodShown, thisMonth } from '../time';

export interface Period {
  from: string | null;
  to: string | null;
}

/**
 * Months `YYYY-MM`. The fields show the period that applies: the server's default when none was
 * chosen (the last twelve months, to this month on the tenant's clock, which also bounds the
 * choice); a field emptied falls back to that default.
 */
export function PeriodForm({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  const { t } = useTranslation();
  const shown = periodShown(value);
  const [from, setFrom] = useState(shown.from);
  const [to, setTo] = useState(shown.to);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ from: from || null, to: to || null });
  };
  return (
    <form className="period-form" onSubmit={submit} aria-label={t('dashboard.period')}>
      <TextField label={t('dashboard.from')} type="month" value={from} onChange={setFrom} max={thisMonth()} />
      <TextField label={t('dashboard.to')} type="month" value={to} onChange={setTo} max={thisMonth()} />
      <Button type="submit" color="primary" outline>
        {t('dashboard.apply')}
      </Button>
    </form>
  );
}
