// A pact (staff): its terms, where it stands among the steps proposed → under evaluation →
// signed → active → expired / renewed / ended, the next step (signing asks for the day, ending
// for a confirmation), the history of steps and the activity reports.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { ConfirmDialog } from '../../../components/Confirm';
import { FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../../components/Form';
import { LoadError, Loading, NotFound } from '../../../components/States';
import type { PactStatus, PactsPactQuery as Result } from '../../../gql/graphql';
import { formatDate, formatNumber } from '../../../i18n';
import { isolate } from '../../../bidi';
import { useLoad, useSubmit } from '../../../hooks';
import { useSession } from '../../../session';
import { useTerritoryNames } from '../../../territories';
import { today } from '../../../time';
import { PactsAddReportMutation, PactsPactQuery, PactsReportsQuery, PactsSetStatusMutation } from './operations';
import { NOTE_MAX, REPORT_MAX, PactBadge, nextPeriod, nextSteps, useHoursGiven, usePeriod, useRenewedUntil } from './common';
import PactForm from './PactForm';

type Pact = Exclude<NonNullable<Result['node']>, Record<PropertyKey, never>>;
type Report = Pact['reports']['nodes'][number];

/** The most hours one report may give (the API's 600 000 minutes). */
const MAX_REPORT_HOURS = 10_000;

/** The main road of a pact's status; the last place holds where it ended up. */
const ROAD: PactStatus[] = ['PROPOSED', 'UNDER_EVALUATION', 'SIGNED', 'ACTIVE'];

export default function PactPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const pact = useLoad(() => request(PactsPactQuery, { id, after: null }), [id]);
  const { name: territoryName } = useTerritoryNames();
  const period = usePeriod();
  const renewedUntil = useRenewedUntil();
  const [editing, setEditing] = useState(false);
  if (pact.loading && !pact.data) return <Loading />;
  const notFound = <NotFound title={t('volunteers.pacts.pact.notFound')} help={t('volunteers.pacts.pact.notFoundHelp')} back={{ to: '/patti', label: t('volunteers.pacts.pact.back') }} />;
  if (pact.error?.has('NOT_FOUND')) return notFound;
  if (pact.error) return <LoadError error={pact.error} />;
  const found = pact.data?.node as Pact | null | undefined;
  if (!found || !('goodName' in found)) return notFound;
  return (
    <>
      <Link to="/patti" className="back-link">
        {t('volunteers.pacts.pact.back')}
      </Link>
      <div className="page-head">
        <h1 className="h2">
          <bdi>{found.goodName}</bdi>
        </h1>
        <PactBadge status={found.status} />
      </div>
      <Steps status={found.status} />
      <StepForm pact={found} onDone={pact.reload} />
      <section className="case-section" aria-labelledby="pact-terms">
        <div className="d-flex flex-wrap gap-2 align-items-center justify-content-between mb-2">
          <h2 id="pact-terms" className="h4 mb-0">
            {t('volunteers.pacts.pact.terms')}
          </h2>
          {!editing && (found.status === 'PROPOSED' || found.status === 'UNDER_EVALUATION') && (
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setEditing(true)}>
              {t('volunteers.pacts.pact.edit')}
            </button>
          )}
        </div>
        {editing ? (
          <PactForm
            key={found.version}
            existing={found}
            onDone={() => {
              setEditing(false);
              pact.reload();
            }}
          />
        ) : (
        <dl className="row" data-testid="pact-terms">
          <dt className="col-sm-4">{t('volunteers.pacts.form.proposer')}</dt>
          <dd className="col-sm-8 mx-0">
            <bdi>{found.proposerName}</bdi> ({t(`volunteers.pacts.proposerKind.${found.proposerKind}`)})
            {found.proposerEmail && (
              <>
                {' · '}
                <bdi>{found.proposerEmail}</bdi>
              </>
            )}
            {found.proposerPhone && (
              <>
                {' · '}
                <bdi>{found.proposerPhone}</bdi>
              </>
            )}
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.municipality')}</dt>
          <dd className="col-sm-8 mx-0">
            <bdi>{territoryName(found.municipality)}</bdi>
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.good')}</dt>
          <dd className="col-sm-8 mx-0">
            {t(`volunteers.pacts.goodKind.${found.goodKind}`)}
            {found.goodAddress && (
              <>
                {' · '}
                <bdi>{found.goodAddress}</bdi>
              </>
            )}
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.activities')}</dt>
          <dd className="col-sm-8 mx-0 text-break" style={{ whiteSpace: 'pre-line' }}>
            <bdi>{found.activities}</bdi>
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.municipalityCommitments')}</dt>
          <dd className="col-sm-8 mx-0 text-break" style={{ whiteSpace: 'pre-line' }}>
            <bdi>{found.municipalityCommitments}</bdi>
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.proposerCommitments')}</dt>
          <dd className="col-sm-8 mx-0 text-break" style={{ whiteSpace: 'pre-line' }}>
            <bdi>{found.proposerCommitments}</bdi>
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.pact.currentPeriod')}</dt>
          <dd className="col-sm-8 mx-0">
            {period(found.startDate, found.endDate)} · {t('volunteers.pacts.pact.periodNumber', { n: found.period })}
            {found.renewedUntil && (
              <span className="d-block" data-testid="pact-renewed-until">
                {renewedUntil(found.renewedUntil)}
              </span>
            )}
          </dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.durationMonths')}</dt>
          <dd className="col-sm-8 mx-0">{t('volunteers.pacts.pact.months', { count: found.durationMonths, n: formatNumber(found.durationMonths) })}</dd>
          <dt className="col-sm-4">{t('volunteers.pacts.form.renewal')}</dt>
          <dd className="col-sm-8 mx-0">{t(`volunteers.pacts.renewal.${found.renewal}`)}</dd>
          {found.signedOn && (
            <>
              <dt className="col-sm-4">{t('volunteers.pacts.pact.signedOn')}</dt>
              <dd className="col-sm-8 mx-0">{formatDate(found.signedOn)}</dd>
            </>
          )}
        </dl>
        )}
      </section>
      <History pact={found} />
      <Reports pact={found} />
    </>
  );
}

