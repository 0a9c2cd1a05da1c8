// The staff's form of a volunteer: a new entry (`addVolunteer`, with the days the code of
// conduct was signed and consent given) or a correction at the version loaded
// (`updateVolunteer`, with the day the minors check was seen).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { CheckField, CheckGroup, FormErrors, SubmitButton, TextField } from '../../../components/Form';
import { LanguagesField, type LanguageSkill } from '../../../components/PersonEditForm';
import { useSubmit } from '../../../hooks';
import { today } from '../../../time';
import type { LanguageLevel } from '../../../gql/graphql';
import { RegisterAddVolunteerMutation, RegisterUpdateVolunteerMutation } from './operations';
import { AvailabilityEditor, availabilityInput, availabilityOf, LIMITS, useSkillName, useVolunteerChecks, type AvailabilityValue, type LoadedAvailability, type Skill } from './shared';

export type Editable = {
  id: string;
  version: number;
  givenNames: string;
  familyNames: string;
  email?: string | null;
  phone?: string | null;
  languages: { code: string; level: string }[];
  skills: string[];
  territories: string[];
  availability: LoadedAvailability;
  worksWithMinors: boolean;
  minorsCheckOn?: string | null;
};

const FIELDS = ['givenNames', 'familyNames', 'email', 'phone', 'languages', 'skills', 'territories', 'availability', 'worksWithMinors', 'minorsCheckOn', 'conductSignedOn', 'dataConsentOn'];

