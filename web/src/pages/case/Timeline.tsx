// The case's timeline: encounters, needs, interventions and referrals, newest first, a page at
// a time. Encounters and interventions can be corrected in place (on a closed case, only an
// encounter's notes); referrals move on through their states.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { ChangeReferralStatusMutation, UpdateEncounterMutation, UpdateInterventionMutation } from '../../api/operations';
import { FormErrors, SubmitButton, TextArea, TextField } from '../../components/Form';
import { EmptyState } from '../../components/States';
import { REFERRAL_NEXT } from '../../enums';
import type { Channel, ReferralStatus } from '../../gql/graphql';
import { useSubmit } from '../../hooks';
import { formatDate, formatNumber } from '../../i18n';
import { useIsoNames } from '../../iso';
import { localInput, withOffset } from '../../time';
import { EncounterFields } from './Forms';
import { InterventionOutcomeField, NeedName, NeedNames, useInterventionOutcomeName, type CaseData, type Need } from './shared';

/** Entries shown at a time. */
export const TIMELINE_PAGE = 8;

type Encounter = CaseData['encounters']['nodes'][number];
type Intervention = CaseData['interventions']['nodes'][number];

export function Timeline({ c, readOnly, onDone }: { c: CaseData; readOnly: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const outcomeName = useInterventionOutcomeName();
  const iso = useIsoNames();
  const needs = c.needs.nodes;
  const [page, setPage] = useState(0);
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
          <EncounterEdit encounter={e} closed={readOnly} onDone={onDone} />
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
              {outcomeName(i.outcome)}
            </>
          )}
          {!readOnly && <InterventionEdit intervention={i} onDone={onDone} />}
        </>
      ),
    })),
    ...c.referrals.nodes.map((r) => ({
      at: r.sentAt,
      key: `r-${r.id}`,
      kind: 'referral',
      body: <ReferralEntry referral={r} needs={needs} readOnly={readOnly} onDone={onDone} />,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  if (entries.length === 0) {
    return <EmptyState title={t('case.emptyTimeline')}>{t('case.emptyTimelineHelp')}</EmptyState>;
  }
  const pages = Math.ceil(entries.length / TIMELINE_PAGE);
  const current = Math.min(page, pages - 1);
  const first = current * TIMELINE_PAGE;
  const shown = entries.slice(first, first + TIMELINE_PAGE);
  return (
    <>
      <ol className="timeline" data-testid="timeline">
        {shown.map((e) => (
          <li key={e.key} className={`timeline-entry entry-${e.kind}`}>
            <time dateTime={e.at} className="small text-muted d-block">
              {formatDate(e.at, true)}
            </time>
            {e.body}
          </li>
        ))}
      </ol>
      {pages > 1 && (
        <nav className="timeline-pages" aria-label={t('caseView.timelinePages')} data-testid="timeline-pages">
          <button type="button" className="btn btn-outline-primary btn-sm" disabled={current === 0} onClick={() => setPage(current - 1)}>
            {t('caseView.newer')}
          </button>
          <span className="small" aria-live="polite" data-testid="timeline-range">
            {t('caseView.range', {
              from: formatNumber(first + 1),
              to: formatNumber(first + shown.length),
              total: formatNumber(entries.length),
            })}
          </span>
          <button type="button" className="btn btn-outline-primary btn-sm" disabled={current === pages - 1} onClick={() => setPage(current + 1)}>
            {t('caseView.older')}
          </button>
        </nav>
      )}
    </>
  );
}

function ReferralEntry({
  referral,
  needs,
  readOnly,
  onDone,
}: {
  referral: CaseData['referrals']['nodes'][number];
  needs: Need[];
  readOnly: boolean;
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
      {next.length > 0 && !readOnly && (
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


/**
 * An encounter's correction, behind a button: on an open case every field, on a closed one only
 * the notes (rectified, or cleared).
 */
function EncounterEdit({ encounter: e, closed, onDone }: { encounter: Encounter; closed: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [occurredAt, setOccurredAt] = useState('');
  const [channel, setChannel] = useState<Channel>(e.channel);
  const [language, setLanguage] = useState('');
  const [mediator, setMediator] = useState(false);
  const [duration, setDuration] = useState('');
  const [notes, setNotes] = useState('');
  const form = useSubmit(['occurredAt', 'channel', 'language', 'durationMinutes', 'notes']);
  const start = () => {
    setOccurredAt(localInput(Date.parse(e.occurredAt)));
    setChannel(e.channel);
    setLanguage(e.language ?? '');
    setMediator(e.mediatorPresent);
    setDuration(e.durationMinutes == null ? '' : String(e.durationMinutes));
    setNotes(e.notes ?? '');
    form.setErrors([]);
    setEditing(true);
  };
  const label = t(closed ? 'caseView.editNotesNamed' : 'caseView.editEncounterNamed', { date: formatDate(e.occurredAt, true) });
  if (!editing) {
    return (
      <div className="mt-1">
        <button type="button" className="btn btn-outline-secondary btn-xs" aria-label={label} onClick={start}>
          {closed ? t('caseView.editNotes') : t('caseView.edit')}
        </button>
      </div>
    );
  }
  return (
    <form
      className="entry-edit"
      noValidate
      aria-label={label}
      data-testid="encounter-edit"
      onSubmit={async (ev) => {
        ev.preventDefault();
        // A duration that is not a whole number is named here (as a number it would travel as null).
        if (!closed && duration.trim() !== '' && !/^\d+$/.test(duration.trim())) {
          form.setErrors([{ field: 'durationMinutes', code: 'INVALID_INPUT', local: true, message: t('caseView.wholeMinutes') }]);
          return;
        }
        const input = closed
          ? { id: e.id, expectedVersion: e.version, notes: notes.trim() }
          : {
              id: e.id,
              expectedVersion: e.version,
              occurredAt: occurredAt ? withOffset(occurredAt) : '',
              channel,
              language: language.trim() || null,
              mediatorPresent: mediator,
              durationMinutes: duration.trim() === '' ? null : Number(duration.trim()),
              notes: notes.trim(),
            };
        if (await form.run(() => request(UpdateEncounterMutation, { input }))) {
          setEditing(false);
          onDone();
        }
      }}
    >
      {!closed && (
        <EncounterFields
          values={{ occurredAt, channel, language, mediator, duration }}
          set={{ occurredAt: setOccurredAt, channel: setChannel, language: setLanguage, mediator: setMediator, duration: setDuration }}
          fieldError={form.fieldError}
        />
      )}
      <TextArea label={t('case.fields.notes')} value={notes} onChange={setNotes} hint={t('case.fields.notesHint')} error={form.fieldError('notes')} />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{t('caseView.saveChanges')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={() => setEditing(false)}>
          {t('caseView.cancelEdit')}
        </button>
      </div>
    </form>
  );
}

/** An intervention's outcome (of the tenant's list) or time, corrected behind a button. */
function InterventionEdit({ intervention: i, onDone }: { intervention: Intervention; onDone: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [doneAt, setDoneAt] = useState('');
  const form = useSubmit(['outcome', 'doneAt']);
  const label = t('caseView.editInterventionNamed', { kind: t(`enum.InterventionKind.${i.kind}`), date: formatDate(i.doneAt, true) });
  if (!editing) {
    return (
      <div className="mt-1">
        <button
          type="button"
          className="btn btn-outline-secondary btn-xs"
          aria-label={label}
          onClick={() => {
            setOutcome(i.outcome ?? '');
            setDoneAt(localInput(Date.parse(i.doneAt)));
            form.setErrors([]);
            setEditing(true);
          }}
        >
          {t('caseView.edit')}
        </button>
      </div>
    );
  }
  return (
    <form
      className="entry-edit"
      noValidate
      aria-label={label}
      data-testid="intervention-edit"
      onSubmit={async (ev) => {
        ev.preventDefault();
        const changedAt = doneAt !== localInput(Date.parse(i.doneAt));
        const done = await form.run(() =>
          request(UpdateInterventionMutation, {
            id: i.id,
            expectedVersion: i.version,
            // An empty choice clears the outcome; an unchanged one is not sent.
            outcome: outcome !== (i.outcome ?? '') ? outcome : null,
            doneAt: changedAt ? (doneAt ? withOffset(doneAt) : '') : null,
          }),
        );
        if (done) {
          setEditing(false);
          onDone();
        }
      }}
    >
      <InterventionOutcomeField value={outcome} onChange={setOutcome} error={form.fieldError('outcome')} current={i.outcome} />
      <TextField label={t('caseView.doneAt')} type="datetime-local" value={doneAt} onChange={setDoneAt} error={form.fieldError('doneAt')} required />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{t('caseView.saveChanges')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={() => setEditing(false)}>
          {t('caseView.cancelEdit')}
        </button>
      </div>
    </form>
  );
}
