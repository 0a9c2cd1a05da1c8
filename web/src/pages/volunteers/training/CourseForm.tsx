// A course or workshop, new or changed: kind, title, audience, planned hours, trainer, places
// and the completion rule. A change is sent at the version it was based on.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request, type ApiErrorItem } from '../../../api/client';
import { FormErrors, SelectField, SubmitButton, TextField } from '../../../components/Form';
import { useSubmit } from '../../../hooks';
import type { CourseAudience, CourseKind } from '../../../gql/graphql';
import { CreateCourseMutation, UpdateCourseMutation } from './operations';
import { useTr } from './shared';
import { formatNumber } from '../../../i18n';

export const KINDS: CourseKind[] = ['COURSE', 'WORKSHOP'];
export const AUDIENCES: CourseAudience[] = ['OPERATORS', 'VOLUNTEERS', 'CITIZENS'];

export interface CourseValues {
  id: string;
  version: number;
  kind: CourseKind;
  title: string;
  audience: CourseAudience;
  plannedMinutes: number;
  trainer: string;
  capacity: number;
  minAttendancePercent: number;
}

/** The API's limit on a course's title and trainer. */
const NAME_MAX = 200;

const FIELDS = ['kind', 'title', 'audience', 'plannedMinutes', 'trainer', 'capacity', 'minAttendancePercent'];

/** A number typed in the form, or NaN (the server names the field). */
function numberOf(typed: string): number {
  const n = Number(typed.trim().replace(',', '.'));
  return typed.trim() === '' ? NaN : n;
}

export function CourseForm({
  course,
  onSaved,
  onCancel,
}: {
  course?: CourseValues;
  onSaved: (id: string) => void;
  onCancel: () => void;
}) {
  const tr = useTr();
  const { t } = useTranslation();
  const [kind, setKind] = useState<string>(course?.kind ?? 'COURSE');
  const [title, setTitle] = useState(course?.title ?? '');
  const [audience, setAudience] = useState<string>(course?.audience ?? 'VOLUNTEERS');
  const [hours, setHours] = useState(course ? String(course.plannedMinutes / 60) : '');
  const [trainer, setTrainer] = useState(course?.trainer ?? '');
  const [capacity, setCapacity] = useState(course ? String(course.capacity) : '');
  const [rule, setRule] = useState(String(course?.minAttendancePercent ?? 75));
  const save = useSubmit(FIELDS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const h = numberOf(hours);
    const cap = numberOf(capacity);
    const pct = numberOf(rule);
    // Every field at fault at once, before asking the server: what is missing, then numbers the
    // form cannot read. The server names the rest (several fields in one answer).
    const local: ApiErrorItem[] = [];
    const named = (field: string, message: string) => local.push({ code: 'INVALID_INPUT', field, message, local: true });
    const required = t('errors.reasons.REQUIRED');
    if (!title.trim()) named('title', required);
    if (!trainer.trim()) named('trainer', required);
    if (!hours.trim()) named('plannedMinutes', required);
    else if (!Number.isFinite(h)) named('plannedMinutes', tr('errors.hoursNumber'));
    if (!capacity.trim()) named('capacity', required);
    else if (!Number.isInteger(cap)) named('capacity', tr('errors.wholeNumber'));
    if (!rule.trim()) named('minAttendancePercent', required);
    else if (!Number.isInteger(pct)) named('minAttendancePercent', tr('errors.wholeNumber'));
    // The API's documented ranges, with the rest, so a first submit names every field at fault
    // (plannedMinutes 1–60000, capacity 1–10000, minAttendancePercent 1–100).
    const range = (min: number, max: number) => t('errors.reasons.OUT_OF_RANGE', { min: formatNumber(min), max: formatNumber(max) });
    const minutes = Math.round(h * 60);
    if (Number.isFinite(h) && (minutes < 1 || minutes > 60000)) named('plannedMinutes', tr('errors.hoursRange'));
    if (Number.isInteger(cap) && (cap < 1 || cap > 10000)) named('capacity', range(1, 10000));
    if (Number.isInteger(pct) && (pct < 1 || pct > 100)) named('minAttendancePercent', range(1, 100));
    local.sort((a, b) => FIELDS.indexOf(a.field ?? '') - FIELDS.indexOf(b.field ?? ''));
    if (local.length > 0) {
      save.setErrors(local);
      return;
    }
    const input = {
      kind: kind as CourseKind,
      title: title.trim(),
      audience: audience as CourseAudience,
      plannedMinutes: Math.round(h * 60),
      trainer: trainer.trim(),
      capacity: cap,
      minAttendancePercent: pct,
    };
    const done = await save.run(async () => {
      try {
        if (course) {
          await request(UpdateCourseMutation, { input: { id: course.id, expectedVersion: course.version, course: input } });
          return course.id;
        }
        return (await request(CreateCourseMutation, { input })).createCourse.id;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        // The planned length is typed in hours: its range is said in hours too.
        throw new ApiError(
          err.items.map((i) =>
            i.field === 'plannedMinutes' && i.code === 'INVALID_INPUT' ? { ...i, message: tr('errors.hoursRange'), local: true } : i,
          ),
        );
      }
    });
    if (done) onSaved(done);
  };

  return (
    <form onSubmit={submit} noValidate data-testid="course-form" className="mb-4">
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField
            label={tr('kind')}
            value={kind}
            onChange={setKind}
            options={KINDS.map((k) => ({ value: k, label: tr(`kinds.${k}`) }))}
            error={save.fieldError('kind')}
            required
          />
        </div>
        <div className="col-12 col-md-6">
          <SelectField
            label={tr('audience')}
            value={audience}
            onChange={setAudience}
            options={AUDIENCES.map((a) => ({ value: a, label: tr(`audiences.${a}`) }))}
            error={save.fieldError('audience')}
            required
          />
        </div>
        <div className="col-12">
          <TextField label={tr('courseTitle')} value={title} onChange={setTitle} error={save.fieldError('title')} required maxLength={NAME_MAX} />
        </div>
        <div className="col-12 col-md-6">
          <TextField label={tr('trainer')} value={trainer} onChange={setTrainer} error={save.fieldError('trainer')} required maxLength={NAME_MAX} />
        </div>
        <div className="col-6 col-md-3">
          <TextField
            label={tr('plannedHours')}
            value={hours}
            onChange={setHours}
            type="number"
            min="0"
            error={save.fieldError('plannedMinutes')}
            required
          />
        </div>
        <div className="col-6 col-md-3">
          <TextField
            label={tr('capacity')}
            value={capacity}
            onChange={setCapacity}
            type="number"
            min="1"
            error={save.fieldError('capacity')}
            hint={tr('capacityHint')}
            required
          />
        </div>
        <div className="col-12 col-md-6">
          <TextField
            label={tr('rule')}
            value={rule}
            onChange={setRule}
            type="number"
            min="1"
            max="100"
            error={save.fieldError('minAttendancePercent')}
            hint={tr('ruleHint')}
            required
          />
        </div>
      </div>
      <FormErrors errors={save.general} />
      <div className="d-flex flex-wrap gap-2">
        <SubmitButton busy={save.busy}>{course ? tr('saveCourse') : tr('createCourse')}</SubmitButton>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {tr('cancel')}
        </button>
      </div>
    </form>
  );
}
