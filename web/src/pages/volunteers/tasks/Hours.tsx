// Hours to approve (staff): logged hours newest first, pending by default; approving, or
// rejecting after a confirmation, at the version shown.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type ApiError, type ApiErrorItem } from '../../../api/client';
import { ConfirmDialog } from '../../../components/Confirm';
import { FormErrors, SelectField } from '../../../components/Form';
import { LoadMore, usePaged } from '../../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { HoursStatus, TasksHoursQuery as Result } from '../../../gql/graphql';
import { formatDate } from '../../../i18n';
import { isolate } from '../../../bidi';
import { TasksApproveHoursMutation, TasksHoursQuery, TasksRejectHoursMutation } from './operations';
import { HOURS_STATUSES, StatusBadge, useDuration, useForTask, useSkills, useVolunteers } from './common';

type Row = Result['hours']['nodes'][number];

export default function Hours() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('PENDING');
  const [rowErrors, setRowErrors] = useState<Record<string, ApiErrorItem[]>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Row | null>(null);
  const volunteers = useVolunteers();
  const duration = useDuration();

  const hours = usePaged(async (after) => (await request(TasksHoursQuery, { after, status: (status || null) as HoursStatus | null })).hours, [status]);
  const { rows, setRows, loading, error } = hours;
  const forTask = useForTask();
  const skills = useSkills();
  // The task of an entry by its skill (the tenant's own by its label) and its local day.
  const taskLine = (task: Row['task']) => forTask(task, task && skills.data?.skills.find((s) => s.code === task.skill)?.label);

  const decide = async (row: Row, approve: boolean) => {
    setBusy(row.id);
    setRowErrors((e) => ({ ...e, [row.id]: [] }));
    try {
      const input = { id: row.id, expectedVersion: row.version };
      const done = approve
        ? (await request(TasksApproveHoursMutation, { input })).approveHours
        : (await request(TasksRejectHoursMutation, { input })).rejectHours;
      setRows((prev) => prev.map((r) => (r.id === row.id ? { ...r, ...done } : r)));
    } catch (e) {
      setRowErrors((errs) => ({ ...errs, [row.id]: (e as ApiError).items ?? [{ code: 'INTERNAL', message: String(e) }] }));
    } finally {
      setBusy(null);
    }
  };
  const name = (id: string) => volunteers.name(id) ?? t('volunteers.tasks.someVolunteer');

  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('volunteers.tasks.hours.title')}</h1>
      </div>
      <form className="filters row g-2" aria-label={t('volunteers.tasks.hours.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.tasks.hours.status')}
            value={status}
            onChange={setStatus}
            placeholder={t('common.all')}
            options={HOURS_STATUSES.map((s) => ({ value: s, label: t(`volunteers.tasks.hoursStatus.${s}`) }))}
          />
        </div>
      </form>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && (
        <EmptyState title={status === 'PENDING' ? t('volunteers.tasks.hours.emptyPending') : t('volunteers.tasks.hours.empty')}>
          {t('volunteers.tasks.hours.emptyHelp')}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <ul className="case-list p-0 list-unstyled" data-testid="hours-list">
          {rows.map((h) => (
            <li key={h.id} className="case-row" data-testid="hours-row">
              <bdi className="fw-semibold">{name(h.volunteerId)}</bdi>
              <span>
                {formatDate(h.on)} · {duration(h.minutes)}
              </span>
              <StatusBadge kind="hours" status={h.status} />
              {h.taskId && (
                <span className="text-muted small" data-testid="hours-task">
                  {taskLine(h.task)}
                </span>
              )}
              {h.note && (
                <span className="small w-100">
                  <bdi>{h.note}</bdi>
                </span>
              )}
              {h.status === 'PENDING' && (
                <span className="d-flex gap-2 w-100">
                  <button
                    type="button"
                    className="btn btn-primary btn-sm"
                    disabled={busy === h.id}
                    aria-label={t('volunteers.tasks.hours.approveOf', { name: isolate(name(h.volunteerId)), date: formatDate(h.on) })}
                    onClick={() => void decide(h, true)}
                  >
                    {t('volunteers.tasks.hours.approve')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-outline-danger btn-sm"
                    disabled={busy === h.id}
                    aria-haspopup="dialog"
                    aria-label={t('volunteers.tasks.hours.rejectOf', { name: isolate(name(h.volunteerId)), date: formatDate(h.on) })}
                    onClick={() => setRejecting(h)}
                  >
                    {t('volunteers.tasks.hours.reject')}
                  </button>
                </span>
              )}
              {(rowErrors[h.id] ?? []).length > 0 && (
                <div className="w-100">
                  <FormErrors errors={rowErrors[h.id]} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={rejecting !== null}
        confirmation={{
          title: t('volunteers.tasks.hours.confirmTitle'),
          body: rejecting
            ? t('volunteers.tasks.hours.confirmBody', { name: isolate(name(rejecting.volunteerId)), date: formatDate(rejecting.on), duration: duration(rejecting.minutes) })
            : '',
          confirm: t('volunteers.tasks.hours.reject'),
        }}
        onClose={() => setRejecting(null)}
        onConfirm={() => {
          const row = rejecting;
          setRejecting(null);
          if (row) void decide(row, false);
        }}
      />
      {loading && <Loading />}
      <LoadMore list={hours} />
    </>
  );
}
