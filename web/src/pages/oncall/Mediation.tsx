// Mediation for the requesting side (a school, a social service, a clinic; operators and
// coordinators too), phone first: "Richiedi un mediatore" (language, place, day and time window,
// duration, purpose, urgency, and only the minimum about the person), then the organisation's
// requests with their state, live: confirmed, the mediator's report, cancel with a reason,
// close after the report.
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../api/client';
import { TerritoriesQuery } from '../../api/operations';
import { FormErrors, SelectField, SubmitButton, TextArea, TextField, useErrorText } from '../../components/Form';
import { CodePicker } from '../../components/Picker';
import { LoadMore, usePaged } from '../../components/Paged';
import { ConfirmButton } from '../../components/Confirm';
import { EmptyState, LoadError, Loading } from '../../components/States';
import { missingFields, useLoad, useSubmit } from '../../hooks';
import { useLanguageOptions } from '../../iso';
import { useSession } from '../../session';
import { isolate } from '../../bidi';
import { today, withOffset } from '../../time';
import { formatDate } from '../../i18n';
import type { MediationPurpose, Urgency } from '../../gql/graphql';
import {
  CancelMediationMutation,
  CloseMediationMutation,
  MediationRequestsQuery,
  RequesterOrganisationsQuery,
  RequestMediationMutation,
} from './operations';
import {
  Activation,
  LiveNotice,
  MEDIATION_PURPOSES,
  MediationStatusBadge,
  ReasonDialog,
  URGENCIES,
  UrgencyBadge,
  useRequestTitle,
  useWindow,
  type MediationRow,
} from './common';
import { useOnCallUpdates } from './live';
import { formatDuration } from '../volunteers/tasks/common';

const DURATIONS = [15, 30, 45, 60, 90, 120, 180, 240, 360, 480];
const SHARED_MAX = 500;
const REASON_MAX = 500;

export default function Mediation() {
  const { t } = useTranslation();
  const { hasRole, viewer } = useSession();
  const requester = hasRole('EXTERNAL_REQUESTER') && !hasRole('OPERATOR', 'COORDINATOR');
  const organisations = useLoad(() => request(RequesterOrganisationsQuery), []);
  const list = usePaged(async (after) => (await request(MediationRequestsQuery, { after, status: null })).mediationRequests, []);
  const [asking, setAsking] = useState(false);
  const [notice, setNotice] = useState('');
  const title = useRequestTitle();
  useOnCallUpdates((u) => {
    const r = u.mediationRequest;
    if (!r) return;
    let known = false;
    list.setRows((rows) => {
      known = rows.some((x) => x.id === r.id);
      return known ? rows.map((x) => (x.id === r.id ? r : x)) : rows;
    });
    if (u.change === 'CONFIRMED') setNotice(t('oncall.request.confirmedNotice', { title: title(r) }));
    else if (u.change === 'DONE') setNotice(t('oncall.request.doneNotice', { title: title(r) }));
  });
  const orgs = organisations.data?.requesterOrganisations ?? [];
  const noOrganisation = requester && organisations.data && orgs.length === 0;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('oncall.request.title')}</h1>
        {!asking && !noOrganisation && (
          <button type="button" className="btn btn-primary" onClick={() => setAsking(true)}>
            {t('oncall.request.ask')}
          </button>
        )}
      </div>
      {requester && orgs.length === 1 && (
        <p className="text-muted" data-testid="my-organisation">
          {t('oncall.request.forOrganisation', { name: isolate(orgs[0].name) })}
        </p>
      )}
      {noOrganisation && (
        <EmptyState title={t('oncall.request.noOrganisation')}>
          {t('oncall.request.noOrganisationHelp')} <code data-testid="my-user-id">{viewer?.user.id}</code>
        </EmptyState>
      )}
      {asking && (
        <RequestForm
          staff={!requester}
          organisations={orgs}
          onCancel={() => setAsking(false)}
          onDone={(r) => {
            setAsking(false);
            list.setRows((rows) => [r, ...rows.filter((x) => x.id !== r.id)]);
            setNotice(t('oncall.request.sent', { count: r.offeredTo }));
          }}
        />
      )}
      <LiveNotice text={notice} />
      <section className="case-section" aria-labelledby="requests-title">
        <h2 id="requests-title" className="h4">
          {requester ? t('oncall.request.listOrganisation') : t('oncall.request.list')}
        </h2>
        {list.error && <LoadError error={list.error} />}
        {!list.loading && !list.error && list.rows.length === 0 && (
          <EmptyState title={t('oncall.request.none')}>{t('oncall.request.noneHelp')}</EmptyState>
        )}
        <ul className="p-0 list-unstyled" data-testid="mediation-requests">
          {list.rows.map((r) => (
            <RequestCard key={r.id} row={r} onChange={(n) => list.setRows((rows) => rows.map((x) => (x.id === n.id ? n : x)))} />
          ))}
        </ul>
        {list.loading && <Loading />}
        <LoadMore list={list} />
      </section>
    </>
  );
}

