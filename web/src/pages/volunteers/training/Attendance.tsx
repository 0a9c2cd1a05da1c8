// Staff, on a tablet at the door: the attendance sheet of one session. One tap per participant,
// present or absent, saved at once (the whole sheet each time; participants not marked are
// recorded absent by the server); what is saved is shown on each line and above the list.
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, request } from '../../../api/client';
import { FormErrors } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import { useLoad } from '../../../hooks';
import { RecordAttendanceMutation, TrainingCourseQuery } from './operations';
import { courseOf, useEnrolments } from './CoursePage';
import { formatTime, sessionWhen, SessionWhere, useTr, CourseNotFound } from './shared';

type Mark = boolean | undefined;

export default function Attendance() {
  const tr = useTr();
  const { id = '', sessionId = '' } = useParams();
  const course = useLoad(() => request(TrainingCourseQuery, { id }), [id]);
  const enrolments = useEnrolments(id);
  // What was tapped, and what the server holds (loaded, then as each save answers).
  const [marks, setMarks] = useState<Record<string, boolean>>({});
  const [saved, setSaved] = useState<Record<string, boolean> | null>(null);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' | 'failed'; at?: string; error?: ApiError }>({ kind: 'idle' });
  // Saves run one after the other; the last sheet tapped is the one that counts.
  const queue = useRef<Promise<void>>(Promise.resolve());

  if ((course.loading && !course.data) || (enrolments.loading && enrolments.rows.length === 0)) return <Loading />;
  if (course.error?.has('NOT_FOUND')) return <CourseNotFound />;
  if (course.error) return <LoadError error={course.error} />;
  if (enrolments.error) return <LoadError error={enrolments.error} />;
  const c = courseOf(course.data);
  const session = c?.sessions.find((s) => s.id === sessionId);
  if (!c || !session) return <CourseNotFound />;
  const participants = enrolments.rows.filter((e) => e.status === 'ENROLLED');
  const fromServer: Record<string, boolean> = saved ?? Object.fromEntries(session.attendance.map((a) => [a.enrolmentId, a.present]));
  // A cancelled session takes no attendance: its buttons stay off like a session not started.
  const notStarted = Date.parse(session.startsAt) > Date.now() || session.cancelled;
  const shown = (eid: string): Mark => (eid in marks ? marks[eid] : fromServer[eid]);

  const tap = (enrolmentId: string, present: boolean) => {
    const next = { ...marks, [enrolmentId]: present };
    setMarks(next);
    const entries = participants.map((p) => ({ enrolmentId: p.id, present: p.id in next ? next[p.id] : (fromServer[p.id] ?? false) }));
    setState({ kind: 'saving' });
    queue.current = queue.current.then(async () => {
      try {
        const done = await request(RecordAttendanceMutation, { input: { sessionId, entries } });
        setSaved(Object.fromEntries(done.recordAttendance.map((a) => [a.enrolmentId, a.present])));
        setState({ kind: 'saved', at: new Date().toISOString() });
      } catch (e) {
        setState({ kind: 'failed', error: e instanceof ApiError ? e : new ApiError([{ message: String(e), code: 'INTERNAL' }]) });
      }
    });
  };

  const present = participants.filter((p) => fromServer[p.id] === true).length;
  const heldNow = saved !== null || session.held;
  return (
    <div className="attendance-sheet">
      <p className="mb-1">
        <Link to={`/formazione/${encodeURIComponent(c.id)}`}>
          {tr('backTo')} <bdi>{c.title}</bdi>
        </Link>
      </p>
      <h1 className="h2">{tr('attendanceSheet')}</h1>
      <p className="lead mb-1">
        <bdi>{c.title}</bdi> — {sessionWhen(session)}
      </p>
      <p className="small">
        <SessionWhere session={session} />
      </p>
      {session.cancelled && (
        <div className="alert alert-warning" role="status" data-testid="attendance-cancelled">
          {tr('session.cancelledNoSheet')}
        </div>
      )}
      {notStarted && !session.cancelled && (
        <div className="alert alert-warning" role="status">
          {tr('notStarted')}
        </div>
      )}
      <p className="small text-muted">{tr('attendanceHelp')}</p>
      <div aria-live="polite" className="mb-3 fw-semibold" data-testid="attendance-status">
        {state.kind === 'saving' && tr('saving')}
        {state.kind === 'saved' && state.at && tr('savedAt', { time: formatTime(state.at), present, total: participants.length })}
        {state.kind === 'idle' && (heldNow ? tr('savedBefore', { present, total: participants.length }) : tr('notYetSaved'))}
      </div>
      {state.kind === 'failed' && state.error && <FormErrors errors={state.error.items} />}
      {participants.length === 0 ? (
        <EmptyState title={tr('noParticipants')}>{tr('noParticipantsHelp')}</EmptyState>
      ) : (
        <ul className="list-unstyled mb-4" data-testid="attendance-list">
          {participants.map((p) => {
            const mark = shown(p.id);
            const isSaved = p.id in fromServer && (!(p.id in marks) || marks[p.id] === fromServer[p.id]);
            return (
              <li key={p.id} className="border rounded p-2 mb-2 d-flex flex-wrap align-items-center gap-2" data-testid="attendance-row">
                <div className="flex-grow-1">
                  <bdi className="fs-5 fw-semibold">{p.participantName}</bdi>
                  <span className="d-block small" data-testid="row-state">
                    {mark === undefined ? tr('unmarked') : isSaved ? tr(mark ? 'savedPresent' : 'savedAbsent') : state.kind === 'failed' ? tr('notSaved') : tr('savingRow')}
                  </span>
                </div>
                <div className="d-flex gap-2" role="group" aria-label={p.participantName}>
                  <button
                    type="button"
                    className={`btn btn-lg ${mark === true ? 'btn-success' : 'btn-outline-success'}`}
                    aria-pressed={mark === true}
                    disabled={notStarted}
                    onClick={() => tap(p.id, true)}
                  >
                    {tr('present')}
                  </button>
                  <button
                    type="button"
                    className={`btn btn-lg ${mark === false ? 'btn-danger' : 'btn-outline-danger'}`}
                    aria-pressed={mark === false}
                    disabled={notStarted}
                    onClick={() => tap(p.id, false)}
                  >
                    {tr('absent')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {enrolments.hasNext && (
        <button type="button" className="btn btn-outline-primary" onClick={() => void enrolments.loadMore()}>
          {tr('loadMore')}
        </button>
      )}
    </div>
  );
}
