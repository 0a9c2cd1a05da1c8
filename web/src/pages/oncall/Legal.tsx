// Legal advice for operators: ask a question (from the case page it is linked to the case), read
// the answers of one's own consultations as they arrive, follow up, close; search the knowledge
// base of answers the advisors published without personal data.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../api/client';
import { ConfirmButton } from '../../components/Confirm';
import { FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../components/Form';
import { LoadMore, usePaged } from '../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../components/States';
import { missingFields, useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';
import type { LegalCategory, Urgency } from '../../gql/graphql';
import {
  AskLegalQuestionMutation,
  CloseConsultationMutation,
  FollowUpConsultationMutation,
  LegalConsultationsQuery,
  LegalKnowledgeQuery,
} from './operations';
import { ConsultationStatusBadge, LEGAL_CATEGORIES, LiveNotice, Thread, UrgencyBadge, useSeconds, type ConsultationRow } from './common';
import { UrgencyField } from './Mediation';
import { useOnCallUpdates } from './live';

export default function Legal() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const caseId = params.get('caso');
  const list = usePaged(async (after) => (await request(LegalConsultationsQuery, { after, status: null })).legalConsultations, []);
  const [notice, setNotice] = useState('');
  useOnCallUpdates((u) => {
    const c = u.legalConsultation;
    if (!c) return;
    list.setRows((rows) => (rows.some((x) => x.id === c.id) ? rows.map((x) => (x.id === c.id ? c : x)) : rows));
    if (u.change === 'ANSWERED') setNotice(t('oncall.legal.answeredNotice', { category: t(`oncall.category.${c.category}`) }));
  });
  const replace = (c: ConsultationRow) => list.setRows((rows) => rows.map((x) => (x.id === c.id ? c : x)));
  return (
    <>
      <h1 className="h2">{t('oncall.legal.title')}</h1>
      <div className="case-layout-2">
        <AskForm
          caseId={caseId}
          onDone={(c) => {
            list.setRows((rows) => [c, ...rows]);
            setNotice(t('oncall.legal.sent'));
          }}
        />
        <LiveNotice text={notice} />
        <section className="case-section" aria-labelledby="mine-title">
          <h2 id="mine-title" className="h4">
            {t('oncall.legal.mine')}
          </h2>
          {list.error && <LoadError error={list.error} />}
          {!list.loading && !list.error && list.rows.length === 0 && <p className="text-muted">{t('oncall.legal.noneMine')}</p>}
          <ul className="p-0 list-unstyled" data-testid="consultations">
            {list.rows.map((c) => (
              <ConsultationCard key={c.id} c={c} onChange={replace} />
            ))}
          </ul>
          {list.loading && <Loading />}
          <LoadMore list={list} />
        </section>
        <Knowledge />
      </div>
    </>
  );
}

function AskForm({ caseId, onDone }: { caseId: string | null; onDone: (c: ConsultationRow) => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['category', 'urgency', 'question']);
  const [category, setCategory] = useState('');
  const [urgency, setUrgency] = useState<Urgency | ''>('NORMAL');
  const [question, setQuestion] = useState('');
  const submit = async () => {
    const missing = missingFields({ category, urgency, question }, t('errors.reasons.REQUIRED'));
    if (question.trim() && question.trim().length < 10) {
      missing.push({ field: 'question', code: 'INVALID_INPUT', local: true, message: t('oncall.legal.questionShort') });
    }
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() =>
      request(AskLegalQuestionMutation, { input: { caseId, category: category as LegalCategory, urgency: urgency as Urgency, question: question.trim() } }),
    );
    if (done) {
      setQuestion('');
      setCategory('');
      onDone(done.askLegalQuestion);
    }
  };
  return (
    <form
      className="case-section oncall-form"
      noValidate
      aria-labelledby="ask-legal-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="ask-legal-title" className="h4">
        {t('oncall.legal.ask')}
      </h2>
      {caseId && (
        <p className="small" data-testid="linked-case">
          {t('oncall.legal.linkedCase')} <Link to={`/casi/${encodeURIComponent(caseId)}`}>{t('oncall.legal.openCase')}</Link>
        </p>
      )}
      <SelectField
        label={t('oncall.legal.category')}
        value={category}
        onChange={setCategory}
        required
        placeholder={t('common.choose')}
        options={LEGAL_CATEGORIES.map((c) => ({ value: c, label: t(`oncall.category.${c}`) }))}
        error={form.fieldError('category')}
      />
      <UrgencyField value={urgency} onChange={setUrgency} error={form.fieldError('urgency')} hintKey="oncall.legal.urgencyHint" />
      <TextArea label={t('oncall.legal.question')} value={question} onChange={setQuestion} maxLength={4000} rows={5} required hint={t('oncall.legal.questionHint')} error={form.fieldError('question')} />
      <FormErrors errors={form.general} />
      <SubmitButton busy={form.busy}>{t('oncall.legal.send')}</SubmitButton>
    </form>
  );
}

