// The person's record, prefilled and sent back whole with `updatePerson` (the server replaces it)
// with the version it was loaded at. Each server error is shown next to the field it names; when
// someone else saved the record meanwhile, the form says so and offers to reload the current
// details or to reapply these changes on top of them.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type ApiErrorItem } from '../api/client';
import { PersonsByCodiceFiscaleQuery, UpdatePersonMutation } from '../api/operations';
import { CodiceFiscaleWarnings, type CodiceFiscaleWarning } from './CodiceFiscaleWarnings';
import type { CaseQuery as CaseResult, Sex } from '../gql/graphql';
import { useSubmit } from '../hooks';
import { FormErrors, SelectField, SubmitButton, TextField } from './Form';
import { CodeListPicker, CodePicker } from './Picker';
import { useCountryOptions, useLanguageOptions } from '../iso';
import { isolate } from '../bidi';

type CaseData = Exclude<NonNullable<CaseResult['node']>, Record<PropertyKey, never>>;
export type EditablePerson = CaseData['person'];

const FIELDS = [
  'givenNames',
  'familyNames',
  'latinGivenNames',
  'latinFamilyNames',
  'birth',
  'birth.year',
  'birth.month',
  'birth.day',
  'sex',
  'gender',
  'countryOfBirth',
  'citizenships',
  'languages',
  'phone',
  'email',
  'codiceFiscale',
  'legalStatus',
  'legalStatus.permitType',
  'legalStatus.permitNumber',
  'legalStatus.expiry',
  'territoryCode',
  'expectedVersion',
];

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
const orNull = (v: string) => v.trim() || null;
const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NATIVE'] as const;
const codes = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** The `code LEVEL` pairs of the languages field. */
const skills = (v: string) =>
  codes(v).map((l) => {
    const [code = '', level = ''] = l.split(/\s+/);
    return { code, level };
  });
const joinSkills = (list: { code: string; level: string }[]) => list.map((l) => `${l.code} ${l.level}`.trim()).join(', ');
/** A number typed by hand: empty is absent, anything else not a whole number is sent as 0 for the server to refuse. */
const whole = (v: string) => (v.trim() === '' ? null : Number.isInteger(Number(v)) ? Number(v) : 0);

/** The form's fields, as the text typed in them. */
type Values = {
  givenNames: string;
  familyNames: string;
  latinGivenNames: string;
  latinFamilyNames: string;
  year: string;
  month: string;
  day: string;
  sex: string;
  gender: string;
  countryOfBirth: string;
  /** Codes, comma-separated. */
  citizenships: string;
  /** `code LEVEL` pairs, comma-separated (the level may be empty until chosen). */
  languages: string;
  phone: string;
  email: string;
  codiceFiscale: string;
  territoryCode: string;
  permitType: string;
  permitNumber: string;
  expiry: string;
};

function valuesOf(person: EditablePerson): Values {
  return {
    givenNames: person.givenNames,
    familyNames: person.familyNames,
    latinGivenNames: person.latinGivenNames,
    latinFamilyNames: person.latinFamilyNames,
    year: text(person.birth?.year),
    month: text(person.birth?.month),
    day: text(person.birth?.day),
    sex: person.sex ?? '',
    gender: text(person.gender),
    countryOfBirth: text(person.countryOfBirth),
    citizenships: person.citizenships.join(', '),
    languages: person.languages.map((l) => `${l.code} ${l.level}`).join(', '),
    phone: text(person.phone),
    email: text(person.email),
    codiceFiscale: text(person.codiceFiscale),
    territoryCode: person.territoryCode,
    permitType: text(person.legalStatus?.permitType),
    permitNumber: text(person.legalStatus?.permitNumber),
    expiry: text(person.legalStatus?.expiry),
  };
}

/**
 * This user's changes on top of the details as they are now: a field they changed keeps their
 * value, every other field takes the current one (someone else's save is never undone).
 */
function reapply(mine: Values, loaded: Values, current: Values): Values {
  const out = { ...current };
  for (const key of Object.keys(mine) as (keyof Values)[]) {
    if (mine[key] !== loaded[key]) out[key] = mine[key];
  }
  return out;
}

