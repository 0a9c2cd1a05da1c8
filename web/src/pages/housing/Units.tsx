// The tenant's units (staff): paged, by state and municipality, with their vacant and total beds.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { LoadMore, usePaged } from '../../components/Paged';
import { SelectField } from '../../components/Form';
import { EmptyState, LoadError, Loading } from '../../components/States';
import type { HousingUnitsQuery as Result, UnitState } from '../../gql/graphql';
import { formatNumber } from '../../i18n';
import { isolate } from '../../bidi';
import { useTerritoryNames } from '../../territories';
import { useSession } from '../../session';
import { HousingUnitsQuery } from './operations';
import { HousingTabs, UNIT_STATES, UnitStateBadge } from './common';

type Row = Result['housingUnits']['nodes'][number];

export default function Units() {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const [state, setState] = useState('');
  const [municipality, setMunicipality] = useState('');
  const { name: territoryName, territories } = useTerritoryNames();
  const units = usePaged<Row>(
    async (after) => (await request(HousingUnitsQuery, { after, state: (state || null) as UnitState | null, territoryCode: municipality || null })).housingUnits,
    [state, municipality],
  );
  const { rows, loading, error } = units;
  const canAdd = hasRole('TENANT_ADMIN', 'COORDINATOR');
  const add = canAdd ? (
    <Link to="/abitare/alloggi/nuovo" className="btn btn-primary">
      {t('housing.units.new')}
    </Link>
  ) : null;
  return (
    <>
      <div className="page-head">
        <h1 className="h2">{t('housing.units.title')}</h1>
        {add}
      </div>
      <HousingTabs />
      <form className="filters row g-2" aria-label={t('housing.units.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('housing.units.state')}
            value={state}
            onChange={setState}
            placeholder={t('common.all')}
            options={UNIT_STATES.map((s) => ({ value: s, label: t(`housing.unitState.${s}`) }))}
          />
        </div>
        <div className="col-12 col-md-4">
          <SelectField
            label={t('housing.units.municipality')}
            value={municipality}
            onChange={setMunicipality}
            placeholder={t('common.all')}
            options={(territories.data?.territories.nodes ?? []).map((x) => ({ value: x.istatCode, label: isolate(x.name) }))}
          />
        </div>
      </form>
      {error && <LoadError error={error} />}
      {!loading && !error && rows.length === 0 && (
        <EmptyState title={state || municipality ? t('housing.units.emptyFiltered') : t('housing.units.empty')}>{t('housing.units.emptyHelp')}</EmptyState>
      )}
      {rows.length > 0 && (
        <ul className="case-list p-0 list-unstyled" data-testid="unit-list">
          {rows.map((u) => (
            <li key={u.id} className="case-row" data-testid="unit-row">
              <Link to={`/abitare/alloggi/${encodeURIComponent(u.id)}`} className="case-link">
                <bdi>{u.name}</bdi>
              </Link>
              <UnitStateBadge state={u.state} />
              <span className="text-muted small">
                {t(`housing.unitKind.${u.kind}`)} · <bdi>{u.address}</bdi> · <bdi>{territoryName(u.territoryCode)}</bdi> ·{' '}
                <span data-testid="unit-beds">{t('housing.units.beds', { vacant: formatNumber(u.vacantBeds), total: formatNumber(u.beds) })}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {loading && <Loading />}
      <LoadMore list={units} />
    </>
  );
}
