// Staff: one course or workshop. Its details (changed at the version read), its sessions (a
// new one on the tenant's clock, each changed at the version read or cancelled with a reason
// after confirmation, each with its attendance sheet), its participants (a volunteer
// of the register or a named person; beyond the places they wait), their attendance and
// completion, and the certificates of those who completed (issued once, PDF, verification code).
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { ConfirmButton, ConfirmDialog } from '../../../components/Confirm';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { TrainingCourseQuery as CourseResult, TrainingEnrolmentsQuery as EnrolmentsResult } from '../../../gql/graphql';
import { dayOutOfRange, useLoad, useSubmit, yearsFrom } from '../../../hooks';
import { formatDate } from '../../../i18n';
import { isolate } from '../../../bidi';
import { localInput, today, withOffset } from '../../../time';
import { CourseForm } from './CourseForm';
import {
  AddCourseSessionMutation,
  CancelCourseSessionMutation,
  EnrolMutation,
  IssueCertificateMutation,
  TrainingCertificateQuery,
  TrainingCourseQuery,
  TrainingEnrolmentsQuery,
  TrainingVolunteersQuery,
  UpdateCourseSessionMutation,
  WithdrawEnrolmentMutation,
} from './operations';
import { DownloadPdf, SessionWhere, Verification, hoursOf, sessionWhen, useHours, useTr, CourseNotFound } from './shared';

type Enrolments = Extract<NonNullable<EnrolmentsResult['node']>, { enrolments: unknown }>['enrolments'];
export type EnrolmentRow = Enrolments['nodes'][number];
const PAGE = 50;
/** The API's limits: names 200 characters, free text (place, address, reason) 500, e-mail 254. */
const NAME_MAX = 200;
const TEXT_MAX = 500;
const EMAIL_MAX = 254;

export type CourseNode = Extract<NonNullable<CourseResult['node']>, { sessions: unknown }>;

/** The course a `node` query found, or none. */
export function courseOf(data: CourseResult | undefined): CourseNode | null {
  const node = data?.node;
  return node && 'sessions' in node ? (node as CourseNode) : null;
}

/** Every enrolment of a course, page by page ("Carica altri"). */
export function useEnrolments(courseId: string) {
  const [more, setMore] = useState<EnrolmentRow[]>([]);
  const [page, setPage] = useState<Enrolments['pageInfo'] | null>(null);
  const first = useLoad(async () => {
    setMore([]);
    setPage(null);
    const r = await request(TrainingEnrolmentsQuery, { id: courseId, first: PAGE });
    return r.node && 'enrolments' in r.node ? r.node.enrolments : null;
  }, [courseId]);
  const loadMore = async () => {
    const after = (page ?? first.data?.pageInfo)?.endCursor;
    if (!after) return;
    const r = await request(TrainingEnrolmentsQuery, { id: courseId, first: PAGE, after });
    if (r.node && 'enrolments' in r.node) {
      const next = r.node.enrolments;
      setMore((m) => [...m, ...next.nodes]);
      setPage(next.pageInfo);
    }
  };
  const rows = [...(first.data?.nodes ?? []), ...more];
  const hasNext = (page ?? first.data?.pageInfo)?.hasNextPage ?? false;
  return { ...first, rows, hasNext, loadMore };
}

type SessionRow = CourseNode['sessions'][number];

