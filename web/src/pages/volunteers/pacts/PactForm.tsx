// A pact's proposal (staff): who proposes it (an association, a group, a citizen, or volunteers
// of the register), the municipality and the common good, the activities and what each side
// commits to, the start, the duration and what happens at its end.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request, type ApiErrorItem } from '../../../api/client';
import { CheckGroup, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../../components/Form';
import type { CommonGoodKind, PactRenewal, ProposerKind } from '../../../gql/graphql';
import { isolate } from '../../../bidi';
import { dayOutOfRange, useLoad, useShapeErrors, useSubmit, wholeNumber, yearsFrom } from '../../../hooks';
import { formatDate } from '../../../i18n';
import { useTerritoryNames } from '../../../territories';
import { today } from '../../../time';
import { PactsAddMutation, PactsUpdateMutation, PactsVolunteersQuery } from './operations';
import { COMMITMENTS_MAX, DURATION_MAX, DURATION_MIN, EMAIL_MAX, GOOD_KINDS, NAME_MAX, NOTE_MAX, PHONE_MAX, PROPOSER_KINDS, RENEWALS, TEXT_MAX } from './common';

const FIELDS = [
  'proposerKind',
  'proposerName',
  'proposerVolunteerIds',
  'proposerEmail',
  'proposerPhone',
  'municipality',
  'goodKind',
  'goodName',
  'goodAddress',
  'activities',
  'municipalityCommitments',
  'proposerCommitments',
  'startDate',
  'durationMonths',
  'renewal',
];

/** The terms of a pact being corrected (while proposed or under evaluation), at its version. */
export interface ExistingPact {
  id: string;
  version: number;
  proposerKind: ProposerKind;
  proposerName: string;
  proposerVolunteerIds: string[];
  proposerEmail?: string | null;
  proposerPhone?: string | null;
  municipality: string;
  goodKind: CommonGoodKind;
  goodName: string;
  goodAddress?: string | null;
  activities: string;
  municipalityCommitments: string;
  proposerCommitments: string;
  startDate: string;
  durationMonths: number;
  renewal: PactRenewal;
}

/** A new proposal (its own page), or the correction of an existing pact's terms (`existing`). */
export default function PactForm({ existing, onDone }: { existing?: ExistingPact; onDone?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useSubmit(FIELDS);
  const { territories } = useTerritoryNames();
  const volunteers = useLoad(() => request(PactsVolunteersQuery), []);
  const [v, setV] = useState({
    // Who proposes, the kind of good and what happens at the end are chosen on purpose: a
    // default left by mistake would publish a citizen's name or renew a pact nobody asked to.
    proposerKind: (existing?.proposerKind ?? '') as string,
    proposerName: existing?.proposerName ?? '',
    proposerEmail: existing?.proposerEmail ?? '',
    proposerPhone: existing?.proposerPhone ?? '',
    municipality: existing?.municipality ?? '',
    goodKind: (existing?.goodKind ?? '') as string,
    goodName: existing?.goodName ?? '',
    goodAddress: existing?.goodAddress ?? '',
    activities: existing?.activities ?? '',
    municipalityCommitments: existing?.municipalityCommitments ?? '',
    proposerCommitments: existing?.proposerCommitments ?? '',
    startDate: existing?.startDate ?? today(),
    durationMonths: existing ? String(existing.durationMonths) : '12',
    renewal: (existing?.renewal ?? '') as string,
  });
  const [volunteerIds, setVolunteerIds] = useState<string[]>(existing?.proposerVolunteerIds ?? []);
  const set = (key: keyof typeof v) => (value: string) => setV((prev) => ({ ...prev, [key]: value }));
  const byVolunteers = v.proposerKind === 'VOLUNTEERS';
  const shapes = useShapeErrors();

  const submit = async () => {
    const required = (['proposerKind', 'proposerName', 'municipality', 'goodKind', 'goodName', 'activities', 'municipalityCommitments', 'proposerCommitments', 'startDate', 'durationMonths', 'renewal'] as const).filter(
      (k) => !v[k].trim(),
    );
    const local: ApiErrorItem[] = required.map((field) => ({ field, code: 'INVALID_INPUT', local: true, message: t('errors.reasons.REQUIRED') }));
    if (byVolunteers && volunteerIds.length === 0) {
      local.push({ field: 'proposerVolunteerIds', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.REQUIRED') });
    }
    // What the form can tell besides the missing fields, in the same answer: a contact that
    // cannot be one, a duration that is no number or outside the API's 1–60 months.
    const notNumber = v.durationMonths.trim() !== '' && Number.isNaN(wholeNumber(v.durationMonths));
    if (notNumber) {
      local.push({ field: 'durationMonths', code: 'INVALID_INPUT', local: true, message: t('volunteers.pacts.form.durationNumber') });
    }
    local.push(
      ...shapes([
        { field: 'proposerEmail', email: v.proposerEmail },
        { field: 'proposerPhone', phone: v.proposerPhone },
        ...(notNumber ? [] : [{ field: 'durationMonths', number: v.durationMonths, min: DURATION_MIN, max: DURATION_MAX }]),
      ]),
    );
    // The start: a day from 2000 to five years ahead.
    local.push(...dayOutOfRange('startDate', v.startDate, '2000-01-01', yearsFrom(today(), 5), (min, max) => t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) })));
    local.sort((a, b) => FIELDS.indexOf(a.field ?? '') - FIELDS.indexOf(b.field ?? ''));
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const pact = {
      proposerKind: v.proposerKind as ProposerKind,
      proposerName: v.proposerName.trim(),
      proposerVolunteerIds: byVolunteers ? volunteerIds : [],
      proposerEmail: v.proposerEmail.trim() || null,
      proposerPhone: v.proposerPhone.trim() || null,
      municipality: v.municipality,
      goodKind: v.goodKind as CommonGoodKind,
      goodName: v.goodName.trim(),
      goodAddress: v.goodAddress.trim() || null,
      activities: v.activities.trim(),
      municipalityCommitments: v.municipalityCommitments.trim(),
      proposerCommitments: v.proposerCommitments.trim(),
      startDate: v.startDate,
      durationMonths: wholeNumber(v.durationMonths),
      renewal: v.renewal as PactRenewal,
    };
    if (existing) {
      const done = await form.run(() => request(PactsUpdateMutation, { input: { id: existing.id, pact, expectedVersion: existing.version } }));
      if (done) onDone?.();
      return;
    }
    const done = await form.run(() => request(PactsAddMutation, { input: pact }));
    if (done) navigate(`/patti/${encodeURIComponent(done.addPact.id)}`);
  };

  return (
    <>
      {!existing && (
        <>
          <Link to="/patti" className="back-link">
            {t('volunteers.pacts.pact.back')}
          </Link>
          <h1 className="h2">{t('volunteers.pacts.form.title')}</h1>
        </>
      )}
      <p>{t('volunteers.pacts.form.help')}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="mb-4">
          <legend className="h4">{t('volunteers.pacts.form.proposer')}</legend>
          <div className="row">
            <div className="col-12 col-md-6">
              <SelectField
                label={t('volunteers.pacts.form.proposerKind')}
                value={v.proposerKind}
                onChange={set('proposerKind')}
                placeholder={t('common.choose')}
                required
                options={PROPOSER_KINDS.map((k) => ({ value: k, label: t(`volunteers.pacts.proposerKind.${k}`) }))}
                error={form.fieldError('proposerKind')}
              />
            </div>
            <div className="col-12 col-md-6">
              <TextField
                label={byVolunteers ? t('volunteers.pacts.form.groupName') : t('volunteers.pacts.form.proposerName')}
                value={v.proposerName}
                onChange={set('proposerName')}
                required
                maxLength={NAME_MAX}
                hint={v.proposerKind ? t(`volunteers.pacts.form.nameHint.${v.proposerKind}`) : undefined}
                error={form.fieldError('proposerName')}
              />
            </div>
          </div>
          {byVolunteers && (
            <CheckGroup
              legend={`${t('volunteers.pacts.form.volunteers')} *`}
              options={(volunteers.data?.volunteers.nodes ?? []).map((x) => ({ value: x.id, label: <bdi>{`${x.givenNames} ${x.familyNames}`}</bdi> }))}
              values={volunteerIds}
              onChange={setVolunteerIds}
              error={form.fieldError('proposerVolunteerIds')}
            />
          )}
          {byVolunteers && volunteers.data && volunteers.data.volunteers.nodes.length === 0 && (
            <p className="text-muted small">{t('volunteers.pacts.form.noVolunteers')}</p>
          )}
          <div className="row">
            <div className="col-12 col-md-6">
              <TextField type="email" label={t('volunteers.pacts.form.email')} value={v.proposerEmail} onChange={set('proposerEmail')} maxLength={EMAIL_MAX} error={form.fieldError('proposerEmail')} />
            </div>
            <div className="col-12 col-md-6">
              <TextField
                type="tel"
                label={t('volunteers.pacts.form.phone')}
                value={v.proposerPhone}
                onChange={set('proposerPhone')}
                maxLength={PHONE_MAX}
                hint={t('volunteers.pacts.form.phoneHint')}
                error={form.fieldError('proposerPhone')}
              />
            </div>
          </div>
        </fieldset>
        <fieldset className="mb-4">
          <legend className="h4">{t('volunteers.pacts.form.good')}</legend>
          <div className="row">
            <div className="col-12 col-md-6">
              <SelectField
                label={t('volunteers.pacts.form.municipality')}
                value={v.municipality}
                onChange={set('municipality')}
                placeholder={t('common.choose')}
                required
                options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
                error={form.fieldError('municipality')}
              />
            </div>
            <div className="col-12 col-md-6">
              <SelectField
                label={t('volunteers.pacts.form.goodKind')}
                value={v.goodKind}
                onChange={set('goodKind')}
                placeholder={t('common.choose')}
                required
                options={GOOD_KINDS.map((k) => ({ value: k, label: t(`volunteers.pacts.goodKind.${k}`) }))}
                error={form.fieldError('goodKind')}
              />
            </div>
            <div className="col-12 col-md-6">
              <TextField label={t('volunteers.pacts.form.goodName')} value={v.goodName} onChange={set('goodName')} required maxLength={NAME_MAX} error={form.fieldError('goodName')} />
            </div>
            <div className="col-12 col-md-6">
              <TextField label={t('volunteers.pacts.form.goodAddress')} value={v.goodAddress} onChange={set('goodAddress')} maxLength={NOTE_MAX} error={form.fieldError('goodAddress')} />
            </div>
          </div>
        </fieldset>
        <fieldset className="mb-4">
          <legend className="h4">{t('volunteers.pacts.form.terms')}</legend>
          <TextArea label={t('volunteers.pacts.form.activities')} value={v.activities} onChange={set('activities')} required maxLength={TEXT_MAX} hint={t('volunteers.pacts.form.activitiesHint')} error={form.fieldError('activities')} />
          <TextArea
            label={t('volunteers.pacts.form.municipalityCommitments')}
            value={v.municipalityCommitments}
            onChange={set('municipalityCommitments')}
            required
            maxLength={COMMITMENTS_MAX}
            hint={t('volunteers.pacts.form.commitmentsHint')}
            error={form.fieldError('municipalityCommitments')}
          />
          <TextArea
            label={t('volunteers.pacts.form.proposerCommitments')}
            value={v.proposerCommitments}
            onChange={set('proposerCommitments')}
            required
            maxLength={COMMITMENTS_MAX}
            hint={t('volunteers.pacts.form.commitmentsHint')}
            error={form.fieldError('proposerCommitments')}
          />
          <div className="row">
            <div className="col-12 col-md-4">
              <TextField type="date" label={t('volunteers.pacts.form.startDate')} value={v.startDate} onChange={set('startDate')} required error={form.fieldError('startDate')} />
            </div>
            <div className="col-12 col-md-4">
              <TextField
                label={t('volunteers.pacts.form.durationMonths')}
                inputMode="numeric"
                value={v.durationMonths}
                onChange={set('durationMonths')}
                required
                maxLength={2}
                hint={t('volunteers.pacts.form.durationHint')}
                error={form.fieldError('durationMonths')}
              />
            </div>
            <div className="col-12 col-md-4">
              <SelectField
                label={t('volunteers.pacts.form.renewal')}
                value={v.renewal}
                onChange={set('renewal')}
                placeholder={t('common.choose')}
                required
                options={RENEWALS.map((k) => ({ value: k, label: t(`volunteers.pacts.renewal.${k}`) }))}
                error={form.fieldError('renewal')}
              />
            </div>
          </div>
        </fieldset>
        <FormErrors errors={form.general} />
        <div className="d-flex flex-wrap gap-2">
          <SubmitButton busy={form.busy}>{existing ? t('volunteers.pacts.form.save') : t('volunteers.pacts.form.submit')}</SubmitButton>
          {existing && (
            <button type="button" className="btn btn-outline-secondary" onClick={onDone}>
              {t('volunteers.pacts.form.cancel')}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
