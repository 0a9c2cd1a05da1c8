// The bed-occupancy calendar of a unit: one row per bed, one column per day of a month, each
// stay a bar with its household's label. The table scrolls sideways on a phone.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { LoadError, Loading } from '../../components/States';
import type { HousingBedStaysQuery as Result, HousingUnitFieldsFragment } from '../../gql/graphql';
import { useLoad } from '../../hooks';
import { formatDate, formatMonth } from '../../i18n';
import { addMonths, thisMonth } from '../../time';
import { HousingBedStaysQuery } from './operations';

type Stay = Result['bedStays'][number];

/** The days `YYYY-MM-DD` of a month `YYYY-MM`. */
function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number);
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

export function OccupancyCalendar({ unit }: { unit: HousingUnitFieldsFragment }) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(thisMonth());
  const days = daysOf(month);
  const from = days[0];
  const to = `${addMonths(month, 1)}-01`;
  const stays = useLoad(() => request(HousingBedStaysQuery, { unitId: unit.id, from, to }), [unit.id, from, to]);
  const beds = unit.rooms.flatMap((r) => r.beds.map((b) => ({ ...b, room: r.name })));
  const byBed = new Map<string, Stay[]>();
  for (const s of stays.data?.bedStays ?? []) byBed.set(s.bedId, [...(byBed.get(s.bedId) ?? []), s]);

  return (
    <div data-testid="occupancy">
      <div className="d-flex flex-wrap align-items-center gap-2 mb-2">
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setMonth(addMonths(month, -1))}>
          {t('housing.calendar.previous')}
        </button>
        <strong data-testid="occupancy-month" aria-live="polite">
          {formatMonth(month)}
        </strong>
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setMonth(addMonths(month, 1))}>
          {t('housing.calendar.next')}
        </button>
      </div>
      {stays.error && <LoadError error={stays.error} />}
      {stays.loading && !stays.data && <Loading />}
      <div className="occupancy-scroll" tabIndex={0} role="region" aria-label={t('housing.calendar.region', { month: formatMonth(month) })} data-testid="occupancy-scroll">
        <table className="occupancy-table">
          <caption className="visually-hidden">{t('housing.calendar.caption', { month: formatMonth(month) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('housing.calendar.bed')}</th>
              {days.map((d) => (
                <th key={d} scope="col" className="occupancy-day" abbr={formatDate(d)}>
                  {Number(d.slice(8))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {beds.map((b) => (
              <tr key={b.id} data-testid="occupancy-bed">
                <th scope="row" className="occupancy-bed">
                  <bdi>{b.room}</bdi> · {b.label}
                </th>
                {cells(days, to, byBed.get(b.id) ?? []).map((c) =>
                  c.stay ? (
                    <td key={c.from} colSpan={c.span} className="occupancy-stay-cell">
                      <Link
                        to={`/abitare/inserimenti/${encodeURIComponent(c.stay.placementId)}`}
                        className="occupancy-stay"
                        data-testid="occupancy-stay"
                        title={`${c.stay.household.label}: ${t('housing.period', { from: formatDate(c.stay.startsOn), to: formatDate(c.stay.endsOn) })}`}
                      >
                        <bdi>{c.stay.household.label}</bdi>
                      </Link>
                    </td>
                  ) : (
                    <td key={c.from} className="occupancy-free" />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small text-muted mt-1">{t('housing.calendar.help')}</p>
    </div>
  );
}

/** The month's cells of one bed: a free day each, or a stay spanning its days in the month. */
function cells(days: string[], end: string, stays: Stay[]): { from: string; span: number; stay?: Stay }[] {
  const out: { from: string; span: number; stay?: Stay }[] = [];
  let i = 0;
  while (i < days.length) {
    const day = days[i];
    const stay = stays.find((s) => s.startsOn <= day && day < s.endsOn);
    if (!stay) {
      out.push({ from: day, span: 1 });
      i += 1;
      continue;
    }
    const last = stay.endsOn < end ? days.findIndex((d) => d >= stay.endsOn) : days.length;
    const span = Math.max(1, (last === -1 ? days.length : last) - i);
    out.push({ from: day, span, stay });
    i += span;
  }
  return out;
}
