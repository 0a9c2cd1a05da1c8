// A legal advisor's queue, live: new questions arrive without a reload (announced politely);
// take one, answer it, and publish the answer to the knowledge base rewritten without
// personal data.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../api/client';
import { FormErrors, SubmitButton, TextArea } from '../../components/Form';
import { LoadMore, usePaged } from '../../components/Paged';
import { LoadError, Loading } from '../../components/States';
import { missingFields, useSubmit } from '../../hooks';
import { formatDate } from '../../i18n';
import { useSession } from '../../session';
import { AnswerConsultationMutation, LegalConsultationsQuery, PublishKnowledgeMutation, TakeConsultationMutation } from './operations';
import { ConsultationStatusBadge, LiveNotice, Thread, UrgencyBadge, useSeconds, type ConsultationRow } from './common';
import { MessageForm } from './Legal';
import { useOnCallUpdates } from './live';

export default function LegalQueue() {
  const { t } = useTranslation();
  const { viewer } = useSession();
  const me = viewer?.user.id;
  const list = usePaged(async (after) => (await request(LegalConsultationsQuery, { after, status: null })).legalConsultations, []);
  const [notice, setNotice] = useState('');
  const live = useOnCallUpdates((u) => {
    const c = u.legalConsultation;
    if (!c) return;
    list.setRows((rows) => (rows.some((x) => x.id === c.id) ? rows.map((x) => (x.id === c.id ? c : x)) : [c, ...rows]));
    if (u.change === 'CREATED') setNotice(t('oncall.advisor.newQuestion', { category: t(`oncall.category.${c.category}`) }));
  });
  const replace = (c: ConsultationRow) => list.setRows((rows) => rows.map((x) => (x.id === c.id ? c : x)));
  const open = list.rows.filter((c) => c.status === 'OPEN');
  const mine = list.rows.filter((c) => c.status !== 'OPEN' && c.status !== 'CLOSED' && c.advisorId === me);
  const others = list.rows.filter((c) => !open.includes(c) && !mine.includes(c));
  const sections: [string, string, ConsultationRow[], string][] = [
    ['open', t('oncall.advisor.open'), open, t('oncall.advisor.noOpen')],
    ['mine', t('oncall.advisor.mine'), mine, t('oncall.advisor.noMine')],
    ['others', t('oncall.advisor.others'), others, ''],
  ];
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('oncall.advisor.title')}</h1>
        <span className={`badge status-badge ${live === 'live' ? 'status-active' : 'status-intake'}`} data-testid="live-state" data-state={live}>
          {t(`oncall.live.${live}`)}
        </span>
      </div>
      <LiveNotice text={notice} />
      {list.error && <LoadError error={list.error} />}
      {sections.map(([key, title, rows, none]) =>
        key === 'others' && rows.length === 0 ? null : (
          <section key={key} className="case-section" aria-labelledby={`advisor-${key}`}>
            <h2 id={`advisor-${key}`} className="h4">
              {title}
            </h2>
            {!list.loading && !list.error && rows.length === 0 && <p className="text-muted">{none}</p>}
            <ul className="p-0 list-unstyled" data-testid={`advisor-${key}`}>
              {rows.map((c) => (
                <AdvisorCard key={c.id} c={c} mine={c.advisorId === me} onChange={replace} />
              ))}
            </ul>
          </section>
        ),
      )}
      {list.loading && <Loading />}
      <LoadMore list={list} />
    </>
  );
}

function AdvisorCard({ c, mine, onChange }: { c: ConsultationRow; mine: boolean; onChange: (c: ConsultationRow) => void }) {
  const { t } = useTranslation();
  const duration = useSeconds();
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState(false);
  const take = async () => {
    setBusy(true);
    setErrors([]);
    try {
      onChange((await request(TakeConsultationMutation, { consultationId: c.id })).takeLegalConsultation);
    } catch (e) {
      setErrors((e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }]);
    } finally {
      setBusy(false);
    }
  };
  const last = c.messages[c.messages.length - 1];
  const waiting = mine && (c.status === 'TAKEN' || (c.status === 'ANSWERED' && last?.kind === 'FOLLOW_UP'));
  const titleId = `advice-${c.id}`;
  return (
    <li className="card card-bg mb-3 shadow-sm" data-testid="advisor-consultation" data-status={c.status} aria-labelledby={titleId}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <h3 id={titleId} className="h5 mb-0">
            {t(`oncall.category.${c.category}`)}
          </h3>
          <ConsultationStatusBadge status={c.status} />
          <UrgencyBadge urgency={c.urgency} />
        </div>
        <p className="small text-muted mb-2">
          {t('oncall.legal.askedOn', { date: formatDate(c.createdAt, true) })} ·{' '}
          {c.responseSeconds != null
            ? t('oncall.legal.answeredIn', { time: duration(c.responseSeconds) })
            : t('oncall.advisor.target', { time: duration(c.responseTargetSeconds) })}
        </p>
        <Thread c={c} />
        <FormErrors errors={errors} />
        {c.status === 'OPEN' && (
          <button type="button" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined} onClick={() => void take()}>
            {t('oncall.advisor.take')}
          </button>
        )}
        {waiting && (
          <MessageForm
            label={t('oncall.advisor.answer')}
            send={t('oncall.advisor.sendAnswer')}
            run={async (body) => (await request(AnswerConsultationMutation, { input: { consultationId: c.id, body } })).answerLegalConsultation}
            onDone={onChange}
          />
        )}
        {mine && (c.status === 'ANSWERED' || c.status === 'CLOSED') && !published &&
          (publishing ? (
            <PublishForm
              c={c}
              onCancel={() => setPublishing(false)}
              onDone={() => {
                setPublishing(false);
                setPublished(true);
              }}
            />
          ) : (
            <button type="button" className="btn btn-outline-primary btn-sm mt-2" onClick={() => setPublishing(true)}>
              {t('oncall.advisor.publish')}
            </button>
          ))}
        {published && (
          <p className="alert alert-success mt-2 mb-0" role="status" data-testid="published">
            {t('oncall.advisor.published')}
          </p>
        )}
      </div>
    </li>
  );
}

function PublishForm({ c, onDone, onCancel }: { c: ConsultationRow; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['question', 'answer']);
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  return (
    <form
      className="mt-3"
      noValidate
      aria-labelledby={`publish-${c.id}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const missing = missingFields({ question, answer }, t('errors.reasons.REQUIRED'));
        if (missing.length > 0) {
          form.setErrors(missing);
          return;
        }
        const done = await form.run(() => request(PublishKnowledgeMutation, { input: { consultationId: c.id, question: question.trim(), answer: answer.trim() } }));
        if (done) onDone();
      }}
    >
      <h4 id={`publish-${c.id}`} className="h6">
        {t('oncall.advisor.publishTitle')}
      </h4>
      <p className="small alert alert-warning">{t('oncall.advisor.publishHint')}</p>
      <TextArea label={t('oncall.advisor.publishQuestion')} value={question} onChange={setQuestion} maxLength={2000} rows={3} required error={form.fieldError('question')} />
      <TextArea label={t('oncall.advisor.publishAnswer')} value={answer} onChange={setAnswer} maxLength={8000} rows={6} required error={form.fieldError('answer')} />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{t('oncall.advisor.publishSend')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('oncall.cancel')}
        </button>
      </div>
    </form>
  );
}
