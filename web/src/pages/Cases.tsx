// The case list: filters, newest first, "load more" on the Relay connection.
import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { CasesQuery } from '../api/operations';
import { CheckField, SelectField } from '../components/Form';
import { LoadMore, usePaged } from '../components/Paged';
import { EmptyState, LoadError, Loading } from '../components/States';
import { CASE_STATUSES, NEED_CODES } from '../enums';
import type { CaseFilter, CaseStatus, NeedCode } from '../gql/graphql';
import { formatDate } from '../i18n';
import { PersonName, isolate } from '../bidi';
import { useTerritoryNames } from '../territories';

export default function Cases() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [territoryCode, setTerritoryCode] = useState('');
  const [need, setNeed] = useState('');
  const [mine, setMine] = useState(false);
  const { name: territoryName, territories } = useTerritoryNames();

  const filter: CaseFilter = {
    status: (status || null) as CaseStatus | null,
    territoryCode: territoryCode || null,
    need: (need || null) as NeedCode | null,
    mine,
  };

  const cases = usePaged(async (after) => (await request(CasesQuery, { after, filter })).cases, [status, territoryCode, need, mine]);
  const { rows, loading, error } = cases;

  const filtered = status || territoryCode || need || mine;
  // Arriving from an erasure on the case page: say it was done.
  const erased = (useLocation().state as { erased?: boolean } | null)?.erased === true;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('cases.title')}</h1>
        <Link to="/persone" className="btn btn-primary">
          {t('cases.new')}
        </Link>
      </div>
      {erased && (
        <div className="alert alert-success" role="status" data-testid="erase-done">
          {t('erase.done')}
        </div>
      )}
      <form className="filters row g-2" aria-label={t('cases.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-3">
          <SelectField
            label={t('cases.status')}
            value={status}
            onChange={setStatus}
            placeholder={t('common.all')}
            options={CASE_STATUSES.map((s) => ({ value: s, label: t(`enum.CaseStatus.${s}`) }))}
          />
        </div>
        <div className="col-12 col-md-3">
          <SelectField
            label={t('cases.territory')}
            value={territoryCode}
            onChange={setTerritoryCode}
            placeholder={t('common.all')}
            options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          />
        </div>
        <div className="col-12 col-md-3">
          <SelectField
            label={t('cases.need')}
            value={need}
            onChange={setNeed}
            placeholder={t('common.all')}
            options={NEED_CODES.map((c) => ({ value: c, label: t(`enum.NeedCode.${c}`) }))}
          />
        </div>
        <div className="col-12 col-md-3 d-flex align-items-center">
          <CheckField label={t('cases.mine')} checked={mine} onChange={setMine} />
        </div>
      </form>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && (
        <EmptyState
          title={filtered ? t('cases.emptyFiltered') : t('cases.empty')}
          action={
            <Link to="/persone" className="btn btn-outline-primary btn-sm">
              {t('cases.new')}
            </Link>
          }
        >
          {filtered ? t('cases.emptyFilteredHelp') : t('cases.emptyHelp')}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <ul className="case-list list-unstyled" data-testid="case-list">
          {rows.map((c) => (
            <li key={c.id} className="case-row">
              <Link to={`/casi/${encodeURIComponent(c.id)}`} className="case-link">
                <PersonName person={c.person} />
              </Link>
              <span className={`badge status-${c.status.toLowerCase()}`}>{t(`enum.CaseStatus.${c.status}`)}</span>
              <span className="text-muted small">
                <bdi>{territoryName(c.territoryCode)}</bdi> · {t('cases.openedOn', { date: formatDate(c.openedAt) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {loading && <Loading />}
      <LoadMore list={cases} />
    </>
  );
}
