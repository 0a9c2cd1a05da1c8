// Pieces shared by the register's screens: statuses and their steps, skill names, the status
// history, the languages of the public form and the availability editor.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorItem } from '../../../api/client';
import { Feedback } from '../../../components/Form';
import { formatDate } from '../../../i18n';
import { isolate } from '../../../bidi';
import { useSession } from '../../../session';
import { useShapeErrors } from '../../../hooks';
import type { VolunteerStatus } from '../../../gql/graphql';

export const STATUSES: VolunteerStatus[] = ['SUBMITTED', 'UNDER_REVIEW', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN'];

/** The steps staff may take from each status (docs/api.md, "Volunteers register"). */
export const NEXT: Record<VolunteerStatus, VolunteerStatus[]> = {
  SUBMITTED: ['UNDER_REVIEW', 'WITHDRAWN'],
  UNDER_REVIEW: ['ACTIVE', 'WITHDRAWN'],
  ACTIVE: ['SUSPENDED', 'WITHDRAWN'],
  SUSPENDED: ['ACTIVE', 'WITHDRAWN'],
  WITHDRAWN: [],
};

export const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NATIVE'] as const;

export type Skill = { code: string; label?: string | null; default: boolean; retired: boolean };

/** A skill's name: the tenant's own wording, or the console's translation of a default code. */
export function useSkillName() {
  const { t } = useTranslation();
  return (code: string, skills: Skill[] = []) => {
    const own = skills.find((s) => s.code === code)?.label;
    if (own) return own;
    return t(`volunteers.register.skill.${code}`, { defaultValue: code });
  };
}

/** Whether the viewer decides on volunteers (administrators and coordinators). */
export function useDecides(): boolean {
  const { hasRole } = useSession();
  return hasRole('TENANT_ADMIN', 'COORDINATOR');
}

export function StatusBadge({ status }: { status: VolunteerStatus }) {
  const { t } = useTranslation();
  const color: Record<VolunteerStatus, string> = {
    SUBMITTED: 'bg-primary',
    UNDER_REVIEW: 'bg-warning text-dark',
    ACTIVE: 'bg-success',
    SUSPENDED: 'bg-secondary',
    WITHDRAWN: 'bg-dark',
  };
  return (
    <span className={`badge status-badge ${color[status]}`} data-testid="volunteer-status">
      {t(`volunteers.register.status.${status}`)}
    </span>
  );
}

export type Step = { status: VolunteerStatus; byUserId?: string | null; at: string; note?: string | null };

/** Every step of a volunteer's status, oldest first: what, who and when. */
export function History({ steps }: { steps: Step[] }) {
  const { t } = useTranslation();
  const { viewer } = useSession();
  const who = (s: Step) => {
    if (!s.byUserId) return t('volunteers.register.history.publicForm');
    if (viewer && s.byUserId === viewer.user.id) return t('volunteers.register.history.you', { name: isolate(viewer.user.displayName) });
    return t('volunteers.register.history.staff');
  };
  return (
    <ol className="list-unstyled small mb-0" data-testid="volunteer-history">
      {steps.map((s, i) => (
        <li key={i}>
          {t('volunteers.register.history.step', { status: t(`volunteers.register.status.${s.status}`), who: who(s), when: formatDate(s.at, true) })}
          {s.note && (
            <>
              {' — '}
              <bdi>{s.note}</bdi>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Languages offered on the public form (the full list needs an account): those most asked of
 * the programmes' volunteers, named in the console's language. */
export const PUBLIC_LANGUAGES = [
  'it', 'en', 'fr', 'es', 'pt', 'de', 'ar', 'ro', 'sq', 'uk', 'ru', 'zh', 'bn', 'ur', 'hi', 'pa',
  'fa', 'ps', 'tr', 'ku', 'ti', 'am', 'so', 'wo', 'ff', 'tl', 'ha', 'bm', 'sr', 'pl',
];

export function languageName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export type SpokenLanguage = { code: string; level: string };

/** The languages of the public form: a language and its level per row, rows added and removed. */
export function PublicLanguages({ values, onChange, error }: { values: SpokenLanguage[]; onChange: (v: SpokenLanguage[]) => void; error?: ApiErrorItem }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const options = PUBLIC_LANGUAGES.map((code) => ({ code, name: languageName(code, i18n.language) })).sort((a, b) => a.name.localeCompare(b.name, i18n.language));
  const set = (i: number, patch: Partial<SpokenLanguage>) => onChange(values.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <fieldset className="mb-3" aria-describedby={error ? `${id}-error` : undefined} data-testid="languages">
      <legend className="fs-6 fw-semibold mb-2">{t('volunteers.register.form.languages')}</legend>
      {values.map((v, i) => (
        <div key={i} className="row g-2 align-items-end mb-2">
          <div className="col-12 col-sm-6">
            <label htmlFor={`${id}-l${i}`} className="form-label small">
              {t('volunteers.register.form.language', { n: i + 1 })}
            </label>
            <select id={`${id}-l${i}`} className="form-select" value={v.code} onChange={(e) => set(i, { code: e.target.value })}>
              <option value="">{t('common.choose')}</option>
              {options.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="col-8 col-sm-4">
            <label htmlFor={`${id}-v${i}`} className="form-label small">
              {t('volunteers.register.form.level', { n: i + 1 })}
            </label>
            <select id={`${id}-v${i}`} className="form-select" value={v.level} onChange={(e) => set(i, { level: e.target.value })}>
              <option value="">{t('common.choose')}</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`volunteers.register.level.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="col-4 col-sm-2">
            <button type="button" className="btn btn-outline-danger btn-sm w-100" onClick={() => onChange(values.filter((_, j) => j !== i))}>
              {t('volunteers.register.form.remove')}
              <span className="visually-hidden"> {t('volunteers.register.form.language', { n: i + 1 })}</span>
            </button>
          </div>
        </div>
      ))}
      <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => onChange([...values, { code: '', level: '' }])}>
        {t('volunteers.register.form.addLanguage')}
      </button>
      <Feedback id={id} error={error} />
    </fieldset>
  );
}

export type Slot = { weekday: number; from: string; to: string };
export type DayException = { on: string; slots: Slot[] };
export type AvailabilityValue = { weekly: Slot[]; exceptions: DayException[] };

/** `HH:MM` of a server time (`HH:MM:SS`). */
export const hm = (time: unknown) => String(time).slice(0, 5);
/** A typed `HH:MM` as the server's time. */
const hms = (time: string) => (/^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time);

/** The availability as loaded, for the editor (times as `HH:MM`). */
export type LoadedAvailability = {
  weekly: { weekday: number; from: unknown; to: unknown }[];
  exceptions: { on: string; slots: { weekday: number; from: unknown; to: unknown }[] }[];
};

export function availabilityOf(a: LoadedAvailability): AvailabilityValue {
  return {
    weekly: a.weekly.map((s) => ({ weekday: s.weekday, from: hm(s.from), to: hm(s.to) })),
    exceptions: a.exceptions.map((e) => ({ on: e.on, slots: e.slots.map((s) => ({ weekday: s.weekday, from: hm(s.from), to: hm(s.to) })) })),
  };
}

/** The availability as the server takes it. */
export function availabilityInput(a: AvailabilityValue) {
  return {
    weekly: a.weekly.map((s) => ({ weekday: s.weekday, from: hms(s.from), to: hms(s.to) })),
    exceptions: a.exceptions.map((e) => ({ on: e.on, slots: e.slots.map((s) => ({ weekday: 1, from: hms(s.from), to: hms(s.to) })) })),
  };
}

function TimeInput({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="form-label small mb-0">
        {label}
      </label>
      <input id={id} type="time" className="form-control" value={value} onChange={(e) => onChange(e.target.value)} />
    </>
  );
}

function SlotRow({ slot, n, withDay, onChange, onRemove }: { slot: Slot; n: number; withDay: boolean; onChange: (s: Slot) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="row g-2 align-items-end mb-2 slot-row" data-testid="slot-row">
      {withDay && (
        <div className="col-12 col-sm-4">
          <label htmlFor={id} className="form-label small mb-0">
            {t('volunteers.register.availability.weekday', { n })}
          </label>
          <select id={id} className="form-select" value={slot.weekday} onChange={(e) => onChange({ ...slot, weekday: Number(e.target.value) })}>
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <option key={d} value={d}>
                {t(`volunteers.register.weekday.${d}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className={withDay ? 'col-4 col-sm-3' : 'col-4'}>
        <TimeInput label={t('volunteers.register.availability.from', { n })} value={slot.from} onChange={(from) => onChange({ ...slot, from })} />
      </div>
      <div className={withDay ? 'col-4 col-sm-3' : 'col-4'}>
        <TimeInput label={t('volunteers.register.availability.to', { n })} value={slot.to} onChange={(to) => onChange({ ...slot, to })} />
      </div>
      <div className={withDay ? 'col-4 col-sm-2' : 'col-4'}>
        <button type="button" className="btn btn-outline-danger btn-sm w-100" onClick={onRemove}>
          {t('volunteers.register.form.remove')}
          <span className="visually-hidden"> {t('volunteers.register.availability.slot', { n })}</span>
        </button>
      </div>
    </div>
  );
}

/** Weekly slots and date exceptions, one row each, stacked on a phone. */
export function AvailabilityEditor({ value, onChange, error }: { value: AvailabilityValue; onChange: (v: AvailabilityValue) => void; error?: ApiErrorItem }) {
  const { t } = useTranslation();
  const id = useId();
  const setWeekly = (weekly: Slot[]) => onChange({ ...value, weekly });
  const setExceptions = (exceptions: DayException[]) => onChange({ ...value, exceptions });
  return (
    <fieldset className="mb-3" aria-describedby={error ? `${id}-error` : undefined} data-testid="availability-editor">
      <legend className="fs-6 fw-semibold mb-1">{t('volunteers.register.availability.title')}</legend>
      <p className="small mb-2">{t('volunteers.register.availability.help')}</p>
      <h3 className="h6">{t('volunteers.register.availability.weekly')}</h3>
      {value.weekly.length === 0 && <p className="small">{t('volunteers.register.availability.noWeekly')}</p>}
      {value.weekly.map((s, i) => (
        <SlotRow
          key={i}
          slot={s}
          n={i + 1}
          withDay
          onChange={(slot) => setWeekly(value.weekly.map((x, j) => (j === i ? slot : x)))}
          onRemove={() => setWeekly(value.weekly.filter((_, j) => j !== i))}
        />
      ))}
      <button type="button" className="btn btn-outline-primary btn-sm mb-3" onClick={() => setWeekly([...value.weekly, { weekday: 1, from: '09:00', to: '12:00' }])}>
        {t('volunteers.register.availability.addSlot')}
      </button>
      <h3 className="h6">{t('volunteers.register.availability.exceptions')}</h3>
      {value.exceptions.length === 0 && <p className="small">{t('volunteers.register.availability.noExceptions')}</p>}
      {value.exceptions.map((e, i) => (
        <ExceptionRow
          key={i}
          n={i + 1}
          value={e}
          onChange={(x) => setExceptions(value.exceptions.map((y, j) => (j === i ? x : y)))}
          onRemove={() => setExceptions(value.exceptions.filter((_, j) => j !== i))}
        />
      ))}
      <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setExceptions([...value.exceptions, { on: '', slots: [] }])}>
        {t('volunteers.register.availability.addException')}
      </button>
      <Feedback id={id} error={error} />
    </fieldset>
  );
}

function ExceptionRow({ n, value, onChange, onRemove }: { n: number; value: DayException; onChange: (v: DayException) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const allDay = value.slots.length === 0;
  return (
    <div className="border rounded p-2 mb-2" data-testid="exception-row">
      <div className="row g-2 align-items-end">
        <div className="col-12 col-sm-5">
          <label htmlFor={id} className="form-label small mb-0">
            {t('volunteers.register.availability.day', { n })}
          </label>
          <input id={id} type="date" className="form-control" value={value.on} onChange={(e) => onChange({ ...value, on: e.target.value })} />
        </div>
        <div className="col-8 col-sm-5">
          <div className="form-check mb-1">
            <input
              id={`${id}-all`}
              type="checkbox"
              checked={allDay}
              onChange={(e) => onChange({ ...value, slots: e.target.checked ? [] : [{ weekday: 1, from: '09:00', to: '12:00' }] })}
            />
            <label htmlFor={`${id}-all`}>{t('volunteers.register.availability.allDay', { n })}</label>
          </div>
        </div>
        <div className="col-4 col-sm-2">
          <button type="button" className="btn btn-outline-danger btn-sm w-100" onClick={onRemove}>
            {t('volunteers.register.form.remove')}
            <span className="visually-hidden"> {t('volunteers.register.availability.day', { n })}</span>
          </button>
        </div>
      </div>
      {!allDay && (
        <div className="mt-2">
          {value.slots.map((s, i) => (
            <SlotRow
              key={i}
              slot={s}
              n={i + 1}
              withDay={false}
              onChange={(slot) => onChange({ ...value, slots: value.slots.map((x, j) => (j === i ? slot : x)) })}
              onRemove={() => onChange({ ...value, slots: value.slots.filter((_, j) => j !== i) })}
            />
          ))}
          <button type="button" className="btn btn-outline-primary btn-xs" onClick={() => onChange({ ...value, slots: [...value.slots, { weekday: 1, from: '15:00', to: '18:00' }] })}>
            {t('volunteers.register.availability.addDaySlot')}
          </button>
        </div>
      )}
    </div>
  );
}

/** A short definition list row. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="col-sm-4">{term}</dt>
      <dd className="col-sm-8 mx-0">{children}</dd>
    </>
  );
}

/** The API's limits on a volunteer's text fields (names as any name, contacts). */
export const LIMITS = { name: 200, email: 254, phone: 40 } as const;

type Checked = {
  givenNames?: string;
  familyNames?: string;
  email?: string;
  phone?: string;
  languages?: { code: string; level: string }[];
  availability?: AvailabilityValue;
};

/**
 * What a volunteer's form can tell before asking the server, every field at once: names left
 * empty, neither an e-mail nor a phone, a language without its level (GraphQL would refuse the
 * empty level before the server could name it), a slot without both times or ending before it
 * starts, an exception without its day. Only the keys given are checked.
 */
export function useVolunteerChecks() {
  const { t } = useTranslation();
  const shapes = useShapeErrors();
  return (v: Checked): ApiErrorItem[] => {
    const local = (field: string, message: string): ApiErrorItem => ({ field, code: 'INVALID_INPUT', local: true, message });
    const out: ApiErrorItem[] = [];
    const blank = (s?: string) => !s || !s.trim();
    if (v.givenNames !== undefined && blank(v.givenNames)) out.push(local('givenNames', t('errors.reasons.REQUIRED')));
    if (v.familyNames !== undefined && blank(v.familyNames)) out.push(local('familyNames', t('errors.reasons.REQUIRED')));
    if (v.email !== undefined && v.phone !== undefined && blank(v.email) && blank(v.phone)) out.push(local('email', t('volunteers.register.check.contactMissing')));
    // A contact that cannot be one is named with the rest, not on a second submit.
    out.push(...shapes([...(v.email ? [{ field: 'email', email: v.email }] : []), ...(v.phone ? [{ field: 'phone', phone: v.phone }] : [])]));
    if (v.languages?.some((l) => !l.code || !(LEVELS as readonly string[]).includes(l.level))) {
      out.push(local('languages', t('volunteers.register.check.languageIncomplete')));
    }
    const slotWrong = (s: Slot) => !s.from || !s.to || s.from >= s.to;
    if (v.availability && (v.availability.weekly.some(slotWrong) || v.availability.exceptions.some((e) => !e.on || e.slots.some(slotWrong)))) {
      out.push(local('availability', t('volunteers.register.check.availabilityIncomplete')));
    }
    return out;
  };
}

/** Whether a volunteer's own request was refused because their registration is suspended or
 * withdrawn (`VOLUNTEER_NOT_ACTIVE`). */
export function isNotActive(error: { items: ApiErrorItem[] } | null | undefined): boolean {
  return !!error?.items.some((i) => i.reason === 'VOLUNTEER_NOT_ACTIVE');
}

/** The one message a volunteer whose registration is not active sees instead of their screen. */
export function VolunteerNotActive() {
  const { t } = useTranslation();
  return (
    <div className="alert alert-warning" role="alert" data-testid="volunteer-not-active">
      <h2 className="h5">{t('volunteers.register.notActive.title')}</h2>
      <p className="mb-0">{t('volunteers.register.notActive.body')}</p>
    </div>
  );
}
