// The tenant's dashboard: indicators against targets, breakdowns as charts, and the export.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import { ProgressBar } from '../components/ProgressBar';
import { request } from '../api/client';
import { IndicatorExportQuery, IndicatorsQuery, SetIndicatorTargetMutation, TenantStatisticsQuery } from '../api/operations';
import { BarChartView } from '../components/Chart';
import { ExportButton } from '../components/ExportButton';
import { FormErrors, SelectField, TextField } from '../components/Form';
import { PeriodForm, periodRefusals, type Period } from '../components/Period';
import { EmptyState, LoadError, Loading } from '../components/States';
import type { Dimension, IndicatorsQuery as IndicatorsResult, Measure } from '../gql/graphql';
import { useLoad, useSubmit } from '../hooks';
import { formatMonth, formatNumber } from '../i18n';
import { periodShown } from '../time';
import { useSession } from '../session';
import { useIsoNames } from '../iso';
import { OnCallFigures } from './OnCallFigures';
import { useTerritoryNames } from '../territories';

const MEASURES: Measure[] = ['PEOPLE_REACHED', 'NEW_CASES', 'NEEDS', 'INTERVENTIONS', 'REFERRALS'];
const DIMENSIONS: Dimension[] = ['MONTH', 'TERRITORY', 'NEED', 'INTERVENTION', 'SEX', 'AGE_BAND', 'COUNTRY_OF_BIRTH', 'REFERRAL_STATUS'];

type Indicator = IndicatorsResult['indicators'][number];

