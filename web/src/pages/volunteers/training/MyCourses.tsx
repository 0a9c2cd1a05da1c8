// A volunteer's own training: the courses they are enrolled in (or waiting for), their sessions
// and attendance, the certificates they earned (PDF and verification link), and the courses for
// volunteers still open to them with their sessions (cancelled ones marked).
import { request } from '../../../api/client';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import { FormErrors } from '../../../components/Form';
import { useLoad, useSubmit } from '../../../hooks';
import { formatDate } from '../../../i18n';
import { isolate } from '../../../bidi';
import { EnrolMeMutation, MyTrainingQuery } from './operations';
import { VolunteerNotActive, isNotActive } from '../register/shared';
import { DownloadPdf, SessionWhere, Verification, sessionWhen, useHours, useTr } from './shared';

type SessionItem = {
  id: string;
  startsAt: string;
  endsAt: string;
  place?: string | null;
  onlineUrl?: string | null;
  cancelled: boolean;
  cancelReason?: string | null;
};

/** A course's sessions: when and where, cancelled ones marked with their reason. */
function SessionList({ sessions }: { sessions: SessionItem[] }) {
  const tr = useTr();
  if (sessions.length === 0) return null;
  return (
    <ul className="small mb-1" data-testid="course-sessions">
      {sessions.map((s) => (
        <li key={s.id} data-testid="course-session" data-cancelled={s.cancelled ? 'true' : 'false'}>
          <span className={s.cancelled ? 'text-decoration-line-through' : undefined}>{sessionWhen(s)}</span> — <SessionWhere session={s} />
          {s.cancelled && (
            <>
              <span className="badge bg-danger gap-start">{tr('session.cancelled')}</span>
              {s.cancelReason && <span className="d-block">{tr('session.cancelledBecause', { reason: isolate(s.cancelReason) })}</span>}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export default function MyCourses() {
  const tr = useTr();
  const hours = useHours();
  const data = useLoad(() => request(MyTrainingQuery), []);
  const enrol = useSubmit([]);
  if (data.loading && !data.data) return <Loading />;
  if (isNotActive(data.error))
    return (
      <>
        <h1 className="h2">{tr('my.title')}</h1>
        <VolunteerNotActive />
      </>
    );
  if (data.error) return <LoadError error={data.error} />;
  const { myCourses, myCertificates, openCourses } = data.data!;
  const mine = myCourses.filter((m) => m.enrolment.status !== 'WITHDRAWN');
  const mineIds = new Set(mine.map((m) => m.course.id));
  // A course is offered while it has a session still to come, or none planned yet: one whose
  // sessions are all over (or cancelled) has nothing left to enrol in.
  const now = Date.now();
  const ahead = (c: (typeof openCourses)[number]) => c.sessions.length === 0 || c.sessions.some((x) => !x.cancelled && Date.parse(x.endsAt) > now);
  const open = openCourses.filter((c) => !mineIds.has(c.id) && ahead(c));

  return (
    <>
      <h1 className="h2">{tr('my.title')}</h1>
      <p className="lead">{tr('my.intro')}</p>

      <section aria-labelledby="my-courses-title" className="mb-4">
        <h2 id="my-courses-title" className="h4">
          {tr('my.courses')}
        </h2>
        {mine.length === 0 ? (
          <EmptyState title={tr('my.none')}>{tr('my.noneHelp')}</EmptyState>
        ) : (
          <ul className="list-unstyled item-list" data-testid="my-courses">
            {mine.map(({ course, enrolment: e }) => (
              <li key={e.id} data-testid="my-course">
                <h3 className="h5 mb-1">
                  <bdi>{course.title}</bdi>
                  <span className="badge bg-secondary gap-start fs-6">{tr(`kinds.${course.kind}`)}</span>
                </h3>
                <p className="mb-1">
                  {e.status === 'WAITING' ? tr('status.WAITING', { position: e.waitingPosition ?? '' }) : tr('status.ENROLLED')}
                  {' · '}
                  {tr('trainerIs')} <bdi>{course.trainer}</bdi>
                </p>
                {e.status === 'ENROLLED' && (
                  <p className="mb-1" data-testid="my-progress">
                    {tr('progress', { count: e.sessionsAttended, held: e.sessionsHeld, hours: hours(e.minutesAttended) })}
                    {' · '}
                    <strong>{e.completed ? tr('completed') : tr('my.rule', { percent: course.minAttendancePercent })}</strong>
                  </p>
                )}
                <SessionList sessions={course.sessions} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="my-certificates-title" className="mb-4">
        <h2 id="my-certificates-title" className="h4">
          {tr('my.certificates')}
        </h2>
        {myCertificates.length === 0 ? (
          <EmptyState title={tr('my.noCertificates')}>{tr('my.noCertificatesHelp')}</EmptyState>
        ) : (
          <ul className="list-unstyled item-list" data-testid="my-certificates">
            {myCertificates.map((c) => (
              <li key={c.id} data-testid="certificate">
                <p className="fw-semibold mb-1">
                  <bdi>{c.courseTitle}</bdi>
                </p>
                <p className="mb-1 small">{tr('my.certificateLine', { hours: hours(Math.round(c.hoursAttended * 60)), day: formatDate(c.issuedOn) })}</p>
                <Verification code={c.verificationCode} path={c.verificationPath} />
                <DownloadPdf certificateId={c.id} label={tr('downloadPdf')} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="open-courses-title">
        <h2 id="open-courses-title" className="h4">
          {tr('my.open')}
        </h2>
        <FormErrors errors={enrol.general} />
        {open.length === 0 ? (
          <p className="text-muted">{tr('my.noOpen')}</p>
        ) : (
          <ul className="list-unstyled item-list" data-testid="open-courses">
            {open.map((c) => {
              const full = c.enrolled >= c.capacity;
              return (
                <li key={c.id} className="d-flex flex-wrap justify-content-between gap-2" data-testid="open-course">
                  <div>
                    <bdi className="fw-semibold">{c.title}</bdi>
                    <span className="d-block small">
                      {tr('my.openLine', { hours: hours(c.plannedMinutes), free: Math.max(c.capacity - c.enrolled, 0) })}
                    </span>
                    {full && (
                      <span className="d-block small fw-semibold" data-testid="course-full">
                        {tr('my.full')}
                      </span>
                    )}
                    <span className="d-block small">
                      {tr('trainerIs')} <bdi>{c.trainer}</bdi>
                    </span>
                    <p className="small fw-semibold mb-0 mt-1">{tr('session.openSessions')}</p>
                    {c.sessions.length === 0 ? (
                      <p className="small text-muted mb-0">{tr('session.noSessionsYet')}</p>
                    ) : (
                      <SessionList sessions={c.sessions} />
                    )}
                  </div>
                  <button
                    type="button"
                    className="btn btn-primary btn-sm align-self-start"
                    disabled={enrol.busy}
                    aria-label={full ? tr('my.joinWaitingIn', { title: isolate(c.title) }) : tr('my.enrolIn', { title: isolate(c.title) })}
                    onClick={async () => {
                      if (await enrol.run(() => request(EnrolMeMutation, { courseId: c.id }))) data.reload();
                    }}
                  >
                    {full ? tr('my.joinWaiting') : tr('my.enrolMe')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