export function VolunteerForm({
  volunteer,
  skills,
  territories,
  onSaved,
}: {
  volunteer?: Editable;
  skills: Skill[];
  territories: { istatCode: string; name: string }[];
  onSaved: (id: string) => void;
}) {
  const { t } = useTranslation();
  const skillName = useSkillName();
  const [givenNames, setGivenNames] = useState(volunteer?.givenNames ?? '');
  const [familyNames, setFamilyNames] = useState(volunteer?.familyNames ?? '');
  const [email, setEmail] = useState(volunteer?.email ?? '');
  const [phone, setPhone] = useState(volunteer?.phone ?? '');
  const [languages, setLanguages] = useState<LanguageSkill[]>(volunteer?.languages ?? []);
  const [chosenSkills, setSkills] = useState<string[]>(volunteer?.skills ?? []);
  const [chosenTerritories, setTerritories] = useState<string[]>(volunteer?.territories ?? []);
  const [availability, setAvailability] = useState<AvailabilityValue>(() => (volunteer ? availabilityOf(volunteer.availability) : { weekly: [], exceptions: [] }));
  const [minors, setMinors] = useState(volunteer?.worksWithMinors ?? false);
  const [minorsCheckOn, setMinorsCheckOn] = useState(volunteer?.minorsCheckOn ?? '');
  const [conductSignedOn, setConductSignedOn] = useState('');
  const [dataConsentOn, setDataConsentOn] = useState('');
  const [saved, setSaved] = useState(false);
  const form = useSubmit(FIELDS);
  const err = form.fieldError;
  const check = useVolunteerChecks();

  // A retired skill stays on offer only to the volunteer who has it; so do the municipalities.
  const skillOptions = skills.filter((s) => !s.retired || volunteer?.skills.includes(s.code));
  const territoryOptions = [
    ...territories,
    ...(volunteer?.territories ?? []).filter((c) => !territories.some((x) => x.istatCode === c)).map((c) => ({ istatCode: c, name: c })),
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const wrong = check({ givenNames, familyNames, email, phone, languages, availability });
    if (wrong.length > 0) {
      form.setErrors(wrong);
      return;
    }
    const fields = {
      givenNames: givenNames.trim(),
      familyNames: familyNames.trim(),
      email: email.trim() || null,
      phone: phone.trim() || null,
      languages: languages.map((l) => ({ code: l.code, level: l.level as LanguageLevel })),
      skills: chosenSkills,
      territories: chosenTerritories,
      availability: availabilityInput(availability),
      worksWithMinors: minors,
    };
    if (volunteer) {
      const done = await form.run(() =>
        request(RegisterUpdateVolunteerMutation, {
          input: { id: volunteer.id, expectedVersion: volunteer.version, volunteer: fields, minorsCheckOn: minorsCheckOn || null },
        }),
      );
      if (done) {
        setSaved(true);
        onSaved(done.updateVolunteer.id);
      }
      return;
    }
    const done = await form.run(() =>
      request(RegisterAddVolunteerMutation, {
        input: { volunteer: fields, conductSignedOn: conductSignedOn || null, dataConsentOn: dataConsentOn || null },
      }),
    );
    if (done) onSaved(done.addVolunteer.id);
  };

  return (
    <form onSubmit={submit} noValidate data-testid="volunteer-form">
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.names')}</legend>
        <TextField label={t('volunteers.register.form.givenNames')} value={givenNames} onChange={setGivenNames} error={err('givenNames')} maxLength={LIMITS.name} autoComplete="off" required />
        <TextField label={t('volunteers.register.form.familyNames')} value={familyNames} onChange={setFamilyNames} error={err('familyNames')} maxLength={LIMITS.name} autoComplete="off" required />
      </fieldset>
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.contacts')}</legend>
        <p className="small">{t('volunteers.register.form.contactHint')}</p>
        <TextField label={t('volunteers.register.form.email')} type="email" value={email} onChange={setEmail} error={err('email')} maxLength={LIMITS.email} autoComplete="off" />
        <TextField label={t('volunteers.register.form.phone')} type="tel" value={phone} onChange={setPhone} error={err('phone')} maxLength={LIMITS.phone} hint={t('volunteers.register.form.phoneHint')} autoComplete="off" />
      </fieldset>
      <LanguagesField values={languages} onChange={setLanguages} error={err('languages')} />
      <CheckGroup
        legend={t('volunteers.register.form.skills')}
        options={skillOptions.map((s) => ({ value: s.code, label: <bdi>{skillName(s.code, skills)}</bdi> }))}
        values={chosenSkills}
        onChange={setSkills}
        error={err('skills')}
        name="skills"
      />
      <CheckGroup
        legend={t('volunteers.register.form.territories')}
        options={territoryOptions.map((x) => ({ value: x.istatCode, label: <bdi>{x.name}</bdi> }))}
        values={chosenTerritories}
        onChange={setTerritories}
        error={err('territories')}
        name="territories"
      />
      <AvailabilityEditor value={availability} onChange={setAvailability} error={err('availability')} />
      <fieldset className="mb-3">
        <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.minors')}</legend>
        <CheckField label={t('volunteers.register.form.worksWithMinors')} checked={minors} onChange={setMinors} />
        {volunteer && (
          <TextField
            label={t('volunteers.register.form.minorsCheckOn')}
            type="date"
            max={today()}
            value={minorsCheckOn}
            onChange={setMinorsCheckOn}
            hint={t('volunteers.register.form.minorsCheckHint')}
            error={err('minorsCheckOn')}
          />
        )}
      </fieldset>
      {!volunteer && (
        <fieldset className="mb-3">
          <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.agreements')}</legend>
          <TextField label={t('volunteers.register.form.conductSignedOn')} type="date" max={today()} value={conductSignedOn} onChange={setConductSignedOn} error={err('conductSignedOn')} />
          <TextField label={t('volunteers.register.form.dataConsentOn')} type="date" max={today()} value={dataConsentOn} onChange={setDataConsentOn} error={err('dataConsentOn')} />
        </fieldset>
      )}
      <FormErrors errors={form.general} />
      {saved && (
        <p className="text-success fw-semibold" role="status">
          {t('volunteers.register.form.saved')}
        </p>
      )}
      <SubmitButton busy={form.busy}>{volunteer ? t('volunteers.register.form.save') : t('volunteers.register.form.add')}</SubmitButton>
    </form>
  );
}
