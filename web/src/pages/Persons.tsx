// Person search: names are checked against the existing persons (across spellings and scripts)
// before a new person is registered, so that duplicates are seen first. Then a case is opened.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import {
  CreatePersonMutation,
  DesksQuery,
  OpenCaseMutation,
  PersonCasesQuery,
  PersonDuplicatesQuery,
  RecordConsentMutation,
} from '../api/operations';
import { CheckGroup, FormErrors, SelectField, SubmitButton, TextField } from '../components/Form';
import { CodePicker } from '../components/Picker';
import { CitizenshipsField, LanguagesField, type LanguageSkill } from '../components/PersonEditForm';
import { useCountryOptions } from '../iso';
import { useTerritoryNames } from '../territories';
import { EmptyState } from '../components/States';
import { CONSENT_PURPOSES } from '../enums';
import type { ConsentPurpose, PersonDuplicatesQuery as DuplicatesResult, Sex } from '../gql/graphql';
import { useLoad, useSubmit } from '../hooks';
import { formatNumber } from '../i18n';
import { useSession } from '../session';
import { PersonName, isolate, nameParts } from '../bidi';

type Match = DuplicatesResult['personDuplicates'][number];

/** The names as one plain string, for accessible names; markup uses `PersonName`, options `isolatedName`. */
export function personName(p: { givenNames: string; familyNames: string; latinGivenNames?: string; latinFamilyNames?: string }) {
  const { own, latin } = nameParts(p);
  return latin ? `${own} (${latin})` : own;
}