function RequestCard({ row, onChange }: { row: MediationRow; onChange: (r: MediationRow) => void }) {
  const { t, i18n } = useTranslation();
  const title = useRequestTitle();
  const windowOf = useWindow();
  const [cancelling, setCancelling] = useState(false);
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<MediationRow>) => {
    setBusy(true);
    setErrors([]);
    try {
      onChange(await action());
      return true;
    } catch (e) {
      setErrors((e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }]);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const titleId = `request-${row.id}`;
  return (
    <li className="card card-bg mb-3 shadow-sm" data-testid="mediation-request" data-status={row.status} aria-labelledby={titleId}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <h3 id={titleId} className="h5 mb-0">
            {title(row)}
          </h3>
          <MediationStatusBadge status={row.status} />
          <UrgencyBadge urgency={row.urgency} />
        </div>
        <dl className="mb-2 small oncall-details">
          <dt>{t('oncall.request.when')}</dt>
          <dd>
            {windowOf(row.startsAt, row.windowEndsAt)} · {t('oncall.request.lasting', { duration: formatDuration(row.durationMinutes, i18n.language) })}
          </dd>
          <dt>{t('oncall.request.where')}</dt>
          <dd>
            <bdi className="fw-semibold">{row.placeName}</bdi> · <bdi>{row.address}</bdi>
          </dd>
          {row.organisationName && (
            <>
              <dt>{t('oncall.request.organisation')}</dt>
              <dd>
                <bdi>{row.organisationName}</bdi>
              </dd>
            </>
          )}
          {row.sharedDetails && (
            <>
              <dt>{t('oncall.request.sharedShown')}</dt>
              <dd>
                <bdi className="text-break">{row.sharedDetails}</bdi>
              </dd>
            </>
          )}
          <dt>{t('oncall.request.state')}</dt>
          <dd data-testid="request-state">
            {row.status === 'OPEN' && t('oncall.request.offeredTo', { count: row.offeredTo })}
            {row.mediatorId && row.status !== 'CANCELLED' && <span className="d-block">{t('oncall.request.mediatorAssigned')}</span>}
            {row.confirmedAt && (
              <span className="d-block">
                <Activation seconds={row.activationSeconds} target={row.activationTargetSeconds} />
              </span>
            )}
            {row.status === 'CANCELLED' && (
              <span className="d-block">
                {t(`oncall.cancelledBy.${row.cancelledBy ?? 'REQUESTER'}`)}
                {row.cancelReason && (
                  <>
                    {': '}
                    <bdi>{row.cancelReason}</bdi>
                  </>
                )}
              </span>
            )}
          </dd>
          {row.reportOutcome && (
            <>
              <dt>{t('oncall.request.report')}</dt>
              <dd data-testid="request-report">
                {t('oncall.request.reportMinutes', { duration: formatDuration(row.reportMinutes ?? 0, i18n.language) })} ·{' '}
                <bdi className="text-break">{row.reportOutcome}</bdi>
              </dd>
            </>
          )}
        </dl>
        <FormErrors errors={errors.filter((e) => e.field !== 'reason')} />
        <div className="d-flex flex-wrap gap-2">
          {(row.status === 'OPEN' || row.status === 'CONFIRMED') && (
            <button type="button" className="btn btn-outline-danger btn-sm" aria-haspopup="dialog" onClick={() => setCancelling(true)}>
              {t('oncall.request.cancel')}
            </button>
          )}
          {row.status === 'DONE' && (
            <ConfirmButton
              className="btn btn-primary btn-sm"
              disabled={busy}
              confirmation={{ title: t('oncall.request.closeTitle'), body: t('oncall.request.closeBody'), confirm: t('oncall.request.close') }}
              onConfirm={() => void run(async () => (await request(CloseMediationMutation, { requestId: row.id })).closeMediation)}
            >
              {t('oncall.request.close')}
            </ConfirmButton>
          )}
        </div>
        <ReasonDialog
          open={cancelling}
          title={t('oncall.request.cancelTitle')}
          body={t('oncall.request.cancelBody', { title: title(row), when: formatDate(row.startsAt, true) })}
          label={t('oncall.request.cancelReason')}
          confirm={t('oncall.request.cancelConfirm')}
          maxLength={REASON_MAX}
          errors={errors}
          busy={busy}
          onClose={() => {
            setCancelling(false);
            setErrors([]);
          }}
          onConfirm={async (reason) => {
            if (!reason.trim()) {
              setErrors(missingFields({ reason }, t('errors.reasons.REQUIRED')));
              return;
            }
            const ok = await run(async () => (await request(CancelMediationMutation, { input: { requestId: row.id, reason: reason.trim() } })).cancelMediation);
            if (ok) setCancelling(false);
          }}
        />
      </div>
    </li>
  );
}

