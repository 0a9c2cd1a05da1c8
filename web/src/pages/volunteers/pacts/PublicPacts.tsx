// The pacts in force, for anyone (no account): a tenant's municipality is chosen, then its
// active and renewed pacts are listed with the common good, the activities and the period. A
// proposer is named only when an association or a group (the API leaves out anyone else).
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request, type ApiError } from '../../../api/client';
import { SelectField } from '../../../components/Form';
import { EmptyState, LoadError, Loading } from '../../../components/States';
import type { PactsPublicQuery as Result } from '../../../gql/graphql';
import { isolate } from '../../../bidi';
import { useLoad } from '../../../hooks';
import { PactsPublicQuery, PactsPublicTenantQuery } from './operations';
import { PactBadge, usePeriod, useRenewedUntil } from './common';

type Row = Result['publicPacts']['nodes'][number];

export default function PublicPacts() {
  const { t } = useTranslation();
  const { tenantId = '' } = useParams();
  const tenant = useLoad(() => request(PactsPublicTenantQuery, { tenantId }), [tenantId]);
  const [istat, setIstat] = useState('');
  const territories = tenant.data?.publicVolunteerForm.territories ?? [];
  // One municipality only: it is the one.
  const chosen = istat || (territories.length === 1 ? territories[0].istatCode : '');
  const name = territories.find((x) => x.istatCode === chosen)?.name;
  useEffect(() => {
    document.title = tenant.data ? `${t('volunteers.pacts.public.title')} · ${tenant.data.publicVolunteerForm.tenantName}` : t('volunteers.pacts.public.title');
  }, [t, tenant.data]);
  return (
    <>
      <h1 className="h2">{t('volunteers.pacts.public.title')}</h1>
      {tenant.loading && <Loading />}
      {tenant.error &&
        (tenant.error.has('NOT_FOUND') ? (
          // A link naming no organisation says so in words, as the application form does.
          <div data-testid="public-pacts-unknown">
            <EmptyState title={t('volunteers.pacts.public.unknown')}>{t('volunteers.pacts.public.unknownHelp')}</EmptyState>
          </div>
        ) : (
          <LoadError error={tenant.error} />
        ))}
      {tenant.data && (
        <>
          <p className="lead">
            <bdi>{tenant.data.publicVolunteerForm.tenantName}</bdi>
          </p>
          <p>{t('volunteers.pacts.public.help')}</p>
          <div className="row">
            <div className="col-12 col-md-6">
              <SelectField
                label={t('volunteers.pacts.public.municipality')}
                value={chosen}
                onChange={setIstat}
                placeholder={t('common.choose')}
                options={territories.map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
              />
            </div>
          </div>
          {chosen ? <List key={chosen} tenantId={tenantId} istat={chosen} name={name ?? chosen} /> : <p className="text-muted">{t('volunteers.pacts.public.choose')}</p>}
        </>
      )}
    </>
  );
}

function List({ tenantId, istat, name }: { tenantId: string; istat: string; name: string }) {
  const { t } = useTranslation();
  const period = usePeriod();
  const renewedUntil = useRenewedUntil();
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasNext, setHasNext] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const data = await request(PactsPublicQuery, { tenantId, istatCode: istat, after });
      setRows((prev) => (after ? [...prev, ...data.publicPacts.nodes] : data.publicPacts.nodes));
      setCursor(data.publicPacts.pageInfo.endCursor ?? null);
      setHasNext(data.publicPacts.pageInfo.hasNextPage);
      setError(null);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenantId, istat]);
  return (
    <section aria-labelledby="public-pacts-list" className="mt-3">
      <h2 id="public-pacts-list" className="h4">
        {t('volunteers.pacts.public.inForce', { name: isolate(name) })}
      </h2>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && <EmptyState title={t('volunteers.pacts.public.empty')}>{t('volunteers.pacts.public.emptyHelp')}</EmptyState>}
      {rows.length > 0 && (
        <ul className="p-0 list-unstyled" data-testid="public-pacts">
          {rows.map((p, i) => (
            <li key={i} className="card card-bg shadow-sm mb-3" data-testid="public-pact">
              <div className="card-body p-3">
                <div className="d-flex flex-wrap gap-2 align-items-center mb-1">
                  <h3 className="h5 mb-0">
                    <bdi>{p.goodName}</bdi>
                  </h3>
                  <PactBadge status={p.status} />
                </div>
                <p className="small mb-1">
                  {t(`volunteers.pacts.goodKind.${p.goodKind}`)}
                  {p.goodAddress && (
                    <>
                      {' · '}
                      <bdi>{p.goodAddress}</bdi>
                    </>
                  )}
                  {' · '}
                  {period(p.startDate, p.endDate)}
                  {p.renewedUntil && (
                    <>
                      {' · '}
                      <span data-testid="pact-renewed-until">{renewedUntil(p.renewedUntil)}</span>
                    </>
                  )}
                </p>
                <p className="small mb-1">
                  {t('volunteers.pacts.public.by')} {p.proposerName ? <bdi>{p.proposerName}</bdi> : t(`volunteers.pacts.proposerKind.${p.proposerKind}`)}
                </p>
                <p className="mb-0 text-break" style={{ whiteSpace: 'pre-line' }}>
                  <bdi>{p.activities}</bdi>
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {loading && <Loading />}
      {hasNext && !loading && (
        <button type="button" className="btn btn-outline-primary" onClick={() => void load(cursor)}>
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}
