// The administrators' page of the on-call services: the organisations that request mediation
// (schools, social services, clinics) and their requester accounts, the targets, and the times
// of the last 30 days against them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { TerritoriesQuery } from '../../api/operations';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../components/Form';
import { EmptyState, LoadError, Loading } from '../../components/States';
import { missingFields, useLoad, useSubmit, wholeNumber } from '../../hooks';
import { useSession } from '../../session';
import { isolate } from '../../bidi';
import { formatNumber } from '../../i18n';
import { today } from '../../time';
import { useTerritoryNames } from '../../territories';
import type { RequesterKind } from '../../gql/graphql';
import {
  AddRequesterMutation,
  CreateRequesterOrganisationMutation,
  OnCallFiguresQuery,
  OnCallSettingsQuery,
  RequesterAccountsQuery,
  RequesterOrganisationsQuery,
  SetOnCallSettingsMutation,
} from './operations';
import { REQUESTER_KINDS, useSeconds } from './common';

export default function OnCallAdmin() {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  return (
    <>
      <h1 className="h2">{t('oncall.admin.title')}</h1>
      <p>{t('oncall.admin.intro')}</p>
      <Organisations />
      {hasRole('TENANT_ADMIN') && <Targets />}
      <Figures />
    </>
  );
}

function Organisations() {
  const { t } = useTranslation();
  const loaded = useLoad(() => request(RequesterOrganisationsQuery), []);
  const territories = useLoad(() => request(TerritoriesQuery), []);
  const { name: territoryName } = useTerritoryNames();
  const form = useSubmit(['name', 'kind', 'address', 'territoryCode']);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('');
  const [address, setAddress] = useState('');
  const [territoryCode, setTerritoryCode] = useState('');
  const submit = async () => {
    const missing = missingFields({ name, kind, address, territoryCode }, t('errors.reasons.REQUIRED'));
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() =>
      request(CreateRequesterOrganisationMutation, { input: { name: name.trim(), kind: kind as RequesterKind, address: address.trim(), territoryCode } }),
    );
    if (done) {
      setName('');
      setAddress('');
      loaded.reload();
    }
  };
  const orgs = loaded.data?.requesterOrganisations ?? [];
  // The members with the external requester role, to choose from; where the list cannot be
  // read, the requester's user code is typed instead.
  const members = useLoad(() => request(RequesterAccountsQuery), []);
  const accounts = (members.data?.memberships.nodes ?? []).filter((m) => m.roles.includes('EXTERNAL_REQUESTER'));
  return (
    <section className="case-section" aria-labelledby="organisations-title">
      <h2 id="organisations-title" className="h4">
        {t('oncall.admin.organisations')}
      </h2>
      {loaded.error && <LoadError error={loaded.error} />}
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.data && orgs.length === 0 && <EmptyState title={t('oncall.admin.noOrganisations')}>{t('oncall.admin.noOrganisationsHelp')}</EmptyState>}
      <ul className="p-0 list-unstyled" data-testid="organisations">
        {orgs.map((o) => (
          <li key={o.id} className="card card-bg mb-3 shadow-sm" data-testid="organisation">
            <div className="card-body p-3">
              <h3 className="h5">
                <bdi>{o.name}</bdi>
              </h3>
              <p className="small mb-2">
                {t(`oncall.requesterKind.${o.kind}`)} · <bdi>{o.address}</bdi> · <bdi>{territoryName(o.territoryCode)}</bdi> ·{' '}
                {t('oncall.admin.accounts', { count: o.memberIds.length })}
              </p>
              <AddRequester
                organisationId={o.id}
                name={o.name}
                accounts={members.data ? accounts.map((m) => ({ value: m.userId, label: `${m.userDisplayName} <${m.userEmail}>`, linked: o.memberIds.includes(m.userId) })) : null}
                onDone={loaded.reload}
              />
            </div>
          </li>
        ))}
      </ul>
      <form
        noValidate
        aria-labelledby="new-organisation-title"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h3 id="new-organisation-title" className="h5">
          {t('oncall.admin.newOrganisation')}
        </h3>
        <TextField label={t('oncall.admin.name')} value={name} onChange={setName} required maxLength={200} error={form.fieldError('name')} />
        <SelectField
          label={t('oncall.admin.kind')}
          value={kind}
          onChange={setKind}
          required
          placeholder={t('common.choose')}
          options={REQUESTER_KINDS.map((k) => ({ value: k, label: t(`oncall.requesterKind.${k}`) }))}
          error={form.fieldError('kind')}
        />
        <TextField label={t('oncall.request.address')} value={address} onChange={setAddress} required maxLength={300} error={form.fieldError('address')} />
        <SelectField
          label={t('oncall.request.territory')}
          value={territoryCode}
          onChange={setTerritoryCode}
          required
          placeholder={t('common.choose')}
          options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          error={form.fieldError('territoryCode')}
        />
        <FormErrors errors={form.general} />
        <SubmitButton busy={form.busy}>{t('oncall.admin.create')}</SubmitButton>
      </form>
    </section>
  );
}

