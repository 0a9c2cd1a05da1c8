// The register (`/volontari`): every volunteer of the tenant, filtered by status, skill and
// municipality, a page at a time; the link of the tenant's public application form.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { SelectField } from '../../../components/Form';
import { LoadMore, usePaged } from '../../../components/Paged';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import { useLoad } from '../../../hooks';
import { useSession } from '../../../session';
import { isolate } from '../../../bidi';
import { formatDate } from '../../../i18n';
import type { VolunteerStatus } from '../../../gql/graphql';
import { RegisterListQuery, RegisterTaxonomyQuery } from './operations';
import { STATUSES, StatusBadge, useDecides, useSkillName } from './shared';

const PAGE = 20;

/** The address of the tenant's public application form. */
export function publicFormLink(tenantId: string): string {
  return `${window.location.origin}/candidatura/${encodeURIComponent(tenantId)}`;
}

export default function RegisterList() {
  const { t } = useTranslation();
  const { viewer } = useSession();
  const decides = useDecides();
  const skillName = useSkillName();
  const [status, setStatus] = useState('');
  const [skill, setSkill] = useState('');
  const [territory, setTerritory] = useState('');
  const taxonomy = useLoad(() => request(RegisterTaxonomyQuery), []);
  const filters = { status: (status || null) as VolunteerStatus | null, skill: skill || null, territory: territory || null };
  const list = usePaged(async (after) => (await request(RegisterListQuery, { first: PAGE, after, ...filters })).volunteers, [status, skill, territory]);

  const skills = taxonomy.data?.skills ?? [];
  const territories = taxonomy.data?.territories.nodes ?? [];
  const townName = (code: string) => territories.find((x) => x.istatCode === code)?.name ?? code;
  const rows = list.rows;
  const link = viewer?.activeTenant ? publicFormLink(viewer.activeTenant.id) : '';

  return (
    <>
      <h1 className="h2">{t('volunteers.register.list.title')}</h1>
      <p className="lead">{t('volunteers.register.list.intro')}</p>
      <div className="d-flex flex-wrap gap-2 mb-3">
        <Link to="/volontari/candidature" className="btn btn-primary btn-sm">
          {t('volunteers.register.list.queue')}
        </Link>
        <Link to="/volontari/nuovo" className="btn btn-outline-primary btn-sm">
          {t('volunteers.register.list.add')}
        </Link>
        {decides && (
          <Link to="/volontari/competenze" className="btn btn-outline-primary btn-sm">
            {t('volunteers.register.list.skills')}
          </Link>
        )}
      </div>
      {link && (
        <div className="callout note mb-4 p-3 border rounded" data-testid="public-form-link">
          <p className="fw-semibold mb-1">{t('volunteers.register.list.publicForm')}</p>
          <p className="small mb-2">{t('volunteers.register.list.publicFormHelp')}</p>
          <label htmlFor="public-form-link" className="visually-hidden">
            {t('volunteers.register.list.publicForm')}
          </label>
          <input id="public-form-link" className="form-control" readOnly dir="ltr" value={link} onFocus={(e) => e.target.select()} />
        </div>
      )}
      <form className="row g-2" role="search" aria-label={t('volunteers.register.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.register.list.status')}
            value={status}
            onChange={setStatus}
            placeholder={t('common.all')}
            options={STATUSES.map((s) => ({ value: s, label: t(`volunteers.register.status.${s}`) }))}
          />
        </div>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.register.list.skill')}
            value={skill}
            onChange={setSkill}
            placeholder={t('common.all')}
            options={skills.map((s) => ({ value: s.code, label: isolate(skillName(s.code, skills)) }))}
          />
        </div>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.register.list.territory')}
            value={territory}
            onChange={setTerritory}
            placeholder={t('common.all')}
            options={territories.map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          />
        </div>
      </form>
      {list.error && <LoadError error={list.error} />}
      {!list.loading && !list.error && rows.length === 0 && (
        <EmptyState title={t('volunteers.register.list.empty')}>{status || skill || territory ? t('volunteers.register.list.emptyFiltered') : t('volunteers.register.list.emptyHelp')}</EmptyState>
      )}
      <ul className="list-unstyled item-list" data-testid="volunteer-list" aria-busy={list.loading || undefined}>
        {rows.map((v) => (
          <li key={v.id} data-testid="volunteer-row" className="d-flex flex-wrap justify-content-between gap-2">
            <span>
              <Link to={`/volontari/${encodeURIComponent(v.id)}`} className="fw-semibold">
                <bdi>{`${v.givenNames} ${v.familyNames}`}</bdi>
              </Link>{' '}
              <StatusBadge status={v.status} />
              <br />
              <span className="small">
                {v.skills.map((c) => skillName(c, skills)).map((n, i) => (
                  <span key={i}>
                    {i > 0 && t('common.separator')}
                    <bdi>{n}</bdi>
                  </span>
                ))}
                {v.skills.length > 0 && v.territories.length > 0 && ' · '}
                {v.territories.map((c, i) => (
                  <span key={c}>
                    {i > 0 && t('common.separator')}
                    <bdi>{townName(c)}</bdi>
                  </span>
                ))}
              </span>
            </span>
            <span className="small">{t('volunteers.register.list.since', { date: formatDate(v.createdAt) })}</span>
          </li>
        ))}
      </ul>
      {list.loading && <Loading />}
      <LoadMore list={list} />
    </>
  );
}
