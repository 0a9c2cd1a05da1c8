// The consortium administrator's wizard: municipalities, desks and places, the directory of
// services, and staff. Each step can be revisited; the data is saved as it is entered, and the
// municipalities, desks and places can be corrected or removed (./setup/Structure).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import {
  AddDeskMutation,
  AddDirectoryServiceMutation,
  AddOrganizationMutation,
  AddPlaceMutation,
  AddTerritoryMutation,
  DirectoryQuery,
  InviteUserMutation,
  RetentionQuery,
  RevokeInvitationMutation,
  SetRetentionMutation,
  SetTenantTimeZoneMutation,
  StaffQuery,
  StructureQuery,
} from '../api/operations';
import { CheckGroup, FormErrors, SelectField, SubmitButton, TextField, useErrorText } from '../components/Form';
import { ErasePerson } from '../components/ErasePerson';
import { InvitationIssued } from '../components/InvitationIssued';
import { InvitationDelivery, MESSAGE_LANGUAGES } from '../components/Delivery';
import { EmptyState, LoadError, Loading } from '../components/States';
import { DESK_KINDS, NEED_CODES, PLACE_KINDS, ROLES } from '../enums';
import { CodeListPicker } from '../components/Picker';
import { useLanguageOptions } from '../iso';
import type { DeskKind, PlaceKind, Role } from '../gql/graphql';
import { useLoad, useSubmit } from '../hooks';
import { formatDate, formatList } from '../i18n';
import { loadMunicipalities, searchMunicipalities, type Municipality } from '../municipalities';
import { useSession } from '../session';
import { tenantTimeZone } from '../time';
import { isolate } from '../bidi';
import { useTerritoryNames } from '../territories';
import { ConfirmButton } from '../components/Confirm';
import { DeskItem, TerritoryItem } from './setup/Structure';
import { OidcSetting } from './setup/OidcSetting';
import { AppointmentSetting } from './setup/AppointmentSetting';

const STEPS = ['territories', 'desks', 'directory', 'staff'] as const;
type Step = (typeof STEPS)[number];

