// One case: its person and consents, needs expressed vs detected, the timeline of encounters,
// needs, interventions and referrals, the plan, and a form for each kind of entry.
import { createContext, useContext, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, request, type ApiErrorItem } from '../api/client';
import {
  CaseOutcomesQuery,
  AddEncounterMutation,
  AddGoalMutation,
  AddStepMutation,
  AppointmentsQuery,
  BookAppointmentMutation,
  CancelAppointmentMutation,
  CaseQuery,
  ChangeCaseStatusMutation,
  ChangeNeedStatusMutation,
  ChangeReferralStatusMutation,
  ChangeStepStatusMutation,
  DesksQuery,
  NeedTypesQuery,
  PersonExportQuery,
  RecordConsentMutation,
  RecordInterventionMutation,
  RecordNeedMutation,
  SendReferralMutation,
  ServicesQuery,
  TerritoriesQuery,
} from '../api/operations';
import { ErasePerson } from '../components/ErasePerson';
import { ConfirmButton, ConfirmDialog } from '../components/Confirm';
import { CheckField, CheckGroup, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../components/Form';
import { ExportButton } from '../components/ExportButton';
import { Household } from '../components/Household';
import { PersonEditForm } from '../components/PersonEditForm';
import { CodePicker } from '../components/Picker';
import { useIsoNames, useLanguageOptions } from '../iso';
import { EmptyState, LoadError, Loading } from '../components/States';
import { CASE_NEXT, CHANNELS, CONSENT_PURPOSES, INTERVENTION_KINDS, NEED_CODES, NEED_SOURCES, REFERRAL_NEXT, STEP_OWNERS } from '../enums';
import type {
  CaseQuery as CaseResult,
  CaseStatus,
  Channel,
  ConsentPurpose,
  InterventionKind,
  NeedCode,
  NeedSource,
  NeedStatus,
  PersonExportFormat,
  NeedTypesQuery as NeedTypesResult,
  ReferralStatus,
  StepOwner,
  StepStatus,
} from '../gql/graphql';
import { namePastDates, useLoad, useSubmit } from '../hooks';
import i18n, { formatDate, formatNumber } from '../i18n';
import { localInput, tenantTimeZone, today, withOffset } from '../time';
import { useSession } from '../session';
import { PersonName, isolate } from '../bidi';

type CaseData = Exclude<NonNullable<CaseResult['node']>, Record<PropertyKey, never>>;
type Need = CaseData['needs']['nodes'][number];
type NeedType = NeedTypesResult['needTypes'][number];

/** The tenant's need types, for the labels of the needs that carry one. */
const NeedTypesContext = createContext<NeedType[]>([]);

/** A need's name in markup: its category, and the tenant's own type (its text isolated). */
function NeedName({ need }: { need: { code: NeedCode; typeCode?: string | null } }) {
  const { t } = useTranslation();
  const types = useContext(NeedTypesContext);
  const category = t(`enum.NeedCode.${need.code}`);
  if (!need.typeCode) return <>{category}</>;
  return (
    <>
      {category}: <bdi>{types.find((x) => x.code === need.typeCode)?.label ?? need.typeCode}</bdi>
    </>
  );
}

/** The needs of `ids` in markup, comma-separated; an id not among `needs` shows as is. */
function NeedNames({ ids, needs }: { ids: string[]; needs: Need[] }) {
  return (
    <>
      {ids.map((id, i) => {
        const n = needs.find((x) => x.id === id);
        return (
          <span key={id}>
            {i > 0 && ', '}
            {n ? <NeedName need={n} /> : id}
          </span>
        );
      })}
    </>
  );
}

/** A need's name as a plain string (accessible names): its category, and the tenant's own type. */
function useNeedName() {
  const { t } = useTranslation();
  const types = useContext(NeedTypesContext);
  return (n: { code: NeedCode; typeCode?: string | null }) => {
    const category = t(`enum.NeedCode.${n.code}`);
    if (!n.typeCode) return category;
    const label = types.find((x) => x.code === n.typeCode)?.label ?? n.typeCode;
    return `${category}: ${label}`;
  };
}

function localNow(): string {
  return localInput(Date.now());
}

export default function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const loaded = useLoad(() => request(CaseQuery, { id }), [id]);
  const territories = useLoad(() => request(TerritoriesQuery), []);
  const needTypes = useLoad(() => request(NeedTypesQuery), []);
  const types = needTypes.data?.needTypes ?? [];
  const iso = useIsoNames();
  const navigate = useNavigate();
  const { hasRole } = useSession();

  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error && !loaded.error.has('NOT_FOUND')) return <LoadError error={loaded.error} />;
  const c = loaded.error ? null : (loaded.data?.node as CaseData | null | undefined);
  // Another tenant's case is indistinguishable from a missing one.
  if (!c || !('status' in c)) {
    return (
      <EmptyState title={t('case.notFound')} action={<Link to="/casi">{t('case.backToList')}</Link>}>
        {t('case.notFoundHelp')}
      </EmptyState>
    );
  }
  const reload = loaded.reload;
  const needs = c.needs.nodes;
  return (
    <NeedTypesContext.Provider value={types}>
      <p className="mb-1">
        <Link to="/casi" className="back-link">{t('case.backToList')}</Link>
      </p>
      <div className="page-head">
        <h1 className="h2 mb-0" data-testid="case-person">
          <PersonName person={c.person} />
        </h1>
        <span className={`badge status-${c.status.toLowerCase()}`} data-testid="case-status">
          {t(`enum.CaseStatus.${c.status}`)}
        </span>
      </div>
      <p className="text-muted">
        {t('case.summary', {
          territory: isolate(territories.data?.territories.nodes.find((x) => x.istatCode === c.territoryCode)?.name ?? c.territoryCode),
          date: formatDate(c.openedAt),
        })}
        {c.person.birth && <> · {t('case.born', { year: c.person.birth.year })}</>}
        {c.person.countryOfBirth && <> · <span data-testid="case-country">{iso.country(c.person.countryOfBirth)}</span></>}
        {c.person.citizenships.length > 0 && (
          <>
            {' · '}
            {t('personEdit.citizenships')}: <span data-testid="case-citizenships">{c.person.citizenships.map(iso.country).join(', ')}</span>
          </>
        )}
        {c.person.languages.length > 0 && (
          <>
            {' · '}
            {t('personEdit.languages')}: <span data-testid="case-languages">{c.person.languages.map((l) => iso.language(l.code)).join(', ')}</span>
          </>
        )}
        {c.person.phone && <> · <bdi data-testid="case-phone">{c.person.phone}</bdi></>}
        {c.person.warnings.length > 0 && (
          <>
            {' · '}
            <a href="#person-title" className="text-warning-emphasis fw-semibold" data-testid="case-cf-warning">
              {t('persons.cfWarnings.short')}
            </a>
          </>
        )}
      </p>
      <StatusForm caseId={c.id} version={c.version} status={c.status} onDone={reload} />

      <div className="row g-4 mt-1">
        <div className="col-12 col-lg-7">
          <section aria-labelledby="needs-title" className="case-section">
            <h2 id="needs-title" className="h4">
              {t('case.needs')}
            </h2>
            <div className="row">
              {NEED_SOURCES.map((source) => (
                <div key={source} className="col-12 col-sm-6" data-testid={`needs-${source.toLowerCase()}`}>
                  <h3 className="h6">{t(`enum.NeedSource.${source}`)}</h3>
                  {needs.filter((n) => n.source === source).length === 0 ? (
                    <p className="small text-muted">{t('case.noNeeds')}</p>
                  ) : (
                    <ul className="list-unstyled item-list">
                      {needs
                        .filter((n) => n.source === source)
                        .map((n) => (
                          <NeedItem key={n.id} need={n} onDone={reload} />
                        ))}
                    </ul>
                  )}
                </div>
              ))}
            </div>
          </section>

          <section aria-labelledby="timeline-title" className="case-section">
            <h2 id="timeline-title" className="h4">
              {t('case.timeline')}
            </h2>
            <Timeline c={c} onDone={reload} />
          </section>

          <section aria-labelledby="plan-title" className="case-section">
            <h2 id="plan-title" className="h4">
              {t('case.plan')}
            </h2>
            {c.plan.length === 0 ? (
              <EmptyState title={t('case.noPlan')}>{t('case.noPlanHelp')}</EmptyState>
            ) : (
              <ol className="plan-list">
                {c.plan.map((g) => (
                  <li key={g.id}>
                    <strong>
                      <bdi>{g.title}</bdi>
                    </strong>{' '}
                    · {t(`enum.GoalStatus.${g.status}`)}
                    {g.reviewOn && <> · {t('case.reviewOn', { date: formatDate(g.reviewOn) })}</>}
                    {g.needIds.length > 0 && (
                      <>
                        {' · '}
                        <NeedNames ids={g.needIds} needs={needs} />
                      </>
                    )}
                    <ul>
                      {g.steps.map((s) => (
                        <StepItem key={s.id} step={s} onDone={reload} />
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div className="col-12 col-lg-5">
          <section aria-labelledby="add-title" className="case-section">
            <h2 id="add-title" className="h4">
              {t('case.record')}
            </h2>
            <Panel title={t('case.forms.encounter')} testId="form-encounter" open={c.encounters.nodes.length === 0}>
              <EncounterForm caseId={c.id} types={types} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.need')} testId="form-need">
              <NeedForm caseId={c.id} types={types} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.intervention')} testId="form-intervention">
              <InterventionForm caseId={c.id} needs={needs} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.referral')} testId="form-referral">
              <ReferralForm caseId={c.id} personId={c.person.id} consents={c.person.consents} needs={needs} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.goal')} testId="form-goal">
              <GoalForm caseId={c.id} needs={needs} onDone={reload} />
            </Panel>
            {c.plan.length > 0 && (
              <Panel title={t('case.forms.step')} testId="form-step">
                <StepForm goals={c.plan} onDone={reload} />
              </Panel>
            )}
          </section>
          <section aria-labelledby="person-title" className="case-section">
            <h2 id="person-title" className="h4">
              {t('personEdit.title')}
            </h2>
            <Panel title={t('personEdit.open')} testId="form-person">
              <PersonEditForm person={c.person} territories={territories.data?.territories.nodes ?? []} onDone={reload} />
            </Panel>
          </section>
          <section aria-labelledby="subject-access-title" className="case-section" data-testid="subject-access">
            <h2 id="subject-access-title" className="h4">
              {t('subjectAccess.title')}
            </h2>
            <p className="small">{t('subjectAccess.help')}</p>
            <div className="d-flex gap-2 flex-wrap">
              <ExportButton label={t('subjectAccess.json')} run={() => exportPerson(c.person.id, 'JSON')} />
              <ExportButton label={t('subjectAccess.pdf')} run={() => exportPerson(c.person.id, 'PDF')} />
            </div>
          </section>
          <section aria-labelledby="household-title" className="case-section">
            <h2 id="household-title" className="h4">
              {t('household.title')}
            </h2>
            <Household person={c.person} onDone={reload} />
          </section>
          <section aria-labelledby="appointments-title" className="case-section">
            <h2 id="appointments-title" className="h4">
              {t('appointments.title')}
            </h2>
            <Appointments personId={c.person.id} caseId={c.id} />
          </section>
          <section aria-labelledby="consent-title" className="case-section">
            <h2 id="consent-title" className="h4">
              {t('case.consents')}
            </h2>
            <Consents personId={c.person.id} consents={c.person.consents} onDone={reload} />
          </section>
          {hasRole('COORDINATOR', 'TENANT_ADMIN') && (
            <section aria-labelledby="erase-title" className="case-section" data-testid="erase-section">
              <h2 id="erase-title" className="h4">
                {t('erase.title')}
              </h2>
              <p className="small">{t('erase.intro')}</p>
              <p className="small">
                {t('erase.idLabel')}: <code data-testid="erase-person-id">{c.person.id}</code>
              </p>
              <ErasePerson personId={c.person.id} onDone={() => navigate('/casi', { state: { erased: true } })} />
            </section>
          )}
        </div>
      </div>
    </NeedTypesContext.Provider>
  );
}

// A person's subject access export (GDPR art. 15 and 20) as a file to download.
async function exportPerson(personId: string, format: PersonExportFormat) {
  const data = await request(PersonExportQuery, { personId, format });
  const f = data.personExport;
  return { filename: f.filename, contentType: f.contentType, base64: f.contentBase64 };
}

function Panel({ title, children, testId, open }: { title: string; children: ReactNode; testId: string; open?: boolean }) {
  return (
    <details className="form-panel" data-testid={testId} open={open}>
      <summary>{title}</summary>
      <div className="form-panel-body">{children}</div>
    </details>
  );
}

function StatusForm({ caseId, version, status, onDone }: { caseId: string; version: number; status: CaseStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const next = CASE_NEXT[status];
  const [to, setTo] = useState<string>('');
  const [text, setText] = useState('');
  const form = useSubmit(['to', 'outcome', 'reason']);
  const outcomes = useLoad(() => request(CaseOutcomesQuery), []);
  // Closing asks for confirmation first.
  const [confirming, setConfirming] = useState(false);
  if (next.length === 0) return null;
  const target = (to || next[0]) as CaseStatus;
  const needsOutcome = target === 'CLOSED';
  const needsReason = status === 'CLOSED';
  const outcomeName = text ? t(`enum.CaseOutcome.${text}`, { defaultValue: text }) : '';
  const change = async () => {
    const done = await form.run(() =>
      request(ChangeCaseStatusMutation, {
        id: caseId,
        expectedVersion: version,
        to: target,
        outcome: needsOutcome ? text.trim() || null : null,
        reason: needsReason ? text.trim() || null : null,
      }),
    );
    if (done) {
      setText('');
      setTo('');
      onDone();
    }
  };
  return (
    <form
      className="status-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (target === 'CLOSED') setConfirming(true);
        else void change();
      }}
    >
      <ConfirmDialog
        open={confirming}
        confirmation={{
          title: t('confirm.closeCase.title'),
          body: outcomeName ? t('confirm.closeCase.body', { outcome: outcomeName }) : t('confirm.closeCase.bodyNoOutcome'),
          confirm: t('confirm.closeCase.confirm'),
        }}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void change();
        }}
      />
      <SelectField
        label={t('case.moveTo')}
        value={target}
        onChange={setTo}
        options={next.map((s) => ({ value: s, label: t(`enum.CaseStatus.${s}`) }))}
        error={form.fieldError('to')}
      />
      {needsOutcome && (
        // Outcomes come from the closed list only: they travel in anonymised statistics.
        <SelectField
          label={t('case.outcome')}
          value={text}
          onChange={setText}
          placeholder={t('common.choose')}
          options={(outcomes.data?.caseOutcomes ?? [])
            .filter((o) => o.offered)
            .map(({ code }) => ({ value: code, label: t(`enum.CaseOutcome.${code}`, { defaultValue: code }) }))}
          error={form.fieldError('outcome')}
          required
        />
      )}
      {needsReason && (
        <TextField label={t('case.reopenReason')} value={text} onChange={setText} error={form.fieldError('reason')} required />
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.changeStatus')}</SubmitButton>
    </form>
  );
}

function NeedItem({ need, onDone }: { need: Need; onDone: () => void }) {
  const { t } = useTranslation();
  const needName = useNeedName();
  const form = useSubmit([]);
  return (
    <li>
      <span className="fw-semibold">
        <NeedName need={need} />
      </span>{' '}
      · {t(`enum.NeedStatus.${need.status}`)}
      {need.status === 'OPEN' && (
        <span className="ms-2 d-inline-flex gap-1">
          {(['ADDRESSED', 'UNRESOLVED'] as NeedStatus[]).map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-outline-secondary btn-xs"
              disabled={form.busy}
              aria-label={`${needName(need)}: ${t(`enum.NeedStatus.${s}`)}`}
              onClick={async () => {
                if (await form.run(() => request(ChangeNeedStatusMutation, { id: need.id, expectedVersion: need.version, status: s }))) onDone();
              }}
            >
              {t(`enum.NeedStatus.${s}`)}
            </button>
          ))}
        </span>
      )}
      <FormErrors errors={form.general} />
    </li>
  );
}

function Timeline({ c, onDone }: { c: CaseData; onDone: () => void }) {
  const { t } = useTranslation();
  const iso = useIsoNames();
  const needs = c.needs.nodes;
  const entries: { at: string; key: string; kind: string; body: ReactNode }[] = [
    ...c.encounters.nodes.map((e) => ({
      at: e.occurredAt,
      key: `e-${e.id}`,
      kind: 'encounter',
      body: (
        <>
          <strong>{t('case.entry.encounter')}</strong> · {t(`enum.Channel.${e.channel}`)}
          {e.language && <> · {iso.language(e.language)}</>}
          {e.mediatorPresent && <> · {t('case.withMediator')}</>}
          {e.durationMinutes != null && <> · {t('case.minutes', { count: e.durationMinutes })}</>}
          {e.notes && (
            <p className="mb-0 small" dir="auto">
              {e.notes}
            </p>
          )}
        </>
      ),
    })),
    ...c.needs.nodes.map((n) => ({
      at: n.notedAt,
      key: `n-${n.id}`,
      kind: 'need',
      body: (
        <>
          <strong>{t(n.source === 'EXPRESSED' ? 'case.entry.needExpressed' : 'case.entry.needDetected')}</strong> · <NeedName need={n} />
        </>
      ),
    })),
    ...c.interventions.nodes.map((i) => ({
      at: i.doneAt,
      key: `i-${i.id}`,
      kind: 'intervention',
      body: (
        <>
          <strong>{t('case.entry.intervention')}</strong> · {t(`enum.InterventionKind.${i.kind}`)}
          {i.needIds.length > 0 && (
            <>
              {' · '}
              <NeedNames ids={i.needIds} needs={needs} />
            </>
          )}
          {i.outcome && (
            <>
              {' · '}
              <bdi>{i.outcome}</bdi>
            </>
          )}
        </>
      ),
    })),
    ...c.referrals.nodes.map((r) => ({
      at: r.sentAt,
      key: `r-${r.id}`,
      kind: 'referral',
      body: <ReferralEntry referral={r} needs={needs} onDone={onDone} />,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  if (entries.length === 0) {
    return <EmptyState title={t('case.emptyTimeline')}>{t('case.emptyTimelineHelp')}</EmptyState>;
  }
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e) => (
        <li key={e.key} className={`timeline-entry entry-${e.kind}`}>
          <time dateTime={e.at} className="small text-muted d-block">
            {formatDate(e.at, true)}
          </time>
          {e.body}
        </li>
      ))}
    </ol>
  );
}

function ReferralEntry({
  referral,
  needs,
  onDone,
}: {
  referral: CaseData['referrals']['nodes'][number];
  needs: Need[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const next = REFERRAL_NEXT[referral.status];
  return (
    <>
      <strong>{t('case.entry.referral')}</strong> · <bdi>{referral.service.name}</bdi> · {t(`enum.ReferralStatus.${referral.status}`)}
      {referral.needIds.length > 0 && (
        <>
          {' · '}
          <NeedNames ids={referral.needIds} needs={needs} />
        </>
      )}
      {referral.overrideReason && (
        <p className="mb-0 small">
          {t('case.overrideReason')}: <bdi>{referral.overrideReason}</bdi>
        </p>
      )}
      {referral.feedback && (
        <p className="mb-0 small" dir="auto">
          {referral.feedback}
        </p>
      )}
      {next.length > 0 && (
        <div className="d-flex flex-wrap gap-1 mt-1">
          {next.map((s: ReferralStatus) => (
            <button
              key={s}
              type="button"
              className="btn btn-outline-secondary btn-xs"
              disabled={form.busy}
              onClick={async () => {
                if (await form.run(() => request(ChangeReferralStatusMutation, { id: referral.id, expectedVersion: referral.version, to: s }))) onDone();
              }}
            >
              {t('case.markAs', { status: t(`enum.ReferralStatus.${s}`) })}
            </button>
          ))}
        </div>
      )}
      <FormErrors errors={form.general} />
    </>
  );
}

function StepItem({ step, onDone }: { step: CaseData['plan'][number]['steps'][number]; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const change = async (status: StepStatus) => {
    if (await form.run(() => request(ChangeStepStatusMutation, { id: step.id, expectedVersion: step.version, status }))) onDone();
  };
  return (
    <li>
      <bdi>{step.title}</bdi> · {t(`enum.StepOwner.${step.owner}`)} · {t(`enum.StepStatus.${step.status}`)}
      {step.dueOn && <> · {formatDate(step.dueOn)}</>}
      {step.status === 'TODO' && (
        <>
          <button type="button" className="btn btn-outline-secondary btn-xs ms-1" disabled={form.busy} onClick={() => void change('DONE')}>
            {t('enum.StepStatus.DONE')}
          </button>
          <ConfirmButton
            className="btn btn-outline-danger btn-xs ms-1"
            disabled={form.busy}
            confirmation={{
              title: t('confirm.cancelStep.title'),
              body: t('confirm.cancelStep.body', { title: isolate(step.title) }),
              confirm: t('confirm.cancelStep.confirm'),
            }}
            onConfirm={() => change('CANCELLED')}
          >
            {t('enum.StepStatus.CANCELLED')}
          </ConfirmButton>
        </>
      )}
      <FormErrors errors={form.general} />
    </li>
  );
}

/** The tenant's need types of a category that can still be chosen (not retired). */
function typesOf(types: NeedType[], category: NeedCode): NeedType[] {
  return types.filter((x) => x.category === category && !x.retired);
}

/** The choice of a need type among `choices` (the need form's and the encounter form's). */
function NeedTypeField({
  label,
  choices,
  value,
  onChange,
  error,
}: {
  label: string;
  choices: NeedType[];
  value: string;
  onChange: (typeCode: string) => void;
  error?: ApiErrorItem;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={label}
      value={value}
      onChange={onChange}
      placeholder={t('common.none')}
      options={choices.map((x) => ({ value: x.code, label: isolate(x.label) }))}
      error={error}
    />
  );
}

/**
 * The needs of one source ticked in the encounter form, each with the choice of its specific type
 * when the tenant has types in its category; `chosen` maps a ticked code to its type code.
 */
function EncounterNeeds({
  source,
  types,
  codes,
  onCodes,
  chosen,
  onChosen,
}: {
  source: NeedSource;
  types: NeedType[];
  codes: string[];
  onCodes: (codes: string[]) => void;
  chosen: Record<string, string>;
  onChosen: (chosen: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const options = NEED_CODES.map((c) => ({ value: c, label: t(`enum.NeedCode.${c}`) }));
  const legend = t(source === 'EXPRESSED' ? 'case.fields.expressed' : 'case.fields.detected');
  return (
    <>
      <CheckGroup legend={legend} name={source.toLowerCase()} options={options} values={codes} onChange={onCodes} />
      <div data-testid={`encounter-types-${source.toLowerCase()}`}>
        {NEED_CODES.filter((c) => codes.includes(c)).map((code) => {
          const choices = typesOf(types, code);
          if (choices.length === 0) return null;
          return (
            <NeedTypeField
              key={code}
              label={t('case.fields.needTypeFor', { need: t(`enum.NeedCode.${code}`), source: t(`enum.NeedSource.${source}`) })}
              choices={choices}
              value={chosen[code] ?? ''}
              onChange={(typeCode) => onChosen({ ...chosen, [code]: typeCode })}
            />
          );
        })}
      </div>
    </>
  );
}

function EncounterForm({ caseId, types, onDone }: { caseId: string; types: NeedType[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [occurredAt, setOccurredAt] = useState(localNow());
  const [channel, setChannel] = useState<Channel>('DESK');
  const [language, setLanguage] = useState('');
  const [mediator, setMediator] = useState(false);
  const [duration, setDuration] = useState('');
  const [notes, setNotes] = useState('');
  const [expressed, setExpressed] = useState<string[]>([]);
  const [detected, setDetected] = useState<string[]>([]);
  // The specific type chosen for a ticked need, by source and category.
  const [expressedTypes, setExpressedTypes] = useState<Record<string, string>>({});
  const [detectedTypes, setDetectedTypes] = useState<Record<string, string>>({});
  const form = useSubmit(['occurredAt', 'channel', 'language', 'durationMinutes', 'notes']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(async () => {
      const enc = await request(AddEncounterMutation, {
        input: {
          caseId,
          occurredAt: occurredAt ? withOffset(occurredAt) : '',
          channel,
          language: language.trim() || null,
          mediatorPresent: mediator,
          durationMinutes: duration ? Number(duration) : null,
          notes: notes.trim() || null,
        },
      });
      const record = async (codes: string[], source: NeedSource, chosen: Record<string, string>) => {
        for (const code of codes) {
          await request(RecordNeedMutation, {
            caseId,
            code: code as NeedCode,
            source,
            encounterId: enc.addEncounter.id,
            typeCode: chosen[code] || null,
          });
        }
      };
      await record(expressed, 'EXPRESSED', expressedTypes);
      await record(detected, 'DETECTED', detectedTypes);
      return enc;
    });
    if (done) {
      setNotes('');
      setDuration('');
      setExpressed([]);
      setDetected([]);
      setExpressedTypes({});
      setDetectedTypes({});
      onDone();
    }
  };
  const languageOptions = useLanguageOptions();
  return (
    <form onSubmit={submit} noValidate>
      <TextField label={t('case.fields.occurredAt')} type="datetime-local" value={occurredAt} onChange={setOccurredAt} error={form.fieldError('occurredAt')} required />
      <SelectField
        label={t('case.fields.channel')}
        value={channel}
        onChange={(v) => setChannel(v as Channel)}
        options={CHANNELS.map((x) => ({ value: x, label: t(`enum.Channel.${x}`) }))}
        error={form.fieldError('channel')}
      />
      <CodePicker
        label={t('case.fields.language')}
        options={languageOptions}
        value={language}
        onChange={setLanguage}
        hint={t('case.fields.languageHint')}
        error={form.fieldError('language')}
      />
      <CheckField label={t('case.fields.mediator')} checked={mediator} onChange={setMediator} />
      <TextField label={t('case.fields.duration')} value={duration} onChange={setDuration} inputMode="numeric" error={form.fieldError('durationMinutes')} />
      <TextArea label={t('case.fields.notes')} value={notes} onChange={setNotes} hint={t('case.fields.notesHint')} error={form.fieldError('notes')} />
      <EncounterNeeds source="EXPRESSED" types={types} codes={expressed} onCodes={setExpressed} chosen={expressedTypes} onChosen={setExpressedTypes} />
      <EncounterNeeds source="DETECTED" types={types} codes={detected} onCodes={setDetected} chosen={detectedTypes} onChosen={setDetectedTypes} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveEncounter')}</SubmitButton>
    </form>
  );
}

function NeedForm({ caseId, types, onDone }: { caseId: string; types: NeedType[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<NeedCode>('DOCUMENTS_LEGAL');
  const [typeCode, setTypeCode] = useState('');
  const [source, setSource] = useState<NeedSource>('EXPRESSED');
  const form = useSubmit(['code', 'typeCode', 'source']);
  const choices = typesOf(types, code);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await form.run(() => request(RecordNeedMutation, { caseId, code, source, typeCode: typeCode || null }));
        if (done) {
          setTypeCode('');
          onDone();
        }
      }}
    >
      <SelectField
        label={t('case.fields.need')}
        value={code}
        onChange={(v) => {
          setCode(v as NeedCode);
          setTypeCode('');
        }}
        options={NEED_CODES.map((c) => ({ value: c, label: t(`enum.NeedCode.${c}`) }))}
        error={form.fieldError('code')}
      />
      {choices.length > 0 ? (
        <NeedTypeField label={t('case.fields.needType')} choices={choices} value={typeCode} onChange={setTypeCode} error={form.fieldError('typeCode')} />
      ) : (
        <p className="small text-muted" data-testid="no-need-types">
          {t('case.noNeedTypes')}
        </p>
      )}
      <SelectField
        label={t('case.fields.source')}
        value={source}
        onChange={(v) => setSource(v as NeedSource)}
        options={NEED_SOURCES.map((s) => ({ value: s, label: t(`enum.NeedSource.${s}`) }))}
        error={form.fieldError('source')}
      />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveNeed')}</SubmitButton>
    </form>
  );
}

/**
 * The case's needs as checkbox options that tell them apart: the category and the tenant's type
 * (isolated), then the source and when it was noted (`Documenti e questioni legali: ⁨Rinnovo del
 * permesso⁩ (Espressi, 6 dic 2026, 10:15)`).
 */
function needChoices(needs: Need[], t: (k: string) => string) {
  return needs.map((n) => ({
    value: n.id,
    label: (
      <span className="need-choice">
        <NeedName need={n} /> ({t(`enum.NeedSource.${n.source}`)},{' '}
        <time dateTime={n.notedAt}>{formatDate(n.notedAt, true)}</time>)
      </span>
    ),
  }));
}

/**
 * The time of day of a date-time on the tenant's clock, in the console's language; with the zone's
 * name when `withZone` (the night clocks go back, 02:30 and the second 02:00 need it).
 */
function timeOf(iso: string, withZone = false): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', timeZone: tenantTimeZone() };
  if (withZone) options.timeZoneName = 'short';
  return new Intl.DateTimeFormat(i18n.language, options).format(new Date(iso));
}

/** Whether the tenant's clock changes between two instants (then times are shown with the zone). */
function clockChangesBetween(from: string, to: string): boolean {
  const name = (iso: string) => timeOf(iso, true).replace(timeOf(iso), '');
  return name(from) !== name(to);
}

/** The person's appointments, with booking (one or weekly) and cancellation. */
function Appointments({ personId, caseId }: { personId: string; caseId: string }) {
  const { t } = useTranslation();
  const list = useLoad(() => request(AppointmentsQuery, { personId }), [personId]);
  const cancel = useSubmit([]);
  const appointments = [...(list.data?.appointments.nodes ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  type Appointment = (typeof appointments)[number];
  const hasFollowing = (a: Appointment) =>
    !!a.seriesId && appointments.some((x) => x.seriesId === a.seriesId && x.status === 'BOOKED' && x.startsAt > a.startsAt);
  const doCancel = async (a: Appointment, following: boolean) => {
    if (await cancel.run(() => request(CancelAppointmentMutation, { id: a.id, following }))) list.reload();
  };
  return (
    <>
      {list.loading && !list.data && <Loading />}
      {list.error && <LoadError error={list.error} />}
      {list.data && appointments.length === 0 && <EmptyState title={t('appointments.empty')}>{t('appointments.emptyHelp')}</EmptyState>}
      {appointments.length > 0 && (
        <ul className="list-unstyled item-list" data-testid="appointments">
          {appointments.map((a) => {
            const change = clockChangesBetween(a.startsAt, a.endsAt);
            const when = change ? `${formatDate(a.startsAt)}, ${timeOf(a.startsAt, true)}` : formatDate(a.startsAt, true);
            return (
              <li key={a.id} data-status={a.status.toLowerCase()} className={a.status === 'CANCELLED' ? 'text-muted' : undefined}>
                <div>
                  <strong>{when}</strong>–{timeOf(a.endsAt, change)} · <bdi>{a.desk.name}</bdi> ·{' '}
                  <span className={`badge ${a.status === 'BOOKED' ? 'bg-primary' : 'bg-secondary'}`}>{t(`enum.AppointmentStatus.${a.status}`)}</span>
                  {a.seriesId && <> · {t('appointments.weekly')}</>}
                  {a.remindAt && a.status === 'BOOKED' && <> · {t('appointments.reminder', { date: formatDate(a.remindAt, true) })}</>}
                </div>
                {a.status === 'BOOKED' && (
                  <div className="d-flex flex-wrap gap-1 mt-1">
                    <ConfirmButton
                      disabled={cancel.busy}
                      ariaLabel={t('appointments.cancelNamed', { date: when })}
                      confirmation={{
                        title: t('confirm.cancelAppointment.title'),
                        body: t('confirm.cancelAppointment.body', { date: when, desk: isolate(a.desk.name) }),
                        confirm: t('confirm.cancelAppointment.confirm'),
                      }}
                      onConfirm={() => doCancel(a, false)}
                    >
                      {t('appointments.cancel')}
                    </ConfirmButton>
                    {hasFollowing(a) && (
                      <ConfirmButton
                        disabled={cancel.busy}
                        ariaLabel={t('appointments.cancelFollowingNamed', { date: when })}
                        confirmation={{
                          title: t('confirm.cancelFollowing.title'),
                          body: t('confirm.cancelFollowing.body', { date: when }),
                          confirm: t('confirm.cancelFollowing.confirm'),
                        }}
                        onConfirm={() => doCancel(a, true)}
                      >
                        {t('appointments.cancelFollowing')}
                      </ConfirmButton>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormErrors errors={cancel.general} />
      <Panel title={t('appointments.form')} testId="form-appointment">
        <AppointmentForm personId={personId} caseId={caseId} onDone={list.reload} />
      </Panel>
    </>
  );
}

/** This hour tomorrow, on the tenant's clock. */
function nextHour(): string {
  return `${localInput(Date.now() + 86_400_000).slice(0, 13)}:00`;
}

function AppointmentForm({ personId, caseId, onDone }: { personId: string; caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const desks = useLoad(() => request(DesksQuery), []);
  const [deskId, setDeskId] = useState('');
  const [startsAt, setStartsAt] = useState(nextHour());
  const [duration, setDuration] = useState('30');
  const [occurrences, setOccurrences] = useState('1');
  const [remind, setRemind] = useState('24');
  const [booked, setBooked] = useState(0);
  const form = useSubmit(['deskId', 'startsAt', 'durationMinutes', 'occurrences', 'remindHoursBefore']);
  if (desks.loading && !desks.data) return <Loading />;
  const list = desks.data?.desks.nodes ?? [];
  if (list.length === 0) return <EmptyState title={t('appointments.noDesks')}>{t('appointments.noDesksHelp')}</EmptyState>;
  const desk = deskId || list[0].id;
  const integer = (v: string) => (v.trim() === '' ? NaN : Number(v));
  return (
    <form
      noValidate
      data-testid="appointment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBooked(0);
        const earliest = localNow();
        const done = await form.run(async () => {
          try {
            return await request(BookAppointmentMutation, {
              input: {
                deskId: desk,
                personId,
                caseId,
                startsAt: startsAt ? withOffset(startsAt) : '',
                durationMinutes: Number.isInteger(integer(duration)) ? integer(duration) : 0,
                occurrences: Number.isInteger(integer(occurrences)) ? integer(occurrences) : 0,
                remindHoursBefore: remind.trim() === '' ? null : Number.isInteger(integer(remind)) ? integer(remind) : -1,
              },
            });
          } catch (err) {
            // A taken slot belongs next to the date and time.
            if (err instanceof ApiError && err.has('CONFLICT')) {
              throw new ApiError(err.items.map((i) => (i.code === 'CONFLICT' ? { ...i, code: 'SLOT_TAKEN', field: 'startsAt' } : i)));
            }
            throw namePastDates(err, { startsAt: { value: startsAt, min: earliest } });
          }
        });
        if (done) {
          setBooked(done.bookAppointment.length);
          onDone();
        }
      }}
    >
      <SelectField
        label={t('appointments.desk')}
        value={desk}
        onChange={setDeskId}
        options={list.map((d) => ({ value: d.id, label: isolate(d.name) }))}
        error={form.fieldError('deskId')}
        required
      />
      <TextField
        label={t('appointments.startsAt')}
        type="datetime-local"
        value={startsAt}
        onChange={setStartsAt}
        min={localNow()}
        error={form.fieldError('startsAt')}
        required
      />
      <TextField
        label={t('appointments.duration')}
        value={duration}
        onChange={setDuration}
        inputMode="numeric"
        error={form.fieldError('durationMinutes')}
        required
      />
      <TextField
        label={t('appointments.occurrences')}
        value={occurrences}
        onChange={setOccurrences}
        inputMode="numeric"
        hint={t('appointments.occurrencesHint')}
        error={form.fieldError('occurrences')}
        required
      />
      <TextField
        label={t('appointments.remind')}
        value={remind}
        onChange={setRemind}
        inputMode="numeric"
        hint={t('appointments.remindHint')}
        error={form.fieldError('remindHoursBefore')}
      />
      {booked > 0 && (
        <p className="text-success fw-semibold" role="status" data-testid="appointment-booked">
          {t('appointments.booked', { n: formatNumber(booked) })}
        </p>
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('appointments.submit')}</SubmitButton>
    </form>
  );
}

function InterventionForm({ caseId, needs, onDone }: { caseId: string; needs: Need[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<InterventionKind>('ORIENTATION');
  const [needIds, setNeedIds] = useState<string[]>([]);
  const [outcome, setOutcome] = useState('');
  const form = useSubmit(['kind', 'needIds', 'outcome', 'doneAt']);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await form.run(() =>
          request(RecordInterventionMutation, { input: { caseId, kind, needIds, outcome: outcome.trim() || null } }),
        );
        if (done) {
          setNeedIds([]);
          setOutcome('');
          onDone();
        }
      }}
    >
      <SelectField
        label={t('case.fields.kind')}
        value={kind}
        onChange={(v) => setKind(v as InterventionKind)}
        options={INTERVENTION_KINDS.map((k) => ({ value: k, label: t(`enum.InterventionKind.${k}`) }))}
        error={form.fieldError('kind')}
      />
      {needs.length > 0 && (
        <CheckGroup legend={t('case.fields.needs')} options={needChoices(needs, t)} values={needIds} onChange={setNeedIds} error={form.fieldError('needIds')} />
      )}
      <TextField label={t('case.fields.outcome')} value={outcome} onChange={setOutcome} hint={t('case.fields.outcomeHint')} error={form.fieldError('outcome')} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveIntervention')}</SubmitButton>
    </form>
  );
}

function ReferralForm({
  caseId,
  personId,
  consents,
  needs,
  onDone,
}: {
  caseId: string;
  personId: string;
  consents: CaseData['person']['consents'];
  needs: Need[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const services = useLoad(() => request(ServicesQuery), []);
  const [serviceId, setServiceId] = useState('');
  const [needIds, setNeedIds] = useState<string[]>([]);
  const [overrideReason, setOverrideReason] = useState('');
  const form = useSubmit(['serviceId', 'needIds', 'overrideReason']);
  // Without the person's consent to sharing for referrals the server refuses (CONFLICT): the
  // console names the refusal and offers to record the consent, if the person gives it, and send.
  const sharing = [...consents].reverse().find((c) => c.purpose === 'REFERRAL_SHARING');
  const consentMissing = form.errors.some((e) => e.code === 'CONSENT_MISSING');
  const send = () =>
    request(SendReferralMutation, { input: { caseId, serviceId, needIds, overrideReason: overrideReason.trim() || null } }).catch((err: unknown) => {
      if (!(err instanceof ApiError) || sharing?.given) throw err;
      throw new ApiError(
        err.items.map((i) => (i.code === 'CONFLICT' && i.field !== 'expectedVersion' ? { ...i, code: 'CONSENT_MISSING', message: '' } : i)),
      );
    });
  const sent = () => {
    setNeedIds([]);
    setOverrideReason('');
    onDone();
  };
  const recordConsentAndSend = async () => {
    const done = await form.run(async () => {
      await request(RecordConsentMutation, { personId, purpose: 'REFERRAL_SHARING', given: true });
      return send();
    });
    if (done) sent();
  };
  if (services.loading && !services.data) return <Loading />;
  const list = services.data?.directoryServices.nodes ?? [];
  if (list.length === 0) return <EmptyState title={t('case.noServices')}>{t('case.noServicesHelp')}</EmptyState>;
  return (
    <form
      noValidate
      data-testid="referral-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await form.run(send);
        if (done) sent();
      }}
    >
      <SelectField
        label={t('case.fields.service')}
        value={serviceId}
        onChange={setServiceId}
        placeholder={t('common.choose')}
        options={list.map((s) => ({ value: s.id, label: `${isolate(s.name)} · ${isolate(s.territory.name)}` }))}
        error={form.fieldError('serviceId')}
        required
      />
      {needs.length > 0 && (
        <CheckGroup legend={t('case.fields.needs')} options={needChoices(needs, t)} values={needIds} onChange={setNeedIds} error={form.fieldError('needIds')} />
      )}
      {hasRole('COORDINATOR') && (
        <TextField
          label={t('case.fields.overrideReason')}
          value={overrideReason}
          onChange={setOverrideReason}
          hint={t('case.fields.overrideHint')}
          error={form.fieldError('overrideReason')}
        />
      )}
      <p className="small">{t('case.referralConsent')}</p>
      <FormErrors errors={form.general} />
      {consentMissing && (
        <div className="mb-3" data-testid="referral-consent-shortcut">
          <p className="small mb-1">{t('case.sharingConsentAsk')}</p>
          <button type="button" className="btn btn-outline-primary btn-sm" disabled={form.busy} onClick={() => void recordConsentAndSend()}>
            {t('case.sharingConsentRecordAndSend')}
          </button>
        </div>
      )}
      <SubmitButton busy={form.busy}>{t('case.forms.saveReferral')}</SubmitButton>
    </form>
  );
}

function GoalForm({ caseId, needs, onDone }: { caseId: string; needs: Need[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [needIds, setNeedIds] = useState<string[]>([]);
  const [reviewOn, setReviewOn] = useState('');
  const form = useSubmit(['title', 'needIds', 'reviewOn']);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const earliest = today();
        const done = await form.run(() =>
          request(AddGoalMutation, { input: { caseId, title: title.trim(), needIds, reviewOn: reviewOn || null } }).catch((err: unknown) => {
            throw namePastDates(err, { reviewOn: { value: reviewOn, min: earliest } });
          }),
        );
        if (done) {
          setTitle('');
          setNeedIds([]);
          onDone();
        }
      }}
    >
      <TextField label={t('case.fields.goal')} value={title} onChange={setTitle} error={form.fieldError('title')} required />
      {needs.length > 0 && (
        <CheckGroup legend={t('case.fields.needs')} options={needChoices(needs, t)} values={needIds} onChange={setNeedIds} error={form.fieldError('needIds')} />
      )}
      <TextField label={t('case.fields.reviewOn')} type="date" value={reviewOn} onChange={setReviewOn} min={today()} error={form.fieldError('reviewOn')} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveGoal')}</SubmitButton>
    </form>
  );
}

function StepForm({ goals, onDone }: { goals: CaseData['plan']; onDone: () => void }) {
  const { t } = useTranslation();
  const [goalId, setGoalId] = useState(goals[0]?.id ?? '');
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState<StepOwner>('PERSON');
  const [dueOn, setDueOn] = useState('');
  const form = useSubmit(['goalId', 'title', 'owner', 'dueOn']);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const earliest = today();
        const done = await form.run(() =>
          request(AddStepMutation, { input: { goalId, title: title.trim(), owner, dueOn: dueOn || null } }).catch((err: unknown) => {
            throw namePastDates(err, { dueOn: { value: dueOn, min: earliest } });
          }),
        );
        if (done) {
          setTitle('');
          onDone();
        }
      }}
    >
      <SelectField
        label={t('case.fields.goal')}
        value={goalId}
        onChange={setGoalId}
        options={goals.map((g) => ({ value: g.id, label: isolate(g.title) }))}
        error={form.fieldError('goalId')}
      />
      <TextField label={t('case.fields.step')} value={title} onChange={setTitle} error={form.fieldError('title')} required />
      <SelectField
        label={t('case.fields.owner')}
        value={owner}
        onChange={(v) => setOwner(v as StepOwner)}
        options={STEP_OWNERS.map((o) => ({ value: o, label: t(`enum.StepOwner.${o}`) }))}
        error={form.fieldError('owner')}
      />
      <TextField label={t('case.fields.dueOn')} type="date" value={dueOn} onChange={setDueOn} min={today()} error={form.fieldError('dueOn')} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveStep')}</SubmitButton>
    </form>
  );
}

function Consents({
  personId,
  consents,
  onDone,
}: {
  personId: string;
  consents: CaseData['person']['consents'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const latest = (p: ConsentPurpose) => [...consents].reverse().find((c) => c.purpose === p);
  const record = async (purpose: ConsentPurpose, given: boolean) => {
    if (await form.run(() => request(RecordConsentMutation, { personId, purpose, given }))) onDone();
  };
  return (
    <>
      <ul className="list-unstyled item-list" data-testid="consents">
        {CONSENT_PURPOSES.map((p) => {
          const c = latest(p);
          return (
            <li key={p} className="d-flex flex-wrap justify-content-between align-items-center gap-2">
              <span>
                {t(`enum.ConsentPurpose.${p}`)}:{' '}
                <strong>{c ? (c.given ? t('case.consentGiven') : t('case.consentWithdrawn')) : t('case.consentNone')}</strong>
              </span>
              {c?.given ? (
                <ConfirmButton
                  disabled={form.busy}
                  ariaLabel={`${t(`enum.ConsentPurpose.${p}`)}: ${t('case.withdraw')}`}
                  confirmation={{
                    title: t('confirm.withdrawConsent.title'),
                    body: t('confirm.withdrawConsent.body', { purpose: t(`enum.ConsentPurpose.${p}`) }),
                    confirm: t('confirm.withdrawConsent.confirm'),
                  }}
                  onConfirm={() => record(p, false)}
                >
                  {t('case.withdraw')}
                </ConfirmButton>
              ) : (
                <button
                  type="button"
                  className="btn btn-outline-primary btn-xs"
                  disabled={form.busy}
                  aria-label={`${t(`enum.ConsentPurpose.${p}`)}: ${t('case.give')}`}
                  onClick={() => void record(p, true)}
                >
                  {t('case.give')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <FormErrors errors={form.general} />
    </>
  );
}
