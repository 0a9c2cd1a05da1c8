// One case: its person and consents, needs expressed vs detected, the timeline of encounters,
// needs, interventions and referrals, the plan, and a form for each kind of entry.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import {
  AddEncounterMutation,
  AddGoalMutation,
  AddStepMutation,
  CaseQuery,
  ChangeCaseStatusMutation,
  ChangeNeedStatusMutation,
  ChangeReferralStatusMutation,
  ChangeStepStatusMutation,
  RecordConsentMutation,
  RecordInterventionMutation,
  RecordNeedMutation,
  SendReferralMutation,
  ServicesQuery,
  TerritoriesQuery,
} from '../api/operations';
import { CheckField, CheckGroup, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../components/Form';
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
  ReferralStatus,
  StepOwner,
  StepStatus,
} from '../gql/graphql';
import { useLoad, useSubmit } from '../hooks';
import { formatDate } from '../i18n';
import { useSession } from '../session';
import { personName } from './Persons';

type CaseData = Exclude<NonNullable<CaseResult['node']>, Record<PropertyKey, never>>;
type Need = CaseData['needs']['nodes'][number];

function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

export default function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const loaded = useLoad(() => request(CaseQuery, { id }), [id]);
  const territories = useLoad(() => request(TerritoriesQuery), []);

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
  const needLabel = (nid: string) => {
    const n = needs.find((x) => x.id === nid);
    return n ? t(`enum.NeedCode.${n.code}`) : nid;
  };
  return (
    <>
      <p className="mb-1">
        <Link to="/casi" className="back-link">{t('case.backToList')}</Link>
      </p>
      <div className="page-head">
        <h1 className="h2 mb-0" data-testid="case-person">
          {personName(c.person)}
        </h1>
        <span className={`badge status-${c.status.toLowerCase()}`} data-testid="case-status">
          {t(`enum.CaseStatus.${c.status}`)}
        </span>
      </div>
      <p className="text-muted">
        {t('case.summary', {
          territory: territories.data?.territories.nodes.find((x) => x.istatCode === c.territoryCode)?.name ?? c.territoryCode,
          date: formatDate(c.openedAt),
        })}
        {c.person.birth && <> · {t('case.born', { year: c.person.birth.year })}</>}
        {c.person.countryOfBirth && <> · {c.person.countryOfBirth}</>}
      </p>
      <StatusForm caseId={c.id} status={c.status} onDone={reload} />

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
            <Timeline c={c} needLabel={needLabel} onDone={reload} />
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
                    <strong>{g.title}</strong> · {t(`enum.GoalStatus.${g.status}`)}
                    {g.reviewOn && <> · {t('case.reviewOn', { date: formatDate(g.reviewOn) })}</>}
                    {g.needIds.length > 0 && <> · {g.needIds.map(needLabel).join(', ')}</>}
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
              <EncounterForm caseId={c.id} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.need')} testId="form-need">
              <NeedForm caseId={c.id} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.intervention')} testId="form-intervention">
              <InterventionForm caseId={c.id} needs={needs} onDone={reload} />
            </Panel>
            <Panel title={t('case.forms.referral')} testId="form-referral">
              <ReferralForm caseId={c.id} needs={needs} onDone={reload} />
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
          <section aria-labelledby="consent-title" className="case-section">
            <h2 id="consent-title" className="h4">
              {t('case.consents')}
            </h2>
            <Consents personId={c.person.id} consents={c.person.consents} onDone={reload} />
          </section>
        </div>
      </div>
    </>
  );
}

function Panel({ title, children, testId, open }: { title: string; children: ReactNode; testId: string; open?: boolean }) {
  return (
    <details className="form-panel" data-testid={testId} open={open}>
      <summary>{title}</summary>
      <div className="form-panel-body">{children}</div>
    </details>
  );
}

