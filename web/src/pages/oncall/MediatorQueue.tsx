// A mediator's home, phone first: the requests offered to them (accept or decline; the first
// acceptance wins), the ones they hold (with the report once done), and the others they saw.
// New offers arrive live, announced politely.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../api/client';
import { ConfirmDialog } from '../../components/Confirm';
import { FormErrors, SubmitButton, TextArea, TextField } from '../../components/Form';
import { LoadMore, usePaged } from '../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../components/States';
import { missingFields, useLoad, useSubmit, wholeNumber } from '../../hooks';
import { useSession } from '../../session';
import { formatDuration } from '../volunteers/tasks/common';
import { AnswerOfferMutation, MediationRequestsQuery, MediatorProfilesQuery, ReportMediationMutation } from './operations';
import { LiveNotice, MediationStatusBadge, UrgencyBadge, useRequestTitle, useWindow, type MediationRow } from './common';
import { useOnCallUpdates } from './live';

export default function MediatorQueue() {
  const { t } = useTranslation();
  const { viewer } = useSession();
  const me = viewer?.user.id;
  const list = usePaged(async (after) => (await request(MediationRequestsQuery, { after, status: null })).mediationRequests, []);
  const profile = useLoad(() => request(MediatorProfilesQuery), []);
  const [notice, setNotice] = useState('');
  const title = useRequestTitle();
  const live = useOnCallUpdates((u) => {
    const r = u.mediationRequest;
    if (!r) return;
    list.setRows((rows) => (rows.some((x) => x.id === r.id) ? rows.map((x) => (x.id === r.id ? r : x)) : [r, ...rows]));
    if (u.change === 'CREATED' && r.myOffer === 'OFFERED') setNotice(t('oncall.queue.newOffer', { title: title(r), place: r.placeName }));
    else if (u.change === 'CANCELLED') setNotice(t('oncall.queue.cancelledNotice', { title: title(r) }));
  });
  const replace = (r: MediationRow) => list.setRows((rows) => rows.map((x) => (x.id === r.id ? r : x)));
  const offered = list.rows.filter((r) => r.status === 'OPEN' && r.myOffer === 'OFFERED');
  const held = list.rows.filter((r) => r.mediatorId === me && (r.status === 'CONFIRMED' || r.status === 'DONE'));
  const others = list.rows.filter((r) => !offered.includes(r) && !held.includes(r));
  const own = profile.data?.mediatorProfiles.find((p) => p.userId === me);
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('oncall.queue.title')}</h1>
        <span className={`badge status-badge ${live === 'live' ? 'status-active' : 'status-intake'}`} data-testid="live-state" data-state={live}>
          {t(`oncall.live.${live}`)}
        </span>
      </div>
      {profile.data && !own && (
        <EmptyState title={t('oncall.queue.noProfile')} action={<Link to="/profilo-mediatore">{t('oncall.queue.setProfile')}</Link>}>
          {t('oncall.queue.noProfileHelp')}
        </EmptyState>
      )}
      {own && !own.available && (
        <p className="alert alert-warning" data-testid="unavailable">
          {t('oncall.queue.unavailable')} <Link to="/profilo-mediatore">{t('oncall.queue.setProfile')}</Link>
        </p>
      )}
      <LiveNotice text={notice} />
      {list.error && <LoadError error={list.error} />}
      <section className="case-section" aria-labelledby="offers-title">
        <h2 id="offers-title" className="h4">
          {t('oncall.queue.offers')}
        </h2>
        {!list.loading && !list.error && offered.length === 0 && <p className="text-muted">{t('oncall.queue.noOffers')}</p>}
        <ul className="p-0 list-unstyled" data-testid="offers">
          {offered.map((r) => (
            <QueueCard key={r.id} row={r} onChange={replace} onReload={list.reload} />
          ))}
        </ul>
      </section>
      <section className="case-section" aria-labelledby="held-title">
        <h2 id="held-title" className="h4">
          {t('oncall.queue.held')}
        </h2>
        {!list.loading && !list.error && held.length === 0 && <p className="text-muted">{t('oncall.queue.noHeld')}</p>}
        <ul className="p-0 list-unstyled" data-testid="held">
          {held.map((r) => (
            <QueueCard key={r.id} row={r} onChange={replace} onReload={list.reload} />
          ))}
        </ul>
      </section>
      {others.length > 0 && (
        <section className="case-section" aria-labelledby="others-title">
          <h2 id="others-title" className="h4">
            {t('oncall.queue.others')}
          </h2>
          <ul className="p-0 list-unstyled" data-testid="others">
            {others.map((r) => (
              <QueueCard key={r.id} row={r} onChange={replace} onReload={list.reload} />
            ))}
          </ul>
        </section>
      )}
      {list.loading && <Loading />}
      <LoadMore list={list} />
    </>
  );
}

