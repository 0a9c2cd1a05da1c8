// What the tasks screens share: skills and volunteers by name, a task's time window on the
// tenant's clock, minutes as hours, statuses as badges.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { useLoad } from '../../../hooks';
import { tenantTimeZone } from '../../../time';
import { formatDate } from '../../../i18n';
import { useTerritoryNames } from '../../../territories';
import { TasksSkillsQuery, TasksVolunteersQuery } from './operations';
import type { TasksVolunteersQuery as TasksVolunteersResult, VolunteerStatus } from '../../../gql/graphql';

/** The API's limits on text: a name (a first name, a requesting body) and a note. */
export const NAME_MAX = 200;
export const NOTE_MAX = 500;

export const TASK_STATUSES = ['OPEN', 'ASSIGNED', 'DONE', 'CANCELLED'] as const;
export const HOURS_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
const DEFAULT_SKILLS = [
  'LANGUAGE_SUPPORT',
  'ACCOMPANIMENT',
  'SCHOOL_TUTORING',
  'DIGITAL_HELP',
  'TRANSPORT',
  'LEGAL_ADMINISTRATIVE',
  'CHILDCARE',
  'HOUSING_SEARCH',
  'JOB_SEARCH',
];

/** A skill by name: a default one translated from its code (the register's names), the tenant's
 * own by its label. */
export function useSkillName() {
  const { t } = useTranslation();
  return (code: string, label?: string | null) =>
    DEFAULT_SKILLS.includes(code) ? t(`volunteers.register.skill.${code}`) : label || code;
}

/** The tenant's skills that new input may name. */
export function useSkills() {
  const skills = useLoad(() => request(TasksSkillsQuery), []);
  return skills;
}

/** How hours name their task: its skill in words and its local day (`Per il compito: Supporto
 * linguistico, 12 dic 2026`), or only that there was one while it is unknown. */
export function useForTask() {
  const { t } = useTranslation();
  const skillName = useSkillName();
  return (task: { skill: string; startsAt: string } | null | undefined, label?: string | null) =>
    task
      ? t('volunteers.tasks.hours.forTaskNamed', { skill: skillName(task.skill, label), date: formatDate(task.startsAt) })
      : t('volunteers.tasks.hours.forTask');
}

/** The register's volunteers (every status, or one), by id: `Nome Cognome`. */
export function useVolunteers(status?: VolunteerStatus) {
  const list = useLoad(async () => {
    const all: { id: string; givenNames: string; familyNames: string; status: VolunteerStatus }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const data: TasksVolunteersResult = await request(TasksVolunteersQuery, { after, status: status ?? null });
      all.push(...data.volunteers.nodes);
      if (!data.volunteers.pageInfo.hasNextPage) break;
      after = data.volunteers.pageInfo.endCursor ?? null;
    }
    return all;
  }, [status]);
  const byId = useMemo(() => new Map((list.data ?? []).map((v) => [v.id, `${v.givenNames} ${v.familyNames}`.trim()])), [list.data]);
  return { list, name: (id: string) => byId.get(id) };
}

/** The time of an instant on the tenant's clock. */
function timeOf(iso: string, language: string) {
  return new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone: tenantTimeZone() }).format(new Date(iso));
}

/** A task's window: `12 dic 2026, 10:00 – 12:00` (the end's date when another day). */
export function useWindow() {
  const { i18n } = useTranslation();
  return (startsAt: string, endsAt: string) => {
    const sameDay = formatDate(startsAt) === formatDate(endsAt);
    return `${formatDate(startsAt, true)} – ${sameDay ? timeOf(endsAt, i18n.language) : formatDate(endsAt, true)}`;
  };
}

/**
 * Minutes as hours and minutes in the console's language, numbers and plurals by the browser's
 * `Intl` (`2 h 30 min`; in Arabic the words, whose forms depend on the number: `ساعتان و30 دقيقة`).
 */
export function useDuration() {
  const { i18n } = useTranslation();
  return (minutes: number) => formatDuration(minutes, i18n.language);
}

export function formatDuration(minutes: number, language: string): string {
  const display = language === 'ar' ? 'long' : 'short';
  const unit = (value: number, unit: 'hour' | 'minute') => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: display }).format(value);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [h > 0 ? unit(h, 'hour') : '', m > 0 || h === 0 ? unit(m, 'minute') : ''].filter(Boolean);
  return new Intl.ListFormat(language, { type: 'unit', style: 'narrow' }).format(parts);
}

/** Each status's colour, among the console's status badges (contrast checked). */
const COLOUR: Record<string, string> = {
  OPEN: 'intake',
  ASSIGNED: 'monitoring',
  DONE: 'active',
  CANCELLED: 'closed',
  OFFERED: 'intake',
  ACCEPTED: 'active',
  DECLINED: 'closed',
  CLOSED: 'closed',
  PENDING: 'monitoring',
  APPROVED: 'active',
  REJECTED: 'closed',
};

/**
 * Where a task takes place: the place (a school, a clinic…) or else the desk, each with its
 * address, then the municipality. User data isolated.
 */
export function TaskWhere({ territory, desk, place }: { territory: string; desk?: Site | null; place?: Site | null }) {
  const { name: territoryName } = useTerritoryNames();
  const sites = [place, desk].filter((x): x is Site => !!x);
  return (
    <span className="task-where" data-testid="task-where">
      {sites.map((s, i) => (
        <span key={i} className="d-block">
          <bdi className="fw-semibold">{s.name}</bdi>
          {s.address && (
            <>
              {' · '}
              <bdi>{s.address}</bdi>
            </>
          )}
        </span>
      ))}
      <span className="d-block">
        <bdi>{territoryName(territory)}</bdi>
      </span>
    </span>
  );
}

type Site = { name: string; address?: string | null };

export function StatusBadge({ kind, status }: { kind: 'task' | 'offer' | 'hours'; status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-badge status-${COLOUR[status] ?? 'intake'}`} data-status={status}>
      {t(`volunteers.tasks.${kind}Status.${status}`)}
    </span>
  );
}
