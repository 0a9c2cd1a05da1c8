// The public application form (`/candidatura/:tenantId`), no account needed, in the console's
// five languages: names, contacts, languages, skills, municipalities, availability, the code of
// conduct and the consent to the processing of data. A hidden field (`website`) catches forms
// filled in by programs. The confirmation is the same whatever the register already held.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request, type ApiErrorItem } from '../../../api/client';
import { CheckField, CheckGroup, Feedback, FormErrors, SubmitButton, TextField } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import { useLoad, useSubmit } from '../../../hooks';
import type { LanguageLevel } from '../../../gql/graphql';
import { RegisterPublicFormQuery, RegisterSubmitApplicationMutation } from './operations';
import { AvailabilityEditor, availabilityInput, LIMITS, PublicLanguages, useSkillName, useVolunteerChecks, type AvailabilityValue, type SpokenLanguage } from './shared';

const FIELDS = ['givenNames', 'familyNames', 'email', 'phone', 'languages', 'skills', 'territories', 'availability', 'codeOfConductAccepted', 'dataProcessingConsent'];

export default function PublicForm() {
  const { t } = useTranslation();
  const { tenantId = '' } = useParams();
  const form = useLoad(() => request(RegisterPublicFormQuery, { tenantId }), [tenantId]);
  const [sent, setSent] = useState(false);
  if (form.loading && !form.data) return <Loading />;
  if (form.error) {
    if (form.error.has('NOT_FOUND')) {
      return (
        <div data-testid="application-unknown">
          <h1 className="h2">{t('volunteers.register.apply.title')}</h1>
          <EmptyState title={t('volunteers.register.apply.unknown')}>{t('volunteers.register.apply.unknownHelp')}</EmptyState>
        </div>
      );
    }
    return <LoadError error={form.error} />;
  }
  if (!form.data) return null;
  const data = form.data.publicVolunteerForm;
  if (sent) return <Sent tenantName={data.tenantName} />;
  return <ApplicationForm tenantId={tenantId} data={data} onSent={() => setSent(true)} />;
}

function Sent({ tenantName }: { tenantName: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="row justify-content-center" data-testid="application-sent">
      <div className="col-12 col-md-9 col-lg-7">
        <h1 className="h2" tabIndex={-1} ref={heading}>
          {t('volunteers.register.apply.sentTitle')}
        </h1>
        <p className="lead">{t('volunteers.register.apply.sentBody', { tenant: `\u2068${tenantName}\u2069` })}</p>
        <p>{t('volunteers.register.apply.sentNext')}</p>
      </div>
    </div>
  );
}