export default function Persons() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { viewer } = useSession();
  const { name: territoryName, territories } = useTerritoryNames();
  const desks = useLoad(() => request(DesksQuery), []);
  const [givenNames, setGivenNames] = useState('');
  const [familyNames, setFamilyNames] = useState('');
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [creating, setCreating] = useState(false);
  const search = useSubmit(['givenNames', 'familyNames']);

  // Details of the new person.
  const [territoryCode, setTerritoryCode] = useState('');
  const [birthYear, setBirthYear] = useState('');
  const [sex, setSex] = useState('');
  const [countryOfBirth, setCountryOfBirth] = useState('');
  const countryOptions = useCountryOptions(false);
  const [codiceFiscale, setCodiceFiscale] = useState('');
  const [phone, setPhone] = useState('');
  // The operator's own Latin spelling; empty, the server derives a readable one.
  const [latinGivenNames, setLatinGivenNames] = useState('');
  const [latinFamilyNames, setLatinFamilyNames] = useState('');
  // Citizenships and languages, as at the first meeting (the edit form's pickers).
  const [citizenships, setCitizenships] = useState<string[]>([]);
  const [languages, setLanguages] = useState<LanguageSkill[]>([]);
  const [consents, setConsents] = useState<string[]>(['CASE_MANAGEMENT']);
  const [deskId, setDeskId] = useState('');
  // Errors on the names searched for are shown with the form's general errors.
  const create = useSubmit([
    'latinGivenNames',
    'latinFamilyNames',
    'territoryCode',
    'birth',
    'birth.year',
    'sex',
    'countryOfBirth',
    'citizenships',
    'languages',
    'codiceFiscale',
    'phone',
  ]);
  const open = useSubmit([]);
  // Once registered, a retry (e.g. after a failed case opening) must not register the person twice.
  const [created, setCreated] = useState<{ id: string; territoryCode: string } | null>(null);

  // Territories the viewer may work in.
  const limits = viewer?.memberships.find((m) => m.tenant.id === viewer.activeTenant?.id)?.territories ?? [];
  const allowed = (territories.data?.territories.nodes ?? []).filter((x) => limits.length === 0 || limits.includes(x.istatCode));

  const submitSearch = async (e: FormEvent) => {
    e.preventDefault();
    setCreating(false);
    setCreated(null);
    const found = await search.run(() => request(PersonDuplicatesQuery, { givenNames: givenNames.trim(), familyNames: familyNames.trim() }));
    if (found) setMatches(found.personDuplicates);
  };

  const openCase = async (personId: string, code?: string) => {
    const done = await open.run(() =>
      request(OpenCaseMutation, { personId, territoryCode: code || null, deskId: deskId || null }),
    );
    if (done) navigate(`/casi/${encodeURIComponent(done.openCase.id)}`);
  };

  // The person at the desk holds a code already registered for someone without a case: the
  // consents ticked in the form are theirs, given now; then their case is opened.
  const openForHolder = async (personId: string) => {
    const done = await open.run(async () => {
      for (const purpose of consents) {
        await request(RecordConsentMutation, { personId, purpose: purpose as ConsentPurpose, given: true });
      }
      return request(OpenCaseMutation, { personId, territoryCode: null, deskId: deskId || null });
    });
    if (done) navigate(`/casi/${encodeURIComponent(done.openCase.id)}`);
  };

  const submitCreate = async (e: FormEvent) => {
    e.preventDefault();
    const person = await create.run(async () => {
      if (created) return created;
      const done = await request(CreatePersonMutation, {
        input: {
          givenNames: givenNames.trim(),
          familyNames: familyNames.trim(),
          latinGivenNames: latinGivenNames.trim() || null,
          latinFamilyNames: latinFamilyNames.trim() || null,
          territoryCode: territoryCode || allowed[0]?.istatCode || '',
          birth: birthYear ? { year: Number(birthYear) } : null,
          sex: (sex || null) as Sex | null,
          countryOfBirth: countryOfBirth.trim() || null,
          citizenships,
          languages,
          codiceFiscale: codiceFiscale.trim() || null,
          phone: phone.trim() || null,
        },
      });
      setCreated(done.createPerson);
      for (const purpose of consents) {
        await request(RecordConsentMutation, { personId: done.createPerson.id, purpose: purpose as ConsentPurpose, given: true });
      }
      return done.createPerson;
    });
    if (person) {
      if (consents.includes('CASE_MANAGEMENT')) await openCase(person.id, person.territoryCode);
      else navigate('/casi');
    }
  };

  const deskOptions = (desks.data?.desks.nodes ?? []).map((d) => ({ value: d.id, label: isolate(d.name) }));
  return (
    <>
      <h1 className="h2">{t('persons.title')}</h1>
      <p className="lead">{t('persons.intro')}</p>
      <form onSubmit={submitSearch} noValidate className="row g-2 align-items-end" data-testid="person-search">
        <div className="col-12 col-md-5">
          <TextField label={t('persons.givenNames')} value={givenNames} onChange={setGivenNames} error={search.fieldError('givenNames')} hint={t('persons.oneNameHint')} />
        </div>
        <div className="col-12 col-md-5">
          <TextField label={t('persons.familyNames')} value={familyNames} onChange={setFamilyNames} error={search.fieldError('familyNames')} hint={t('persons.oneNameHint')} />
        </div>
        <div className="col-12 col-md-2 mb-4">
          <SubmitButton busy={search.busy}>{t('persons.search')}</SubmitButton>
        </div>
        <div className="col-12">
          <FormErrors errors={search.general} />
        </div>
      </form>

      {matches && (
        <section aria-labelledby="matches-title" className="mt-3">
          <h2 id="matches-title" className="h4">
            {t('persons.matches')}
          </h2>
          {matches.length === 0 ? (
            <EmptyState title={t('persons.noMatches')}>{t('persons.noMatchesHelp')}</EmptyState>
          ) : (
            <div className="alert alert-warning" role="alert" data-testid="duplicate-warning">
              <p className="fw-semibold mb-2">{t('persons.duplicateWarning', { count: matches.length })}</p>
              <ul className="list-unstyled mb-0 item-list">
                {matches.map((m) => (
                  <MatchItem
                    key={m.person.id}
                    match={m}
                    busy={open.busy}
                    territoryName={territoryName}
                    onOpenNew={() => void openCase(m.person.id)}
                  />
                ))}
              </ul>
            </div>
          )}
          <FormErrors errors={open.general} />
          {!creating && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-person">
              {matches.length > 0 ? t('persons.createAnyway') : t('persons.create')}
            </button>
          )}
        </section>
      )}

      {matches && creating && (
        <section aria-labelledby="create-title" className="mt-4">
          <h2 id="create-title" className="h4">
            {t('persons.createTitle', { name: isolate(`${givenNames} ${familyNames}`.trim()) })}
          </h2>
          <form onSubmit={submitCreate} noValidate data-testid="person-form">
            <div className="row">
              {/* The names as searched, spelt in Latin letters when written in another script. */}
              <div className="col-12 col-md-6">
                <TextField
                  label={t('personEdit.latinGivenNames')}
                  value={latinGivenNames}
                  onChange={setLatinGivenNames}
                  hint={t('personEdit.latinHint')}
                  error={create.fieldError('latinGivenNames')}
                />
              </div>
              <div className="col-12 col-md-6">
                <TextField
                  label={t('personEdit.latinFamilyNames')}
                  value={latinFamilyNames}
                  onChange={setLatinFamilyNames}
                  hint={t('personEdit.latinHint')}
                  error={create.fieldError('latinFamilyNames')}
                />
              </div>
              <div className="col-12 col-md-6">
                <SelectField
                  label={t('persons.territory')}
                  value={territoryCode || allowed[0]?.istatCode || ''}
                  onChange={setTerritoryCode}
                  options={allowed.map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
                  error={create.fieldError('territoryCode')}
                  required
                />
              </div>
              <div className="col-12 col-md-6">
                <SelectField label={t('persons.desk')} value={deskId} onChange={setDeskId} placeholder={t('common.none')} options={deskOptions} />
              </div>
              <div className="col-12 col-md-4">
                <TextField
                  label={t('persons.birthYear')}
                  value={birthYear}
                  onChange={setBirthYear}
                  inputMode="numeric"
                  error={create.fieldError('birth') ?? create.fieldError('birth.year')}
                />
              </div>
              <div className="col-12 col-md-4">
                <SelectField
                  label={t('persons.sex')}
                  value={sex}
                  onChange={setSex}
                  placeholder={t('common.notStated')}
                  options={(['FEMALE', 'MALE', 'OTHER'] as const).map((s) => ({ value: s, label: t(`enum.Sex.${s}`) }))}
                  error={create.fieldError('sex')}
                />
              </div>
              <div className="col-12 col-md-4">
                <CodePicker
                  label={t('persons.countryOfBirth')}
                  options={countryOptions}
                  value={countryOfBirth}
                  onChange={setCountryOfBirth}
                  hint={t('persons.countryHint')}
                  error={create.fieldError('countryOfBirth')}
                />
              </div>
              <div className="col-12 col-md-6">
                <CitizenshipsField values={citizenships} onChange={setCitizenships} error={create.fieldError('citizenships')} />
              </div>
              <div className="col-12 col-md-6">
                <LanguagesField values={languages} onChange={setLanguages} error={create.fieldError('languages')} />
              </div>
              <div className="col-12 col-md-6">
                <TextField
                  label={t('persons.codiceFiscale')}
                  value={codiceFiscale}
                  onChange={setCodiceFiscale}
                  hint={t('persons.codiceFiscaleHint')}
                  error={create.fieldError('codiceFiscale')}
                />
                {create.fieldError('codiceFiscale')?.existingId && (
                  <HolderOfCode
                    personId={create.fieldError('codiceFiscale')?.existingId ?? ''}
                    busy={open.busy}
                    onOpenNew={(id) => void openForHolder(id)}
                  />
                )}
              </div>
              <div className="col-12 col-md-6">
                <TextField label={t('persons.phone')} type="tel" value={phone} onChange={setPhone} error={create.fieldError('phone')} />
              </div>
            </div>
            <CheckGroup
              legend={t('persons.consents')}
              options={CONSENT_PURPOSES.map((p) => ({ value: p, label: t(`enum.ConsentPurpose.${p}`) }))}
              values={consents}
              onChange={setConsents}
            />
            <p className="small">{t('persons.consentHelp')}</p>
            <FormErrors errors={[...create.general, ...open.general]} />
            <SubmitButton busy={create.busy || open.busy}>
              {consents.includes('CASE_MANAGEMENT') ? t('persons.submitAndOpen') : t('persons.submit')}
            </SubmitButton>
          </form>
        </section>
      )}
    </>
  );
}

