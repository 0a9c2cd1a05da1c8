// Staff: the tenant's courses and co-design workshops, filtered by kind and audience, with the
// calendar of every session of the tenant in a week or a month (on the tenant's clock, asked of
// the server by local days, cancelled sessions marked), and a new course.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { request } from '../../../api/client';
import { SelectField } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { CourseAudience, CourseKind, TrainingCoursesQuery as Result } from '../../../gql/graphql';
import { useLoad } from '../../../hooks';
import { formatMonth } from '../../../i18n';
import { localInput, today } from '../../../time';
import { AUDIENCES, CourseForm, KINDS } from './CourseForm';
import { CourseSessionsQuery, TrainingCoursesQuery } from './operations';
import { SessionWhere, formatLongDay, formatTime, useHours, useTr } from './shared';

type Course = Result['courses']['nodes'][number];
const PAGE = 20;

/** A local day `YYYY-MM-DD` moved by `days`. */
function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of a local day's week. */
function monday(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The local day of an instant on the tenant's clock. */
function dayOf(iso: string): string {
  return localInput(Date.parse(iso)).slice(0, 10);
}

/** The calendar: every session of the tenant, a week or a month at a time. */
function Calendar() {
  const tr = useTr();
  const [mode, setMode] = useState<'week' | 'month'>('week');
  const [start, setStart] = useState(() => monday(today()));
  const [month, setMonth] = useState(() => today().slice(0, 7));
  let from: string;
  let to: string;
  let label: string;
  if (mode === 'week') {
    from = start;
    to = addDays(start, 7);
    label = tr('calendar.weekOf', { from: formatLongDay(from), to: formatLongDay(addDays(start, 6)) });
  } else {
    from = `${month}-01`;
    const [y, m] = month.split('-').map(Number);
    to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    label = formatMonth(month);
  }
  const move = (by: number) => {
    if (mode === 'week') setStart(addDays(start, 7 * by));
    else {
      const [y, m] = month.split('-').map(Number);
      const total = y * 12 + m - 1 + by;
      setMonth(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
    }
  };
  // `to` is the first day after the period; the server takes both days included.
  const loaded = useLoad(() => request(CourseSessionsQuery, { from, to: addDays(to, -1) }), [from, to]);
  const sessions = (loaded.data?.courseSessions ?? []).map((s) => ({ course: s.course, session: s, day: dayOf(s.startsAt) }));
  const days = [...new Set(sessions.map((x) => x.day))];
  return (
    <section aria-labelledby="calendar-title" className="mb-4" data-testid="training-calendar">
      <h2 id="calendar-title" className="h4">
        {tr('calendar.title')}
      </h2>
      <div className="d-flex flex-wrap align-items-center gap-2 mb-2">
        <div className="btn-group" role="group" aria-label={tr('calendar.view')}>
          {(['week', 'month'] as const).map((m) => (
            <button
              key={m}
              type="button"
              className={`btn btn-sm ${mode === m ? 'btn-primary' : 'btn-outline-primary'}`}
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
            >
              {tr(`calendar.${m}`)}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => move(-1)}>
          {tr(`calendar.previous.${mode}`)}
        </button>
        <button
          type="button"
          className="btn btn-sm btn-outline-secondary"
          onClick={() => {
            setStart(monday(today()));
            setMonth(today().slice(0, 7));
          }}
        >
          {tr('calendar.today')}
        </button>
        <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => move(1)}>
          {tr(`calendar.next.${mode}`)}
        </button>
      </div>
      <p className="fw-semibold mb-2" aria-live="polite" data-testid="calendar-period">
        {label}
      </p>
      {loaded.loading && !loaded.data ? (
        <Loading />
      ) : loaded.error ? (
        <LoadError error={loaded.error} />
      ) : days.length === 0 ? (
        <p className="text-muted" data-testid="calendar-empty">
          {tr('calendar.empty')}
        </p>
      ) : (
        days.map((day) => (
          <div key={day} className="mb-2">
            <h3 className="h6 mb-1">{formatLongDay(day)}</h3>
            <ul className="list-unstyled item-list mb-0">
              {sessions
                .filter((x) => x.day === day)
                .map(({ course, session }) => (
                  <li key={session.id} data-testid="calendar-session" data-cancelled={session.cancelled ? 'true' : 'false'}>
                    <span className={`gap-end ${session.cancelled ? 'text-decoration-line-through' : ''}`}>
                      {formatTime(session.startsAt)}–{formatTime(session.endsAt)}
                    </span>
                    <Link to={`/formazione/${encodeURIComponent(course.id)}`}>
                      <bdi>{course.title}</bdi>
                    </Link>
                    {session.cancelled && <span className="badge bg-danger gap-start">{tr('session.cancelled')}</span>}
                    <span className="d-block small text-muted">
                      <SessionWhere session={session} />
                    </span>
                  </li>
                ))}
            </ul>
          </div>
        ))
      )}
      <p className="small text-muted mb-0">{tr('calendar.note')}</p>
    </section>
  );
}

export default function Courses() {
  const tr = useTr();
  const hours = useHours();
  const navigate = useNavigate();
  const [kind, setKind] = useState('');
  const [audience, setAudience] = useState('');
  const [creating, setCreating] = useState(false);
  const [more, setMore] = useState<Course[]>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor?: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const vars = { first: PAGE, kind: (kind || null) as CourseKind | null, audience: (audience || null) as CourseAudience | null };
  const list = useLoad(async () => {
    setMore([]);
    setCursor(null);
    return request(TrainingCoursesQuery, vars);
  }, [kind, audience]);
  const courses = [...(list.data?.courses.nodes ?? []), ...more];
  const page = cursor ?? list.data?.courses.pageInfo;

  const loadMore = async () => {
    if (!page?.endCursor) return;
    setLoadingMore(true);
    try {
      const next = await request(TrainingCoursesQuery, { ...vars, after: page.endCursor });
      setMore((m) => [...m, ...next.courses.nodes]);
      setCursor(next.courses.pageInfo);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <h1 className="h2">{tr('title')}</h1>
      <p className="lead">{tr('intro')}</p>
      {creating ? (
        <section aria-labelledby="new-course-title">
          <h2 id="new-course-title" className="h4">
            {tr('newCourse')}
          </h2>
          <CourseForm onSaved={(id) => navigate(`/formazione/${encodeURIComponent(id)}`)} onCancel={() => setCreating(false)} />
        </section>
      ) : (
        <button type="button" className="btn btn-primary mb-3" onClick={() => setCreating(true)} data-testid="new-course">
          {tr('newCourse')}
        </button>
      )}

      <div className="row g-2" data-testid="course-filters">
        <div className="col-12 col-md-4">
          <SelectField
            label={tr('kind')}
            value={kind}
            onChange={setKind}
            placeholder={tr('allKinds')}
            options={KINDS.map((k) => ({ value: k, label: tr(`kinds.${k}`) }))}
          />
        </div>
        <div className="col-12 col-md-4">
          <SelectField
            label={tr('audience')}
            value={audience}
            onChange={setAudience}
            placeholder={tr('allAudiences')}
            options={AUDIENCES.map((a) => ({ value: a, label: tr(`audiences.${a}`) }))}
          />
        </div>
      </div>

      {list.loading && !list.data ? (
        <Loading />
      ) : list.error ? (
        <LoadError error={list.error} />
      ) : (
        <>
          <Calendar />
          <section aria-labelledby="courses-title">
            <h2 id="courses-title" className="h4">
              {tr('courses')}
            </h2>
            {courses.length === 0 ? (
              <EmptyState title={tr('noCourses')}>{tr('noCoursesHelp')}</EmptyState>
            ) : (
              <ul className="list-unstyled item-list" data-testid="course-list">
                {courses.map((c) => (
                  <li key={c.id} data-testid="course-item">
                    <Link to={`/formazione/${encodeURIComponent(c.id)}`} className="fw-semibold">
                      <bdi>{c.title}</bdi>
                    </Link>
                    <span className="badge bg-secondary gap-start">{tr(`kinds.${c.kind}`)}</span>
                    <span className="d-block small">
                      {tr('summary', {
                        audience: tr(`audiences.${c.audience}`),
                        hours: hours(c.plannedMinutes),
                        enrolled: c.enrolled,
                        capacity: c.capacity,
                        sessions: c.sessions.filter((s) => !s.cancelled).length,
                      })}
                      {c.waiting > 0 && ` · ${tr('waitingCount', { n: c.waiting })}`}
                    </span>
                    <span className="d-block small text-muted">
                      {tr('trainerIs')} <bdi>{c.trainer}</bdi>
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {page?.hasNextPage && (
              <button type="button" className="btn btn-outline-primary" disabled={loadingMore} onClick={() => void loadMore()}>
                {tr('loadMore')}
              </button>
            )}
          </section>
        </>
      )}
    </>
  );
}