function QueueCard({ row, onChange, onReload }: { row: MediationRow; onChange: (r: MediationRow) => void; onReload: () => void }) {
  const { t, i18n } = useTranslation();
  const title = useRequestTitle();
  const windowOf = useWindow();
  const { viewer } = useSession();
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [reporting, setReporting] = useState(false);
  const answer = async (accept: boolean) => {
    setBusy(true);
    setErrors([]);
    try {
      onChange((await request(AnswerOfferMutation, { requestId: row.id, accept })).answerMediationOffer);
    } catch (e) {
      setErrors((e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }]);
    } finally {
      setBusy(false);
    }
  };
  const taken = errors.some((e) => e.reason === 'REQUEST_TAKEN');
  const mine = row.mediatorId === viewer?.user.id;
  const titleId = `offer-${row.id}`;
  return (
    <li className="card card-bg mb-3 shadow-sm" data-testid="queue-request" data-status={row.status} aria-labelledby={titleId}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <h3 id={titleId} className="h5 mb-0">
            {title(row)}
          </h3>
          <MediationStatusBadge status={row.status} />
          <UrgencyBadge urgency={row.urgency} />
          {row.myOffer && row.status !== 'OPEN' && !mine && <span className="small text-muted">{t(`oncall.offerStatus.${row.myOffer}`)}</span>}
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
          {row.reportOutcome && (
            <>
              <dt>{t('oncall.request.report')}</dt>
              <dd>
                {t('oncall.request.reportMinutes', { duration: formatDuration(row.reportMinutes ?? 0, i18n.language) })} ·{' '}
                <bdi className="text-break">{row.reportOutcome}</bdi>
              </dd>
            </>
          )}
        </dl>
        {taken ? (
          <div className="alert alert-info" role="status" data-testid="request-taken">
            <p className="mb-2">{t('oncall.queue.taken')}</p>
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={onReload}>
              {t('oncall.queue.reload')}
            </button>
          </div>
        ) : (
          <FormErrors errors={errors} />
        )}
        {row.status === 'OPEN' && row.myOffer === 'OFFERED' && !taken && (
          <div className="d-flex flex-wrap gap-2">
            <button type="button" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined} onClick={() => void answer(true)}>
              {t('oncall.queue.accept')}
            </button>
            <button type="button" className="btn btn-outline-secondary" disabled={busy} aria-haspopup="dialog" onClick={() => setDeclining(true)}>
              {t('oncall.queue.decline')}
            </button>
            <ConfirmDialog
              open={declining}
              confirmation={{ title: t('oncall.queue.declineTitle'), body: t('oncall.queue.declineBody'), confirm: t('oncall.queue.decline') }}
              onClose={() => setDeclining(false)}
              onConfirm={() => {
                setDeclining(false);
                void answer(false);
              }}
            />
          </div>
        )}
        {mine && row.status === 'CONFIRMED' &&
          (reporting ? (
            <ReportForm
              requestId={row.id}
              onCancel={() => setReporting(false)}
              onDone={(r) => {
                setReporting(false);
                onChange(r);
              }}
            />
          ) : (
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setReporting(true)}>
              {t('oncall.queue.report')}
            </button>
          ))}
      </div>
    </li>
  );
}

function ReportForm({ requestId, onDone, onCancel }: { requestId: string; onDone: (r: MediationRow) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['minutes', 'outcome']);
  const [minutes, setMinutes] = useState('');
  const [outcome, setOutcome] = useState('');
  const submit = async () => {
    const missing = missingFields({ minutes, outcome }, t('errors.reasons.REQUIRED'));
    const n = wholeNumber(minutes);
    if (minutes.trim() && !(n >= 1 && n <= 720)) {
      missing.push({ field: 'minutes', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.OUT_OF_RANGE', { min: 1, max: 720 }) });
    }
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() => request(ReportMediationMutation, { input: { requestId, minutes: n, outcome: outcome.trim() } }));
    if (done) onDone(done.reportMediation);
  };
  return (
    <form
      className="mt-3"
      noValidate
      aria-label={t('oncall.queue.report')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField type="text" inputMode="numeric" label={t('oncall.queue.reportMinutes')} value={minutes} onChange={setMinutes} required error={form.fieldError('minutes')} />
      <TextArea label={t('oncall.queue.reportOutcome')} value={outcome} onChange={setOutcome} maxLength={1000} required hint={t('oncall.queue.reportHint')} error={form.fieldError('outcome')} />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{t('oncall.queue.sendReport')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('oncall.cancel')}
        </button>
      </div>
    </form>
  );
}