/**
 * A person's cases as a way in: the open one (a person has one open case at a time), else the
 * most recently opened closed one, which is not offered as current.
 */
function useCasesOf(personId: string) {
  const cases = useLoad(() => request(PersonCasesQuery, { personId }), [personId]);
  const byDate = [...(cases.data?.cases.nodes ?? [])].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  return { loading: cases.loading, error: cases.error, open: byDate.find((c) => c.status !== 'CLOSED'), closed: byDate.find((c) => c.status === 'CLOSED') };
}

/**
 * The way to the person already registered with the codice fiscale typed (when the operator
 * may see them): their open case; else their closed case, said to be closed (it can be seen and
 * reopened), and opening a new one.
 */
function HolderOfCode({ personId, busy, onOpenNew }: { personId: string; busy: boolean; onOpenNew: (personId: string) => void }) {
  const { t } = useTranslation();
  const { loading, error, open, closed } = useCasesOf(personId);
  if (loading || error) return null;
  if (open) {
    return (
      <p className="mt-n2" data-testid="codice-fiscale-holder">
        <Link to={`/casi/${encodeURIComponent(open.id)}`}>{t('persons.codiceFiscaleHolder')}</Link>
      </p>
    );
  }
  return (
    <p className="mt-n2 d-flex flex-wrap gap-2 align-items-center" data-testid="codice-fiscale-holder">
      {closed && (
        <>
          <span data-testid="holder-case-closed">{t('persons.codiceFiscaleHolderClosed')}</span>
          <Link to={`/casi/${encodeURIComponent(closed.id)}`}>{t('persons.viewClosed')}</Link>
        </>
      )}
      <button type="button" className="btn btn-link p-0" disabled={busy} onClick={() => onOpenNew(personId)}>
        {t('persons.codiceFiscaleHolderOpen')}
      </button>
    </p>
  );
}

