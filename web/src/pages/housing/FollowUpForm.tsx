// A follow-up's outcome: the day of the check (from its due day to today), whether the household
// is still housed, and where.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckField, FormErrors, SelectField, SubmitButton, TextField } from '../../components/Form';
import { dayOutOfRange, missingFields, useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';
import { today } from '../../time';
import { HousingRecordFollowUpMutation } from './operations';
import { DESTINATIONS } from './common';

export function FollowUpForm({ followUp, onDone }: { followUp: { id: string; version: number; dueOn: string; months: number }; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['on', 'stillHoused', 'destination']);
  const [on, setOn] = useState(today());
  const [stillHoused, setStillHoused] = useState(true);
  const [destination, setDestination] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = [
      ...missingFields({ on, destination }, t('errors.reasons.REQUIRED')),
      ...dayOutOfRange('on', on, followUp.dueOn, today(), (min, max) => t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) })),
    ];
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const done = await form.run(() =>
      request(HousingRecordFollowUpMutation, { input: { id: followUp.id, expectedVersion: followUp.version, on, stillHoused, destination: destination as never } }),
    );
    if (done) onDone();
  };
  return (
    <form onSubmit={submit} noValidate data-testid="follow-up-form" aria-label={t('housing.followUp.formLabel', { months: followUp.months })}>
      <TextField type="date" label={t('housing.followUp.on')} value={on} onChange={setOn} min={followUp.dueOn} max={today()} error={form.fieldError('on')} required />
      <CheckField label={t('housing.followUp.stillHoused')} checked={stillHoused} onChange={setStillHoused} />
      <SelectField
        label={t('housing.followUp.destination')}
        value={destination}
        onChange={setDestination}
        placeholder={t('common.choose')}
        options={DESTINATIONS.map((d) => ({ value: d, label: t(`housing.destination.${d}`) }))}
        error={form.fieldError('destination')}
        required
      />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('housing.followUp.submit')}</SubmitButton>
    </form>
  );
}
