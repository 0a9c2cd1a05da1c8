// Requests for help (staff): the tenant's tasks by status, "load more" on the connection, and
// the request form. The form shares with volunteers only what the operator chooses: by default
// the person's first name and language, nothing else.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { CheckField, FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../../components/Form';
import { LoadMore, usePaged } from '../../../components/Paged';
import { CodePicker } from '../../../components/Picker';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { TaskStatus } from '../../../gql/graphql';
import { isolate } from '../../../bidi';
import { missingFields, useLoad, useSubmit, namePastDates } from '../../../hooks';
import { useIsoNames, useLanguageOptions } from '../../../iso';
import { useTerritoryNames } from '../../../territories';
import { localInput, withOffset } from '../../../time';
import { TasksDesksQuery, TasksListQuery, TasksRequestMutation } from './operations';
import { NAME_MAX, NOTE_MAX, StatusBadge, TASK_STATUSES, useSkillName, useSkills, useWindow } from './common';

export default function TaskList() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [showForm, setShowForm] = useState(false);
  const skillName = useSkillName();
  const windowOf = useWindow();
  const { language } = useIsoNames();
  const { name: territoryName } = useTerritoryNames();

  const tasks = usePaged(async (after) => (await request(TasksListQuery, { after, status: (status || null) as TaskStatus | null })).tasks, [status]);
  const { rows, loading, error } = tasks;

  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('volunteers.tasks.list.title')}</h1>
        {!showForm && (
          <button type="button" className="btn btn-primary" onClick={() => setShowForm(true)}>
            {t('volunteers.tasks.list.new')}
          </button>
        )}
      </div>
      {showForm && <RequestForm onCancel={() => setShowForm(false)} />}
      <form className="filters row g-2" aria-label={t('volunteers.tasks.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.tasks.list.status')}
            value={status}
            onChange={setStatus}
            placeholder={t('common.all')}
            options={TASK_STATUSES.map((s) => ({ value: s, label: t(`volunteers.tasks.taskStatus.${s}`) }))}
          />
        </div>
      </form>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && (
        <EmptyState title={status ? t('volunteers.tasks.list.emptyFiltered') : t('volunteers.tasks.list.empty')}>
          {t('volunteers.tasks.list.emptyHelp')}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <ul className="case-list p-0 list-unstyled" data-testid="task-list">
          {rows.map((task) => (
            <li key={task.id} className="case-row">
              <Link to={`/richieste-di-aiuto/${encodeURIComponent(task.id)}`} className="case-link">
                {skillName(task.skill)}
              </Link>
              <StatusBadge kind="task" status={task.status} />
              <span className="text-muted small">
                {windowOf(task.startsAt, task.endsAt)} ·{' '}
                {(task.place ?? task.desk) && (
                  <>
                    <bdi>{(task.place ?? task.desk)!.name}</bdi>
                    {t('common.separator')}
                  </>
                )}
                <bdi>{territoryName(task.territory)}</bdi> · {language(task.language)}
                {task.personFirstName && (
                  <>
                    {' · '}
                    <bdi>{task.personFirstName}</bdi>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {loading && <Loading />}
      <LoadMore list={tasks} />
    </>
  );
}

const FIELDS = ['skill', 'language', 'territory', 'deskId', 'placeId', 'startsAt', 'endsAt', 'involvesMinors', 'personFirstName', 'sharedNote'];

/** The request for help; once stored, its page (matching and offers). */
function RequestForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useSubmit(FIELDS);
  const skills = useSkills();
  const skillName = useSkillName();
  const languageOptions = useLanguageOptions();
  const { language: languageName } = useIsoNames();
  const { territories } = useTerritoryNames();
  const places = useLoad(() => request(TasksDesksQuery), []);
  const [skill, setSkill] = useState('');
  const [language, setLanguage] = useState('');
  const [territory, setTerritory] = useState('');
  const [deskId, setDeskId] = useState('');
  const [placeId, setPlaceId] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [minors, setMinors] = useState(false);
  const [firstName, setFirstName] = useState('');
  const [shareNote, setShareNote] = useState(false);
  const [note, setNote] = useState('');
  const territoryList = territories.data?.territories.nodes ?? [];
  const desks = (places.data?.desks.nodes ?? []).filter((d) => !territory || d.territory.istatCode === territory);
  const placeList = (places.data?.places.nodes ?? []).filter((p) => (deskId ? p.desk.id === deskId : desks.some((d) => d.id === p.desk.id)));
  const now = localInput(Date.now());

  const submit = async () => {
    // Every field the request needs, named at once; the server is asked only with all of them.
    const missing = missingFields({ skill, language, territory, startsAt, endsAt }, t('errors.reasons.REQUIRED'));
    // What the form knows of the times, in the same answer: a start already past, an end not after it.
    if (startsAt && startsAt < now) missing.push({ field: 'startsAt', code: 'INVALID_INPUT', local: true, message: t('errors.PAST_TIME') });
    if (startsAt && endsAt && endsAt <= startsAt) {
      missing.push({ field: 'endsAt', code: 'INVALID_INPUT', reason: 'PERIOD_REVERSED', local: true, message: t('errors.reasons.PERIOD_REVERSED') });
    }
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(async () => {
      try {
        return await request(TasksRequestMutation, {
          input: {
            skill,
            language,
            territory,
            deskId: deskId || null,
            placeId: placeId || null,
            startsAt: withOffset(startsAt),
            endsAt: withOffset(endsAt),
            involvesMinors: minors,
            personFirstName: firstName.trim() || null,
            sharedNote: shareNote ? note.trim() || null : null,
          },
        });
      } catch (e) {
        throw namePastDates(e, { startsAt: { value: startsAt, min: now } });
      }
    });
    if (done) navigate(`/richieste-di-aiuto/${encodeURIComponent(done.requestTask.id)}`);
  };

  // What a volunteer offered the task will read about the person.
  const shared = [
    firstName.trim() ? t('volunteers.tasks.form.sharedFirstName', { name: isolate(firstName.trim()) }) : null,
    language ? t('volunteers.tasks.form.sharedLanguage', { language: languageName(language) }) : null,
    minors ? t('volunteers.tasks.form.sharedMinors') : null,
    shareNote && note.trim() ? t('volunteers.tasks.form.sharedNoteShown') : null,
  ].filter((x): x is string => !!x);

  return (
    <section className="form-panel mb-4" aria-labelledby="task-request-title">
      <div className="form-panel-body">
        <h2 id="task-request-title" className="h4">
          {t('volunteers.tasks.form.title')}
        </h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="row">
            <div className="col-12 col-md-6">
              <SelectField
                label={t('volunteers.tasks.form.skill')}
                value={skill}
                onChange={setSkill}
                placeholder={t('common.choose')}
                required
                options={(skills.data?.skills ?? []).filter((s) => !s.retired).map((s) => ({ value: s.code, label: skillName(s.code, s.label) }))}
                error={form.fieldError('skill')}
              />
            </div>
            <div className="col-12 col-md-6">
              <CodePicker
                label={t('volunteers.tasks.form.language')}
                options={languageOptions}
                value={language}
                onChange={setLanguage}
                required
                hint={t('volunteers.tasks.form.languageHint')}
                error={form.fieldError('language')}
              />
            </div>
            <div className="col-12 col-md-4">
              <SelectField
                label={t('volunteers.tasks.form.territory')}
                value={territory}
                onChange={(v) => {
                  setTerritory(v);
                  setDeskId('');
                  setPlaceId('');
                }}
                placeholder={t('common.choose')}
                required
                options={territoryList.map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
                error={form.fieldError('territory')}
              />
            </div>
            <div className="col-12 col-md-4">
              <SelectField
                label={t('volunteers.tasks.form.desk')}
                value={deskId}
                onChange={(v) => {
                  setDeskId(v);
                  setPlaceId('');
                }}
                placeholder={t('common.none')}
                options={desks.map((d) => ({ value: d.id, label: isolate(d.name) }))}
                error={form.fieldError('deskId')}
              />
            </div>
            <div className="col-12 col-md-4">
              <SelectField
                label={t('volunteers.tasks.form.place')}
                value={placeId}
                onChange={setPlaceId}
                placeholder={t('common.none')}
                options={placeList.map((p) => ({ value: p.id, label: isolate(p.name) }))}
                error={form.fieldError('placeId')}
              />
            </div>
            <div className="col-12 col-md-6">
              <TextField
                type="datetime-local"
                label={t('volunteers.tasks.form.startsAt')}
                value={startsAt}
                onChange={setStartsAt}
                min={now}
                required
                error={form.fieldError('startsAt')}
              />
            </div>
            <div className="col-12 col-md-6">
              <TextField
                type="datetime-local"
                label={t('volunteers.tasks.form.endsAt')}
                value={endsAt}
                onChange={setEndsAt}
                min={startsAt || now}
                required
                hint={t('volunteers.tasks.form.endsAtHint')}
                error={form.fieldError('endsAt')}
              />
            </div>
          </div>
          <CheckField label={t('volunteers.tasks.form.minors')} checked={minors} onChange={setMinors} />
          <fieldset className="mt-3 p-3 border rounded" data-testid="shared-data">
            <legend className="fs-6 fw-semibold float-none w-auto px-1 mb-1">{t('volunteers.tasks.form.sharedTitle')}</legend>
            <p className="small mb-2">{t('volunteers.tasks.form.sharedHelp')}</p>
            <TextField
              label={t('volunteers.tasks.form.firstName')}
              value={firstName}
              onChange={setFirstName}
              maxLength={NAME_MAX}
              hint={t('volunteers.tasks.form.firstNameHint')}
              error={form.fieldError('personFirstName')}
            />
            <CheckField label={t('volunteers.tasks.form.shareNote')} checked={shareNote} onChange={setShareNote} />
            {shareNote && (
              <TextArea
                label={t('volunteers.tasks.form.note')}
                value={note}
                onChange={setNote}
                maxLength={NOTE_MAX}
                hint={t('volunteers.tasks.form.noteHint')}
                error={form.fieldError('sharedNote')}
              />
            )}
            <div className="small mt-2" data-testid="shared-summary" aria-live="polite">
              <p className="fw-semibold mb-1">{t('volunteers.tasks.form.sharedSummary')}</p>
              {shared.length === 0 ? (
                <p className="mb-0">{t('volunteers.tasks.form.sharedNothing')}</p>
              ) : (
                <ul className="mb-0">
                  {shared.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              )}
              <p className="mb-0 mt-1 text-muted">{t('volunteers.tasks.form.neverShared')}</p>
            </div>
          </fieldset>
          <FormErrors errors={form.general} />
          <div className="d-flex gap-2 flex-wrap mt-3">
            <SubmitButton busy={form.busy}>{t('volunteers.tasks.form.submit')}</SubmitButton>
            <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
              {t('volunteers.tasks.cancel')}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
