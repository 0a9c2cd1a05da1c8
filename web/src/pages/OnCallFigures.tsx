// The dashboard's on-call figures: activation times of mediation requests by urgency and legal
// response times, median and 90th percentile against the organisation's targets, for the
// requests made in the dashboard's period (administrators and coordinators).
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { OnCallFiguresQuery } from './oncall/operations';
import { LoadError, Loading } from '../components/States';
import type { OnCallFiguresQuery as Result } from '../gql/graphql';
import { useLoad } from '../hooks';
import { formatNumber } from '../i18n';

type Times = Result['onCallFigures']['legalResponse'];

/** The first and last day of a `YYYY-MM` period. */
function days(from: string, to: string): { from: string; to: string } {
  const [y, m] = to.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${from}-01`, to: `${to}-${String(last).padStart(2, '0')}` };
}

function useDuration() {
  const { t } = useTranslation();
  return (seconds: number | null | undefined) => {
    if (seconds == null) return '—';
    return seconds >= 3600
      ? t('dashboard.onCall.hours', { value: formatNumber(seconds / 3600, 1) })
      : t('dashboard.onCall.minutes', { value: formatNumber(Math.round(seconds / 60)) });
  };
}

function TimesRow({ label, times }: { label: string; times: Times }) {
  const duration = useDuration();
  const met = times.count > 0 && times.p90Seconds != null && times.p90Seconds <= times.targetSeconds;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{formatNumber(times.count)}</td>
      <td>{duration(times.medianSeconds)}</td>
      <td className={times.count > 0 ? (met ? 'text-success' : 'text-danger') : undefined}>{duration(times.p90Seconds)}</td>
      <td>{duration(times.targetSeconds)}</td>
      <td>{formatNumber(times.withinTarget)}</td>
    </tr>
  );
}

export function OnCallFigures({ period }: { period: { from: string; to: string } }) {
  const { t } = useTranslation();
  const range = days(period.from, period.to);
  const figures = useLoad(() => request(OnCallFiguresQuery, range), [range.from, range.to]);
  const f = figures.data?.onCallFigures;
  return (
    <section aria-labelledby="oncall-title" className="mt-4" data-testid="oncall-figures">
      <h2 id="oncall-title" className="h4">
        {t('dashboard.onCall.title')}
      </h2>
      <p className="small">{t('dashboard.onCall.intro')}</p>
      {figures.loading && !f && <Loading />}
      {figures.error && <LoadError error={figures.error} />}
      {f && (
        <>
          <p>
            {t('dashboard.onCall.requests')}: <strong>{formatNumber(f.mediationRequests)}</strong> ({t('dashboard.onCall.cancelled')}:{' '}
            {formatNumber(f.cancelled)}) · {t('dashboard.onCall.consultations')}: <strong>{formatNumber(f.legalConsultations)}</strong>
          </p>
          {/* A region the keyboard can reach and scroll on a narrow screen. */}
          <div className="table-responsive" tabIndex={0} role="region" aria-labelledby="oncall-title">
            <table className="table table-sm">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t('dashboard.onCall.title')}</span>
                  </th>
                  <th scope="col">#</th>
                  <th scope="col">{t('dashboard.onCall.median')}</th>
                  <th scope="col">{t('dashboard.onCall.p90')}</th>
                  <th scope="col">{t('dashboard.onCall.target')}</th>
                  <th scope="col">{t('dashboard.onCall.within')}</th>
                </tr>
              </thead>
              <tbody>
                <TimesRow label={t('dashboard.onCall.urgent')} times={f.activationUrgent} />
                <TimesRow label={t('dashboard.onCall.normal')} times={f.activationNormal} />
                <TimesRow label={t('dashboard.onCall.legal')} times={f.legalResponse} />
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
