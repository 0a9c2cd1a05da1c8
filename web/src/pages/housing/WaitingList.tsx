// The waiting list in its order: position, household, score and why (one sentence per factor),
// or the placed and withdrawn applications.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { LoadMore, usePaged } from '../../components/Paged';
import { SelectField } from '../../components/Form';
import { EmptyState, LoadError, Loading } from '../../components/States';
import type { HousingApplicationFieldsFragment, HousingApplicationStatus } from '../../gql/graphql';
import { formatDate, formatNumber } from '../../i18n';
import { HousingApplicationsQuery } from './operations';
import { ApplicationBadge, Explanation, HousingTabs } from './common';

const STATUSES: HousingApplicationStatus[] = ['WAITING', 'PLACED', 'WITHDRAWN'];

export default function WaitingList() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('WAITING');
  const list = usePaged<HousingApplicationFieldsFragment>(
    async (after) => (await request(HousingApplicationsQuery, { after, status: status as HousingApplicationStatus })).housingApplications,
    [status],
  );
  const { rows, loading, error } = list;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('housing.waiting.title')}</h1>
        <Link to="/abitare/domande/nuova" className="btn btn-primary">
          {t('housing.waiting.new')}
        </Link>
      </div>
      <HousingTabs />
      <p>{t('housing.waiting.help')}</p>
      <form className="filters row g-2" aria-label={t('housing.waiting.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('housing.waiting.status')}
            value={status}
            onChange={setStatus}
            options={STATUSES.map((s) => ({ value: s, label: t(`housing.applicationStatus.${s}`) }))}
          />
        </div>
      </form>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && <EmptyState title={t('housing.waiting.empty')}>{t('housing.waiting.emptyHelp')}</EmptyState>}
      {rows.length > 0 && (
        <ol className="list-unstyled case-list p-0" data-testid="waiting-list">
          {rows.map((a) => (
            <li key={a.id} className="case-row d-block" data-testid="waiting-row">
              <div className="d-flex flex-wrap gap-2 align-items-baseline">
                {a.position != null && (
                  <span className="fw-bold" data-testid="waiting-position">
                    {t('housing.waiting.position', { n: formatNumber(a.position) })}
                  </span>
                )}
                <Link to={`/abitare/domande/${encodeURIComponent(a.id)}`} className="case-link">
                  <bdi>{a.household.label}</bdi>
                </Link>
                <ApplicationBadge status={a.status} />
                <span data-testid="waiting-score">{t('housing.waiting.score', { score: formatNumber(a.score) })}</span>
                <span className="small text-muted">{t('housing.waiting.since', { date: formatDate(a.appliedOn) })}</span>
              </div>
              <div className="mt-1">
                <span className="visually-hidden">{t('housing.waiting.why')}</span>
                <Explanation terms={a.explanation} incomeBand={a.incomeBand} />
              </div>
            </li>
          ))}
        </ol>
      )}
      {loading && <Loading />}
      <LoadMore list={list} />
    </>
  );
}