/** A person's citizenships (ISO 3166-1 alpha-2 codes), picked by name; the edit and registration forms'. */
export function CitizenshipsField({ values, onChange, error }: { values: string[]; onChange: (codes: string[]) => void; error?: ApiErrorItem }) {
  const { t } = useTranslation();
  const options = useCountryOptions(true);
  return (
    <CodeListPicker
      label={t('personEdit.citizenships')}
      options={options}
      values={values}
      onChange={onChange}
      hint={t('personEdit.citizenshipsHint')}
      error={error}
    />
  );
}

/** A language a person speaks: its code and CEFR level (`A1`…`C2`, `NATIVE`; empty until chosen). */
export type LanguageSkill = { code: string; level: string };

/** The languages a person speaks, picked by name, each with its level; the edit and registration forms'. */
export function LanguagesField({
  values,
  onChange,
  error,
}: {
  values: LanguageSkill[];
  onChange: (skills: LanguageSkill[]) => void;
  error?: ApiErrorItem;
}) {
  const { t } = useTranslation();
  const options = useLanguageOptions();
  const id = useId();
  // The server names only the list; a refusal while a language has no level, or one outside
  // the scale, is about that level: it is shown on its select, not under the list.
  const levelWrong = (l: LanguageSkill) => !(LEVELS as readonly string[]).includes(l.level);
  const levelRefused = !!error && error.field === 'languages' && values.some(levelWrong);
  const name = (code: string) => options.find((o) => o.value === code)?.label ?? code;
  return (
    <CodeListPicker
      label={t('personEdit.languages')}
      options={options}
      values={values.map((l) => l.code)}
      onChange={(list) => onChange(list.map((code) => ({ code, level: values.find((l) => l.code === code)?.level ?? '' })))}
      hint={t('personEdit.languagesHint')}
      error={levelRefused ? undefined : error}
      extra={(code) => {
        const level = values.find((l) => l.code === code)?.level ?? '';
        const invalid = levelRefused && levelWrong({ code, level });
        const errorId = `${id}-${code}-level-error`;
        return (
          <>
            <select
              className={`form-select form-select-sm w-auto${invalid ? ' is-invalid' : ''}`}
              aria-label={t('personEdit.level', { name: isolate(name(code)) })}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? errorId : undefined}
              value={level}
              onChange={(e) => onChange(values.map((l) => (l.code === code ? { code, level: e.target.value } : l)))}
            >
              <option value="">{t('personEdit.levelChoose')}</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l === 'NATIVE' ? t('personEdit.native') : l}
                </option>
              ))}
            </select>
            {invalid && (
              <span id={errorId} className="invalid-feedback d-block field-error w-100" role="alert" data-testid="level-error">
                {level ? t('personEdit.levelRefused', { name: isolate(name(code)) }) : t('personEdit.levelMissing', { name: isolate(name(code)) })}
              </span>
            )}
          </>
        );
      }}
    />
  );
}

