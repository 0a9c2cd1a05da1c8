// The values of the schema's enums, in the order the forms list them.
import type {
  CaseStatus,
  Channel,
  ConsentPurpose,
  DeskKind,
  HouseholdRole,
  InterventionKind,
  NeedCode,
  NeedSource,
  PlaceKind,
  ReferralStatus,
  Role,
  StepOwner,
} from './gql/graphql';

export const NEED_CODES: NeedCode[] = [
  'DOCUMENTS_LEGAL',
  'HOUSING',
  'WORK',
  'HEALTH',
  'SCHOOL',
  'ITALIAN_LANGUAGE',
  'FAMILY',
  'WELFARE',
  'DIGITAL_SKILLS',
  'OTHER',
];
export const NEED_SOURCES: NeedSource[] = ['EXPRESSED', 'DETECTED'];
export const CASE_STATUSES: CaseStatus[] = ['INTAKE', 'ACTIVE', 'MONITORING', 'CLOSED'];
export const CHANNELS: Channel[] = ['DESK', 'PHONE', 'OUTREACH', 'ONLINE'];
export const INTERVENTION_KINDS: InterventionKind[] = [
  'ORIENTATION',
  'ACCOMPANIMENT',
  'MEDIATION',
  'LEGAL_ADVICE',
  'DOCUMENT_ASSISTANCE',
  'INFORMATION',
  'REFERRAL',
  'OTHER',
];
export const DESK_KINDS: DeskKind[] = ['FIXED', 'DIFFUSE'];
export const PLACE_KINDS: PlaceKind[] = ['SCHOOL', 'CLINIC', 'LIBRARY', 'TOWN_HALL', 'PLACE_OF_WORSHIP', 'COMMUNITY_CENTRE', 'OTHER'];
export const ROLES: Role[] = ['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR', 'VOLUNTEER', 'TABLE_MEMBER', 'EXTERNAL_REQUESTER', 'MEDIATOR', 'LEGAL_ADVISOR'];
export const CONSENT_PURPOSES: ConsentPurpose[] = ['CASE_MANAGEMENT', 'REFERRAL_SHARING', 'ANONYMISED_STATISTICS', 'CONTACT_BY_MESSAGE'];
export const HOUSEHOLD_ROLES: HouseholdRole[] = ['HEAD', 'PARTNER', 'CHILD', 'PARENT', 'SIBLING', 'OTHER'];
export const STEP_OWNERS: StepOwner[] = ['OPERATOR', 'PERSON', 'VOLUNTEER'];

/** Where a referral can go next. */
export const REFERRAL_NEXT: Record<ReferralStatus, ReferralStatus[]> = {
  SENT: ['ACCEPTED', 'REJECTED'],
  ACCEPTED: ['COMPLETED', 'FAILED'],
  REJECTED: [],
  COMPLETED: [],
  FAILED: [],
};

/** Where a case can go next. */
export const CASE_NEXT: Record<CaseStatus, CaseStatus[]> = {
  INTAKE: ['ACTIVE'],
  ACTIVE: ['MONITORING', 'CLOSED'],
  MONITORING: ['ACTIVE', 'CLOSED'],
  CLOSED: ['ACTIVE'],
};
