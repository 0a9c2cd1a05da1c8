// A volunteer's own record (`/il-mio-profilo`): names and contacts as the register holds them,
// and the languages, skills and availability they keep up to date themselves.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { CheckGroup, FormErrors, SubmitButton } from '../../../components/Form';
import { LanguagesField, type LanguageSkill } from '../../../components/PersonEditForm';
import { LoadError, Loading } from '../../../components/States';
import { useLoad, useSubmit } from '../../../hooks';
import type { LanguageLevel, RegisterMyVolunteerQuery as MyResult } from '../../../gql/graphql';
import { RegisterMySkillsQuery, RegisterMyVolunteerQuery, RegisterUpdateMyVolunteerMutation } from './operations';
import { AvailabilityEditor, availabilityInput, availabilityOf, Fact, isNotActive, StatusBadge, useSkillName, useVolunteerChecks, VolunteerNotActive, type AvailabilityValue, type Skill } from './shared';

type Mine = MyResult['myVolunteer'];

export default function MyProfile() {
  const { t } = useTranslation();
  const mine = useLoad(() => request(RegisterMyVolunteerQuery), []);
  // The taxonomy names the tenant's own skills; without it the codes are shown.
  const skills = useLoad(() => request(RegisterMySkillsQuery).then((r) => r.skills).catch(() => [] as Skill[]), []);
  if (mine.loading && !mine.data) return <Loading />;
  if (isNotActive(mine.error)) {
    return (
      <>
        <h1 className="h2">{t('volunteers.register.mine.title')}</h1>
        <VolunteerNotActive />
      </>
    );
  }
  if (mine.error) return <LoadError error={mine.error} />;
  if (!mine.data || !skills.data) return <Loading />;
  const v = mine.data.myVolunteer;
  return (
    <>
      <h1 className="h2">{t('volunteers.register.mine.title')}</h1>
      <p className="lead">{t('volunteers.register.mine.intro')}</p>
      <dl className="row" data-testid="my-record">
        <Fact term={t('volunteers.register.mine.name')}>
          <bdi>{`${v.givenNames} ${v.familyNames}`}</bdi>
        </Fact>
        {v.email && (
          <Fact term={t('volunteers.register.form.email')}>
            <bdi>{v.email}</bdi>
          </Fact>
        )}
        {v.phone && (
          <Fact term={t('volunteers.register.form.phone')}>
            <bdi dir="ltr">{v.phone}</bdi>
          </Fact>
        )}
        <Fact term={t('volunteers.register.profile.status')}>
          <StatusBadge status={v.status} />
        </Fact>
      </dl>
      <p className="small">{t('volunteers.register.mine.contactStaff')}</p>
      <MyForm key={v.id} mine={v} skills={skills.data} onSaved={mine.reload} />
    </>
  );
}

function MyForm({ mine, skills, onSaved }: { mine: Mine; skills: Skill[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const skillName = useSkillName();
  const [languages, setLanguages] = useState<LanguageSkill[]>(mine.languages);
  const [chosen, setChosen] = useState<string[]>(mine.skills);
  const [availability, setAvailability] = useState<AvailabilityValue>(() => availabilityOf(mine.availability));
  const [saved, setSaved] = useState(false);
  const form = useSubmit(['languages', 'skills', 'availability']);
  const check = useVolunteerChecks();
  const options = [
    ...skills.filter((s) => !s.retired || mine.skills.includes(s.code)).map((s) => s.code),
    ...mine.skills.filter((c) => !skills.some((s) => s.code === c)),
  ];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const wrong = check({ languages, availability });
    if (wrong.length > 0) {
      form.setErrors(wrong);
      return;
    }
    const done = await form.run(() =>
      request(RegisterUpdateMyVolunteerMutation, {
        input: {
          expectedVersion: mine.version,
          languages: languages.map((l) => ({ code: l.code, level: l.level as LanguageLevel })),
          skills: chosen,
          availability: availabilityInput(availability),
        },
      }),
    );
    if (done) {
      setSaved(true);
      onSaved();
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid="my-volunteer-form">
      <LanguagesField values={languages} onChange={setLanguages} error={form.fieldError('languages')} />
      <CheckGroup
        legend={t('volunteers.register.form.skills')}
        options={options.map((c) => ({ value: c, label: <bdi>{skillName(c, skills)}</bdi> }))}
        values={chosen}
        onChange={setChosen}
        error={form.fieldError('skills')}
        name="skills"
      />
      <AvailabilityEditor value={availability} onChange={setAvailability} error={form.fieldError('availability')} />
      <FormErrors errors={form.general} />
      {saved && (
        <p className="text-success fw-semibold" role="status" data-testid="my-saved">
          {t('volunteers.register.form.saved')}
        </p>
      )}
      <SubmitButton busy={form.busy}>{t('volunteers.register.form.save')}</SubmitButton>
    </form>
  );
}