export default function Onboarding() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const step: Step = (STEPS as readonly string[]).includes(params.get('passo') ?? '') ? (params.get('passo') as Step) : 'territories';
  const index = STEPS.indexOf(step);
  const go = (s: Step) => setParams({ passo: s });

  return (
    <>
      <h1 className="h2">{t('setup.title')}</h1>
      <p className="lead">{t('setup.intro')}</p>
      <TimeZoneSetting />
      <RetentionSetting />
      <AppointmentSetting />
      <OidcSetting />
      <ErasureSetting />
      <nav aria-label={t('setup.steps')}>
        <ol className="wizard-steps">
          {STEPS.map((s, i) => (
            <li key={s} className={s === step ? 'current' : i < index ? 'done' : ''}>
              <button type="button" className="btn btn-link" aria-current={s === step ? 'step' : undefined} onClick={() => go(s)}>
                <span className="step-number">{i + 1}</span> {t(`setup.step.${s}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section aria-labelledby="step-title" className="mt-3">
        <h2 id="step-title" className="h3">
          {index + 1}. {t(`setup.step.${step}`)}
        </h2>
        {step === 'territories' && <TerritoriesStep />}
        {step === 'desks' && <DesksStep />}
        {step === 'directory' && <DirectoryStep />}
        {step === 'staff' && <StaffStep />}
      </section>
      <div className="wizard-nav">
        {index > 0 && (
          <button type="button" className="btn btn-outline-primary" onClick={() => go(STEPS[index - 1])}>
            {t('setup.previous')}
          </button>
        )}
        {index < STEPS.length - 1 && (
          <button type="button" className="btn btn-primary" onClick={() => go(STEPS[index + 1])}>
            {t('setup.next')}: {t(`setup.step.${STEPS[index + 1]}`)}
          </button>
        )}
      </div>
    </>
  );
}

/** The tenant's time zone: days, months, appointments and reminders follow it. */
/** A time zone's name for people: its IANA id (cities stay in English: no standard names them in
 * other languages) with its generic name in the console's language (CLDR, through `Intl`), e.g.
 * "Europe/Rome — Ora dell’Europa centrale". */
function zoneLabel(zone: string, language: string): string {
  let generic = '';
  try {
    generic =
      new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')
        ?.value ?? '';
  } catch {
    // A zone the browser cannot format keeps its id alone.
  }
  const id = zone.replaceAll('_', ' ');
  return generic && generic !== zone ? `${id} — ${generic}` : id;
}

function TimeZoneSetting() {
  const { t, i18n } = useTranslation();
  const { refresh } = useSession();
  const current = tenantTimeZone();
  const [zone, setZone] = useState(current);
  const [saved, setSaved] = useState(false);
  const form = useSubmit(['timeZone']);
  // The zones the browser knows (the IANA database), the current one first if it is missing.
  const zones = useMemo(() => {
    const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return known.includes(current) ? known : [current, ...known];
  }, [current]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (await form.run(() => request(SetTenantTimeZoneMutation, { timeZone: zone }))) {
      await refresh();
      setSaved(true);
    }
  };
  return (
    <form className="card card-bg p-3 mb-4" onSubmit={submit} noValidate data-testid="time-zone-form">
      <SelectField
        label={t('setup.timeZone.label')}
        hint={t('setup.timeZone.hint')}
        value={zone}
        onChange={(v) => {
          setZone(v);
          setSaved(false);
        }}
        error={form.fieldError('timeZone')}
        options={zones.map((z) => ({ value: z, label: zoneLabel(z, i18n.language) }))}
      />
      {saved && (
        <p className="text-success fw-semibold" role="status" data-testid="time-zone-saved">
          {t('setup.timeZone.saved', { zone })}
        </p>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('setup.timeZone.save')}</SubmitButton>
    </form>
  );
}

/**
 * How long the organisation's analytics facts (months), published events (days) and people whose
 * cases are all closed (years after the last closed) are kept before the retention job removes
 * them; the server names the field of a value out of bounds.
 */
function RetentionSetting() {
  const { t } = useTranslation();
  const loaded = useLoad(() => request(RetentionQuery), []);
  const [months, setMonths] = useState('');
  const [days, setDays] = useState('');
  const [years, setYears] = useState('');
  const [saved, setSaved] = useState(false);
  const form = useSubmit(['analyticsFactMonths', 'outboxDays', 'closedCaseYears']);
  useEffect(() => {
    if (!loaded.data) return;
    setMonths(String(loaded.data.retention.analyticsFactMonths));
    setDays(String(loaded.data.retention.outboxDays));
    setYears(String(loaded.data.retention.closedCaseYears));
  }, [loaded.data]);
  if (loaded.loading) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} />;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // A value that is not a whole number is sent as such, so the server names its field.
    const whole = (v: string) => (/^-?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);
    const input = { analyticsFactMonths: whole(months), outboxDays: whole(days), closedCaseYears: whole(years) };
    const notWhole = (Object.keys(input) as (keyof typeof input)[]).filter((field) => Number.isNaN(input[field]));
    if (notWhole.length > 0) {
      form.setErrors(notWhole.map((field) => ({ field, code: 'INVALID_INPUT', local: true, message: t('setup.retention.whole') })));
      return;
    }
    if (await form.run(() => request(SetRetentionMutation, { input }))) setSaved(true);
  };
  const field = (label: string, hint: string, value: string, set: (v: string) => void, name: string) => (
    <TextField
      label={label}
      hint={hint}
      type="number"
      inputMode="numeric"
      value={value}
      onChange={(v) => {
        set(v);
        setSaved(false);
      }}
      error={form.fieldError(name)}
    />
  );
  return (
    <form className="card card-bg p-3 mb-4" onSubmit={submit} noValidate data-testid="retention-form">
      <h2 className="h5">{t('setup.retention.title')}</h2>
      <p>{t('setup.retention.intro')}</p>
      {field(t('setup.retention.months'), t('setup.retention.monthsHint'), months, setMonths, 'analyticsFactMonths')}
      {field(t('setup.retention.days'), t('setup.retention.daysHint'), days, setDays, 'outboxDays')}
      {field(t('setup.retention.years'), t('setup.retention.yearsHint'), years, setYears, 'closedCaseYears')}
      {saved && (
        <p className="text-success fw-semibold" role="status" data-testid="retention-saved">
          {t('setup.retention.saved')}
        </p>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('setup.retention.save')}</SubmitButton>
    </form>
  );
}

function TerritoriesStep() {
  const { t } = useTranslation();
  const structure = useLoad(() => request(StructureQuery), []);
  const [all, setAll] = useState<Municipality[] | null>(null);
  const [query, setQuery] = useState('');
  const [manualCode, setManualCode] = useState('');
  const [manualName, setManualName] = useState('');
  const form = useSubmit(['istatCode']);
  const manual = useSubmit(['istatCode', 'name']);
  const errorText = useErrorText();

  useEffect(() => {
    // Without the list (the server did not answer) the search finds nothing; the form below
    // still adds a municipality by its code.
    loadMunicipalities().then(setAll, () => setAll([]));
  }, []);
  const results = useMemo(() => (all ? searchMunicipalities(all, query) : []), [all, query]);
  const existing = new Set(structure.data?.territories.nodes.map((x) => x.istatCode));

  // Without a name the server stores the official ISTAT name; a name given must match it.
  const add = async (istatCode: string, name: string | null, via = form) => {
    const done = await via.run(() => request(AddTerritoryMutation, { input: { istatCode, name } }));
    if (done) structure.reload();
    return done;
  };

  const territories = structure.data?.territories.nodes ?? [];
  const istatError = form.fieldError('istatCode');
  return (
    <div className="row g-4">
      <div className="col-12 col-lg-6">
        <div className="form-group">
          <label htmlFor="municipality-search" className="active">
            {t('setup.territories.search')}
          </label>
          <input
            id="municipality-search"
            type="search"
            className={`form-control${istatError ? ' is-invalid' : ''}`}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-describedby="municipality-search-hint municipality-search-error"
            aria-invalid={istatError ? true : undefined}
            autoComplete="off"
          />
          <small id="municipality-search-hint" className="form-text">
            {t('setup.territories.searchHint')}
          </small>
          {istatError && (
            <div id="municipality-search-error" className="invalid-feedback d-block field-error" role="alert">
              {errorText(istatError)}
            </div>
          )}
        </div>
        {!all && query.length >= 2 && <Loading />}
        {all && query.trim().length >= 2 && results.length === 0 && <p>{t('setup.territories.noMatch')}</p>}
        <ul className="list-unstyled item-list" aria-live="polite" data-testid="municipality-results">
          {results.map((m) => (
            <li key={m.code} className="d-flex justify-content-between align-items-center gap-2">
              <span>
                <strong>
                  <bdi>{m.name}</bdi>
                </strong>
                {m.province && ` (${m.province})`} · <bdi className="font-monospace">{m.code}</bdi>
              </span>
              {existing.has(m.code) ? (
                <span className="badge bg-success">{t('setup.territories.added')}</span>
              ) : (
                <button
                  type="button"
                  className="btn btn-primary btn-xs"
                  disabled={form.busy}
                  aria-label={t('setup.territories.addNamed', { name: isolate(m.name) })}
                  onClick={() => void add(m.code, null)}
                >
                  {t('setup.territories.add')}
                </button>
              )}
            </li>
          ))}
        </ul>
        <FormErrors errors={form.general} />
        <details className="mt-3">
          <summary>{t('setup.territories.manual')}</summary>
          <form
            className="mt-2"
            noValidate
            onSubmit={async (e: FormEvent) => {
              e.preventDefault();
              if (await add(manualCode.trim(), manualName.trim() || null, manual)) {
                setManualCode('');
                setManualName('');
              }
            }}
          >
            <TextField label={t('setup.territories.code')} value={manualCode} onChange={setManualCode} inputMode="numeric" error={manual.fieldError('istatCode')} required />
            <TextField label={t('setup.territories.name')} value={manualName} onChange={setManualName} error={manual.fieldError('name')} hint={t('setup.territories.nameHint')} />
            <FormErrors errors={manual.general} />
            <SubmitButton busy={manual.busy}>{t('setup.territories.add')}</SubmitButton>
          </form>
        </details>
      </div>
      <div className="col-12 col-lg-6">
        <h3 className="h5">{t('setup.territories.current')}</h3>
        {structure.loading && !structure.data && <Loading />}
        {structure.error && <LoadError error={structure.error} />}
        {structure.data && territories.length === 0 && (
          <EmptyState title={t('setup.territories.empty')}>{t('setup.territories.emptyHelp')}</EmptyState>
        )}
        <ul className="list-unstyled item-list" data-testid="territory-list">
          {territories.map((x) => (
            <TerritoryItem key={x.id} territory={x} onDone={structure.reload} />
          ))}
        </ul>
      </div>
    </div>
  );
}

function DesksStep() {
  const { t } = useTranslation();
  const structure = useLoad(() => request(StructureQuery), []);
  const [territoryId, setTerritoryId] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<DeskKind>('FIXED');
  const [address, setAddress] = useState('');
  const [hours, setHours] = useState('');
  const [languages, setLanguages] = useState<string[]>(['it']);
  const desk = useSubmit(['territoryId', 'name', 'kind', 'address', 'openingHours', 'languages']);
  const languageOptions = useLanguageOptions();
  const [placeDesk, setPlaceDesk] = useState('');
  const [placeName, setPlaceName] = useState('');
  const [placeKind, setPlaceKind] = useState<PlaceKind>('SCHOOL');
  const [placeAddress, setPlaceAddress] = useState('');
  const place = useSubmit(['deskId', 'name', 'kind', 'address']);

  if (structure.loading && !structure.data) return <Loading />;
  if (structure.error) return <LoadError error={structure.error} />;
  const territories = structure.data?.territories.nodes ?? [];
  const desks = structure.data?.desks.nodes ?? [];
  const places = structure.data?.places.nodes ?? [];
  if (territories.length === 0) {
    return <EmptyState title={t('setup.desks.noTerritories')}>{t('setup.desks.noTerritoriesHelp')}</EmptyState>;
  }

  const submitDesk = async (e: FormEvent) => {
    e.preventDefault();
    const done = await desk.run(() =>
      request(AddDeskMutation, {
        input: {
          territoryId,
          name: name.trim(),
          kind,
          address: address.trim() || null,
          openingHours: hours.trim() || null,
          languages,
        },
      }),
    );
    if (done) {
      setName('');
      setAddress('');
      setHours('');
      structure.reload();
    }
  };
  const submitPlace = async (e: FormEvent) => {
    e.preventDefault();
    const done = await place.run(() =>
      request(AddPlaceMutation, { input: { deskId: placeDesk, name: placeName.trim(), kind: placeKind, address: placeAddress.trim() || null } }),
    );
    if (done) {
      setPlaceName('');
      setPlaceAddress('');
      structure.reload();
    }
  };

  return (
    <div className="row g-4">
      <div className="col-12 col-lg-6">
        <h3 className="h5">{t('setup.desks.current')}</h3>
        {desks.length === 0 && <EmptyState title={t('setup.desks.empty')}>{t('setup.desks.emptyHelp')}</EmptyState>}
        <ul className="list-unstyled item-list" data-testid="desk-list">
          {desks.map((d) => (
            <DeskItem key={d.id} desk={d} places={places.filter((p) => p.desk.id === d.id)} onDone={structure.reload} />
          ))}
        </ul>
      </div>
      <div className="col-12 col-lg-6">
        <h3 className="h5">{t('setup.desks.add')}</h3>
        <form onSubmit={submitDesk} noValidate data-testid="desk-form">
          <SelectField
            label={t('setup.desks.territory')}
            value={territoryId}
            onChange={setTerritoryId}
            placeholder={t('common.choose')}
            options={territories.map((x) => ({ value: x.id, label: `${isolate(x.name)} (${x.istatCode})` }))}
            error={desk.fieldError('territoryId')}
            required
          />
          <TextField label={t('setup.desks.name')} value={name} onChange={setName} error={desk.fieldError('name')} required />
          <SelectField
            label={t('setup.desks.kind')}
            value={kind}
            onChange={(v) => setKind(v as DeskKind)}
            options={DESK_KINDS.map((k) => ({ value: k, label: t(`enum.DeskKind.${k}`) }))}
            hint={t('setup.desks.kindHint')}
            error={desk.fieldError('kind')}
          />
          <TextField label={t('setup.desks.address')} value={address} onChange={setAddress} error={desk.fieldError('address')} />
          <TextField label={t('setup.desks.hours')} value={hours} onChange={setHours} error={desk.fieldError('openingHours')} />
          <CodeListPicker
            label={t('setup.desks.languages')}
            options={languageOptions}
            values={languages}
            onChange={setLanguages}
            hint={t('setup.desks.languagesHint')}
            error={desk.fieldError('languages')}
          />
          <FormErrors errors={desk.general} />
          <SubmitButton busy={desk.busy}>{t('setup.desks.submit')}</SubmitButton>
        </form>
        {desks.length > 0 && (
          <>
            <h3 className="h5 mt-4">{t('setup.places.add')}</h3>
            <p className="small">{t('setup.places.help')}</p>
            <form onSubmit={submitPlace} noValidate data-testid="place-form">
              <SelectField
                label={t('setup.places.desk')}
                value={placeDesk}
                onChange={setPlaceDesk}
                placeholder={t('common.choose')}
                options={desks.map((d) => ({ value: d.id, label: isolate(d.name) }))}
                error={place.fieldError('deskId')}
                required
              />
              <TextField label={t('setup.places.name')} value={placeName} onChange={setPlaceName} error={place.fieldError('name')} required />
              <SelectField
                label={t('setup.places.kind')}
                value={placeKind}
                onChange={(v) => setPlaceKind(v as PlaceKind)}
                options={PLACE_KINDS.map((k) => ({ value: k, label: t(`enum.PlaceKind.${k}`) }))}
                error={place.fieldError('kind')}
              />
              <TextField label={t('setup.places.address')} value={placeAddress} onChange={setPlaceAddress} error={place.fieldError('address')} />
              <FormErrors errors={place.general} />
              <SubmitButton busy={place.busy}>{t('setup.places.submit')}</SubmitButton>
            </form>
          </>
        )}
      </div>
    </div>
  );
}

function DirectoryStep() {
  const { t } = useTranslation();
  const directory = useLoad(() => request(DirectoryQuery), []);
  const territories = useLoad(() => request(StructureQuery), []);
  const [orgName, setOrgName] = useState('');
  const [orgEmail, setOrgEmail] = useState('');
  const [orgPhone, setOrgPhone] = useState('');
  const org = useSubmit(['name', 'email', 'phone', 'website']);
  const [organizationId, setOrganizationId] = useState('');
  const [serviceName, setServiceName] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [territoryId, setTerritoryId] = useState('');
  const [languages, setLanguages] = useState<string[]>(['it']);
  const service = useSubmit(['organizationId', 'name', 'categories', 'territoryId', 'languages']);
  const languageOptions = useLanguageOptions();

  if (directory.loading && !directory.data) return <Loading />;
  if (directory.error) return <LoadError error={directory.error} />;
  const organizations = directory.data?.organizations.nodes ?? [];
  const services = directory.data?.directoryServices.nodes ?? [];

  return (
    <div className="row g-4">
      <div className="col-12 col-lg-6">
        <p>{t('setup.directory.help')}</p>
        <h3 className="h5">{t('setup.directory.services')}</h3>
        {services.length === 0 && <EmptyState title={t('setup.directory.empty')}>{t('setup.directory.emptyHelp')}</EmptyState>}
        <ul className="list-unstyled item-list" data-testid="service-list">
          {services.map((s) => (
            <li key={s.id}>
              <strong>
                <bdi>{s.name}</bdi>
              </strong>{' '}
              · <bdi>{s.territory.name}</bdi>
              {s.categories.length > 0 && <> · {formatList(s.categories.map((c) => t(`enum.NeedCode.${c.toUpperCase()}`)))}</>}
            </li>
          ))}
        </ul>
      </div>
      <div className="col-12 col-lg-6">
        <h3 className="h5">{t('setup.directory.addOrganization')}</h3>
        <form
          noValidate
          data-testid="organization-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const done = await org.run(() =>
              request(AddOrganizationMutation, { input: { name: orgName.trim(), email: orgEmail.trim() || null, phone: orgPhone.trim() || null } }),
            );
            if (done) {
              setOrgName('');
              setOrgEmail('');
              setOrgPhone('');
              setOrganizationId(done.addOrganization.id);
              directory.reload();
            }
          }}
        >
          <TextField label={t('setup.directory.orgName')} value={orgName} onChange={setOrgName} error={org.fieldError('name')} required />
          <TextField label={t('setup.directory.email')} type="email" value={orgEmail} onChange={setOrgEmail} error={org.fieldError('email')} />
          <TextField label={t('setup.directory.phone')} type="tel" value={orgPhone} onChange={setOrgPhone} error={org.fieldError('phone')} />
          <FormErrors errors={org.general} />
          <SubmitButton busy={org.busy}>{t('setup.directory.submitOrganization')}</SubmitButton>
        </form>
        {organizations.length > 0 && (
          <>
            <h3 className="h5 mt-4">{t('setup.directory.addService')}</h3>
            <form
              noValidate
              data-testid="service-form"
              onSubmit={async (e) => {
                e.preventDefault();
                const done = await service.run(() =>
                  request(AddDirectoryServiceMutation, {
                    input: { organizationId, name: serviceName.trim(), categories, territoryId, languages },
                  }),
                );
                if (done) {
                  setServiceName('');
                  setCategories([]);
                  directory.reload();
                }
              }}
            >
              <SelectField
                label={t('setup.directory.organization')}
                value={organizationId}
                onChange={setOrganizationId}
                placeholder={t('common.choose')}
                options={organizations.map((o) => ({ value: o.id, label: isolate(o.name) }))}
                error={service.fieldError('organizationId')}
                required
              />
              <TextField label={t('setup.directory.serviceName')} value={serviceName} onChange={setServiceName} error={service.fieldError('name')} required />
              <SelectField
                label={t('setup.directory.territory')}
                value={territoryId}
                onChange={setTerritoryId}
                placeholder={t('common.choose')}
                options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.id, label: isolate(x.name) }))}
                error={service.fieldError('territoryId')}
                required
              />
              <CheckGroup
                legend={t('setup.directory.categories')}
                options={NEED_CODES.map((c) => ({ value: c.toLowerCase(), label: t(`enum.NeedCode.${c}`) }))}
                values={categories}
                onChange={setCategories}
                error={service.fieldError('categories')}
              />
              <CodeListPicker
                label={t('setup.desks.languages')}
                options={languageOptions}
                values={languages}
                onChange={setLanguages}
                hint={t('setup.desks.languagesHint')}
                error={service.fieldError('languages')}
              />
              <FormErrors errors={service.general} />
              <SubmitButton busy={service.busy}>{t('setup.directory.submitService')}</SubmitButton>
            </form>
          </>
        )}
      </div>
    </div>
  );
}

function StaffStep() {
  const { t } = useTranslation();
  const staff = useLoad(() => request(StaffQuery), []);
  const structure = useLoad(() => request(StructureQuery), []);
  const { name: territoryName } = useTerritoryNames();
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>(['OPERATOR']);
  const [limits, setLimits] = useState<string[]>([]);
  const [language, setLanguage] = useState<string>('it');
  const [issued, setIssued] = useState<{ token: string; email: string } | null>(null);
  const invite = useSubmit(['email', 'roles', 'territories', 'language']);
  const revoke = useSubmit([]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await invite.run(() =>
      request(InviteUserMutation, { input: { email: email.trim(), roles: roles as Role[], territories: limits, language } }),
    );
    if (done) {
      setIssued({ token: done.inviteUser.token, email: done.inviteUser.invitation.email });
      setEmail('');
      staff.reload();
    }
  };

  const members = staff.data?.memberships.nodes ?? [];
  const pending = staff.data?.invitations.nodes ?? [];
  const territories = structure.data?.territories.nodes ?? [];
  return (
    <div className="row g-4">
      <div className="col-12 col-lg-6">
        {staff.loading && !staff.data && <Loading />}
        {staff.error && <LoadError error={staff.error} />}
        <h3 className="h5">{t('setup.staff.pending')}</h3>
        {staff.data && pending.length === 0 && <EmptyState title={t('setup.staff.noPending')}>{t('setup.staff.noPendingHelp')}</EmptyState>}
        <ul className="list-unstyled item-list" data-testid="pending-invitations">
          {pending.map((i) => (
            <li key={i.id} className="d-flex justify-content-between align-items-center gap-2 flex-wrap">
              <div>
                <strong>
                  <bdi>{i.email}</bdi>
                </strong>{' '}
                · {formatList(i.roles.map((r) => t(`enum.Role.${r}`)))} · {t('setup.staff.expires', { date: formatDate(i.expiresAt) })}
                <div className="small mt-1">
                  <InvitationDelivery deliveries={i.deliveries} />
                </div>
              </div>
              <ConfirmButton
                ariaLabel={t('setup.staff.revokeNamed', { email: isolate(i.email) })}
                disabled={revoke.busy}
                confirmation={{
                  title: t('confirm.revokeInvitation.title'),
                  body: t('confirm.revokeInvitation.body', { email: isolate(i.email) }),
                  confirm: t('confirm.revokeInvitation.confirm'),
                }}
                onConfirm={async () => {
                  if (await revoke.run(() => request(RevokeInvitationMutation, { id: i.id }))) staff.reload();
                }}
              >
                {t('setup.staff.revoke')}
              </ConfirmButton>
            </li>
          ))}
        </ul>
        <FormErrors errors={revoke.general} />
        <h3 className="h5 mt-4">{t('setup.staff.members')}</h3>
        <ul className="list-unstyled item-list" data-testid="member-list">
          {members.map((m) => (
            <li key={m.id}>
              <strong>
                <bdi>{m.userDisplayName}</bdi>
              </strong>{' '}
              (<bdi>{m.userEmail}</bdi>) · {formatList(m.roles.map((r) => t(`enum.Role.${r}`)))}
              {m.territories.length > 0 && <> · {formatList(m.territories.map((code) => isolate(territoryName(code))))}</>}
            </li>
          ))}
        </ul>
      </div>
      <div className="col-12 col-lg-6">
        <h3 className="h5">{t('setup.staff.invite')}</h3>
        <form onSubmit={submit} noValidate data-testid="invite-form">
          <TextField label={t('setup.staff.email')} type="email" value={email} onChange={setEmail} error={invite.fieldError('email')} required />
          <CheckGroup
            legend={t('setup.staff.roles')}
            options={ROLES.map((r) => ({ value: r, label: t(`enum.Role.${r}`) }))}
            values={roles}
            onChange={setRoles}
            error={invite.fieldError('roles')}
          />
          <CheckGroup
            legend={t('setup.staff.territories')}
            options={territories.map((x) => ({ value: x.istatCode, label: <bdi>{x.name}</bdi> }))}
            values={limits}
            onChange={setLimits}
            error={invite.fieldError('territories')}
          />
          <p className="small">{t('setup.staff.territoriesHint')}</p>
          <SelectField
            label={t('setup.staff.emailLanguage')}
            value={language}
            onChange={setLanguage}
            options={MESSAGE_LANGUAGES.map((l) => ({ value: l, label: t(`setup.staff.emailLanguages.${l}`) }))}
            error={invite.fieldError('language')}
          />
          <p className="small fw-semibold" data-testid="invite-hand-over">
            {t('setup.staff.inviteHint')}
          </p>
          <FormErrors errors={invite.general} />
          <SubmitButton busy={invite.busy}>{t('setup.staff.submit')}</SubmitButton>
        </form>
        {issued && <InvitationIssued token={issued.token} email={issued.email} />}
      </div>
    </div>
  );
}

/** Erasure of a person by the id a coordinator gives: the administrator sees no case data. */
function ErasureSetting() {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  return (
    <section className="card card-bg p-3 mb-4" aria-labelledby="erasure-title" data-testid="erasure-setting">
      <h2 id="erasure-title" className="h5">
        {t('erase.title')}
      </h2>
      <p>{t('erase.intro')}</p>
      <p>{t('erase.adminIntro')}</p>
      {done && (
        <p className="text-success fw-semibold" role="status" data-testid="erase-done">
          {t('erase.done')}
        </p>
      )}
      <ErasePerson onDone={() => setDone(true)} />
    </section>
  );
}