function ApplicationForm({
  tenantId,
  data,
  onSent,
}: {
  tenantId: string;
  data: { tenantName: string; territories: { istatCode: string; name: string }[]; skills: { code: string; label?: string | null; default: boolean; retired: boolean }[] };
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const skillName = useSkillName();
  const [givenNames, setGivenNames] = useState('');
  const [familyNames, setFamilyNames] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [languages, setLanguages] = useState<SpokenLanguage[]>([]);
  const [skills, setSkills] = useState<string[]>([]);
  const [territories, setTerritories] = useState<string[]>([]);
  const [availability, setAvailability] = useState<AvailabilityValue>({ weekly: [], exceptions: [] });
  const [minors, setMinors] = useState(false);
  const [conduct, setConduct] = useState(false);
  const [consent, setConsent] = useState(false);
  const [website, setWebsite] = useState('');
  const submit = useSubmit(FIELDS);
  const err = submit.fieldError;
  const check = useVolunteerChecks();

  const send = async (e: FormEvent) => {
    e.preventDefault();
    // Every field the browser can check is named at once, the agreements too, before asking the
    // server (which counts every attempt against the form's hourly limit). A language row left
    // wholly empty is dropped, not refused.
    const spoken = languages.filter((l) => l.code || l.level);
    const missing = [
      ...check({ givenNames, familyNames, email, phone, languages: spoken, availability }),
      ...(conduct ? [] : [{ code: 'INVALID_INPUT', local: true, field: 'codeOfConductAccepted', message: t('volunteers.register.apply.conductMissing') }]),
      ...(consent ? [] : [{ code: 'INVALID_INPUT', local: true, field: 'dataProcessingConsent', message: t('volunteers.register.apply.consentMissing') }]),
    ];
    if (missing.length > 0) {
      submit.setErrors(missing);
      window.scrollTo({ top: 0 });
      return;
    }
    const done = await submit.run(() =>
      request(RegisterSubmitApplicationMutation, {
        input: {
          tenantId,
          volunteer: {
            givenNames: givenNames.trim(),
            familyNames: familyNames.trim(),
            email: email.trim() || null,
            phone: phone.trim() || null,
            languages: spoken.map((l) => ({ code: l.code, level: l.level as LanguageLevel })),
            skills,
            territories,
            availability: availabilityInput(availability),
            worksWithMinors: minors,
          },
          codeOfConductAccepted: conduct,
          dataProcessingConsent: consent,
          website: website || null,
        },
      }),
    );
    if (done) onSent();
    else window.scrollTo({ top: 0 });
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-9 col-lg-7">
        <h1 className="h2">{t('volunteers.register.apply.title')}</h1>
        <p className="lead">
          {t('volunteers.register.apply.intro', { tenant: `\u2068${data.tenantName}\u2069` })}
        </p>
        {submit.errors.length > 0 && (
          <p className="text-danger fw-semibold" role="alert" data-testid="form-has-errors">
            {t('volunteers.register.apply.fix')}
          </p>
        )}
        <form onSubmit={send} noValidate data-testid="application-form">
          <fieldset className="mb-2">
            <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.names')}</legend>
            <TextField label={t('volunteers.register.form.givenNames')} value={givenNames} onChange={setGivenNames} error={err('givenNames')} maxLength={LIMITS.name} autoComplete="given-name" required />
            <TextField label={t('volunteers.register.form.familyNames')} value={familyNames} onChange={setFamilyNames} error={err('familyNames')} maxLength={LIMITS.name} autoComplete="family-name" required />
          </fieldset>
          <fieldset className="mb-2">
            <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.contacts')}</legend>
            <p className="small">{t('volunteers.register.form.contactHint')}</p>
            <TextField label={t('volunteers.register.form.email')} type="email" value={email} onChange={setEmail} error={err('email')} maxLength={LIMITS.email} autoComplete="email" inputMode="email" />
            <TextField label={t('volunteers.register.form.phone')} type="tel" value={phone} onChange={setPhone} error={err('phone')} maxLength={LIMITS.phone} hint={t('volunteers.register.form.phoneHint')} autoComplete="tel" inputMode="tel" />
          </fieldset>
          <PublicLanguages values={languages} onChange={setLanguages} error={err('languages')} />
          {data.skills.length > 0 && (
            <CheckGroup
              legend={t('volunteers.register.form.skills')}
              options={data.skills.map((s) => ({ value: s.code, label: <bdi>{skillName(s.code, data.skills)}</bdi> }))}
              values={skills}
              onChange={setSkills}
              error={err('skills')}
              name="skills"
            />
          )}
          {data.territories.length > 0 && (
            <CheckGroup
              legend={t('volunteers.register.form.territories')}
              options={data.territories.map((x) => ({ value: x.istatCode, label: <bdi>{x.name}</bdi> }))}
              values={territories}
              onChange={setTerritories}
              error={err('territories')}
              name="territories"
            />
          )}
          <AvailabilityEditor value={availability} onChange={setAvailability} error={err('availability')} />
          <fieldset className="mb-3">
            <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.minors')}</legend>
            <CheckField label={t('volunteers.register.apply.worksWithMinors')} checked={minors} onChange={setMinors} />
          </fieldset>
          <fieldset className="mb-3">
            <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.apply.agreements')}</legend>
            <div className="border rounded p-3 mb-2 small" data-testid="code-of-conduct">
              <h2 className="h6">{t('volunteers.register.apply.conductTitle')}</h2>
              <p className="mb-0">{t('volunteers.register.apply.conductText')}</p>
            </div>
            <Agreement label={t('volunteers.register.apply.conductAccept')} checked={conduct} onChange={setConduct} error={err('codeOfConductAccepted')} />
            <div className="border rounded p-3 mb-2 small" data-testid="privacy-notice">
              <h2 className="h6">{t('volunteers.register.apply.privacyTitle')}</h2>
              <p className="mb-0">{t('volunteers.register.apply.privacyText', { tenant: `\u2068${data.tenantName}\u2069` })}</p>
            </div>
            <Agreement label={t('volunteers.register.apply.consentAccept')} checked={consent} onChange={setConsent} error={err('dataProcessingConsent')} />
          </fieldset>
          {/* A field people never see nor hear: a program filling in every field gives itself away. */}
          <div className="visually-hidden" aria-hidden="true">
            <label htmlFor="website">Website</label>
            <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} />
          </div>
          <FormErrors errors={submit.general} />
          <SubmitButton busy={submit.busy}>{t('volunteers.register.apply.submit')}</SubmitButton>
        </form>
      </div>
    </div>
  );
}

/** A required checkbox with its error next to it. */
function Agreement({ label, checked, onChange, error }: { label: string; checked: boolean; onChange: (v: boolean) => void; error?: ApiErrorItem }) {
  const id = useId();
  return (
    <div className="form-check mb-3">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-required="true"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label htmlFor={id}>
        {label}
        <span aria-hidden="true"> *</span>
      </label>
      <Feedback id={id} error={error} />
    </div>
  );
}