/** A breakdown key as people read it: need and intervention codes, territories and countries by name. */
export function useKeyLabel() {
  const { t } = useTranslation();
  const { name: territoryName } = useTerritoryNames();
  const iso = useIsoNames();
  return (dimension: Dimension, key: string) => {
    switch (dimension) {
      case 'NEED':
        return t(`enum.NeedCode.${key.toUpperCase()}`, { defaultValue: key });
      case 'INTERVENTION':
        return t(`enum.InterventionKind.${key.toUpperCase()}`, { defaultValue: key });
      case 'REFERRAL_STATUS':
        return t(`enum.ReferralStatus.${key.toUpperCase()}`, { defaultValue: key });
      case 'SEX':
        return t(`enum.Sex.${key.toUpperCase()}`, { defaultValue: key });
      case 'TERRITORY':
        return territoryName(key);
      case 'COUNTRY_OF_BIRTH':
        // `unknown` and other keys that are no country code stay as they are.
        return /^[A-Z]{2}$/.test(key) ? iso.country(key) : key;
      default:
        return key;
    }
  };
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  // Roles that see no case data get the breakdowns under small-cell protection.
  const protectedFigures = !hasRole('OPERATOR', 'COORDINATOR');
  const [period, setPeriod] = useState<Period>({ from: null, to: null });
  const indicators = useLoad(() => request(IndicatorsQuery, period), [period.from, period.to]);
  const [measure, setMeasure] = useState<Measure>('PEOPLE_REACHED');
  const [dimension, setDimension] = useState<Dimension>('MONTH');
  const stats = useLoad(() => request(TenantStatisticsQuery, { measure, by: [dimension], ...period }), [measure, dimension, period.from, period.to]);
  const needs = useLoad(() => request(TenantStatisticsQuery, { measure: 'NEEDS', by: ['NEED'], ...period }), [period.from, period.to]);
  const keyLabel = useKeyLabel();

  const list = indicators.data?.indicators ?? [];
  // A gateway without the analytics service does not know these queries.
  if (indicators.error?.has('GRAPHQL_VALIDATION_FAILED')) {
    return (
      <>
        <h1 className="h2">{t('dashboard.title')}</h1>
        <EmptyState title={t('dashboard.unavailable')}>{t('dashboard.unavailableHelp')}</EmptyState>
      </>
    );
  }
  // A refused period is named next to its field, and nothing else is said about the period:
  // neither an empty state nor a general error.
  const periodErrors = periodRefusals(indicators.error, stats.error, needs.error);
  const periodRefused = periodErrors.length > 0;
  // No figure in the period: one empty state, naming the period, instead of cards at 0 and
  // empty charts.
  const empty = !periodRefused && !!indicators.data && list.every((i) => i.value === 0);
  // Under small-cell protection an empty breakdown may hide figures that exist: the indicator of
  // the same measure tells whether there were any.
  const noRows = (m: Measure): 'noData' | 'hiddenForPrivacy' | 'noneOrHidden' => {
    const figure = list.find((i) => i.code === MEASURE_INDICATOR[m])?.value ?? 0;
    if (!protectedFigures) return 'noData';
    if (figure > 0) return 'hiddenForPrivacy';
    // Referrals sent have no indicator of their own: none completed does not mean none sent.
    return m === 'REFERRALS' ? 'noneOrHidden' : 'noData';
  };
  const shown = periodShown(period);
  return (
    <>
      <h1 className="h2">{t('dashboard.title')}</h1>
      <p className="lead">{t('dashboard.intro')}</p>
      <PeriodForm value={period} onChange={setPeriod} errors={periodErrors} />

      <section aria-labelledby="indicators-title" className="mt-4">
        <div className="page-head">
          <h2 id="indicators-title" className="h4 mb-0">
            {t('dashboard.indicators')}
          </h2>
          <div className="d-flex gap-2 flex-wrap">
            <ExportButton label={t('dashboard.exportCsv')} run={() => exportFile('CSV', period)} />
            <ExportButton label={t('dashboard.exportXlsx')} run={() => exportFile('XLSX', period)} />
          </div>
        </div>
        {indicators.loading && !indicators.data && <Loading />}
        {!periodRefused && indicators.error && <LoadError error={indicators.error} />}
        {empty && (
          <EmptyState title={t('dashboardEmpty.title', { from: formatMonth(shown.from), to: formatMonth(shown.to) })}>
            {t('dashboardEmpty.help')}
          </EmptyState>
        )}
        {!empty && !periodRefused && <p className="small" data-testid="counting-rule">{t('dashboard.countingRule')}</p>}
        {!empty && !periodRefused && (
          <div className="row g-3" data-testid="indicators">
            {list.map((i) => (
              <div key={i.code} className="col-12 col-sm-6 col-lg-4">
                <IndicatorCard indicator={i} onChanged={indicators.reload} />
              </div>
            ))}
          </div>
        )}
      </section>

      {!periodRefused && hasRole('TENANT_ADMIN', 'COORDINATOR') && <OnCallFigures period={shown} />}

      {!empty && !periodRefused && (
      <section aria-labelledby="charts-title" className="mt-4">
        <h2 id="charts-title" className="h4">
          {t('dashboard.charts')}
        </h2>
        {protectedFigures && (
          <p className="small" data-testid="protected-figures">
            {t('dashboard.protectedFigures')}
          </p>
        )}
        <div className="row">
          <div className="col-12 col-md-6">
            <SelectField
              label={t('dashboard.measure')}
              value={measure}
              onChange={(v) => setMeasure(v as Measure)}
              options={MEASURES.map((m) => ({ value: m, label: t(`enum.Measure.${m}`) }))}
            />
          </div>
          <div className="col-12 col-md-6">
            <SelectField
              label={t('dashboard.dimension')}
              value={dimension}
              onChange={(v) => setDimension(v as Dimension)}
              options={DIMENSIONS.map((d) => ({ value: d, label: t(`enum.Dimension.${d}`) }))}
            />
          </div>
        </div>
        {stats.error && <LoadError error={stats.error} />}
        {stats.data && stats.data.tenantStatistics.length === 0 && <p data-testid="chart-empty">{t(`dashboard.${noRows(measure)}`)}</p>}
        {stats.data && stats.data.tenantStatistics.length > 0 && (
          <BarChartView
            title={`${t(`enum.Measure.${measure}`)} · ${t(`enum.Dimension.${dimension}`)}`}
            points={stats.data.tenantStatistics.map((r) => ({ label: keyLabel(dimension, r.keys[0] ?? ''), value: r.value }))}
          />
        )}
        {needs.data && needs.data.tenantStatistics.length === 0 && !(measure === 'NEEDS' && dimension === 'NEED') && noRows('NEEDS') !== 'noData' && (
          <p data-testid="needs-chart-empty">
            {`${t('enum.Measure.NEEDS')} · ${t('enum.Dimension.NEED')}`}: {t(`dashboard.${noRows('NEEDS')}`)}
          </p>
        )}
        {needs.data && needs.data.tenantStatistics.length > 0 && (
          <BarChartView
            title={`${t('enum.Measure.NEEDS')} · ${t('enum.Dimension.NEED')}`}
            points={needs.data.tenantStatistics.map((r) => ({ label: keyLabel('NEED', r.keys[0] ?? ''), value: r.value }))}
          />
        )}
      </section>
      )}
    </>
  );
}