function ConsultationCard({ c, onChange }: { c: ConsultationRow; onChange: (c: ConsultationRow) => void }) {
  const { t } = useTranslation();
  const duration = useSeconds();
  const [followingUp, setFollowingUp] = useState(false);
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const close = async () => {
    setErrors([]);
    try {
      onChange((await request(CloseConsultationMutation, { consultationId: c.id })).closeLegalConsultation);
    } catch (e) {
      setErrors((e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }]);
    }
  };
  const titleId = `consultation-${c.id}`;
  return (
    <li className="card card-bg mb-3 shadow-sm" data-testid="consultation" data-status={c.status} aria-labelledby={titleId}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <h3 id={titleId} className="h5 mb-0">
            {t(`oncall.category.${c.category}`)}
          </h3>
          <ConsultationStatusBadge status={c.status} />
          <UrgencyBadge urgency={c.urgency} />
        </div>
        <p className="small text-muted mb-2">
          {t('oncall.legal.askedOn', { date: formatDate(c.createdAt, true) })}
          {c.responseSeconds != null && <> · {t('oncall.legal.answeredIn', { time: duration(c.responseSeconds) })}</>}
          {c.caseId && (
            <>
              {' · '}
              <Link to={`/casi/${encodeURIComponent(c.caseId)}`}>{t('oncall.legal.openCase')}</Link>
            </>
          )}
        </p>
        <Thread c={c} />
        <FormErrors errors={errors} />
        {c.status !== 'CLOSED' && (
          <div className="d-flex flex-wrap gap-2">
            {c.status === 'ANSWERED' && !followingUp && (
              <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setFollowingUp(true)}>
                {t('oncall.legal.followUp')}
              </button>
            )}
            <ConfirmButton
              className="btn btn-outline-secondary btn-sm"
              confirmation={{ title: t('oncall.legal.closeTitle'), body: t('oncall.legal.closeBody'), confirm: t('oncall.legal.close') }}
              onConfirm={close}
            >
              {t('oncall.legal.close')}
            </ConfirmButton>
          </div>
        )}
        {followingUp && (
          <MessageForm
            label={t('oncall.legal.followUpText')}
            send={t('oncall.legal.sendFollowUp')}
            onCancel={() => setFollowingUp(false)}
            run={async (body) => (await request(FollowUpConsultationMutation, { input: { consultationId: c.id, body } })).followUpLegalConsultation}
            onDone={(n) => {
              setFollowingUp(false);
              onChange(n);
            }}
          />
        )}
      </div>
    </li>
  );
}

/** A message of a consultation (an answer, a follow-up): one text, 1 to 8000 characters. */
export function MessageForm({
  label,
  send,
  hint,
  run,
  onDone,
  onCancel,
}: {
  label: string;
  send: string;
  hint?: string;
  run: (body: string) => Promise<ConsultationRow>;
  onDone: (c: ConsultationRow) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const form = useSubmit(['body']);
  const [body, setBody] = useState('');
  return (
    <form
      className="mt-3"
      noValidate
      aria-label={label}
      onSubmit={async (e) => {
        e.preventDefault();
        const missing = missingFields({ body }, t('errors.reasons.REQUIRED'));
        if (missing.length > 0) {
          form.setErrors(missing);
          return;
        }
        const done = await form.run(() => run(body.trim()));
        if (done) {
          setBody('');
          onDone(done);
        }
      }}
    >
      <TextArea label={label} value={body} onChange={setBody} maxLength={8000} rows={5} required hint={hint} error={form.fieldError('body')} />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{send}</SubmitButton>
        {onCancel && (
          <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
            {t('oncall.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The knowledge base: entries with every word typed, in a category or all. */
function Knowledge() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [category, setCategory] = useState('');
  const [query, setQuery] = useState<{ text: string; category: string } | null>(null);
  const results = usePaged(
    async (after) =>
      query
        ? (await request(LegalKnowledgeQuery, { after, text: query.text || null, category: (query.category || null) as LegalCategory | null })).legalKnowledge
        : { nodes: [], pageInfo: { hasNextPage: false } },
    [query],
  );
  return (
    <section className="case-section" aria-labelledby="knowledge-title">
      <h2 id="knowledge-title" className="h4">
        {t('oncall.knowledge.title')}
      </h2>
      <p className="small">{t('oncall.knowledge.intro')}</p>
      <form
        role="search"
        noValidate
        aria-label={t('oncall.knowledge.title')}
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ text: text.trim(), category });
        }}
      >
        <TextField type="search" label={t('oncall.knowledge.text')} value={text} onChange={setText} maxLength={200} />
        <SelectField
          label={t('oncall.legal.category')}
          value={category}
          onChange={setCategory}
          placeholder={t('oncall.knowledge.anyCategory')}
          options={LEGAL_CATEGORIES.map((c) => ({ value: c, label: t(`oncall.category.${c}`) }))}
        />
        <button type="submit" className="btn btn-outline-primary">
          {t('oncall.knowledge.search')}
        </button>
      </form>
      {results.error && <LoadError error={results.error} />}
      {query && !results.loading && !results.error && results.rows.length === 0 && (
        <EmptyState title={t('oncall.knowledge.none')}>{t('oncall.knowledge.noneHelp')}</EmptyState>
      )}
      <ul className="p-0 list-unstyled mt-3" data-testid="knowledge-results">
        {results.rows.map((k) => (
          <li key={k.id} className="card card-bg mb-3 shadow-sm" data-testid="knowledge-entry">
            <div className="card-body p-3">
              <p className="small text-muted mb-1">
                {t(`oncall.category.${k.category}`)} · {formatDate(k.publishedAt)}
              </p>
              <h3 className="h6">
                <bdi>{k.question}</bdi>
              </h3>
              <p className="mb-0 legal-body text-break">
                <bdi>{k.answer}</bdi>
              </p>
            </div>
          </li>
        ))}
      </ul>
      {results.loading && query && <Loading />}
      <LoadMore list={results} />
    </section>
  );
}
