// Delegations (staff): lending a volunteer to a requesting body for a period. A volunteer is
// chosen from the register; their delegations are listed, oldest first, and a new one added.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { FormErrors, SelectField, SubmitButton, TextArea, TextField } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import { formatDate } from '../../../i18n';
import { isolate } from '../../../bidi';
import { missingFields, useLoad, useSubmit } from '../../../hooks';
import { today } from '../../../time';
import { TasksAddDelegationMutation, TasksDelegationsQuery } from './operations';
import { NAME_MAX, NOTE_MAX, useVolunteers } from './common';

export default function Delegations() {
  const { t } = useTranslation();
  const volunteers = useVolunteers();
  const [volunteerId, setVolunteerId] = useState('');
  const options = (volunteers.list.data ?? [])
    .filter((v) => v.status === 'ACTIVE' || v.status === 'SUSPENDED')
    .map((v) => ({ value: v.id, label: isolate(`${v.givenNames} ${v.familyNames}`) }));
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('volunteers.tasks.delegations.title')}</h1>
      </div>
      <p>{t('volunteers.tasks.delegations.help')}</p>
      {volunteers.list.error && <LoadError error={volunteers.list.error} />}
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField
            label={t('volunteers.tasks.delegations.volunteer')}
            value={volunteerId}
            onChange={setVolunteerId}
            placeholder={t('common.choose')}
            options={options}
          />
        </div>
      </div>
      {volunteers.list.data && options.length === 0 && (
        <EmptyState title={t('volunteers.tasks.delegations.noVolunteers')}>{t('volunteers.tasks.delegations.noVolunteersHelp')}</EmptyState>
      )}
      {volunteerId && <OfVolunteer key={volunteerId} volunteerId={volunteerId} name={volunteers.name(volunteerId) ?? ''} />}
    </>
  );
}

function OfVolunteer({ volunteerId, name }: { volunteerId: string; name: string }) {
  const { t } = useTranslation();
  const list = useLoad(() => request(TasksDelegationsQuery, { volunteerId }), [volunteerId]);
  const form = useSubmit(['body', 'from', 'to', 'note']);
  const [body, setBody] = useState('');
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const submit = async () => {
    const missing = missingFields({ body, from, to }, t('errors.reasons.REQUIRED'));
    // The API's rule on the period, with the missing fields: `to` not before `from`.
    if (from && to && to < from) missing.push({ field: 'to', code: 'INVALID_INPUT', reason: 'PERIOD_REVERSED', local: true, message: t('errors.reasons.PERIOD_REVERSED') });
    if (missing.length > 0) {
      form.setErrors(missing);
      return;
    }
    const done = await form.run(() =>
      request(TasksAddDelegationMutation, { input: { volunteerId, body: body.trim(), from, to, note: note.trim() || null } }),
    );
    if (done) {
      setBody('');
      setTo('');
      setNote('');
      list.reload();
    }
  };
  const rows = list.data?.delegations ?? [];
  return (
    <>
      <section className="case-section" aria-labelledby="delegations-list">
        <h2 id="delegations-list" className="h4">
          {t('volunteers.tasks.delegations.of', { name: isolate(name) })}
        </h2>
        {list.loading && <Loading />}
        {list.error && <LoadError error={list.error} />}
        {!list.loading && !list.error && rows.length === 0 && <p className="text-muted">{t('volunteers.tasks.delegations.empty')}</p>}
        {rows.length > 0 && (
          <ul className="p-0 list-unstyled item-list" data-testid="delegations">
            {rows.map((d) => (
              <li key={d.id} className="py-1 border-bottom">
                <bdi className="fw-semibold">{d.body}</bdi>
                <span className="d-block small">{t('volunteers.tasks.delegations.period', { from: formatDate(d.from), to: formatDate(d.to) })}</span>
                {d.note && (
                  <span className="d-block small text-muted">
                    <bdi>{d.note}</bdi>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="form-panel" aria-labelledby="delegation-new">
        <div className="form-panel-body">
          <h2 id="delegation-new" className="h4">
            {t('volunteers.tasks.delegations.new')}
          </h2>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <TextField label={t('volunteers.tasks.delegations.body')} value={body} onChange={setBody} maxLength={NAME_MAX} required error={form.fieldError('body')} hint={t('volunteers.tasks.delegations.bodyHint')} />
            <div className="row">
              <div className="col-12 col-md-6">
                <TextField type="date" label={t('volunteers.tasks.delegations.from')} value={from} onChange={setFrom} required error={form.fieldError('from')} />
              </div>
              <div className="col-12 col-md-6">
                <TextField type="date" label={t('volunteers.tasks.delegations.to')} value={to} onChange={setTo} min={from} required error={form.fieldError('to')} />
              </div>
            </div>
            <TextArea label={t('volunteers.tasks.delegations.note')} value={note} onChange={setNote} maxLength={NOTE_MAX} error={form.fieldError('note')} />
            <FormErrors errors={form.general} />
            <SubmitButton busy={form.busy}>{t('volunteers.tasks.delegations.add')}</SubmitButton>
          </form>
        </div>
      </section>
    </>
  );
}