export function PersonEditForm({
  person,
  territories,
  onDone,
}: {
  person: EditablePerson;
  territories: { istatCode: string; name: string }[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  // The fields as typed, and as they were loaded (or last saved): what this user changed is the
  // difference between the two.
  const [values, setValues] = useState<Values>(() => valuesOf(person));
  const [loaded, setLoaded] = useState<Values>(() => valuesOf(person));
  const field = (name: keyof Values) => (v: string) => setValues((old) => ({ ...old, [name]: v }));
  const {
    givenNames,
    familyNames,
    latinGivenNames,
    latinFamilyNames,
    year,
    month,
    day,
    sex,
    gender,
    countryOfBirth,
    citizenships,
    languages,
    phone,
    email,
    codiceFiscale,
    territoryCode,
    permitType,
    permitNumber,
    expiry,
  } = values;
  const [setGivenNames, setFamilyNames, setLatinGivenNames, setLatinFamilyNames] = [
    field('givenNames'),
    field('familyNames'),
    field('latinGivenNames'),
    field('latinFamilyNames'),
  ];
  const [setYear, setMonth, setDay, setSex, setGender, setCountryOfBirth] = [
    field('year'),
    field('month'),
    field('day'),
    field('sex'),
    field('gender'),
    field('countryOfBirth'),
  ];
  const [setCitizenships, setLanguages, setPhone, setEmail, setCodiceFiscale, setTerritoryCode] = [
    field('citizenships'),
    field('languages'),
    field('phone'),
    field('email'),
    field('codiceFiscale'),
    field('territoryCode'),
  ];
  const [setPermitType, setPermitNumber, setExpiry] = [field('permitType'), field('permitNumber'), field('expiry')];
  const [saved, setSaved] = useState(false);
  const [reapplied, setReapplied] = useState(false);
  // The version the fields were loaded at (or last saved as): what an update is based on.
  const [base, setBase] = useState(person.version);
  // What to do with the details the page loads next: take them ("reload"), or put this user's
  // changes on top of them ("reapply").
  const [pending, setPending] = useState<'reload' | 'reapply' | null>(null);
  const form = useSubmit(FIELDS);
  const err = (...names: string[]) => names.map((n) => form.fieldError(n)).find(Boolean);
  // What the code contradicts on the record (kept with it), and, looked up by the code, other
  // persons holding it in its other form (possibly the same person).
  const [warnings, setWarnings] = useState<CodiceFiscaleWarning[]>(person.warnings);
  useEffect(() => {
    setWarnings(person.warnings);
    if (!person.codiceFiscale) return;
    let live = true;
    request(PersonsByCodiceFiscaleQuery, { codiceFiscale: person.codiceFiscale })
      .then((found) => {
        const self = found.persons.nodes.find((p) => p.id === person.id);
        if (live && self) setWarnings([...person.warnings, ...self.warnings]);
      })
      .catch(() => {
        // The lookup only adds warnings; the record itself is shown regardless.
      });
    return () => {
      live = false;
    };
  }, [person]);
  const stale = form.fieldError('expectedVersion');

  useEffect(() => {
    if (!pending) return;
    const current = valuesOf(person);
    setValues(pending === 'reload' ? current : reapply(values, loaded, current));
    setReapplied(pending === 'reapply');
    setLoaded(current);
    setBase(person.version);
    setPending(null);
    form.setErrors([]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [person]);

  const refresh = (then: 'reload' | 'reapply') => {
    setPending(then);
    onDone();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base);
  };

  const save = async (expectedVersion: number) => {
    setSaved(false);
    const done = await form.run(() =>
      request(UpdatePersonMutation, {
        id: person.id,
        expectedVersion,
        input: {
          givenNames: givenNames.trim(),
          familyNames: familyNames.trim(),
          latinGivenNames: orNull(latinGivenNames),
          latinFamilyNames: orNull(latinFamilyNames),
          birth: year.trim() || month.trim() || day.trim() ? { year: whole(year) ?? 0, month: whole(month), day: whole(day) } : null,
          sex: (sex || null) as Sex | null,
          gender: orNull(gender),
          countryOfBirth: orNull(countryOfBirth),
          citizenships: codes(citizenships),
          languages: skills(languages),
          phone: orNull(phone),
          email: orNull(email),
          codiceFiscale: orNull(codiceFiscale),
          legalStatus:
            permitType.trim() || permitNumber.trim() || expiry
              ? { permitType: permitType.trim(), permitNumber: orNull(permitNumber), expiry: expiry || null }
              : null,
          territoryCode,
        },
      }),
    );
    if (done) {
      setWarnings(done.updatePerson.warnings);
      setBase(done.updatePerson.version);
      setLoaded(values);
      setSaved(true);
      setReapplied(false);
      onDone();
    }
  };

  const countryOptions = useCountryOptions(false);
  const options = territories.some((x) => x.istatCode === territoryCode)
    ? territories
    : [{ istatCode: territoryCode, name: territoryCode }, ...territories];
  return (
    <form onSubmit={submit} noValidate data-testid="person-edit-form">
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('personEdit.names')}</legend>
        <TextField label={t('persons.givenNames')} value={givenNames} onChange={setGivenNames} error={err('givenNames')} hint={t('persons.oneNameHint')} />
        <TextField label={t('persons.familyNames')} value={familyNames} onChange={setFamilyNames} error={err('familyNames')} hint={t('persons.oneNameHint')} />
        <TextField
          label={t('personEdit.latinGivenNames')}
          value={latinGivenNames}
          onChange={setLatinGivenNames}
          hint={t('personEdit.latinHint')}
          error={err('latinGivenNames')}
        />
        <TextField label={t('personEdit.latinFamilyNames')} value={latinFamilyNames} onChange={setLatinFamilyNames} error={err('latinFamilyNames')} />
      </fieldset>
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('personEdit.birth')}</legend>
        <div className="row">
          <div className="col-4">
            <TextField label={t('personEdit.year')} value={year} onChange={setYear} inputMode="numeric" error={err('birth', 'birth.year')} />
          </div>
          <div className="col-4">
            <TextField label={t('personEdit.month')} value={month} onChange={setMonth} inputMode="numeric" error={err('birth.month')} />
          </div>
          <div className="col-4">
            <TextField label={t('personEdit.day')} value={day} onChange={setDay} inputMode="numeric" error={err('birth.day')} />
          </div>
        </div>
        <SelectField
          label={t('persons.sex')}
          value={sex}
          onChange={setSex}
          placeholder={t('common.notStated')}
          options={(['FEMALE', 'MALE', 'OTHER'] as const).map((s) => ({ value: s, label: t(`enum.Sex.${s}`) }))}
          error={err('sex')}
        />
        <TextField label={t('personEdit.gender')} value={gender} onChange={setGender} hint={t('personEdit.genderHint')} error={err('gender')} />
        <CodePicker
          label={t('persons.countryOfBirth')}
          options={countryOptions}
          value={countryOfBirth}
          onChange={setCountryOfBirth}
          hint={t('persons.countryHint')}
          error={err('countryOfBirth')}
        />
        <CitizenshipsField values={codes(citizenships)} onChange={(list) => setCitizenships(list.join(', '))} error={err('citizenships')} />
        <LanguagesField values={skills(languages)} onChange={(list) => setLanguages(joinSkills(list))} error={err('languages')} />
      </fieldset>
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('personEdit.contacts')}</legend>
        <TextField label={t('persons.phone')} type="tel" value={phone} onChange={setPhone} error={err('phone')} hint={t('persons.phoneHint')} />
        <TextField label={t('personEdit.email')} type="email" value={email} onChange={setEmail} error={err('email')} />
        <SelectField
          label={t('persons.territory')}
          value={territoryCode}
          onChange={setTerritoryCode}
          options={options.map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          error={err('territoryCode')}
          required
        />
      </fieldset>
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('personEdit.documents')}</legend>
        <TextField
          label={t('persons.codiceFiscale')}
          value={codiceFiscale}
          onChange={setCodiceFiscale}
          hint={t('persons.codiceFiscaleHint')}
          error={err('codiceFiscale')}
        />
        <CodiceFiscaleWarnings warnings={warnings} />
        <TextField
          label={t('personEdit.permitType')}
          value={permitType}
          onChange={setPermitType}
          hint={t('personEdit.permitHint')}
          error={err('legalStatus', 'legalStatus.permitType')}
        />
        <TextField label={t('personEdit.permitNumber')} value={permitNumber} onChange={setPermitNumber} error={err('legalStatus.permitNumber')} />
        <TextField label={t('personEdit.expiry')} type="date" value={expiry} onChange={setExpiry} error={err('legalStatus.expiry')} />
      </fieldset>
      {saved && (
        <p className="text-success fw-semibold" role="status" data-testid="person-saved">
          {t('personEdit.saved')}
        </p>
      )}
      {stale && (
        <div className="alert alert-warning" role="alert" data-testid="person-conflict">
          <p>{t('personEdit.conflict')}</p>
          <div className="d-flex flex-wrap gap-2">
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => refresh('reload')} disabled={form.busy}>
              {t('personEdit.reload')}
            </button>
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={form.busy}
              onClick={() => refresh('reapply')}
            >
              {t('personEdit.reapply')}
            </button>
          </div>
        </div>
      )}
      {reapplied && (
        <p className="text-primary fw-semibold" role="status" data-testid="person-reapplied">
          {t('personEdit.reapplied')}
        </p>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('personEdit.submit')}</SubmitButton>
    </form>
  );
}
