// Collaboration pacts (staff): the tenant's pacts by the status they read today and by
// municipality, "load more" on the connection.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { LoadMore, usePaged } from '../../../components/Paged';
import { SelectField } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { PactStatus, PactsListQuery as Result } from '../../../gql/graphql';
import { isolate } from '../../../bidi';
import { useTerritoryNames } from '../../../territories';
import { PactsListQuery } from './operations';
import { PACT_STATUSES, PactBadge, usePeriod, useRenewedUntil } from './common';
import { useSession } from '../../../session';

type Row = Result['pacts']['nodes'][number];

export default function PactList() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [municipality, setMunicipality] = useState('');
  const { name: territoryName, territories } = useTerritoryNames();
  const period = usePeriod();
  const renewedUntil = useRenewedUntil();
  const { viewer } = useSession();
  const tenantId = viewer?.activeTenant?.id;

  const pacts = usePaged<Row>(
    async (after) =>
      (await request(PactsListQuery, { after, status: (status || null) as PactStatus | null, municipality: municipality || null })).pacts,
    [status, municipality],
  );
  const { rows, loading, error } = pacts;

  const filtered = status || municipality;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('volunteers.pacts.list.title')}</h1>
        <Link to="/patti/nuovo" className="btn btn-primary">
          {t('volunteers.pacts.list.new')}
        </Link>
      </div>
      <p>{t('volunteers.pacts.list.help')}</p>
      {tenantId && (
        <p className="small">
          <Link to={`/patti-attivi/${encodeURIComponent(tenantId)}`} data-testid="public-pacts-link">
            {t('volunteers.pacts.list.publicLink')}
          </Link>
          {' — '}
          {t('volunteers.pacts.list.publicHelp')}
        </p>
      )}
      <form className="filters row g-2" aria-label={t('volunteers.pacts.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.pacts.list.status')}
            value={status}
            onChange={setStatus}
            placeholder={t('common.all')}
            options={PACT_STATUSES.map((s) => ({ value: s, label: t(`volunteers.pacts.status.${s}`) }))}
          />
        </div>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('volunteers.pacts.form.municipality')}
            value={municipality}
            onChange={setMunicipality}
            placeholder={t('common.all')}
            options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          />
        </div>
      </form>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && (
        <EmptyState
          title={filtered ? t('volunteers.pacts.list.emptyFiltered') : t('volunteers.pacts.list.empty')}
          action={
            <Link to="/patti/nuovo" className="btn btn-outline-primary btn-sm">
              {t('volunteers.pacts.list.new')}
            </Link>
          }
        >
          {t('volunteers.pacts.list.emptyHelp')}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <ul className="case-list p-0 list-unstyled" data-testid="pact-list">
          {rows.map((p) => (
            <li key={p.id} className="case-row">
              <Link to={`/patti/${encodeURIComponent(p.id)}`} className="case-link">
                <bdi>{p.goodName}</bdi>
              </Link>
              <PactBadge status={p.status} />
              <span className="text-muted small">
                {t(`volunteers.pacts.goodKind.${p.goodKind}`)} · <bdi>{territoryName(p.municipality)}</bdi> · <bdi>{p.proposerName}</bdi> ·{' '}
                {period(p.startDate, p.endDate)}
                {p.renewedUntil && (
                  <>
                    {' · '}
                    <span data-testid="pact-renewed-until">{renewedUntil(p.renewedUntil)}</span>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {loading && <Loading />}
      <LoadMore list={pacts} />
    </>
  );
}
