// The tenant's skills (`/volontari/competenze`): the defaults and its own, retired ones
// included; administrators and coordinators add, retire and restore them. A retired skill is
// no longer offered, and volunteers who have it keep it.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { ConfirmButton } from '../../../components/Confirm';
import { FormErrors, SubmitButton, TextField } from '../../../components/Form';
import { LoadError, Loading } from '../../../components/States';
import { useLoad, useSubmit } from '../../../hooks';
import { isolate } from '../../../bidi';
import { RegisterAddSkillMutation, RegisterRestoreSkillMutation, RegisterRetireSkillMutation, RegisterTaxonomyQuery } from './operations';
import { useSkillName } from './shared';

export default function Skills() {
  const { t } = useTranslation();
  const skillName = useSkillName();
  const taxonomy = useLoad(() => request(RegisterTaxonomyQuery), []);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const form = useSubmit(['code', 'label']);
  const toggle = useSubmit([]);
  const skills = taxonomy.data?.skills ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await form.run(() => request(RegisterAddSkillMutation, { input: { code: code.trim(), label: label.trim() } }));
    if (done) {
      setCode('');
      setLabel('');
      taxonomy.reload();
    }
  };

  return (
    <>
      <p>
        <Link to="/volontari">{t('volunteers.register.queue.back')}</Link>
      </p>
      <h1 className="h2">{t('volunteers.register.skills.title')}</h1>
      <p className="lead">{t('volunteers.register.skills.intro')}</p>
      <div className="row g-4">
        <div className="col-12 col-lg-7">
          <h2 className="h4">{t('volunteers.register.skills.current')}</h2>
          {taxonomy.loading && !taxonomy.data && <Loading />}
          {taxonomy.error && <LoadError error={taxonomy.error} />}
          <ul className="list-unstyled item-list" data-testid="skill-list">
            {skills.map((s) => {
              const name = skillName(s.code, skills);
              return (
                <li key={s.code} data-testid={`skill-${s.code}`} className="d-flex flex-wrap justify-content-between align-items-center gap-2">
                  <span>
                    <strong>
                      <bdi>{name}</bdi>
                    </strong>{' '}
                    · <bdi className="font-monospace">{s.code}</bdi>
                    {s.default && <span className="badge bg-light text-dark ms-2">{t('volunteers.register.skills.default')}</span>}
                    {s.retired && <span className="badge bg-secondary ms-2">{t('volunteers.register.skills.retired')}</span>}
                  </span>
                  {s.retired ? (
                    <button
                      type="button"
                      className="btn btn-outline-success btn-xs"
                      disabled={toggle.busy}
                      aria-label={t('volunteers.register.skills.restoreNamed', { name: isolate(name) })}
                      onClick={async () => {
                        if (await toggle.run(() => request(RegisterRestoreSkillMutation, { code: s.code }))) taxonomy.reload();
                      }}
                    >
                      {t('volunteers.register.skills.restore')}
                    </button>
                  ) : (
                    <ConfirmButton
                      ariaLabel={t('volunteers.register.skills.retireNamed', { name: isolate(name) })}
                      disabled={toggle.busy}
                      confirmation={{
                        title: t('volunteers.register.skills.retireTitle'),
                        body: t('volunteers.register.skills.retireBody', { name: isolate(name) }),
                        confirm: t('volunteers.register.skills.retireYes'),
                      }}
                      onConfirm={async () => {
                        if (await toggle.run(() => request(RegisterRetireSkillMutation, { code: s.code }))) taxonomy.reload();
                      }}
                    >
                      {t('volunteers.register.skills.retire')}
                    </ConfirmButton>
                  )}
                </li>
              );
            })}
          </ul>
          <FormErrors errors={toggle.general} />
        </div>
        <div className="col-12 col-lg-5">
          <h2 className="h4">{t('volunteers.register.skills.add')}</h2>
          <form onSubmit={submit} noValidate data-testid="skill-form">
            <TextField label={t('volunteers.register.skills.label')} value={label} onChange={setLabel} error={form.fieldError('label')} required />
            <TextField
              label={t('volunteers.register.skills.code')}
              value={code}
              onChange={setCode}
              hint={t('volunteers.register.skills.codeHint')}
              error={form.fieldError('code')}
              autoComplete="off"
              required
            />
            <FormErrors errors={form.general} />
            <SubmitButton busy={form.busy}>{t('volunteers.register.skills.submit')}</SubmitButton>
          </form>
        </div>
      </div>
    </>
  );
}
