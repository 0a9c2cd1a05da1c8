// The forms that record on a case: an encounter (with the needs it brought up), a need, an
// intervention, a referral, a plan goal and a step. Each closes its panel after a save.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request, type ApiErrorItem } from '../../api/client';
import {
  AddEncounterMutation,
  AddGoalMutation,
  AddStepMutation,
  RecordConsentMutation,
  RecordInterventionMutation,
  RecordNeedMutation,
  SendReferralMutation,
  ServicesQuery,
} from '../../api/operations';
import { CheckField, CheckGroup, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../components/Form';
import { CodePicker } from '../../components/Picker';
import { EmptyState, Loading } from '../../components/States';
import { CHANNELS, INTERVENTION_KINDS, NEED_CODES, NEED_SOURCES, STEP_OWNERS } from '../../enums';
import type { Channel, InterventionKind, NeedCode, NeedSource, StepOwner } from '../../gql/graphql';
import { namePastDates, useLoad, useSubmit } from '../../hooks';
import { useLanguageOptions } from '../../iso';
import { useSession } from '../../session';
import { today, withOffset } from '../../time';
import { isolate } from '../../bidi';
import { InterventionOutcomeField, localNow, needChoices, usePanelDone, type CaseData, type Need, type NeedType } from './shared';

/** The tenant's need types of a category that can still be chosen (not retired). */
export function typesOf(types: NeedType[], category: NeedCode): NeedType[] {
  return types.filter((x) => x.category === category && !x.retired);
}

/** The choice of a need type among `choices` (the need form's and the encounter form's). */
export function NeedTypeField({
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
export function EncounterNeeds({
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

/** An encounter's own fields (time, channel, language, mediator, duration), for recording one and
 * for correcting it. */
export function EncounterFields({
  values,
  set,
  fieldError,
}: {
  values: { occurredAt: string; channel: Channel; language: string; mediator: boolean; duration: string };
  set: {
    occurredAt: (v: string) => void;
    channel: (v: Channel) => void;
    language: (v: string) => void;
    mediator: (v: boolean) => void;
    duration: (v: string) => void;
  };
  fieldError: (field: string) => ApiErrorItem | undefined;
}) {
  const { t } = useTranslation();
  const languageOptions = useLanguageOptions();
  return (
    <>
      <TextField label={t('case.fields.occurredAt')} type="datetime-local" value={values.occurredAt} onChange={set.occurredAt} error={fieldError('occurredAt')} required />
      <SelectField
        label={t('case.fields.channel')}
        value={values.channel}
        onChange={(v) => set.channel(v as Channel)}
        options={CHANNELS.map((x) => ({ value: x, label: t(`enum.Channel.${x}`) }))}
        error={fieldError('channel')}
      />
      <CodePicker
        label={t('case.fields.language')}
        options={languageOptions}
        value={values.language}
        onChange={set.language}
        hint={t('case.fields.languageHint')}
        error={fieldError('language')}
      />
      <CheckField label={t('case.fields.mediator')} checked={values.mediator} onChange={set.mediator} />
      <TextField label={t('case.fields.duration')} value={values.duration} onChange={set.duration} inputMode="numeric" error={fieldError('durationMinutes')} />
    </>
  );
}

export function EncounterForm({ caseId, types, onDone }: { caseId: string; types: NeedType[]; onDone: () => void }) {
  const { t } = useTranslation();
  const closePanel = usePanelDone();
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
      closePanel();
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <EncounterFields
        values={{ occurredAt, channel, language, mediator, duration }}
        set={{ occurredAt: setOccurredAt, channel: setChannel, language: setLanguage, mediator: setMediator, duration: setDuration }}
        fieldError={form.fieldError}
      />
      <TextArea label={t('case.fields.notes')} value={notes} onChange={setNotes} hint={t('case.fields.notesHint')} error={form.fieldError('notes')} />
      <EncounterNeeds source="EXPRESSED" types={types} codes={expressed} onCodes={setExpressed} chosen={expressedTypes} onChosen={setExpressedTypes} />
      <EncounterNeeds source="DETECTED" types={types} codes={detected} onCodes={setDetected} chosen={detectedTypes} onChosen={setDetectedTypes} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveEncounter')}</SubmitButton>
    </form>
  );
}

export function NeedForm({ caseId, types, onDone }: { caseId: string; types: NeedType[]; onDone: () => void }) {
  const { t } = useTranslation();
  const closePanel = usePanelDone();
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
          closePanel();
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

export function InterventionForm({ caseId, needs, onDone }: { caseId: string; needs: Need[]; onDone: () => void }) {
  const { t } = useTranslation();
  const closePanel = usePanelDone();
  const [kind, setKind] = useState<InterventionKind>('ORIENTATION');
  const [needIds, setNeedIds] = useState<string[]>([]);
  const [outcome, setOutcome] = useState('');
  const [doneAt, setDoneAt] = useState(localNow());
  const form = useSubmit(['kind', 'needIds', 'outcome', 'doneAt']);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await form.run(() =>
          request(RecordInterventionMutation, {
            input: { caseId, kind, needIds, outcome: outcome || null, doneAt: doneAt ? withOffset(doneAt) : null },
          }),
        );
        if (done) {
          setNeedIds([]);
          setOutcome('');
          setDoneAt(localNow());
          onDone();
          closePanel();
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
      <InterventionOutcomeField value={outcome} onChange={setOutcome} error={form.fieldError('outcome')} />
      <TextField label={t('caseView.doneAt')} type="datetime-local" value={doneAt} onChange={setDoneAt} error={form.fieldError('doneAt')} required />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('case.forms.saveIntervention')}</SubmitButton>
    </form>
  );
}

export function ReferralForm({
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
  const closePanel = usePanelDone();
  const { hasRole } = useSession();
  const services = useLoad(() => request(ServicesQuery), []);
  const [serviceId, setServiceId] = useState('');
  const [needIds, setNeedIds] = useState<string[]>([]);
  const [overrideReason, setOverrideReason] = useState('');
  // The refusal for a missing consent names the override reason: next to that field for a
  // coordinator, who can give one; above the buttons for anyone else, who has no such field.
  const form = useSubmit(['serviceId', 'needIds', ...(hasRole('COORDINATOR') ? ['overrideReason'] : [])]);
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
    closePanel();
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

export function GoalForm({ caseId, needs, onDone }: { caseId: string; needs: Need[]; onDone: () => void }) {
  const { t } = useTranslation();
  const closePanel = usePanelDone();
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
          closePanel();
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

export function StepForm({ goals, onDone }: { goals: CaseData['plan']; onDone: () => void }) {
  const { t } = useTranslation();
  const closePanel = usePanelDone();
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
          closePanel();
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