/** Hours and minutes of the day, `HH:mm`, as a select offers them (every quarter of an hour). */
function quarterHours(): string[] {
  const out: string[] = [];
  for (let h = 0; h < 24; h++) for (const m of [0, 15, 30, 45]) out.push(`${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  return out;
}

function RequestForm({
  staff,
  organisations,
  onDone,
  onCancel,
}: {
  staff: boolean;
  organisations: { id: string; name: string; territoryCode: string }[];
  onDone: (r: MediationRow) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const languages = useLanguageOptions();
  const fields = ['language', 'dialect', 'placeName', 'address', 'day', 'startsAt', 'windowEndsAt', 'durationMinutes', 'purpose', 'urgency', 'sharedDetails', 'organisationId', 'territoryCode'];
  const form = useSubmit(fields);
  const territories = useLoad(async () => (staff ? request(TerritoriesQuery) : null), [staff]);
  const [language, setLanguage] = useState('');
  const [dialect, setDialect] = useState('');
  const [placeName, setPlaceName] = useState('');
  const [address, setAddress] = useState('');
  const [day, setDay] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [duration, setDuration] = useState('60');
  const [purpose, setPurpose] = useState('');
  const [urgency, setUrgency] = useState<Urgency | ''>('');
  const [shared, setShared] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [territoryCode, setTerritoryCode] = useState('');
  const times = useMemo(quarterHours, []);
  const submit = async () => {
    const missing = missingFields(
      { language, placeName, address, day, startsAt: from, windowEndsAt: to, purpose, urgency, ...(staff && !organisationId ? { territoryCode } : {}) },
      t('errors.reasons.REQUIRED'),
    );
    if (from && to && to <= from) {
      missing.push({ field: 'windowEndsAt', code: 'INVALID_INPUT', local: true, message: t('oncall.request.endBeforeStart') });
    }
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() =>
      request(RequestMediationMutation, {
        input: {
          language,
          dialect: dialect.trim(),
          placeName: placeName.trim(),
          address: address.trim(),
          startsAt: withOffset(`${day}T${from}`),
          windowEndsAt: withOffset(`${day}T${to}`),
          durationMinutes: Number(duration),
          purpose: purpose as MediationPurpose,
          urgency: urgency as Urgency,
          sharedDetails: shared.trim(),
          organisationId: organisationId || null,
          territoryCode: territoryCode || null,
        },
      }),
    );
    if (done) onDone(done.requestMediation);
  };
  const timeOptions = times.map((x) => ({ value: x, label: x }));
  return (
    <form
      className="case-section oncall-form"
      noValidate
      aria-labelledby="ask-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="ask-title" className="h4">
        {t('oncall.request.ask')}
      </h2>
      <CodePicker label={t('oncall.request.language')} options={languages} value={language} onChange={setLanguage} required error={form.fieldError('language')} />
      <TextField label={t('oncall.request.dialect')} value={dialect} onChange={setDialect} maxLength={100} hint={t('oncall.request.dialectHint')} error={form.fieldError('dialect')} />
      {staff && (
        <>
          <SelectField
            label={t('oncall.request.organisation')}
            value={organisationId}
            onChange={setOrganisationId}
            placeholder={t('oncall.request.noOrganisationChoice')}
            options={organisations.map((o) => ({ value: o.id, label: isolate(o.name) }))}
            error={form.fieldError('organisationId')}
          />
          {!organisationId && (
            <SelectField
              label={t('oncall.request.territory')}
              value={territoryCode}
              onChange={setTerritoryCode}
              required
              placeholder={t('common.choose')}
              options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
              error={form.fieldError('territoryCode')}
            />
          )}
        </>
      )}
      <TextField label={t('oncall.request.place')} value={placeName} onChange={setPlaceName} required maxLength={200} hint={t('oncall.request.placeHint')} error={form.fieldError('placeName')} />
      <TextField label={t('oncall.request.address')} value={address} onChange={setAddress} required maxLength={300} autoComplete="street-address" error={form.fieldError('address')} />
      <fieldset className="mb-3">
        <legend className="fs-6 fw-semibold mb-2">{t('oncall.request.window')}</legend>
        <TextField type="date" label={t('oncall.request.day')} value={day} onChange={setDay} min={today()} required error={form.fieldError('day')} />
        <div className="row g-2">
          <div className="col-6">
            <SelectField label={t('oncall.request.from')} value={from} onChange={setFrom} required placeholder="--:--" options={timeOptions} error={form.fieldError('startsAt')} />
          </div>
          <div className="col-6">
            <SelectField label={t('oncall.request.to')} value={to} onChange={setTo} required placeholder="--:--" options={timeOptions} error={form.fieldError('windowEndsAt')} />
          </div>
        </div>
      </fieldset>
      <SelectField
        label={t('oncall.request.duration')}
        value={duration}
        onChange={setDuration}
        required
        options={DURATIONS.map((d) => ({ value: String(d), label: formatDuration(d, i18n.language) }))}
        error={form.fieldError('durationMinutes')}
      />
      <SelectField
        label={t('oncall.request.purpose')}
        value={purpose}
        onChange={setPurpose}
        required
        placeholder={t('common.choose')}
        options={MEDIATION_PURPOSES.map((p) => ({ value: p, label: t(`oncall.purpose.${p}`) }))}
        error={form.fieldError('purpose')}
      />
      <UrgencyField value={urgency} onChange={setUrgency} error={form.fieldError('urgency')} hintKey="oncall.request.urgencyHint" />
      <TextArea
        label={t('oncall.request.shared')}
        value={shared}
        onChange={setShared}
        maxLength={SHARED_MAX}
        hint={t('oncall.request.sharedHint')}
        error={form.fieldError('sharedDetails')}
      />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{t('oncall.request.send')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('oncall.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Urgent or normal, as two radio buttons; the hint says what each target is. */
export function UrgencyField({ value, onChange, error, hintKey }: { value: string; onChange: (u: Urgency) => void; error?: ApiErrorItem; hintKey: string }) {
  const { t } = useTranslation();
  const name = `urgency-${useId().replace(/:/g, '')}`;
  return (
    <fieldset className="mb-3" aria-describedby={`${name}-hint${error ? ` ${name}-error` : ''}`} aria-invalid={error ? true : undefined}>
      <legend className="fs-6 fw-semibold mb-2">
        {t('oncall.urgency.label')}
        <span aria-hidden="true"> *</span>
      </legend>
      <div className="d-flex flex-wrap gap-3">
        {URGENCIES.map((u) => (
          <div className="form-check form-check-inline" key={u}>
            <input type="radio" id={`${name}-${u}`} name={name} value={u} checked={value === u} onChange={() => onChange(u)} />
            <label htmlFor={`${name}-${u}`}>{t(`oncall.urgency.${u}`)}</label>
          </div>
        ))}
      </div>
      <small id={`${name}-hint`} className="form-text d-block">
        {t(hintKey)}
      </small>
      {error && <UrgencyError id={`${name}-error`} error={error} />}
    </fieldset>
  );
}

function UrgencyError({ id, error }: { id: string; error: ApiErrorItem }) {
  const text = useErrorText();
  return (
    <div id={id} className="invalid-feedback d-block field-error" role="alert">
      {text(error)}
    </div>
  );
}