/** Attaches a requester account: chosen among the members with the external requester role, or
 * by the user code the requester reads on their own page where the members cannot be listed. */
function AddRequester({
  organisationId,
  name,
  accounts,
  onDone,
}: {
  organisationId: string;
  name: string;
  accounts: { value: string; label: string; linked: boolean }[] | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const form = useSubmit(['userId']);
  const [userId, setUserId] = useState('');
  const [added, setAdded] = useState(false);
  return (
    <form
      noValidate
      aria-label={t('oncall.admin.addRequesterTo', { name: isolate(name) })}
      onSubmit={async (e) => {
        e.preventDefault();
        setAdded(false);
        const missing = missingFields({ userId }, t('errors.reasons.REQUIRED'));
        if (missing.length > 0) {
          form.setErrors(missing);
          return;
        }
        const done = await form.run(() => request(AddRequesterMutation, { organisationId, userId: userId.trim() }));
        if (done) {
          setUserId('');
          setAdded(true);
          onDone();
        }
      }}
    >
      {accounts ? (
        <SelectField
          label={t('oncall.admin.account')}
          value={userId}
          onChange={setUserId}
          placeholder={t('common.choose')}
          options={accounts.filter((a) => !a.linked).map((a) => ({ value: a.value, label: isolate(a.label) }))}
          hint={t('oncall.admin.accountHint')}
          error={form.fieldError('userId')}
        />
      ) : (
        <TextField label={t('oncall.admin.userId')} value={userId} onChange={setUserId} hint={t('oncall.admin.userIdHint')} error={form.fieldError('userId')} />
      )}
      <FormErrors errors={form.general} />
      {added && (
        <p className="small text-success" role="status">
          {t('oncall.admin.added')}
        </p>
      )}
      <SubmitButton busy={form.busy}>{t('oncall.admin.addRequester')}</SubmitButton>
    </form>
  );
}

function Targets() {
  const { t } = useTranslation();
  const loaded = useLoad(() => request(OnCallSettingsQuery), []);
  const form = useSubmit(['urgentActivationMinutes', 'normalActivationMinutes', 'legalResponseMinutes']);
  const [values, setValues] = useState({ urgentActivationMinutes: '', normalActivationMinutes: '', legalResponseMinutes: '' });
  const [saved, setSaved] = useState(false);
  const s = loaded.data?.onCallSettings;
  useEffect(() => {
    if (s) setValues({ urgentActivationMinutes: String(s.urgentActivationMinutes), normalActivationMinutes: String(s.normalActivationMinutes), legalResponseMinutes: String(s.legalResponseMinutes) });
  }, [s]);
  if (loaded.error) return <LoadError error={loaded.error} />;
  if (!s) return <Loading />;
  const keys = ['urgentActivationMinutes', 'normalActivationMinutes', 'legalResponseMinutes'] as const;
  return (
    <section className="case-section" aria-labelledby="targets-title">
      <h2 id="targets-title" className="h4">
        {t('oncall.admin.targets')}
      </h2>
      <form
        noValidate
        aria-labelledby="targets-title"
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(false);
          const errors = keys
            .filter((k) => !(wholeNumber(values[k]) >= 1 && wholeNumber(values[k]) <= 43200))
            .map((k) => ({ field: k, code: 'INVALID_INPUT', local: true, message: t('errors.reasons.OUT_OF_RANGE', { min: 1, max: formatNumber(43200) }) }));
          if (errors.length > 0) {
            form.setErrors(errors);
            return;
          }
          const done = await form.run(() =>
            request(SetOnCallSettingsMutation, {
              input: {
                urgentActivationMinutes: wholeNumber(values.urgentActivationMinutes),
                normalActivationMinutes: wholeNumber(values.normalActivationMinutes),
                legalResponseMinutes: wholeNumber(values.legalResponseMinutes),
                expectedVersion: s.version,
              },
            }),
          );
          if (done) {
            setSaved(true);
            loaded.setData({ onCallSettings: done.setOnCallSettings });
          }
        }}
      >
        {keys.map((k) => (
          <TextField
            key={k}
            type="text"
            inputMode="numeric"
            label={t(`oncall.admin.${k}`)}
            value={values[k]}
            onChange={(v) => setValues((prev) => ({ ...prev, [k]: v }))}
            required
            hint={t('oncall.admin.minutesHint')}
            error={form.fieldError(k)}
          />
        ))}
        <FormErrors errors={form.general} />
        {saved && (
          <p className="alert alert-success" role="status">
            {t('oncall.admin.saved')}
          </p>
        )}
        <SubmitButton busy={form.busy}>{t('oncall.admin.save')}</SubmitButton>
      </form>
    </section>
  );
}

