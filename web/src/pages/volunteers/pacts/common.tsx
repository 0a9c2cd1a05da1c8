// What the pacts screens share: the enumerations, the next steps a status allows, the status
// badge and the period.
import { useTranslation } from 'react-i18next';
import type { CommonGoodKind, PactRenewal, PactStatus, ProposerKind } from '../../../gql/graphql';
import { formatDate } from '../../../i18n';

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

/** The period: from its first day to the last day it covers (the day before `endDate`). */
export function usePeriod() {
  const { t } = useTranslation();
  return (startDate: string, endDate: string) => {
    const last = new Date(`${endDate}T00:00:00Z`);
    last.setUTCDate(last.getUTCDate() - 1);
    return t('volunteers.pacts.period', { from: formatDate(startDate), to: formatDate(last.toISOString().slice(0, 10)) });
  };
}