/** Where the pact stands on its road: each step done, the current one marked. */
function Steps({ status }: { status: PactStatus }) {
  const { t } = useTranslation();
  const end: PactStatus | null = ROAD.includes(status) ? null : status;
  const reached = end ? (end === 'ENDED' ? -1 : ROAD.length) : ROAD.indexOf(status);
  const items: PactStatus[] = end ? [...ROAD, end] : [...ROAD];
  return (
    <ol className="p-0 list-unstyled d-flex flex-wrap gap-2 mb-4" aria-label={t('volunteers.pacts.pact.steps')} data-testid="pact-steps">
      {items.map((s, i) => {
        const current = s === status;
        const done = reached < 0 ? false : i < reached;
        return (
          <li
            key={s}
            aria-current={current ? 'step' : undefined}
            className={`px-2 py-1 rounded border ${current ? 'bg-primary text-white border-primary fw-semibold' : done ? 'border-success' : 'text-muted'}`}
          >
            {done && <span className="visually-hidden">{t('volunteers.pacts.pact.stepDone')} </span>}
            {t(`volunteers.pacts.status.${s}`)}
          </li>
        );
      })}
    </ol>
  );
}

/** Steps that ask first, in a dialog saying what happens: a renewal (the next period's dates)
 * and the end (final). */
const CONFIRMED: PactStatus[] = ['RENEWED', 'ENDED'];

/** The next step, chosen on purpose (the select starts empty): signing asks for the day,
 * renewing and ending confirm first. */