function Figures() {
  const { t } = useTranslation();
  const duration = useSeconds();
  const to = today();
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const loaded = useLoad(() => request(OnCallFiguresQuery, { from, to }), [from, to]);
  if (loaded.error) return <LoadError error={loaded.error} />;
  const f = loaded.data?.onCallFigures;
  if (!f) return <Loading />;
  const rows: [string, typeof f.legalResponse][] = [
    [t('oncall.admin.activationUrgent'), f.activationUrgent],
    [t('oncall.admin.activationNormal'), f.activationNormal],
    [t('oncall.admin.legalResponse'), f.legalResponse],
  ];
  const time = (s: number | null | undefined) => (s == null ? '—' : duration(s));
  return (
    <section className="case-section" aria-labelledby="figures-title">
      <h2 id="figures-title" className="h4">
        {t('oncall.admin.figures')}
      </h2>
      <p className="small">{t('oncall.admin.figuresIntro', { requests: formatNumber(f.mediationRequests), cancelled: formatNumber(f.cancelled), consultations: formatNumber(f.legalConsultations) })}</p>
      <div className="table-responsive">
        <table className="table table-sm" data-testid="oncall-figures">
          <caption className="visually-hidden">{t('oncall.admin.figures')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('oncall.admin.measure')}</th>
              <th scope="col">{t('oncall.admin.count')}</th>
              <th scope="col">{t('oncall.admin.median')}</th>
              <th scope="col">{t('oncall.admin.p90')}</th>
              <th scope="col">{t('oncall.admin.target')}</th>
              <th scope="col">{t('oncall.admin.within')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, x]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{formatNumber(x.count)}</td>
                <td>{time(x.medianSeconds)}</td>
                <td>{time(x.p90Seconds)}</td>
                <td>{time(x.targetSeconds)}</td>
                <td>{formatNumber(x.withinTarget)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
