// An application to the waiting list (a household and the facts that set its priority), or the
// correction of a waiting application's facts.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { CheckField, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../components/Form';
import { LoadError, Loading, NotFound } from '../../components/States';
import type { HousingApplicationFieldsFragment, IncomeBand } from '../../gql/graphql';
import { dayOutOfRange, missingFields, useLoad, useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';
import { today } from '../../time';
import { HousingApplicationQuery, HousingApplyMutation, HousingUpdateApplicationMutation } from './operations';
import { HouseholdPicker, HousingTabs, INCOME_BANDS } from './common';

const FIELDS = ['householdId', 'appliedOn', 'evictionNoticeOn', 'incomeBand', 'healthOrDisability', 'note', 'facts.evictionNoticeOn', 'facts.incomeBand', 'facts.note'];

export function NewApplication() {
  return <ApplicationForm />;
}

export function EditApplication() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const app = useLoad(() => request(HousingApplicationQuery, { id }), [id]);
  if (app.loading && !app.data) return <Loading />;
  if (app.error && !app.error.has('NOT_FOUND')) return <LoadError error={app.error} />;
  const a = app.data?.node && 'score' in app.data.node ? (app.data.node as HousingApplicationFieldsFragment) : null;
  if (!a) return <NotFound title={t('housing.application.notFound')} help={t('housing.application.notFoundHelp')} back={{ to: '/abitare/lista-di-attesa', label: t('housing.waiting.back') }} />;
  return <ApplicationForm existing={a} />;
}

function ApplicationForm({ existing }: { existing?: HousingApplicationFieldsFragment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useSubmit(FIELDS);
  const [householdId, setHouseholdId] = useState(existing?.householdId ?? params.get('nucleo') ?? '');
  const [appliedOn, setAppliedOn] = useState(today());
  const [evictionNoticeOn, setEvictionNoticeOn] = useState(existing?.evictionNoticeOn ?? '');
  const [incomeBand, setIncomeBand] = useState<string>(existing?.incomeBand ?? '');
  const [health, setHealth] = useState(existing?.healthOrDisability ?? false);
  const [note, setNote] = useState(existing?.note ?? '');
  const err = (f: string) => form.fieldError(f) ?? form.fieldError(`facts.${f}`);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = missingFields(existing ? { incomeBand } : { householdId, appliedOn, incomeBand }, t('errors.reasons.REQUIRED'));
    if (!existing) {
      local.push(
        ...dayOutOfRange('appliedOn', appliedOn, '2000-01-01', today(), (min, max) => t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) })),
      );
    }
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const facts = { evictionNoticeOn: evictionNoticeOn || null, incomeBand: incomeBand as IncomeBand, healthOrDisability: health, note: note.trim() || null };
    if (existing) {
      const done = await form.run(() => request(HousingUpdateApplicationMutation, { input: { id: existing.id, expectedVersion: existing.version, facts } }));
      if (done) navigate(`/abitare/domande/${encodeURIComponent(existing.id)}`);
      return;
    }
    const done = await form.run(() => request(HousingApplyMutation, { input: { householdId, appliedOn, facts } }));
    if (done) navigate(`/abitare/domande/${encodeURIComponent(done.applyForHousing.id)}`);
  };

  return (
    <>
      <h1 className="h2">{existing ? t('housing.applicationForm.editTitle') : t('housing.applicationForm.newTitle')}</h1>
      <HousingTabs />
      <form onSubmit={submit} noValidate data-testid="application-form">
        {existing ? (
          <p>
            {t('housing.household')}: <strong><bdi>{existing.household.label}</bdi></strong>
          </p>
        ) : (
          <>
            <HouseholdPicker value={householdId} onChange={setHouseholdId} error={form.fieldError('householdId')} />
            <TextField type="date" label={t('housing.applicationForm.appliedOn')} value={appliedOn} onChange={setAppliedOn} max={today()} error={form.fieldError('appliedOn')} required />
          </>
        )}
        <TextField
          type="date"
          label={t('housing.applicationForm.evictionNoticeOn')}
          value={evictionNoticeOn}
          onChange={setEvictionNoticeOn}
          hint={t('housing.applicationForm.evictionHint')}
          error={err('evictionNoticeOn')}
        />
        <SelectField
          label={t('housing.applicationForm.incomeBand')}
          value={incomeBand}
          onChange={setIncomeBand}
          placeholder={t('common.choose')}
          options={INCOME_BANDS.map((b) => ({ value: b, label: t(`housing.incomeBand.${b}`) }))}
          hint={t('housing.applicationForm.incomeHint')}
          error={err('incomeBand')}
          required
        />
        <fieldset className="mb-3 special-category" data-testid="special-category">
          <legend className="fs-6 fw-semibold mb-1">{t('housing.applicationForm.specialTitle')}</legend>
          <p className="small mb-2">{t('housing.applicationForm.specialHelp')}</p>
          <CheckField label={t('housing.applicationForm.health')} checked={health} onChange={setHealth} />
        </fieldset>
        <TextArea label={t('housing.applicationForm.note')} value={note} onChange={setNote} error={err('note')} maxLength={2000} />
        <FormErrors errors={form.general} />
        <div className="d-flex gap-2 flex-wrap">
          <SubmitButton busy={form.busy}>{existing ? t('housing.applicationForm.save') : t('housing.applicationForm.submit')}</SubmitButton>
          <Link to={existing ? `/abitare/domande/${encodeURIComponent(existing.id)}` : '/abitare/lista-di-attesa'} className="btn btn-outline-primary">
            {t('housing.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}
