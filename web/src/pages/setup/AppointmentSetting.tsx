// The tenant's default lead time of appointment reminders: hours before the start, on the
// tenant's clock, for a booking that gives none; empty for no automatic reminder. The server
// keeps the range (1 to 336) and names the field of a value out of it.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { AppointmentSettingsQuery, SetAppointmentSettingsMutation } from '../../api/operations';
import { FormErrors, SubmitButton, TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/States';
import { useLoad, useSubmit, wholeNumber } from '../../hooks';
import { formatNumber } from '../../i18n';

export const REMINDER_HOURS = { min: 1, max: 336 };

export function AppointmentSetting() {
  const { t } = useTranslation();
  const loaded = useLoad(() => request(AppointmentSettingsQuery), []);
  const [hours, setHours] = useState('');
  const [saved, setSaved] = useState<number | null | undefined>(undefined);
  const form = useSubmit(['reminderHoursBefore']);
  useEffect(() => {
    if (!loaded.data) return;
    const h = loaded.data.appointmentSettings.reminderHoursBefore;
    setHours(h === null || h === undefined ? '' : String(h));
  }, [loaded.data]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(undefined);
    // Empty: no automatic reminder. What is not a whole number is said here; a whole number out
    // of range is the server's to name.
    const reminderHoursBefore = hours.trim() === '' ? null : wholeNumber(hours);
    if (reminderHoursBefore !== null && Number.isNaN(reminderHoursBefore)) {
      form.setErrors([{ field: 'reminderHoursBefore', code: 'INVALID_INPUT', local: true, message: t('setup.appointments.whole') }]);
      return;
    }
    const done = await form.run(() => request(SetAppointmentSettingsMutation, { input: { reminderHoursBefore } }));
    if (done) {
      const h = done.setAppointmentSettings.reminderHoursBefore ?? null;
      setHours(h === null ? '' : String(h));
      setSaved(h);
    }
  };

  return (
    <form className="card card-bg p-3 mb-4" onSubmit={submit} noValidate data-testid="appointment-settings" aria-labelledby="appointment-settings-title">
      <h2 className="h5" id="appointment-settings-title">
        {t('setup.appointments.title')}
      </h2>
      <p>{t('setup.appointments.intro')}</p>
      <TextField
        label={t('setup.appointments.hours')}
        hint={t('setup.appointments.hoursHint', { min: REMINDER_HOURS.min, max: REMINDER_HOURS.max })}
        inputMode="numeric"
        value={hours}
        onChange={(v) => {
          setHours(v);
          setSaved(undefined);
        }}
        error={form.fieldError('reminderHoursBefore')}
      />
      {saved !== undefined && (
        <p className="text-success fw-semibold" role="status" data-testid="appointment-settings-saved">
          {saved === null ? t('setup.appointments.savedNone') : t('setup.appointments.saved', { count: saved, n: formatNumber(saved) })}
        </p>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('setup.appointments.save')}</SubmitButton>
    </form>
  );
}
