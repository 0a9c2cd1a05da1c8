// A mediator's own profile: the languages they mediate in, dialects, whether they are available
// and how many confirmed requests they hold at once. The territories set by the coordinator are
// kept as they are.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckField, FormErrors, SubmitButton, TextField } from '../../components/Form';
import { CodeListPicker } from '../../components/Picker';
import { LoadError, Loading } from '../../components/States';
import { missingFields, useLoad, useSubmit, wholeNumber } from '../../hooks';
import { useLanguageOptions } from '../../iso';
import { useSession } from '../../session';
import { MediatorProfilesQuery, SetMediatorProfileMutation } from './operations';

export default function MediatorProfile() {
  const { t } = useTranslation();
  const { viewer } = useSession();
  const loaded = useLoad(() => request(MediatorProfilesQuery), []);
  const languagesOptions = useLanguageOptions();
  const form = useSubmit(['languages', 'dialects', 'maxActive']);
  const own = loaded.data?.mediatorProfiles.find((p) => p.userId === viewer?.user.id);
  const [languages, setLanguages] = useState<string[]>([]);
  const [dialects, setDialects] = useState('');
  const [available, setAvailable] = useState(true);
  const [maxActive, setMaxActive] = useState('3');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!own) return;
    setLanguages(own.languages);
    setDialects(own.dialects);
    setAvailable(own.available);
    setMaxActive(String(own.maxActive));
  }, [own]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} />;
  const submit = async () => {
    setSaved(false);
    const missing = missingFields({ languages, maxActive }, t('errors.reasons.REQUIRED'));
    const n = wholeNumber(maxActive);
    if (maxActive.trim() && !(n >= 1 && n <= 20)) {
      missing.push({ field: 'maxActive', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.OUT_OF_RANGE', { min: 1, max: 20 }) });
    }
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() =>
      request(SetMediatorProfileMutation, {
        input: { languages, dialects: dialects.trim(), territories: own?.territories ?? [], available, maxActive: n, expectedVersion: own ? own.version : null },
      }),
    );
    if (done) {
      setSaved(true);
      loaded.reload();
    }
  };
  return (
    <>
      <p className="mb-1">
        <Link to="/le-mie-richieste" className="back-link">
          {t('oncall.profile.back')}
        </Link>
      </p>
      <h1 className="h2">{t('oncall.profile.title')}</h1>
      <p>{t('oncall.profile.intro')}</p>
      {own && <p className="small text-muted" data-testid="profile-active">{t('oncall.profile.active', { count: own.active, max: own.maxActive })}</p>}
      <form
        className="case-section oncall-form"
        noValidate
        aria-label={t('oncall.profile.title')}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <CodeListPicker label={t('oncall.profile.languages')} options={languagesOptions} values={languages} onChange={setLanguages} error={form.fieldError('languages')} />
        <TextField label={t('oncall.profile.dialects')} value={dialects} onChange={setDialects} maxLength={200} hint={t('oncall.profile.dialectsHint')} error={form.fieldError('dialects')} />
        <CheckField label={t('oncall.profile.available')} checked={available} onChange={setAvailable} />
        <TextField type="text" inputMode="numeric" label={t('oncall.profile.maxActive')} value={maxActive} onChange={setMaxActive} required hint={t('oncall.profile.maxActiveHint')} error={form.fieldError('maxActive')} />
        <FormErrors errors={form.general} />
        {saved && (
          <p className="alert alert-success" role="status" data-testid="profile-saved">
            {t('oncall.profile.saved')}
          </p>
        )}
        <SubmitButton busy={form.busy}>{t('oncall.profile.save')}</SubmitButton>
      </form>
    </>
  );
}