function StatusForm({ caseId, status, onDone }: { caseId: string; status: CaseStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const next = CASE_NEXT[status];
  const [to, setTo] = useState<string>('');
  const [text, setText] = useState('');
  const form = useSubmit(['to', 'outcome', 'reason']);
  if (next.length === 0) return null;
  const target = (to || next[0]) as CaseStatus;
  const needsOutcome = target === 'CLOSED';
  const needsReason = status === 'CLOSED';
  return (
    <form
      className="status-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await form.run(() =>
          request(ChangeCaseStatusMutation, {
            id: caseId,
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
      }}
    >
      <SelectField
        label={t('case.moveTo')}
        value={target}
        onChange={setTo}
        options={next.map((s) => ({ value: s, label: t(`enum.CaseStatus.${s}`) }))}
        error={form.fieldError('to')}
      />
      {(needsOutcome || needsReason) && (
        <TextField
          label={needsOutcome ? t('case.outcome') : t('case.reopenReason')}
          value={text}
          onChange={setText}
          error={form.fieldError(needsOutcome ? 'outcome' : 'reason')}
          required
        />
      )}
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.changeStatus')}</SubmitButton>
    </form>
  );
}

function NeedItem({ need, onDone }: { need: Need; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  return (
    <li>
      <span className="fw-semibold">{t(`enum.NeedCode.${need.code}`)}</span> · {t(`enum.NeedStatus.${need.status}`)}
      {need.status === 'OPEN' && (
        <span className="ms-2 d-inline-flex gap-1">
          {(['ADDRESSED', 'UNRESOLVED'] as NeedStatus[]).map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-outline-secondary btn-xs"
              disabled={form.busy}
              aria-label={`${t(`enum.NeedCode.${need.code}`)}: ${t(`enum.NeedStatus.${s}`)}`}
              onClick={async () => {
                if (await form.run(() => request(ChangeNeedStatusMutation, { id: need.id, status: s }))) onDone();
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

function Timeline({ c, needLabel, onDone }: { c: CaseData; needLabel: (id: string) => string; onDone: () => void }) {
  const { t } = useTranslation();
  const entries: { at: string; key: string; kind: string; body: ReactNode }[] = [
    ...c.encounters.nodes.map((e) => ({
      at: e.occurredAt,
      key: `e-${e.id}`,
      kind: 'encounter',
      body: (
        <>
          <strong>{t('case.entry.encounter')}</strong> · {t(`enum.Channel.${e.channel}`)}
          {e.language && <> · {e.language}</>}
          {e.mediatorPresent && <> · {t('case.withMediator')}</>}
          {e.durationMinutes != null && <> · {t('case.minutes', { count: e.durationMinutes })}</>}
          {e.notes && <p className="mb-0 small">{e.notes}</p>}
        </>
      ),
    })),
    ...c.needs.nodes.map((n) => ({
      at: n.notedAt,
      key: `n-${n.id}`,
      kind: 'need',
      body: (
        <>
          <strong>{t(n.source === 'EXPRESSED' ? 'case.entry.needExpressed' : 'case.entry.needDetected')}</strong> · {t(`enum.NeedCode.${n.code}`)}
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
          {i.needIds.length > 0 && <> · {i.needIds.map(needLabel).join(', ')}</>}
          {i.outcome && <> · {i.outcome}</>}
        </>
      ),
    })),
    ...c.referrals.nodes.map((r) => ({
      at: r.sentAt,
      key: `r-${r.id}`,
      kind: 'referral',
      body: <ReferralEntry referral={r} needLabel={needLabel} onDone={onDone} />,
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
  needLabel,
  onDone,
}: {
  referral: CaseData['referrals']['nodes'][number];
  needLabel: (id: string) => string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const form = useSubmit([]);
  const next = REFERRAL_NEXT[referral.status];
  return (
    <>
      <strong>{t('case.entry.referral')}</strong> · {referral.service.name} · {t(`enum.ReferralStatus.${referral.status}`)}
      {referral.needIds.length > 0 && <> · {referral.needIds.map(needLabel).join(', ')}</>}
      {referral.overrideReason && <p className="mb-0 small">{t('case.overrideReason')}: {referral.overrideReason}</p>}
      {referral.feedback && <p className="mb-0 small">{referral.feedback}</p>}
      {next.length > 0 && (
        <div className="d-flex flex-wrap gap-1 mt-1">
          {next.map((s: ReferralStatus) => (
            <button
              key={s}
              type="button"
              className="btn btn-outline-secondary btn-xs"
              disabled={form.busy}
              onClick={async () => {
                if (await form.run(() => request(ChangeReferralStatusMutation, { id: referral.id, to: s }))) onDone();
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
  return (
    <li>
      {step.title} · {t(`enum.StepOwner.${step.owner}`)} · {t(`enum.StepStatus.${step.status}`)}
      {step.dueOn && <> · {formatDate(step.dueOn)}</>}
      {step.status === 'TODO' &&
        (['DONE', 'CANCELLED'] as StepStatus[]).map((s) => (
          <button
            key={s}
            type="button"
            className="btn btn-outline-secondary btn-xs ms-1"
            disabled={form.busy}
            onClick={async () => {
              if (await form.run(() => request(ChangeStepStatusMutation, { id: step.id, status: s }))) onDone();
            }}
          >
            {t(`enum.StepStatus.${s}`)}
          </button>
        ))}
      <FormErrors errors={form.general} />
    </li>
  );
}

function EncounterForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [occurredAt, setOccurredAt] = useState(localNow());
  const [channel, setChannel] = useState<Channel>('DESK');
  const [language, setLanguage] = useState('');
  const [mediator, setMediator] = useState(false);
  const [duration, setDuration] = useState('');
  const [notes, setNotes] = useState('');
  const [expressed, setExpressed] = useState<string[]>([]);
  const [detected, setDetected] = useState<string[]>([]);
  const form = useSubmit(['occurredAt', 'channel', 'language', 'durationMinutes', 'notes']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(async () => {
      const enc = await request(AddEncounterMutation, {
        input: {
          caseId,
          occurredAt: occurredAt ? new Date(occurredAt).toISOString() : '',
          channel,
          language: language.trim() || null,
          mediatorPresent: mediator,
          durationMinutes: duration ? Number(duration) : null,
          notes: notes.trim() || null,
        },
      });
      const record = async (codes: string[], source: NeedSource) => {
        for (const code of codes) {
          await request(RecordNeedMutation, { caseId, code: code as NeedCode, source, encounterId: enc.addEncounter.id });
        }
      };
      await record(expressed, 'EXPRESSED');
      await record(detected, 'DETECTED');
      return enc;
    });
    if (done) {
      setNotes('');
      setDuration('');
      setExpressed([]);
      setDetected([]);
      onDone();
    }
  };
  const needOptions = NEED_CODES.map((c) => ({ value: c, label: t(`enum.NeedCode.${c}`) }));
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
      <TextField label={t('case.fields.language')} value={language} onChange={setLanguage} hint={t('case.fields.languageHint')} error={form.fieldError('language')} />
      <CheckField label={t('case.fields.mediator')} checked={mediator} onChange={setMediator} />
      <TextField label={t('case.fields.duration')} value={duration} onChange={setDuration} inputMode="numeric" error={form.fieldError('durationMinutes')} />
      <TextArea label={t('case.fields.notes')} value={notes} onChange={setNotes} hint={t('case.fields.notesHint')} error={form.fieldError('notes')} />
      <CheckGroup legend={t('case.fields.expressed')} name="expressed" options={needOptions} values={expressed} onChange={setExpressed} />
      <CheckGroup legend={t('case.fields.detected')} name="detected" options={needOptions} values={detected} onChange={setDetected} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveEncounter')}</SubmitButton>
    </form>
  );
}

function NeedForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<NeedCode>('DOCUMENTS_LEGAL');
  const [source, setSource] = useState<NeedSource>('EXPRESSED');
  const form = useSubmit(['code', 'source']);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (await form.run(() => request(RecordNeedMutation, { caseId, code, source }))) onDone();
      }}
    >
      <SelectField
        label={t('case.fields.need')}
        value={code}
        onChange={(v) => setCode(v as NeedCode)}
        options={NEED_CODES.map((c) => ({ value: c, label: t(`enum.NeedCode.${c}`) }))}
        error={form.fieldError('code')}
      />
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

function needChoices(needs: Need[], t: (k: string) => string) {
  return needs.map((n) => ({ value: n.id, label: `${t(`enum.NeedCode.${n.code}`)} (${t(`enum.NeedSource.${n.source}`)})` }));
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

function ReferralForm({ caseId, needs, onDone }: { caseId: string; needs: Need[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const services = useLoad(() => request(ServicesQuery), []);
  const [serviceId, setServiceId] = useState('');
  const [needIds, setNeedIds] = useState<string[]>([]);
  const [overrideReason, setOverrideReason] = useState('');
  const form = useSubmit(['serviceId', 'needIds', 'overrideReason']);
  if (services.loading && !services.data) return <Loading />;
  const list = services.data?.directoryServices.nodes ?? [];
  if (list.length === 0) return <EmptyState title={t('case.noServices')}>{t('case.noServicesHelp')}</EmptyState>;
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await form.run(() =>
          request(SendReferralMutation, { input: { caseId, serviceId, needIds, overrideReason: overrideReason.trim() || null } }),
        );
        if (done) {
          setNeedIds([]);
          setOverrideReason('');
          onDone();
        }
      }}
    >
      <SelectField
        label={t('case.fields.service')}
        value={serviceId}
        onChange={setServiceId}
        placeholder={t('common.choose')}
        options={list.map((s) => ({ value: s.id, label: `${s.name} · ${s.territory.name}` }))}
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
        const done = await form.run(() => request(AddGoalMutation, { input: { caseId, title: title.trim(), needIds, reviewOn: reviewOn || null } }));
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
      <TextField label={t('case.fields.reviewOn')} type="date" value={reviewOn} onChange={setReviewOn} error={form.fieldError('reviewOn')} />
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
        const done = await form.run(() => request(AddStepMutation, { input: { goalId, title: title.trim(), owner, dueOn: dueOn || null } }));
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
        options={goals.map((g) => ({ value: g.id, label: g.title }))}
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
      <TextField label={t('case.fields.dueOn')} type="date" value={dueOn} onChange={setDueOn} error={form.fieldError('dueOn')} />
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
              <button
                type="button"
                className="btn btn-outline-primary btn-xs"
                disabled={form.busy}
                aria-label={`${t(`enum.ConsentPurpose.${p}`)}: ${c?.given ? t('case.withdraw') : t('case.give')}`}
                onClick={async () => {
                  if (await form.run(() => request(RecordConsentMutation, { personId, purpose: p, given: !c?.given }))) onDone();
                }}
              >
                {c?.given ? t('case.withdraw') : t('case.give')}
              </button>
            </li>
          );
        })}
      </ul>
      <FormErrors errors={form.general} />
    </>
  );
}
