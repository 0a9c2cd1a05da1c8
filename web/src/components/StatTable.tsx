// A statistical table; a suppressed cell is marked as such (pattern, text and a legend), never 0.
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n';

export interface StatRow {
  keys: string[];
  value: number | null;
  suppressed: boolean;
}

export function StatTable({ caption, headers, rows }: { caption: string; headers: string[]; rows: StatRow[] }) {
  const { t } = useTranslation();
  const anySuppressed = rows.some((r) => r.suppressed);
  return (
    <div className="table-responsive">
      <table className="table stat-table" data-testid="stat-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
            <th scope="col" className="text-end">
              {t('dashboard.value')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.keys.map((k, j) => (
                <td key={j}>
                  <bdi>{k}</bdi>
                </td>
              ))}
              {r.suppressed || r.value === null ? (
                <td className="suppressed text-end" data-suppressed="true" title={t('cross.suppressedLegend')}>
                  {t('cross.suppressed')}
                </td>
              ) : (
                <td className="text-end">{formatNumber(r.value)}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {anySuppressed && (
        <p className="small">
          <span className="suppressed-swatch" aria-hidden="true" /> {t('cross.suppressedLegend')}
        </p>
      )}
    </div>
  );
}
