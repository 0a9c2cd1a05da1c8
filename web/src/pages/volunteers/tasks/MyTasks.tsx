// A volunteer's home (phone first): the tasks offered to them and the ones they accepted, with
// accept / decline; hours logged on an accepted task (or on none); their own hours with status.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../../api/client';
import { ConfirmDialog } from '../../../components/Confirm';
import { FormErrors, SubmitButton, TextArea, TextField } from '../../../components/Form';
import { LoadMore, usePaged } from '../../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { TasksMyHoursQuery as HoursResult, TasksMyTasksQuery as TasksResult } from '../../../gql/graphql';
import { formatDate } from '../../../i18n';
import { useIsoNames } from '../../../iso';
import { dayOutOfRange, missingFields, useSubmit } from '../../../hooks';
import { today } from '../../../time';
import { TasksAcceptMutation, TasksDeclineMutation, TasksLogHoursMutation, TasksMyHoursQuery, TasksMyTasksQuery } from './operations';
import { isNotActive, VolunteerNotActive } from '../register/shared';
import { NOTE_MAX, StatusBadge, TaskWhere, useDuration, useForTask, useSkillName, useWindow } from './common';

type MyTask = TasksResult['myTasks']['nodes'][number];
type HoursRow = HoursResult['myHours']['nodes'][number];

export default function MyTasks() {
  const { t } = useTranslation();
  const tasks = usePaged(async (after) => (await request(TasksMyTasksQuery, { after })).myTasks, []);
  const hours = usePaged(async (after) => (await request(TasksMyHoursQuery, { after })).myHours, []);
  const [logging, setLogging] = useState<string | null>(null);
  const offered = tasks.rows.filter((r) => r.offer === 'OFFERED');
  const accepted = tasks.rows.filter((r) => r.offer === 'ACCEPTED');
  const others = tasks.rows.filter((r) => r.offer !== 'OFFERED' && r.offer !== 'ACCEPTED');
  // A suspended or withdrawn volunteer reads one message, and no form to fill in.
  if (isNotActive(tasks.error) || isNotActive(hours.error)) {
    return (
      <>
        <div className="page-head">
          <h1 className="h2">{t('volunteers.tasks.mine.title')}</h1>
        </div>
        <VolunteerNotActive />
      </>
    );
  }
  const replace = (row: MyTask) => tasks.setRows((prev) => prev.map((r) => (r.task.id === row.task.id ? { ...r, ...row, task: { ...r.task, ...row.task } } : r)));
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('volunteers.tasks.mine.title')}</h1>
      </div>
      {tasks.error && <LoadError error={tasks.error} />}
      <section className="case-section" aria-labelledby="mine-offered">
        <h2 id="mine-offered" className="h4">
          {t('volunteers.tasks.mine.offered')}
        </h2>
        {!tasks.loading && !tasks.error && offered.length === 0 && <p className="text-muted">{t('volunteers.tasks.mine.noOffered')}</p>}
        <ul className="p-0 list-unstyled" data-testid="offered-tasks">
          {offered.map((r) => (
            <TaskCard key={r.task.id} row={r} onChange={replace} onReload={tasks.reload} />
          ))}
        </ul>
      </section>
      <section className="case-section" aria-labelledby="mine-accepted">
        <h2 id="mine-accepted" className="h4">
          {t('volunteers.tasks.mine.accepted')}
        </h2>
        {!tasks.loading && !tasks.error && accepted.length === 0 && <p className="text-muted">{t('volunteers.tasks.mine.noAccepted')}</p>}
        <ul className="p-0 list-unstyled" data-testid="accepted-tasks">
          {accepted.map((r) => (
            <TaskCard key={r.task.id} row={r} onChange={replace} onReload={tasks.reload}>
              {logging === r.task.id ? (
                <LogHours
                  taskId={r.task.id}
                  onCancel={() => setLogging(null)}
                  onDone={(entry) => {
                    setLogging(null);
                    hours.setRows((prev) => [entry, ...prev]);
                  }}
                />
              ) : (
                r.task.status === 'ASSIGNED' || r.task.status === 'DONE' ? (
                  // A task's hours are logged from its first day on (the server checks it too).
                  new Date(r.task.startsAt).getTime() <= Date.now() ? (
                    <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setLogging(r.task.id)}>
                      {t('volunteers.tasks.mine.logHours')}
                    </button>
                  ) : (
                    <p className="small text-muted mb-0" data-testid="hours-later">
                      {t('volunteers.tasks.mine.hoursLater')}
                    </p>
                  )
                ) : null
              )}
            </TaskCard>
          ))}
        </ul>
      </section>
      {others.length > 0 && (
        <section className="case-section" aria-labelledby="mine-others">
          <h2 id="mine-others" className="h4">
            {t('volunteers.tasks.mine.others')}
          </h2>
          <ul className="p-0 list-unstyled">
            {others.map((r) => (
              <TaskCard key={r.task.id} row={r} onChange={replace} onReload={tasks.reload} />
            ))}
          </ul>
        </section>
      )}
      {tasks.loading && <Loading />}
      <LoadMore list={tasks} className="btn btn-outline-primary mb-4" />
      <section className="case-section" aria-labelledby="mine-hours">
        <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
          <h2 id="mine-hours" className="h4 mb-0">
            {t('volunteers.tasks.mine.hours')}
          </h2>
          {logging !== '' && (
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setLogging('')}>
              {t('volunteers.tasks.mine.logOther')}
            </button>
          )}
        </div>
        {logging === '' && (
          <LogHours
            taskId={null}
            onCancel={() => setLogging(null)}
            onDone={(entry) => {
              setLogging(null);
              hours.setRows((prev) => [entry, ...prev]);
            }}
          />
        )}
        {hours.error && <LoadError error={hours.error} />}
        {!hours.loading && !hours.error && hours.rows.length === 0 && (
          <EmptyState title={t('volunteers.tasks.mine.noHours')}>{t('volunteers.tasks.mine.noHoursHelp')}</EmptyState>
        )}
        <HoursList rows={hours.rows} />
        {hours.loading && <Loading />}
        <LoadMore list={hours} />
      </section>
    </>
  );
}