/** A new session of a course, or a change of one at the version read (`session`). */
/** Minutes since midnight of a `HH:mm` time. */
function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function SessionForm({
  courseId,
  session,
  onSaved,
  onCancel,
}: {
  courseId: string;
  session?: SessionRow;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const tr = useTr();
  const { t } = useTranslation();
  const [day, setDay] = useState(session ? localInput(Date.parse(session.startsAt)).slice(0, 10) : today());
  const [from, setFrom] = useState(session ? localInput(Date.parse(session.startsAt)).slice(11, 16) : '');
  const [to, setTo] = useState(session ? localInput(Date.parse(session.endsAt)).slice(11, 16) : '');
  const [place, setPlace] = useState(session?.place ?? '');
  const [onlineUrl, setOnlineUrl] = useState(session?.onlineUrl ?? '');
  const save = useSubmit(['day', 'startsAt', 'endsAt', 'place', 'onlineUrl']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Every field at fault at once, before asking the server (a missing day or time is no
    // instant at all); a place or an online address is needed.
    const missing = [
      !day ? { field: 'day', message: tr('errors.dayRequired') } : null,
      // The start: from 2000 to two years ahead.
      ...dayOutOfRange('day', day, '2000-01-01', yearsFrom(today(), 2), (min, max) => t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) })).map((e) => ({
        field: 'day',
        message: e.message,
      })),
      !from ? { field: 'startsAt', message: tr('errors.timeRequired') } : null,
      !to ? { field: 'endsAt', message: tr('errors.timeRequired') } : null,
      // The API's rule on the times, with the rest: the end after the start, at most 12 hours on.
      from && to && to <= from ? { field: 'endsAt', message: t('errors.reasons.PERIOD_REVERSED') } : null,
      from && to && to > from && minutesOfDay(to) - minutesOfDay(from) > 12 * 60 ? { field: 'endsAt', message: tr('errors.sessionTooLong') } : null,
      !place.trim() && !onlineUrl.trim() ? { field: 'place', message: tr('errors.placeRequired') } : null,
    ].filter((x): x is { field: string; message: string } => x !== null);
    if (missing.length > 0) {
      save.setErrors(missing.map((m) => ({ code: 'INVALID_INPUT', field: m.field, message: m.message, local: true })));
      return;
    }
    const fields = {
      startsAt: withOffset(`${day}T${from}`),
      endsAt: withOffset(`${day}T${to}`),
      place: place.trim() || null,
      onlineUrl: onlineUrl.trim() || null,
    };
    const done = await save.run<unknown>(() =>
      session
        ? request(UpdateCourseSessionMutation, { input: { id: session.id, expectedVersion: session.version, ...fields } })
        : request(AddCourseSessionMutation, { input: { courseId, ...fields } }),
    );
    if (done) {
      setFrom('');
      setTo('');
      onSaved();
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid={session ? 'session-edit-form' : 'session-form'} className="border rounded p-3 mb-3">
      <h3 className="h6">{session ? tr('session.editTitle') : tr('newSession')}</h3>
      <div className="row">
        <div className="col-12 col-md-4">
          <TextField label={tr('day')} type="date" value={day} onChange={setDay} error={save.fieldError('day')} required />
        </div>
        <div className="col-6 col-md-4">
          <TextField label={tr('from')} type="time" value={from} onChange={setFrom} error={save.fieldError('startsAt')} required />
        </div>
        <div className="col-6 col-md-4">
          <TextField label={tr('to')} type="time" value={to} onChange={setTo} error={save.fieldError('endsAt')} required />
        </div>
        <div className="col-12 col-md-6">
          <TextField label={tr('place')} value={place} onChange={setPlace} error={save.fieldError('place')} hint={tr('placeHint')} maxLength={TEXT_MAX} />
        </div>
        <div className="col-12 col-md-6">
          <TextField label={tr('onlineUrl')} type="url" value={onlineUrl} onChange={setOnlineUrl} error={save.fieldError('onlineUrl')} maxLength={TEXT_MAX} />
        </div>
      </div>
      <FormErrors errors={save.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={save.busy}>{session ? tr('session.save') : tr('addSession')}</SubmitButton>
        {onCancel && (
          <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
            {tr('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Cancels a session with a reason, after confirmation. */
function CancelSession({ session, onDone, onClose }: { session: SessionRow; onDone: () => void; onClose: () => void }) {
  const tr = useTr();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const save = useSubmit(['reason']);
  const when = sessionWhen(session);
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate data-testid="session-cancel-form" className="border rounded p-3 my-2 w-100">
      <TextField
        label={tr('session.reason')}
        value={reason}
        onChange={setReason}
        error={save.fieldError('reason')}
        hint={tr('session.reasonHint')}
        required
        maxLength={TEXT_MAX}
      />
      <FormErrors errors={save.general} />
      <div className="d-flex flex-wrap gap-2">
        <button
          type="button"
          className="btn btn-danger btn-sm"
          aria-haspopup="dialog"
          disabled={save.busy}
          onClick={() => {
            if (!reason.trim()) {
              save.setErrors([{ code: 'INVALID_INPUT', field: 'reason', message: tr('session.reasonRequired'), local: true }]);
              return;
            }
            save.setErrors([]);
            setConfirming(true);
          }}
        >
          {tr('session.cancelSession')}
        </button>
        <ConfirmDialog
          open={confirming}
          confirmation={{
            title: tr('session.confirmTitle'),
            body: tr('session.confirmBody', { when }),
            confirm: tr('session.confirm'),
          }}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void (async () => {
              const done = await save.run(() =>
                request(CancelCourseSessionMutation, { input: { id: session.id, reason: reason.trim(), expectedVersion: session.version } }),
              );
              if (done) onDone();
            })();
          }}
        />
        <button type="button" className="btn btn-outline-secondary btn-sm" onClick={onClose}>
          {tr('session.keep')}
        </button>
      </div>
    </form>
  );
}

/** One session of the course: when and where, held or cancelled, and what can be done with it. */
function Session({ courseId, s, onChanged }: { courseId: string; s: SessionRow; onChanged: () => void }) {
  const tr = useTr();
  const [mode, setMode] = useState<'view' | 'edit' | 'cancel'>('view');
  const when = sessionWhen(s);
  if (mode === 'edit') {
    return (
      <li data-testid="session">
        <SessionForm
          courseId={courseId}
          session={s}
          onSaved={() => {
            setMode('view');
            onChanged();
          }}
          onCancel={() => setMode('view')}
        />
      </li>
    );
  }
  return (
    <li data-testid="session" data-cancelled={s.cancelled ? 'true' : 'false'} className="d-flex flex-wrap justify-content-between gap-2">
      <div>
        <span className={`fw-semibold ${s.cancelled ? 'text-decoration-line-through' : ''}`}>{when}</span>
        {s.cancelled ? (
          <span className="badge gap-start bg-danger" data-testid="session-cancelled">
            {tr('session.cancelled')}
          </span>
        ) : (
          <span className={`badge gap-start ${s.held ? 'bg-success' : 'bg-secondary'}`}>{s.held ? tr('held') : tr('notHeld')}</span>
        )}
        <span className="d-block small">
          <SessionWhere session={s} />
        </span>
        {s.cancelled && s.cancelReason && (
          <span className="d-block small" data-testid="session-cancel-reason">
            {tr('session.cancelledBecause', { reason: isolate(s.cancelReason) })}
          </span>
        )}
        {s.held && (
          <span className="d-block small">
            {tr('presentCount', { present: s.attendance.filter((a) => a.present).length, total: s.attendance.length })}
          </span>
        )}
      </div>
      {!s.cancelled && (
        <div className="d-flex flex-wrap gap-2 align-items-start">
          <Link
            to={`/formazione/${encodeURIComponent(courseId)}/incontri/${encodeURIComponent(s.id)}/presenze`}
            className="btn btn-outline-primary btn-sm"
            aria-label={tr('attendanceFor', { when })}
          >
            {tr('attendanceSheet')}
          </Link>
          <button
            type="button"
            className="btn btn-outline-primary btn-sm"
            aria-label={tr('session.editFor', { when })}
            onClick={() => setMode('edit')}
          >
            {tr('session.edit')}
          </button>
          {!s.held && mode === 'view' && (
            <button
              type="button"
              className="btn btn-outline-danger btn-sm"
              aria-label={tr('session.cancelFor', { when })}
              onClick={() => setMode('cancel')}
            >
              {tr('session.cancelSession')}
            </button>
          )}
        </div>
      )}
      {mode === 'cancel' && (
        <CancelSession
          session={s}
          onClose={() => setMode('view')}
          onDone={() => {
            setMode('view');
            onChanged();
          }}
        />
      )}
    </li>
  );
}

function Enrol({ courseId, onEnrolled }: { courseId: string; onEnrolled: (waiting: number | null) => void }) {
  const tr = useTr();
  const [who, setWho] = useState<'volunteer' | 'person'>('volunteer');
  const [volunteerId, setVolunteerId] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const volunteers = useLoad(() => request(TrainingVolunteersQuery, { first: 100 }), []);
  const save = useSubmit(['volunteerId', 'name', 'email']);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (who === 'volunteer' && !volunteerId) {
      save.setErrors([{ code: 'INVALID_INPUT', field: 'volunteerId', message: tr('errors.chooseVolunteer'), local: true }]);
      return;
    }
    if (who === 'person' && !name.trim()) {
      save.setErrors([{ code: 'INVALID_INPUT', field: 'name', message: tr('errors.nameRequired'), local: true }]);
      return;
    }
    const done = await save.run(() =>
      request(EnrolMutation, {
        input: {
          courseId,
          participant: who === 'volunteer' ? { volunteerId } : { person: { name: name.trim(), email: email.trim() || null } },
        },
      }),
    );
    if (done) {
      setVolunteerId('');
      setName('');
      setEmail('');
      onEnrolled(done.enrol.status === 'WAITING' ? (done.enrol.waitingPosition ?? null) : null);
    }
  };
  const options = (volunteers.data?.volunteers.nodes ?? []).map((v) => ({ value: v.id, label: isolate(`${v.givenNames} ${v.familyNames}`) }));
  return (
    <form onSubmit={submit} noValidate data-testid="enrol-form" className="border rounded p-3 mb-3">
      <fieldset>
        <legend className="h6">{tr('enrolWho')}</legend>
        <div className="d-flex flex-wrap gap-3 mb-3">
          {(['volunteer', 'person'] as const).map((w) => (
            <div className="form-check" key={w}>
              <input id={`enrol-${w}`} type="radio" name="enrol-who" checked={who === w} onChange={() => setWho(w)} />
              <label htmlFor={`enrol-${w}`}>{tr(`enrolAs.${w}`)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      {who === 'volunteer' ? (
        <SelectField
          label={tr('volunteer')}
          value={volunteerId}
          onChange={setVolunteerId}
          placeholder={tr('chooseVolunteer')}
          options={options}
          error={save.fieldError('volunteerId')}
          hint={tr('volunteerHint')}
          required
        />
      ) : (
        <div className="row">
          <div className="col-12 col-md-6">
            <TextField label={tr('participantName')} value={name} onChange={setName} error={save.fieldError('name')} hint={tr('personHint')} required maxLength={NAME_MAX} />
          </div>
          <div className="col-12 col-md-6">
            <TextField label={tr('participantEmail')} type="email" value={email} onChange={setEmail} error={save.fieldError('email')} maxLength={EMAIL_MAX} />
          </div>
        </div>
      )}
      <FormErrors errors={save.general} />
      <SubmitButton busy={save.busy}>{tr('enrol')}</SubmitButton>
    </form>
  );
}

/** The certificate of one enrolment: its code and link, and its PDF. */
function CertificateOf({ id, name }: { id: string; name: string }) {
  const tr = useTr();
  const cert = useLoad(() => request(TrainingCertificateQuery, { id }), [id]);
  const c = cert.data?.node && 'verificationCode' in cert.data.node ? cert.data.node : null;
  if (cert.loading) return <Loading />;
  if (cert.error) return <LoadError error={cert.error} />;
  if (!c) return null;
  return (
    <div className="mt-2 p-2 border rounded" data-testid="certificate">
      <p className="mb-1 fw-semibold">{tr('certificateIssued', { day: formatDate(c.issuedOn) })}</p>
      <Verification code={c.verificationCode} path={c.verificationPath} />
      <DownloadPdf certificateId={c.id} label={tr('downloadPdf')} ariaLabel={tr('downloadFor', { name: isolate(name) })} />
    </div>
  );
}

function Participant({ e, courseTitle, onChanged }: { e: EnrolmentRow; courseTitle: string; onChanged: () => void }) {
  const tr = useTr();
  const hours = useHours();
  const act = useSubmit([]);
  const status =
    e.status === 'WAITING' ? tr('status.WAITING', { position: e.waitingPosition ?? '' }) : tr(`status.${e.status}`);
  return (
    <li data-testid="enrolment" data-status={e.status}>
      <div className="d-flex flex-wrap justify-content-between gap-2">
        <div>
          <bdi className="fw-semibold">{e.participantName}</bdi>
          {e.participantEmail && (
            <span className="small text-muted gap-start" dir="ltr">
              {e.participantEmail}
            </span>
          )}
          <span className={`badge gap-start ${e.status === 'ENROLLED' ? 'bg-primary' : e.status === 'WAITING' ? 'bg-warning text-dark' : 'bg-secondary'}`}>
            {status}
          </span>
          {e.volunteerId && <span className="small text-muted gap-start">{tr('fromRegister')}</span>}
          {e.status === 'ENROLLED' && (
            <span className="d-block small" data-testid="enrolment-progress">
              {tr('progress', { count: e.sessionsAttended, held: e.sessionsHeld, hours: hours(e.minutesAttended) })}
              {' · '}
              <strong>{e.completed ? tr('completed') : tr('notCompleted')}</strong>
            </span>
          )}
        </div>
        <div className="d-flex flex-wrap gap-2 align-items-start">
          {e.status === 'ENROLLED' && e.completed && !e.certificateId && (
            // Issued once and for good (and a certified enrolment can no longer be withdrawn):
            // the dialog says so first.
            <ConfirmButton
              className="btn btn-primary btn-sm"
              disabled={act.busy}
              ariaLabel={tr('issueFor', { name: isolate(e.participantName) })}
              confirmation={{
                title: tr('confirmIssue.title'),
                body: tr('confirmIssue.body', { name: isolate(e.participantName), course: isolate(courseTitle), hours: hours(e.minutesAttended) }),
                confirm: tr('confirmIssue.confirm'),
              }}
              onConfirm={async () => {
                if (await act.run(() => request(IssueCertificateMutation, { enrolmentId: e.id }))) onChanged();
              }}
            >
              {tr('issue')}
            </ConfirmButton>
          )}
          {e.status !== 'WITHDRAWN' && !e.certificateId && (
            <ConfirmButton
              disabled={act.busy}
              ariaLabel={tr('withdrawFor', { name: isolate(e.participantName) })}
              confirmation={{
                title: tr('confirmWithdraw.title'),
                body: tr(e.status === 'WAITING' ? 'confirmWithdraw.bodyWaiting' : 'confirmWithdraw.body', { name: isolate(e.participantName) }),
                confirm: tr('confirmWithdraw.confirm'),
              }}
              onConfirm={async () => {
                if (await act.run(() => request(WithdrawEnrolmentMutation, { id: e.id }))) onChanged();
              }}
            >
              {tr('withdraw')}
            </ConfirmButton>
          )}
        </div>
      </div>
      <FormErrors errors={act.general} />
      {e.certificateId && <CertificateOf id={e.certificateId} name={e.participantName} />}
    </li>
  );
}

export default function CoursePage() {
  const tr = useTr();
  const { id = '' } = useParams();
  const course = useLoad(() => request(TrainingCourseQuery, { id }), [id]);
  const enrolments = useEnrolments(id);
  const [editing, setEditing] = useState(false);
  const [addingSession, setAddingSession] = useState(false);
  const [enrolling, setEnrolling] = useState(false);
  const [notice, setNotice] = useState('');
  const [showWithdrawn, setShowWithdrawn] = useState(false);
  const reload = () => {
    course.reload();
    enrolments.reload();
  };

  if (course.loading && !course.data) return <Loading />;
  if (course.error?.has('NOT_FOUND')) return <CourseNotFound />;
  if (course.error) return <LoadError error={course.error} />;
  const c = courseOf(course.data);
  if (!c) return <CourseNotFound />;
  const rows = enrolments.rows.filter((e) => showWithdrawn || e.status !== 'WITHDRAWN');

  return (
    <>
      <p className="mb-1">
        <Link to="/formazione">{tr('backToCourses')}</Link>
      </p>
      <h1 className="h2">
        <bdi>{c.title}</bdi>
      </h1>
      {editing ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title" className="h4">
            {tr('editCourse')}
          </h2>
          <CourseForm
            course={c}
            onSaved={() => {
              setEditing(false);
              reload();
            }}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : (
        <section aria-label={tr('details')} className="mb-4">
          <dl className="row mb-2" data-testid="course-details">
            <dt className="col-sm-4">{tr('kind')}</dt>
            <dd className="col-sm-8 mx-0">{tr(`kinds.${c.kind}`)}</dd>
            <dt className="col-sm-4">{tr('audience')}</dt>
            <dd className="col-sm-8 mx-0">{tr(`audiences.${c.audience}`)}</dd>
            <dt className="col-sm-4">{tr('plannedHours')}</dt>
            <dd className="col-sm-8 mx-0">{hoursOf(c.plannedMinutes)}</dd>
            <dt className="col-sm-4">{tr('trainer')}</dt>
            <dd className="col-sm-8 mx-0">
              <bdi>{c.trainer}</bdi>
            </dd>
            <dt className="col-sm-4">{tr('places')}</dt>
            <dd className="col-sm-8 mx-0" data-testid="course-places">
              {tr('placesTaken', { enrolled: c.enrolled, capacity: c.capacity })}
              {c.waiting > 0 && ` · ${tr('waitingCount', { n: c.waiting })}`}
            </dd>
            <dt className="col-sm-4">{tr('rule')}</dt>
            <dd className="col-sm-8 mx-0">{tr('ruleIs', { percent: c.minAttendancePercent })}</dd>
          </dl>
          <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setEditing(true)} data-testid="edit-course">
            {tr('editCourse')}
          </button>
        </section>
      )}

      <section aria-labelledby="sessions-title" className="mb-4">
        <h2 id="sessions-title" className="h4">
          {tr('sessions')}
        </h2>
        {c.sessions.length === 0 ? (
          <EmptyState title={tr('noSessions')}>{tr('noSessionsHelp')}</EmptyState>
        ) : (
          <ul className="list-unstyled item-list" data-testid="session-list">
            {c.sessions.map((s) => (
              <Session key={`${s.id}-${s.version}`} courseId={c.id} s={s} onChanged={reload} />
            ))}
          </ul>
        )}
        <p className="small text-muted">{tr('sessionsNote')}</p>
        {addingSession ? (
          <SessionForm
            courseId={c.id}
            onSaved={() => {
              setAddingSession(false);
              course.reload();
            }}
          />
        ) : (
          <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setAddingSession(true)} data-testid="add-session">
            {tr('addSession')}
          </button>
        )}
      </section>

      <section aria-labelledby="participants-title" className="mb-4">
        <h2 id="participants-title" className="h4">
          {tr('participants')}
        </h2>
        <div aria-live="polite">{notice && <p className="alert alert-info">{notice}</p>}</div>
        {enrolling ? (
          <Enrol
            courseId={c.id}
            onEnrolled={(waiting) => {
              setNotice(waiting ? tr('enrolledWaiting', { position: waiting }) : tr('enrolledDone'));
              setEnrolling(false);
              reload();
            }}
          />
        ) : (
          <button
            type="button"
            className="btn btn-primary btn-sm mb-3"
            onClick={() => {
              setNotice('');
              setEnrolling(true);
            }}
            data-testid="enrol"
          >
            {tr('enrol')}
          </button>
        )}
        <div className="form-check mb-2">
          <input id="show-withdrawn" type="checkbox" checked={showWithdrawn} onChange={(e) => setShowWithdrawn(e.target.checked)} />
          <label htmlFor="show-withdrawn">{tr('showWithdrawn')}</label>
        </div>
        {enrolments.loading && enrolments.rows.length === 0 ? (
          <Loading />
        ) : enrolments.error ? (
          <LoadError error={enrolments.error} />
        ) : rows.length === 0 ? (
          <EmptyState title={tr('noParticipants')}>{tr('noParticipantsHelp')}</EmptyState>
        ) : (
          <ul className="list-unstyled item-list" data-testid="enrolment-list">
            {rows.map((e) => (
              <Participant key={e.id} e={e} courseTitle={c.title} onChanged={reload} />
            ))}
          </ul>
        )}
        {enrolments.hasNext && (
          <button type="button" className="btn btn-outline-primary" onClick={() => void enrolments.loadMore()}>
            {tr('loadMore')}
          </button>
        )}
      </section>
    </>
  );
}
