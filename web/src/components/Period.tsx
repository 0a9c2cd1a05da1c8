import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import { TextField } from './Form';
import { thisMonth } from '../time';

export interface Period {
  from: string | null;
  to: string | null;
}

/**
 * Months `YYYY-MM`; empty means the server's default (the last twelve months, to this month on
 * the tenant's clock, which also bounds the choice).
 */
export function PeriodForm({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(value.from ?? '');
  const [to, setTo] = useState(value.to ?? '');
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