function StepForm({ pact, onDone }: { pact: Pact; onDone: () => void }) {
  const { t } = useTranslation();
  const steps = nextSteps(pact.status, pact.renewal);
  const period = usePeriod();
  const [to, setTo] = useState<string>('');
  const [signedOn, setSignedOn] = useState(today());
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const form = useSubmit(['status', 'signedOn', 'note']);
  // Renewed before the end of the current period: no other renewal until the next one begins.
  const offered = pact.renewedUntil ? steps.filter((s) => s !== 'RENEWED') : steps;
  if (offered.length === 0) return null;
  const target = (offered.includes(to as PactStatus) ? to : '') as PactStatus | '';
  const change = async () => {
    if (!target) return;
    const done = await form.run(() =>
      request(PactsSetStatusMutation, {
        input: { id: pact.id, status: target, signedOn: target === 'SIGNED' ? signedOn || null : null, note: note.trim() || null, expectedVersion: pact.version },
      }),
    );
    if (done) {
      setTo('');
      setNote('');
      onDone();
    }
  };
  const next = nextPeriod(pact);
  const confirmation =
    target === 'RENEWED'
      ? {
          title: t('volunteers.pacts.pact.renewTitle'),
          body: t('volunteers.pacts.pact.renewBody', { good: isolate(pact.goodName), period: period(next.startDate, next.endDate) }),
          confirm: t('volunteers.pacts.pact.renewConfirm'),
        }
      : {
          title: t('volunteers.pacts.pact.endTitle'),
          body: t('volunteers.pacts.pact.endBody', { good: isolate(pact.goodName) }),
          confirm: t('volunteers.pacts.pact.endConfirm'),
        };
  return (
    <section className="form-panel mb-4" aria-labelledby="pact-next">
      <div className="form-panel-body">
        <h2 id="pact-next" className="h4">
          {t('volunteers.pacts.pact.next')}
        </h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const missing = [
              !target ? { field: 'status', code: 'INVALID_INPUT', local: true, message: t('volunteers.pacts.pact.chooseStepRequired') } : null,
              target === 'SIGNED' && !signedOn ? { field: 'signedOn', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.REQUIRED') } : null,
            ].filter((x) => x !== null);
            if (missing.length > 0) {
              form.setErrors(missing);
              return;
            }
            form.setErrors([]);
            if (target && CONFIRMED.includes(target)) setConfirming(true);
            else void change();
          }}
        >
          <div className="row">
            <div className="col-12 col-md-6">
              <SelectField
                label={t('volunteers.pacts.pact.moveTo')}
                value={target}
                onChange={(value) => {
                  setTo(value);
                  form.setErrors([]);
                }}
                placeholder={t('volunteers.pacts.pact.chooseStep')}
                required
                options={offered.map((s) => ({ value: s, label: t(`volunteers.pacts.to.${s}`) }))}
                error={form.fieldError('status')}
              />
            </div>
            {target === 'SIGNED' && (
              <div className="col-12 col-md-6">
                <TextField type="date" label={t('volunteers.pacts.pact.signedOn')} value={signedOn} onChange={setSignedOn} max={today()} required error={form.fieldError('signedOn')} />
              </div>
            )}
          </div>
          {target === 'ACTIVE' && pact.startDate > today() && <p className="small">{t('volunteers.pacts.pact.activeFrom', { date: formatDate(pact.startDate) })}</p>}
          <TextArea label={t('volunteers.pacts.pact.note')} value={note} onChange={setNote} maxLength={NOTE_MAX} error={form.fieldError('note')} />
          <FormErrors errors={form.general} />
          <SubmitButton busy={form.busy}>{t('volunteers.pacts.pact.apply')}</SubmitButton>
        </form>
        <ConfirmDialog
          open={confirming}
          confirmation={confirmation}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void change();
          }}
        />
      </div>
    </section>
  );
}

