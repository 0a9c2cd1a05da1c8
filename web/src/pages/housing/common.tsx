// What the housing screens share: the enumerations, the section's own menu, status badges, the
// sentence that explains a score, amounts in euro and the household picker.
import { useMemo } from 'react';
import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import type {
  HousingDestination,
  HousingApplicationStatus,
  IncomeBand,
  MilestoneKind,
  PlacementStatus,
  UnitKind,
  UnitOwnership,
  UnitState,
} from '../../gql/graphql';
import { useLoad } from '../../hooks';
import { formatNumber } from '../../i18n';
import { isolate } from '../../bidi';
import { SelectField } from '../../components/Form';
import { LoadError } from '../../components/States';
import type { ApiErrorItem } from '../../api/client';
import { HousingHouseholdsQuery } from './operations';
import type { HousingHouseholdsQuery as HouseholdsResult } from '../../gql/graphql';

/** One term of a score's explanation. */
interface ScoreTerm {
  factor: string;
  quantity: number;
  points: number;
}

export const UNIT_KINDS: UnitKind[] = ['APARTMENT', 'HOUSE'];
export const OWNERSHIPS: UnitOwnership[] = ['PUBLIC', 'PRIVATE', 'THIRD_SECTOR'];
/** The states staff may set (`OCCUPIED` is read, never set). */
export const SETTABLE_STATES: UnitState[] = ['AVAILABLE', 'MAINTENANCE', 'WITHDRAWN'];
export const UNIT_STATES: UnitState[] = ['AVAILABLE', 'OCCUPIED', 'MAINTENANCE', 'WITHDRAWN'];
export const INCOME_BANDS: IncomeBand[] = ['VERY_LOW', 'LOW', 'MEDIUM', 'HIGH', 'UNKNOWN'];
export const DESTINATIONS: HousingDestination[] = ['OWN_RENTAL', 'SOCIAL_HOUSING', 'FAMILY', 'OTHER', 'UNKNOWN'];
export const MILESTONE_KINDS: MilestoneKind[] = ['JOB_CONTRACT', 'INCOME_ABOVE_THRESHOLD', 'DEPOSIT_SAVED', 'OWN_LEASE_SIGNED', 'RESIDENCE_REGISTERED', 'OTHER'];