/**
 * A duplicate candidate: their open case; else, when their cases are all closed, that the case
 * is closed, a way to see (and reopen) it, and opening a new case for them.
 */
function MatchItem({
  match,
  busy,
  territoryName,
  onOpenNew,
}: {
  match: Match;
  busy: boolean;
  territoryName: (code: string) => string;
  onOpenNew: () => void;
}) {
  const { t } = useTranslation();
  const { loading, open, closed } = useCasesOf(match.person.id);
  const name = isolate(personName(match.person));
  return (
    <li className="d-flex flex-wrap justify-content-between align-items-center gap-2" data-testid="duplicate-candidate">
      <span>
        <strong>
          <PersonName person={match.person} />
        </strong>
        {match.person.birth && <> · {match.person.birth.year}</>} · <bdi>{territoryName(match.person.territoryCode)}</bdi> ·{' '}
        {t('persons.similarity', { score: formatNumber(match.score * 100) })}
        {open && <> · {t('persons.caseStatus', { status: t(`enum.CaseStatus.${open.status}`) })}</>}
        {!open && closed && (
          <>
            {' · '}
            <span data-testid="candidate-case-closed">{t('persons.caseClosed')}</span>
          </>
        )}
      </span>
      <span className="d-inline-flex flex-wrap gap-1">
        {open && (
          <Link to={`/casi/${encodeURIComponent(open.id)}`} className="btn btn-primary btn-xs" aria-label={t('persons.openExistingNamed', { name })}>
            {t('persons.openExisting')}
          </Link>
        )}
        {!open && closed && (
          <Link to={`/casi/${encodeURIComponent(closed.id)}`} className="btn btn-outline-secondary btn-xs" aria-label={t('persons.viewClosedNamed', { name })}>
            {t('persons.viewClosed')}
          </Link>
        )}
        {!open && !loading && (
          <button type="button" className="btn btn-outline-primary btn-xs" disabled={busy} aria-label={t('persons.openCaseForNamed', { name })} onClick={onOpenNew}>
            {t('persons.openCaseFor')}
          </button>
        )}
      </span>
    </li>
  );
}