function History({ pact }: { pact: Pact }) {
  const { t } = useTranslation();
  const { viewer } = useSession();
  return (
    <section className="case-section" aria-labelledby="pact-history">
      <h2 id="pact-history" className="h4">
        {t('volunteers.pacts.pact.history')}
      </h2>
      <ol className="p-0 list-unstyled" data-testid="pact-history">
        {pact.history.map((h, i) => (
          <li key={i} className="border-bottom py-1">
            <span className="fw-semibold">{t(`volunteers.pacts.status.${h.status}`)}</span>
            <span className="small text-muted">
              {' · '}
              {formatDate(h.at, true)}
              {' · '}
              {h.byUserId && viewer?.user.id === h.byUserId ? t('volunteers.pacts.pact.byYou') : t('volunteers.pacts.pact.byStaff')}
            </span>
            {h.note && (
              <span className="d-block small">
                <bdi>{h.note}</bdi>
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Activity reports, newest first, with "load more"; adding one once the pact has been active. */
function Reports({ pact }: { pact: Pact }) {
  const { t } = useTranslation();
  const [extra, setExtra] = useState<Report[]>([]);
  const [added, setAdded] = useState<Report[]>([]);
  const [cursor, setCursor] = useState<string | null>(pact.reports.pageInfo.endCursor ?? null);
  const [hasNext, setHasNext] = useState(pact.reports.pageInfo.hasNextPage);
  const [loading, setLoading] = useState(false);
  const form = useSubmit(['on', 'text', 'minutes']);
  const [on, setOn] = useState(today());
  const [text, setText] = useState('');
  const [hours, setHours] = useState('');
  const beenActive = pact.history.some((h) => h.status === 'ACTIVE');
  const hoursGiven = useHoursGiven();
  const rows = [...added, ...pact.reports.nodes, ...extra];
  const more = async () => {
    setLoading(true);
    try {
      const data = await request(PactsReportsQuery, { id: pact.id, after: cursor });
      const page = (data.node as { reports?: Pact['reports'] } | null)?.reports;
      if (page) {
        setExtra((prev) => [...prev, ...page.nodes]);
        setCursor(page.pageInfo.endCursor ?? null);
        setHasNext(page.pageInfo.hasNextPage);
      }
    } finally {
      setLoading(false);
    }
  };
  const submit = async () => {
    // Every field at fault at once, before asking the server (an empty day is no date at all).
    const h = hours.trim().replace(',', '.');
    const local = [
      !on ? { field: 'on', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.REQUIRED') } : null,
      h && !(Number(h) > 0) ? { field: 'minutes', code: 'INVALID_INPUT', local: true, message: t('volunteers.pacts.report.hoursNumber') } : null,
      // The API takes up to 10 000 hours; more would not even fit the request's number.
      Number(h) > MAX_REPORT_HOURS ? { field: 'minutes', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.OUT_OF_RANGE', { min: 1, max: formatNumber(MAX_REPORT_HOURS) }) } : null,
      !text.trim() ? { field: 'text', code: 'INVALID_INPUT', local: true, message: t('errors.reasons.REQUIRED') } : null,
    ].filter((x) => x !== null);
    if (local.length > 0) {
      form.setErrors(local);
      return;
    }
    const minutes = h ? Math.round(Number(h) * 60) : null;
    const done = await form.run(() => request(PactsAddReportMutation, { input: { pactId: pact.id, on, text: text.trim(), minutes } }));
    if (done) {
      setAdded((prev) => [{ on, text: text.trim(), minutes, byUserId: '', createdAt: new Date().toISOString() }, ...prev]);
      setText('');
      setHours('');
    }
  };
  return (
    <section className="case-section" aria-labelledby="pact-reports">
      <h2 id="pact-reports" className="h4">
        {t('volunteers.pacts.report.title')}
      </h2>
      {rows.length === 0 && <p className="text-muted">{t('volunteers.pacts.report.empty')}</p>}
      {rows.length > 0 && (
        <ul className="p-0 list-unstyled" data-testid="pact-reports">
          {rows.map((r, i) => (
            <li key={i} className="border-bottom py-2">
              <span className="fw-semibold">{formatDate(r.on)}</span>
              {r.minutes != null && <span className="small text-muted"> · {hoursGiven(r.minutes)}</span>}
              <span className="d-block text-break" style={{ whiteSpace: 'pre-line' }}>
                <bdi>{r.text}</bdi>
              </span>
            </li>
          ))}
        </ul>
      )}
      {hasNext && !loading && (
        <button type="button" className="btn btn-outline-primary btn-sm mb-3" onClick={() => void more()}>
          {t('common.loadMore')}
        </button>
      )}
      {loading && <Loading />}
      {beenActive ? (
        <form
          className="form-panel"
          noValidate
          aria-label={t('volunteers.pacts.report.add')}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="form-panel-body">
            <div className="row">
              <div className="col-12 col-md-6">
                <TextField type="date" label={t('volunteers.pacts.report.on')} value={on} onChange={setOn} max={today()} required error={form.fieldError('on')} />
              </div>
              <div className="col-12 col-md-6">
                <TextField label={t('volunteers.pacts.report.hours')} inputMode="decimal" value={hours} onChange={setHours} error={form.fieldError('minutes')} />
              </div>
            </div>
            <TextArea label={t('volunteers.pacts.report.text')} value={text} onChange={setText} required maxLength={REPORT_MAX} error={form.fieldError('text')} />
            <FormErrors errors={form.general} />
            <SubmitButton busy={form.busy}>{t('volunteers.pacts.report.add')}</SubmitButton>
          </div>
        </form>
      ) : (
        <p className="small">{t('volunteers.pacts.report.notYet')}</p>
      )}
    </section>
  );
}
