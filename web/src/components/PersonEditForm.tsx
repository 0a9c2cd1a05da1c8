// The person's record, prefilled and sent back whole with `updatePerson` (the server replaces it)
// with the version it was loaded at. Each server error is shown next to the field it names; when
// someone else saved the record meanwhile, the form says so and offers to reload the current
// details or to reapply these changes on top of them.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { UpdatePersonMutation } from '../api/operations';
import type { CaseQuery as CaseResult, Sex } from '../gql/graphql';
import { useSubmit } from '../hooks';
import { FormErrors, SelectField, SubmitButton, TextField } from './Form';

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
/** A number typed by hand: empty is absent, anything else not a whole number is sent as 0 for the server to refuse. */
const whole = (v: string) => (v.trim() === '' ? null : Number.isInteger(Number(v)) ? Number(v) : 0);

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
  const [givenNames, setGivenNames] = useState(person.givenNames);
  const [familyNames, setFamilyNames] = useState(person.familyNames);
  const [latinGivenNames, setLatinGivenNames] = useState(person.latinGivenNames);
  const [latinFamilyNames, setLatinFamilyNames] = useState(person.latinFamilyNames);
  const [year, setYear] = useState(text(person.birth?.year));
  const [month, setMonth] = useState(text(person.birth?.month));
  const [day, setDay] = useState(text(person.birth?.day));
  const [sex, setSex] = useState<string>(person.sex ?? '');
  const [gender, setGender] = useState(text(person.gender));
  const [countryOfBirth, setCountryOfBirth] = useState(text(person.countryOfBirth));
  const [citizenships, setCitizenships] = useState(person.citizenships.join(', '));
  const [languages, setLanguages] = useState(person.languages.map((l) => `${l.code} ${l.level}`).join(', '));
  const [phone, setPhone] = useState(text(person.phone));
  const [email, setEmail] = useState(text(person.email));
  const [codiceFiscale, setCodiceFiscale] = useState(text(person.codiceFiscale));
  const [territoryCode, setTerritoryCode] = useState(person.territoryCode);
  const [permitType, setPermitType] = useState(text(person.legalStatus?.permitType));
  const [permitNumber, setPermitNumber] = useState(text(person.legalStatus?.permitNumber));
  const [expiry, setExpiry] = useState(text(person.legalStatus?.expiry));
  const [saved, setSaved] = useState(false);
  // The version the fields were loaded at (or last saved as): what an update is based on.
  const [base, setBase] = useState(person.version);
  const [reloading, setReloading] = useState(false);
  const form = useSubmit(FIELDS);
  const err = (...names: string[]) => names.map((n) => form.fieldError(n)).find(Boolean);
  const stale = form.fieldError('expectedVersion');

  // After "reload", the fields take the details as they are now, once the page has them.
  useEffect(() => {
    if (!reloading) return;
    setReloading(false);
    setGivenNames(person.givenNames);
    setFamilyNames(person.familyNames);
    setLatinGivenNames(person.latinGivenNames);
    setLatinFamilyNames(person.latinFamilyNames);
    setYear(text(person.birth?.year));
    setMonth(text(person.birth?.month));
    setDay(text(person.birth?.day));
    setSex(person.sex ?? '');
    setGender(text(person.gender));
    setCountryOfBirth(text(person.countryOfBirth));
    setCitizenships(person.citizenships.join(', '));
    setLanguages(person.languages.map((l) => `${l.code} ${l.level}`).join(', '));
    setPhone(text(person.phone));
    setEmail(text(person.email));
    setCodiceFiscale(text(person.codiceFiscale));
    setTerritoryCode(person.territoryCode);
    setPermitType(text(person.legalStatus?.permitType));
    setPermitNumber(text(person.legalStatus?.permitNumber));
    setExpiry(text(person.legalStatus?.expiry));
    setBase(person.version);
    form.setErrors([]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [person]);

  const reload = () => {
    setReloading(true);
    onDone();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base);
  };

  const save = async (expectedVersion: number) => {
    setSaved(false);
    const list = (v: string) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
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
          countryOfBirth: orNull(countryOfBirth)?.toUpperCase() ?? null,
          citizenships: list(citizenships).map((c) => c.toUpperCase()),
          languages: list(languages).map((l) => {
            const [code = '', level = ''] = l.split(/\s+/);
            return { code, level };
          }),
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
      setBase(done.updatePerson.version);
      setSaved(true);
      onDone();
    }
  };

  const options = territories.some((x) => x.istatCode === territoryCode)
    ? territories
    : [{ istatCode: territoryCode, name: territoryCode }, ...territories];
  return (
    <form onSubmit={submit} noValidate data-testid="person-edit-form">
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('personEdit.names')}</legend>
        <TextField label={t('persons.givenNames')} value={givenNames} onChange={setGivenNames} error={err('givenNames')} required />
        <TextField label={t('persons.familyNames')} value={familyNames} onChange={setFamilyNames} error={err('familyNames')} required />
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
        <TextField
          label={t('persons.countryOfBirth')}
          value={countryOfBirth}
          onChange={setCountryOfBirth}
          hint={t('persons.countryHint')}
          error={err('countryOfBirth')}
        />
        <TextField
          label={t('personEdit.citizenships')}
          value={citizenships}
          onChange={setCitizenships}
          hint={t('personEdit.citizenshipsHint')}
          error={err('citizenships')}
        />
        <TextField
          label={t('personEdit.languages')}
          value={languages}
          onChange={setLanguages}
          hint={t('personEdit.languagesHint')}
          error={err('languages')}
        />
      </fieldset>
      <fieldset className="mb-2">
        <legend className="fs-6 fw-semibold mb-2">{t('personEdit.contacts')}</legend>
        <TextField label={t('persons.phone')} type="tel" value={phone} onChange={setPhone} error={err('phone')} />
        <TextField label={t('personEdit.email')} type="email" value={email} onChange={setEmail} error={err('email')} />
        <SelectField
          label={t('persons.territory')}
          value={territoryCode}
          onChange={setTerritoryCode}
          options={options.map((x) => ({ value: x.istatCode, label: x.name }))}
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
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={reload} disabled={form.busy}>
              {t('personEdit.reload')}
            </button>
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={form.busy}
              onClick={() => {
                const current = stale.currentVersion ?? base;
                setBase(current);
                void save(current);
              }}
            >
              {t('personEdit.reapply')}
            </button>
          </div>
        </div>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('personEdit.submit')}</SubmitButton>
    </form>
  );
}
