// The anonymised cross-territory dashboard: predefined views under disclosure control. A
// suppressed cell is shown as suppressed (never as 0), in the table and in the chart.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { EmergingNeedsQuery, SharedViewQuery } from '../api/operations';
import { BarChartView } from '../components/Chart';
import { SelectField } from '../components/Form';
import { PeriodForm, periodRefusals, type Period } from '../components/Period';
import { StatTable } from '../components/StatTable';
import { EmptyState, LoadError, Loading } from '../components/States';
import type { SharedViewKind, TerritoryLevel } from '../gql/graphql';
import { useLoad } from '../hooks';
import { formatNumber } from '../i18n';
import { loadMunicipalities } from '../municipalities';

const VIEWS: SharedViewKind[] = ['PEOPLE_BY_TERRITORY_MONTH', 'NEW_CASES_BY_TERRITORY_MONTH', 'NEEDS_BY_TERRITORY_MONTH', 'INTERVENTIONS_BY_TERRITORY_MONTH', 'HOUSED_BY_TERRITORY_MONTH'];
const LEVELS: TerritoryLevel[] = ['MUNICIPALITY', 'CONSORTIUM'];

export default function CrossTerritory() {
  const { t } = useTranslation();
  const [view, setView] = useState<SharedViewKind>('PEOPLE_BY_TERRITORY_MONTH');
  const [level, setLevel] = useState<TerritoryLevel>('MUNICIPALITY');
  const [period, setPeriod] = useState<Period>({ from: null, to: null });
  const table = useLoad(() => request(SharedViewQuery, { view, level, ...period }), [view, level, period.from, period.to]);
  const emerging = useLoad(() => request(EmergingNeedsQuery, period), [period.from, period.to]);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    loadMunicipalities().then(
      (all) => setNames(new Map(all.map((m) => [m.code, m.name]))),
      () => {
        // Without the list, municipalities show by their codes.
      },
    );
  }, []);

  const category = (c: string | null | undefined) =>
    c ? t(`enum.NeedCode.${c.toUpperCase()}`, { defaultValue: t(`enum.InterventionKind.${c.toUpperCase()}`, { defaultValue: c }) }) : '';
  const place = (tenantName: string, territory: string | null | undefined) =>
    territory ? `${names.get(territory) ?? territory} (${territory})` : tenantName;

  const cells = table.data?.sharedView.cells ?? [];
  const hasCategory = cells.some((c) => c.category);
  const rows = cells.map((c) => ({
    keys: [place(c.tenantName, c.territory), c.month, ...(hasCategory ? [category(c.category)] : [])],
    value: c.value ?? null,
    suppressed: c.suppressed,
  }));
  const headers = [t('cross.territory'), t('cross.month'), ...(hasCategory ? [t('cross.category')] : [])];

  // The chart shows the latest month, one bar per place; a suppressed cell has no bar.
  const latest = useMemo(() => cells.reduce((m, c) => (c.month > m ? c.month : m), ''), [cells]);
  const points = useMemo(() => {
    if (hasCategory) return [];
    return cells.filter((c) => c.month === latest).map((c) => ({ label: place(c.tenantName, c.territory), value: c.suppressed ? null : (c.value ?? 0) }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cells, latest, hasCategory, names]);

  // A refused period is named next to its field only.
  const periodErrors = periodRefusals(table.error, emerging.error);
  const periodRefused = periodErrors.length > 0;

  // A gateway without the analytics service does not know these queries.
  if (table.error?.has('GRAPHQL_VALIDATION_FAILED')) {
    return (
      <>
        <h1 className="h2">{t('cross.title')}</h1>
        <EmptyState title={t('dashboard.unavailable')}>{t('dashboard.unavailableHelp')}</EmptyState>
      </>
    );
  }
  return (
    <>
      <h1 className="h2">{t('cross.title')}</h1>
      <p className="lead">{t('cross.intro')}</p>
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField label={t('cross.view')} value={view} onChange={(v) => setView(v as SharedViewKind)} options={VIEWS.map((v) => ({ value: v, label: t(`enum.SharedViewKind.${v}`) }))} />
        </div>
        <div className="col-12 col-md-6">
          <SelectField label={t('cross.level')} value={level} onChange={(v) => setLevel(v as TerritoryLevel)} options={LEVELS.map((l) => ({ value: l, label: t(`enum.TerritoryLevel.${l}`) }))} />
        </div>
      </div>
      <PeriodForm value={period} onChange={setPeriod} errors={periodErrors} />
      {table.loading && !table.data && <Loading />}
      {!periodRefused && table.error && <LoadError error={table.error} />}
      {table.data && (
        <p className="small">
          {t('cross.disclosure', { threshold: table.data.sharedView.disclosure.threshold, special: table.data.sharedView.disclosure.specialThreshold })}
        </p>
      )}
      {!periodRefused && table.data && cells.length === 0 && <EmptyState title={t('cross.empty')}>{t('cross.emptyHelp')}</EmptyState>}
      {points.some((p) => p.value !== null) && <BarChartView title={`${t(`enum.SharedViewKind.${view}`)} · ${latest}`} points={points} />}
      {points.length > 0 && points.every((p) => p.value === null) && (
        <p className="small" data-testid="chart-hidden">
          {t('cross.chartHidden')}
        </p>
      )}
      {cells.length > 0 && <StatTable caption={t(`enum.SharedViewKind.${view}`)} headers={headers} rows={rows} />}

      <section aria-labelledby="emerging-title" className="mt-4">
        <h2 id="emerging-title" className="h4">
          {t('dashboard.emerging')}
        </h2>
        {!periodRefused && emerging.error && <LoadError error={emerging.error} />}
        {emerging.data && emerging.data.emergingNeeds.length === 0 && <p>{t('dashboard.noEmerging')}</p>}
        <ul className="list-unstyled item-list">
          {(emerging.data?.emergingNeeds ?? []).map((e, i) => (
            <li key={i}>
              <strong>{category(e.need)}</strong> · <bdi>{place(e.tenantName, e.territory)}</bdi> · {e.month} ·{' '}
              {e.suppressed || e.value == null ? <span className="suppressed-label">{t('cross.suppressed')}</span> : formatNumber(e.value)}
              {e.change != null && <> · {t('cross.change', { change: e.change > 0 ? `+${e.change}` : `${e.change}` })}</>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
