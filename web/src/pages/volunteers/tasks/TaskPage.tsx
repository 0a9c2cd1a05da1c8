// A request for help (staff): what was asked and shared, its status, the volunteers proposed
// with the reasons the matching gives, the offers and who accepted; closing it.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { ConfirmDialog } from '../../../components/Confirm';
import { FormErrors } from '../../../components/Form';
import { EmptyState, LoadError, Loading, NotFound } from '../../../components/States';
import type { TaskStatus, TasksMatchesQuery as Matches } from '../../../gql/graphql';
import { useLoad, useSubmit } from '../../../hooks';
import { useIsoNames } from '../../../iso';
import { formatDate, formatList, formatNumber } from '../../../i18n';
import { isolate } from '../../../bidi';
import { TasksMatchesQuery, TasksOfferMutation, TasksSetStatusMutation, TasksTaskQuery } from './operations';
import { StatusBadge, TaskWhere, useSkillName, useVolunteers, useWindow } from './common';

type Match = Matches['taskMatches'][number];

export default function TaskPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const task = useLoad(() => request(TasksTaskQuery, { id }), [id]);
  const volunteers = useVolunteers();
  const skillName = useSkillName();
  const windowOf = useWindow();
  const { language } = useIsoNames();
  if (task.loading && !task.data) return <Loading />;
  if (task.error?.has('NOT_FOUND'))
    return <NotFound title={t('volunteers.tasks.task.notFound')} help={t('volunteers.tasks.task.notFoundHelp')} back={{ to: '/richieste-di-aiuto', label: t('volunteers.tasks.task.back') }} />;
  if (task.error || !task.data) return task.error ? <LoadError error={task.error} /> : null;
  const { task: found, taskOffers } = task.data;
  const volunteerName = (vid: string) => volunteers.name(vid) ?? t('volunteers.tasks.someVolunteer');
  return (
    <>
      <Link to="/richieste-di-aiuto" className="back-link">
        {t('volunteers.tasks.task.back')}
      </Link>
      <div className="page-head">
        <h1 className="h2">{t('volunteers.tasks.task.title', { skill: skillName(found.skill) })}</h1>
        <StatusBadge kind="task" status={found.status} />
      </div>
      <section className="case-section" aria-labelledby="task-what">
        <h2 id="task-what" className="h4">
          {t('volunteers.tasks.task.what')}
        </h2>
        <dl className="row mb-0" data-testid="task-details">
          <dt className="col-sm-4">{t('volunteers.tasks.form.when')}</dt>
          <dd className="col-sm-8">{windowOf(found.startsAt, found.endsAt)}</dd>
          <dt className="col-sm-4">{t('volunteers.tasks.form.where')}</dt>
          <dd className="col-sm-8">
            <TaskWhere territory={found.territory} desk={found.desk} place={found.place} />
          </dd>
          <dt className="col-sm-4">{t('volunteers.tasks.form.language')}</dt>
          <dd className="col-sm-8">{language(found.language)}</dd>
          <dt className="col-sm-4">{t('volunteers.tasks.form.firstName')}</dt>
          <dd className="col-sm-8">{found.personFirstName ? <bdi>{found.personFirstName}</bdi> : t('volunteers.tasks.task.notShared')}</dd>
          <dt className="col-sm-4">{t('volunteers.tasks.form.note')}</dt>
          <dd className="col-sm-8">{found.sharedNote ? <bdi className="text-break">{found.sharedNote}</bdi> : t('volunteers.tasks.task.notShared')}</dd>
          <dt className="col-sm-4">{t('volunteers.tasks.form.minors')}</dt>
          <dd className="col-sm-8">{found.involvesMinors ? t('volunteers.tasks.yes') : t('volunteers.tasks.no')}</dd>
          {found.volunteerId && (
            <>
              <dt className="col-sm-4">{t('volunteers.tasks.task.acceptedBy')}</dt>
              <dd className="col-sm-8" data-testid="accepted-by">
                <bdi>{volunteerName(found.volunteerId)}</bdi>
              </dd>
            </>
          )}
        </dl>
      </section>
      <Close id={found.id} version={found.version} status={found.status} startsAt={found.startsAt} onDone={task.reload} />
      {found.status === 'OPEN' && <MatchList taskId={found.id} offered={taskOffers.map((o) => o.volunteerId)} onOffered={task.reload} />}
      <section className="case-section" aria-labelledby="task-offers">
        <h2 id="task-offers" className="h4">
          {t('volunteers.tasks.task.offers')}
        </h2>
        {taskOffers.length === 0 ? (
          <p className="text-muted">{t('volunteers.tasks.task.noOffers')}</p>
        ) : (
          <ul className="p-0 list-unstyled item-list" data-testid="offers">
            {taskOffers.map((o) => (
              <li key={o.volunteerId} className="d-flex flex-wrap gap-2 align-items-center py-1">
                <bdi className="fw-semibold">{volunteerName(o.volunteerId)}</bdi>
                <StatusBadge kind="offer" status={o.status} />
                <span className="text-muted small">
                  {t('volunteers.tasks.task.offeredOn', { date: formatDate(o.offeredAt, true) })}
                  {o.answeredAt && ` · ${t('volunteers.tasks.task.answeredOn', { date: formatDate(o.answeredAt, true) })}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The volunteers the matching proposes, best first, each with why; offering to the ones ticked. */
function MatchList({ taskId, offered, onOffered }: { taskId: string; offered: string[]; onOffered: () => void }) {
  const { t } = useTranslation();
  const matches = useLoad(() => request(TasksMatchesQuery, { id: taskId }), [taskId, offered.join()]);
  const [chosen, setChosen] = useState<string[]>([]);
  const form = useSubmit(['volunteerIds']);
  const reasonText = useReasonText();
  const offer = async () => {
    const done = await form.run(() => request(TasksOfferMutation, { input: { taskId, volunteerIds: chosen } }));
    if (done) {
      setChosen([]);
      onOffered();
    }
  };
  const rows = matches.data?.taskMatches ?? [];
  return (
    <section className="case-section" aria-labelledby="task-matches">
      <h2 id="task-matches" className="h4">
        {t('volunteers.tasks.task.matches')}
      </h2>
      <p className="small text-muted">{t('volunteers.tasks.task.matchesHelp')}</p>
      {matches.loading && <Loading />}
      {matches.error && <LoadError error={matches.error} />}
      {!matches.loading && !matches.error && rows.length === 0 && (
        <EmptyState title={t('volunteers.tasks.task.noMatches')}>{t('volunteers.tasks.task.noMatchesHelp')}</EmptyState>
      )}
      {rows.length > 0 && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen.length === 0) {
              form.setErrors([{ field: 'volunteerIds', code: 'INVALID_INPUT', local: true, message: t('volunteers.tasks.task.chooseOne') }]);
              return;
            }
            void offer();
          }}
        >
          <ul className="p-0 list-unstyled" data-testid="matches">
            {rows.map((m: Match) => {
              const name = `${m.volunteer.givenNames} ${m.volunteer.familyNames}`;
              const already = offered.includes(m.volunteer.id);
              const inputId = `match-${m.volunteer.id}`;
              return (
                <li key={m.volunteer.id} className="border-bottom py-2" data-testid="match">
                  <div className="form-check mb-1">
                    <input
                      id={inputId}
                      type="checkbox"
                      disabled={already}
                      checked={already || chosen.includes(m.volunteer.id)}
                      onChange={(e) => setChosen(e.target.checked ? [...chosen, m.volunteer.id] : chosen.filter((c) => c !== m.volunteer.id))}
                    />
                    <label htmlFor={inputId} className="fw-semibold">
                      {t('volunteers.tasks.task.offerTo', { name: isolate(name) })}
                      {already && ` (${t('volunteers.tasks.task.alreadyOffered')})`}
                    </label>
                  </div>
                  <p className="small mb-0" data-testid="match-reasons">
                    {t('volunteers.tasks.task.why')} {formatList(m.reasons.map(reasonText))}
                  </p>
                </li>
              );
            })}
          </ul>
          {form.fieldError('volunteerIds') && <FormErrors errors={[form.fieldError('volunteerIds')!]} />}
          <FormErrors errors={form.general} />
          <button type="submit" className="btn btn-primary" disabled={form.busy} aria-busy={form.busy || undefined}>
            {t('volunteers.tasks.task.offer')}
          </button>
        </form>
      )}
    </section>
  );
}

/** One reason a volunteer is proposed, in words. */
function useReasonText() {
  const { t } = useTranslation();
  return (r: Match['reasons'][number]) => {
    if (r.code === 'LANGUAGE') return t('volunteers.tasks.reason.LANGUAGE', { level: r.level ? t(`volunteers.tasks.level.${r.level}`) : '' });
    if (r.code === 'LOAD') {
      const n = r.tasks ?? 0;
      return n === 0 ? t('volunteers.tasks.reason.LOAD_FREE') : t('volunteers.tasks.reason.LOAD', { count: n, n: formatNumber(n) });
    }
    return t(`volunteers.tasks.reason.${r.code}`);
  };
}

/** Done (from assigned, once it has started: the API refuses it before) or cancelled (from open
 * or assigned), each confirmed first. */
function Close({ id, version, status, startsAt, onDone }: { id: string; version: number; status: TaskStatus; startsAt: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<TaskStatus | null>(null);
  const form = useSubmit([]);
  const started = new Date(startsAt).getTime() <= Date.now();
  const next: TaskStatus[] = status === 'ASSIGNED' ? (started ? ['DONE', 'CANCELLED'] : ['CANCELLED']) : status === 'OPEN' ? ['CANCELLED'] : [];
  if (next.length === 0) return null;
  const change = async (to: TaskStatus) => {
    const done = await form.run(() => request(TasksSetStatusMutation, { input: { id, status: to, expectedVersion: version } }));
    if (done) onDone();
  };
  return (
    <div className="d-flex flex-wrap gap-2 mb-4">
      {status === 'ASSIGNED' && !started && (
        <p className="small text-muted w-100 mb-0" data-testid="done-later">
          {t('volunteers.tasks.task.doneLater')}
        </p>
      )}
      {next.map((s) => (
        <button key={s} type="button" className={s === 'DONE' ? 'btn btn-primary' : 'btn btn-outline-danger'} aria-haspopup="dialog" onClick={() => setConfirming(s)}>
          {t(`volunteers.tasks.task.to.${s}`)}
        </button>
      ))}
      <ConfirmDialog
        open={confirming !== null}
        confirmation={{
          title: t(`volunteers.tasks.task.confirm.${confirming ?? 'DONE'}.title`),
          body: t(`volunteers.tasks.task.confirm.${confirming ?? 'DONE'}.body`),
          confirm: t(`volunteers.tasks.task.to.${confirming ?? 'DONE'}`),
        }}
        onClose={() => setConfirming(null)}
        onConfirm={() => {
          const to = confirming;
          setConfirming(null);
          if (to) void change(to);
        }}
      />
      <div className="w-100">
        <FormErrors errors={form.general} />
      </div>
    </div>
  );
}