/** The housing section's own menu, on each of its pages. */
export function HousingTabs() {
  const { t } = useTranslation();
  const links = [
    { to: '/abitare', label: t('housing.tabs.home'), end: true },
    { to: '/abitare/alloggi', label: t('housing.tabs.units') },
    { to: '/abitare/lista-di-attesa', label: t('housing.tabs.waitingList') },
    { to: '/abitare/regola-di-priorita', label: t('housing.tabs.rule') },
  ];
  return (
    <nav aria-label={t('housing.tabs.label')} className="mb-3">
      <ul className="nav nav-pills flex-wrap gap-1">
        {links.map((l) => (
          <li key={l.to} className="nav-item">
            <NavLink to={l.to} end={l.end} className="nav-link">
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const UNIT_COLOUR: Record<UnitState, string> = { AVAILABLE: 'active', OCCUPIED: 'monitoring', MAINTENANCE: 'intake', WITHDRAWN: 'closed' };
const APPLICATION_COLOUR: Record<HousingApplicationStatus, string> = { WAITING: 'intake', PLACED: 'active', WITHDRAWN: 'closed' };
const PLACEMENT_COLOUR: Record<PlacementStatus, string> = { PLANNED: 'intake', ACTIVE: 'active', ENDED: 'closed', CANCELLED: 'closed' };

export function UnitStateBadge({ state }: { state: UnitState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${UNIT_COLOUR[state]}`} data-status={state} data-testid="unit-state">
      {t(`housing.unitState.${state}`)}
    </span>
  );
}

export function ApplicationBadge({ status }: { status: HousingApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${APPLICATION_COLOUR[status]}`} data-status={status} data-testid="application-status">
      {t(`housing.applicationStatus.${status}`)}
    </span>
  );
}

export function PlacementBadge({ status }: { status: PlacementStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${PLACEMENT_COLOUR[status]}`} data-status={status} data-testid="placement-status">
      {t(`housing.placementStatus.${status}`)}
    </span>
  );
}

/** Euro cents as an amount in the console's language (`1.250,00 €`). */
export function useEuro() {
  const { i18n } = useTranslation();
  return (cents: number) => new Intl.NumberFormat(i18n.language, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** A typed amount in euro (`250`, `250,50`, `250.5`) as cents, or NaN. */
export function euroCents(value: string): number {
  const v = value.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return NaN;
  return Math.round(Number(v) * 100);
}

/** One term of a score as a readable sentence: «2 minori × 10 = 20». */
export function useTermSentence() {
  const { t } = useTranslation();
  return (term: Pick<ScoreTerm, 'factor' | 'quantity' | 'points'>, incomeBand?: IncomeBand) => {
    const n = (x: number) => formatNumber(x);
    const each = term.quantity > 0 ? term.points / term.quantity : 0;
    const params = { count: term.quantity, quantity: n(term.quantity), points: n(term.points), each: n(each) };
    switch (term.factor) {
      case 'MINORS':
        return t('housing.term.minors', params);
      case 'MONTHS_WAITING':
        return Number.isInteger(each) ? t('housing.term.months', params) : t('housing.term.monthsCapped', params);
      case 'EVICTION_NOTICE':
        return t('housing.term.eviction', params);
      case 'INCOME_BAND':
        return t('housing.term.income', { ...params, band: incomeBand ? t(`housing.incomeBand.${incomeBand}`) : '' });
      case 'HEALTH_OR_DISABILITY':
        return t('housing.term.health', params);
      default:
        return `${term.factor}: ${n(term.points)}`;
    }
  };
}

/** The explanation of a score: one sentence per factor. */
export function Explanation({ terms, incomeBand }: { terms: Pick<ScoreTerm, 'factor' | 'quantity' | 'points'>[]; incomeBand?: IncomeBand }) {
  const { t } = useTranslation();
  const sentence = useTermSentence();
  // A factor that does not apply (no minor, no eviction notice, no month on the list yet) comes
  // with quantity 0: «0 minori × 0 = 0» would misstate the rule's points, so it is left out.
  terms = terms.filter((term) => term.quantity > 0);
  if (terms.length === 0) return <span className="small text-muted">{t('housing.term.none')}</span>;
  return (
    <ul className="list-unstyled small mb-0" data-testid="explanation">
      {terms.map((term) => (
        <li key={term.factor} data-factor={term.factor}>
          {sentence(term, incomeBand)}
        </li>
      ))}
    </ul>
  );
}

/** The households of the tenant's persons, as options of a select. */
export function HouseholdPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (id: string) => void;
  error?: ApiErrorItem;
}) {
  const { t } = useTranslation();
  const persons = useLoad(async () => {
    const all: { id: string; label: string; minors: number }[] = [];
    let after: string | null = null;
    // A few pages at most: the picker is for a desk's households, not a registry.
    for (let i = 0; i < 10; i++) {
      const res: HouseholdsResult = await request(HousingHouseholdsQuery, { after });
      for (const p of res.persons.nodes) {
        const h = p.household;
        if (h && !all.some((x) => x.id === h.id)) all.push({ id: h.id, label: h.label, minors: h.minors });
      }
      if (!res.persons.pageInfo.hasNextPage) break;
      after = res.persons.pageInfo.endCursor ?? null;
    }
    return all;
  }, []);
  const options = useMemo(
    () =>
      (persons.data ?? [])
        .slice()
        .sort((a, b) => a.label.localeCompare(b.label))
        .map((h) => ({ value: h.id, label: `${isolate(h.label)} · ${t('housing.minors', { n: formatNumber(h.minors) })}` })),
    [persons.data, t],
  );
  return (
    <>
      {persons.error && <LoadError error={persons.error} />}
      <SelectField
        label={t('housing.household')}
        value={value}
        onChange={onChange}
        placeholder={persons.loading ? t('common.loading') : t('housing.pickHousehold')}
        options={options}
        error={error}
        hint={t('housing.householdHint')}
        required
      />
    </>
  );
}