/** The indicator counting what a breakdown's measure counts (referrals: only the completed ones). */
const MEASURE_INDICATOR: Record<Measure, string> = {
  PEOPLE_REACHED: 'PEOPLE_REACHED',
  NEW_CASES: 'NEW_CASES',
  NEEDS: 'NEEDS_RECORDED',
  INTERVENTIONS: 'INTERVENTIONS',
  REFERRALS: 'REFERRALS_COMPLETED',
};

async function exportFile(format: 'CSV' | 'XLSX', period: Period) {
  const data = await request(IndicatorExportQuery, { format, ...period });
  const f = data.indicatorExport;
  return { filename: f.filename, contentType: f.contentType, base64: f.contentBase64 };
}

function IndicatorCard({ indicator, onChanged }: { indicator: Indicator; onChanged: () => void }) {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const [editing, setEditing] = useState(false);
  const [target, setTarget] = useState(indicator.target?.toString() ?? '');
  const form = useSubmit(['target']);
  const percent = indicator.progress != null ? Math.round(indicator.progress * 100) : null;
  const label = t(`indicator.${indicator.code}`, { defaultValue: indicator.code });
  const help = t(`indicatorHelp.${indicator.code}`, { defaultValue: '' });
  const helpId = useId();
  return (
    <div className="indicator-card" data-testid={`indicator-${indicator.code}`}>
      <h3 className="h6">{label}</h3>
      <div className="indicator-value" data-testid="indicator-value" aria-describedby={help ? helpId : undefined}>
        {formatNumber(indicator.value)}
      </div>
      {help && (
        // What the figure counts (docs/indicators.md): a disclosure a keyboard and a screen
        // reader open like a pointer does, also the value's description.
        <details className="indicator-help" data-testid="indicator-help">
          <summary>
            {t('dashboard.howCounted')}
            <span className="visually-hidden">: {label}</span>
          </summary>
          <p id={helpId} className="small mb-1">
            {help}
          </p>
        </details>
      )}
      {indicator.target != null ? (
        <>
          <p className="mb-1 small">{t('dashboard.target', { target: formatNumber(indicator.target) })}</p>
          <ProgressBar value={Math.min(percent ?? 0, 100)} label={`${label}: ${t('dashboard.progress', { percent: percent ?? 0 })}`} color={percent != null && percent >= 100 ? 'success' : 'primary'} />
          <p className="small mt-1 mb-0">{t('dashboard.progress', { percent: percent ?? 0 })}</p>
        </>
      ) : (
        <p className="small mb-0">{t('dashboard.noTarget')}</p>
      )}
      {hasRole('TENANT_ADMIN', 'COORDINATOR') &&
        (editing ? (
          <form
            className="mt-2"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              const done = await form.run(() =>
                request(SetIndicatorTargetMutation, { code: indicator.code, target: target.trim() ? Number(target) : null }),
              );
              if (done) {
                setEditing(false);
                onChanged();
              }
            }}
          >
            <TextField label={t('dashboard.setTarget', { name: label })} value={target} onChange={setTarget} inputMode="numeric" error={form.fieldError('target')} />
            <FormErrors errors={form.general} />
            <Button type="submit" color="primary" size="sm">
              {t('dashboard.saveTarget')}
            </Button>
          </form>
        ) : (
          <Button color="primary" outline size="xs" className="mt-2" onClick={() => setEditing(true)}>
            {t('dashboard.editTarget')}
          </Button>
        ))}
    </div>
  );
}