function HoursList({ rows }: { rows: HoursRow[] }) {
  const duration = useDuration();
  const forTask = useForTask();
  if (rows.length === 0) return null;
  return (
    <ul className="case-list p-0 list-unstyled" data-testid="my-hours">
      {rows.map((h) => {
        return (
          <li key={h.id} className="case-row" data-testid="my-hours-row">
            <span className="fw-semibold">
              {formatDate(h.on)} · {duration(h.minutes)}
            </span>
            <StatusBadge kind="hours" status={h.status} />
            {h.taskId && (
              <span className="small text-muted" data-testid="my-hours-task">
                {forTask(h.task)}
              </span>
            )}
            {h.note && (
              <span className="small w-100">
                <bdi>{h.note}</bdi>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** One task as the volunteer sees it, with accept / decline while it is offered to them. */
function TaskCard({ row, onChange, onReload, children }: { row: MyTask; onChange: (r: MyTask) => void; onReload: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const skillName = useSkillName();
  const windowOf = useWindow();
  const { language } = useIsoNames();
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const task = row.task;
  const answer = async (accept: boolean) => {
    setBusy(true);
    setErrors([]);
    try {
      const done = accept ? (await request(TasksAcceptMutation, { taskId: task.id })).acceptTask : (await request(TasksDeclineMutation, { taskId: task.id })).declineTask;
      onChange({ ...row, offer: done.offer, task: { ...task, status: done.task.status } });
    } catch (e) {
      const items = (e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }];
      setErrors(items);
    } finally {
      setBusy(false);
    }
  };
  const taken = errors.some((e) => e.reason === 'TASK_TAKEN');
  const titleId = `task-${task.id}`;
  return (
    <li className="card card-bg mb-3 shadow-sm" data-testid="my-task" aria-labelledby={titleId}>
      <div className="card-body p-3">
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <h3 id={titleId} className="h5 mb-0">
            {skillName(task.skill)}
          </h3>
          <StatusBadge kind="offer" status={row.offer} />
        </div>
        <dl className="mb-2 small">
          <dt>{t('volunteers.tasks.form.when')}</dt>
          <dd>{windowOf(task.startsAt, task.endsAt)}</dd>
          <dt>{t('volunteers.tasks.form.where')}</dt>
          <dd>
            <TaskWhere territory={task.territory} desk={task.desk} place={task.place} />
          </dd>
          <dt>{t('volunteers.tasks.mine.person')}</dt>
          <dd>
            {task.personFirstName ? <bdi>{task.personFirstName}</bdi> : t('volunteers.tasks.mine.noName')}
            {' · '}
            {t('volunteers.tasks.mine.speaks', { language: language(task.language) })}
          </dd>
          {task.involvesMinors && <dd className="fw-semibold">{t('volunteers.tasks.mine.minors')}</dd>}
          {task.sharedNote && (
            <>
              <dt>{t('volunteers.tasks.form.note')}</dt>
              <dd>
                <bdi className="text-break">{task.sharedNote}</bdi>
              </dd>
            </>
          )}
        </dl>
        {taken ? (
          <div className="alert alert-info" role="status" data-testid="task-taken">
            <p className="mb-2">{t('volunteers.tasks.mine.taken')}</p>
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={onReload}>
              {t('volunteers.tasks.mine.reload')}
            </button>
          </div>
        ) : (
          <FormErrors errors={errors} />
        )}
        {row.offer === 'OFFERED' && !taken && (
          <div className="d-flex flex-wrap gap-2">
            <button type="button" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined} onClick={() => void answer(true)}>
              {t('volunteers.tasks.mine.accept')}
            </button>
            <button type="button" className="btn btn-outline-secondary" disabled={busy} aria-haspopup="dialog" onClick={() => setDeclining(true)}>
              {t('volunteers.tasks.mine.decline')}
            </button>
            <ConfirmDialog
              open={declining}
              confirmation={{ title: t('volunteers.tasks.mine.declineTitle'), body: t('volunteers.tasks.mine.declineBody'), confirm: t('volunteers.tasks.mine.decline') }}
              onClose={() => setDeclining(false)}
              onConfirm={() => {
                setDeclining(false);
                void answer(false);
              }}
            />
          </div>
        )}
        {children}
      </div>
    </li>
  );
}

/** Logging time: a day (today by default), hours and minutes, a note. */
function LogHours({ taskId, onDone, onCancel }: { taskId: string | null; onDone: (entry: HoursRow) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const form = useSubmit(['on', 'minutes', 'note']);
  const [on, setOn] = useState(today());
  const [h, setH] = useState('');
  const [m, setM] = useState('');
  const [note, setNote] = useState('');
  const submit = async () => {
    // Digits as a phone keyboard types them: Arabic-Indic and Persian ones too.
    const western = (s: string) =>
      s.trim().replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
    const [hh, mm] = [western(h), western(m)];
    const minutes = (Number(hh) || 0) * 60 + (Number(mm) || 0);
    // The day and the time, both named at once when missing.
    const missing = missingFields({ on }, t('errors.reasons.REQUIRED'));
    if (!/^\d*$/.test(hh) || !/^\d*$/.test(mm) || minutes <= 0) {
      missing.push({ field: 'minutes', code: 'INVALID_INPUT', local: true, message: t('volunteers.tasks.mine.minutesRequired') });
    } else if (minutes > 24 * 60) {
      // The API takes at most 1440 minutes a day: said with the rest, not after a round trip.
      missing.push({ field: 'minutes', code: 'INVALID_INPUT', local: true, message: t('volunteers.tasks.mine.minutesTooMany') });
    }
    // The day: not after today, nor more than 366 days back (the API's window).
    const earliest = new Date(Date.parse(`${today()}T00:00:00Z`) - 366 * 86_400_000).toISOString().slice(0, 10);
    missing.push(...dayOutOfRange('on', on, earliest, today(), (min, max) => t('errors.reasons.DATE_OUT_OF_RANGE', { min: formatDate(min), max: formatDate(max) })));
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() => request(TasksLogHoursMutation, { input: { taskId, on, minutes, note: note.trim() || null } }));
    if (done) onDone(done.logHours);
  };
  const minutesError = form.fieldError('minutes');
  return (
    <form
      className="mt-3"
      noValidate
      aria-label={t('volunteers.tasks.mine.logHours')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField type="date" label={t('volunteers.tasks.mine.on')} value={on} onChange={setOn} max={today()} required error={form.fieldError('on')} />
      <div className="row g-2">
        <div className="col-6">
          <TextField type="text" inputMode="numeric" label={t('volunteers.tasks.mine.hoursField')} value={h} onChange={setH} error={minutesError} />
        </div>
        <div className="col-6">
          <TextField type="text" inputMode="numeric" label={t('volunteers.tasks.mine.minutesField')} value={m} onChange={setM} />
        </div>
      </div>
      <TextArea label={t('volunteers.tasks.mine.note')} value={note} onChange={setNote} maxLength={NOTE_MAX} error={form.fieldError('note')} />
      <FormErrors errors={form.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={form.busy}>{t('volunteers.tasks.mine.save')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('volunteers.tasks.cancel')}
        </button>
      </div>
    </form>
  );
}
