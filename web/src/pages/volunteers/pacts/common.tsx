// What the pacts screens share: the enumerations, the next steps a status allows, the status
// badge and the period.
import { useTranslation } from 'react-i18next';
import type { CommonGoodKind, PactRenewal, PactStatus, ProposerKind } from '../../../gql/graphql';
import { formatDate, formatNumber } from '../../../i18n';

export const PACT_STATUSES: PactStatus[] = ['PROPOSED', 'UNDER_EVALUATION', 'SIGNED', 'ACTIVE', 'RENEWED', 'EXPIRED', 'ENDED'];
export const PROPOSER_KINDS: ProposerKind[] = ['VOLUNTEERS', 'ASSOCIATION', 'INFORMAL_GROUP', 'SINGLE_CITIZEN'];
export const GOOD_KINDS: CommonGoodKind[] = ['PARK', 'GARDEN', 'SCHOOL_BUILDING', 'SQUARE', 'BUILDING', 'OTHER'];
export const RENEWALS: PactRenewal[] = ['NONE', 'TACIT', 'ON_REQUEST'];

/** The steps the server allows from a status (services/volunteers, pacts `may_move`); a
 * renewal only when the pact's renewal is not `NONE`. */
export function nextSteps(status: PactStatus, renewal: PactRenewal): PactStatus[] {
  const renew: PactStatus[] = renewal === 'NONE' ? [] : ['RENEWED'];
  switch (status) {
    case 'PROPOSED':
      return ['UNDER_EVALUATION', 'ENDED'];
    case 'UNDER_EVALUATION':
      return ['SIGNED', 'ENDED'];
    case 'SIGNED':
      return ['ACTIVE', 'ENDED'];
    case 'ACTIVE':
    case 'RENEWED':
      return [...renew, 'ENDED'];
    case 'EXPIRED':
      return renew;
    default:
      return [];
  }
}

const COLOUR: Record<PactStatus, string> = {
  PROPOSED: 'intake',
  UNDER_EVALUATION: 'monitoring',
  SIGNED: 'monitoring',
  ACTIVE: 'active',
  RENEWED: 'active',
  EXPIRED: 'closed',
  ENDED: 'closed',
};

export function PactBadge({ status }: { status: PactStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-${COLOUR[status]}`} data-status={status}>
      {t(`volunteers.pacts.status.${status}`)}
    </span>
  );
}

/** A calendar day `YYYY-MM-DD` moved by `days`. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A calendar day plus whole months, as the server counts them: a day the month lacks becomes
 * its last (31 January plus one month is the last day of February). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** The period a renewal adds: from the current period's end for another `durationMonths`
 * (`endDate` exclusive, as the API gives it). */
export function nextPeriod(pact: { endDate: string; durationMonths: number }) {
  return { startDate: pact.endDate, endDate: addMonths(pact.endDate, pact.durationMonths) };
}

/** The period: from its first day to the last day it covers (the day before `endDate`). */
export function usePeriod() {
  const { t } = useTranslation();
  return (startDate: string, endDate: string) => t('volunteers.pacts.period', { from: formatDate(startDate), to: formatDate(addDays(endDate, -1)) });
}

/** «renewed until <the last day of the next period>» for a pact renewed before the end of its
 * current period (`renewedUntil`, exclusive like `endDate`), or null. */
export function useRenewedUntil() {
  const { t } = useTranslation();
  return (renewedUntil?: string | null) => (renewedUntil ? t('volunteers.pacts.pact.renewedUntil', { date: formatDate(addDays(renewedUntil, -1)) }) : null);
}

/** Hours given, in the console's language and its plural («1,5 ore», «ساعتان»). */
export function useHoursGiven() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const hours = Math.round((minutes / 60) * 100) / 100;
    return t('volunteers.pacts.report.hoursGiven', { count: hours, h: formatNumber(hours, 2) });
  };
}

/** The API's limits on a pact's text fields (services/volunteers pacts; names 200, free
 * text 500, e-mail 254, phone 40). */
export const NAME_MAX = 200;
export const NOTE_MAX = 500;
export const EMAIL_MAX = 254;
export const PHONE_MAX = 40;
export const COMMITMENTS_MAX = 2000;
export const TEXT_MAX = 4000;
export const REPORT_MAX = 4000;
/** A pact's duration in months, as the API bounds it. */
export const DURATION_MIN = 1;
export const DURATION_MAX = 60;
