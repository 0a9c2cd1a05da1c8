// The operations of the housing service's screens: units with rooms and beds, the occupancy
// calendar, the waiting list and its priority rule, placements, milestones and follow-ups.
// `npm run codegen` turns these into typed documents.
import { graphql } from '../../gql';

export const HousingUnitFieldsFragment = graphql(`
  fragment HousingUnitFields on Unit {
    id version name kind ownership owner address territoryCode accessible sharedSpaces houseRules state beds vacantBeds
    rooms { id name beds { id label placementId } }
  }
`);

export const HousingUnitsQuery = graphql(`
  query HousingUnits($after: String, $state: UnitState, $territoryCode: String) {
    housingUnits(first: 20, after: $after, state: $state, territoryCode: $territoryCode) {
      nodes { id name kind state beds vacantBeds territoryCode address }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const HousingUnitQuery = graphql(`
  query HousingUnit($id: ID!) {
    node(id: $id) { ... on Unit { ...HousingUnitFields } }
  }
`);

export const HousingAddUnitMutation = graphql(`
  mutation HousingAddUnit($input: AddUnitInput!) {
    addUnit(input: $input) { id }
  }
`);

export const HousingUpdateUnitMutation = graphql(`
  mutation HousingUpdateUnit($input: UpdateUnitInput!) {
    updateUnit(input: $input) { id version state }
  }
`);

export const HousingAddRoomMutation = graphql(`
  mutation HousingAddRoom($input: AddRoomInput!) {
    addRoom(input: $input) { id version }
  }
`);

export const HousingBedStaysQuery = graphql(`
  query HousingBedStays($unitId: ID!, $from: NaiveDate!, $to: NaiveDate!) {
    bedStays(unitId: $unitId, from: $from, to: $to) { bedId placementId householdId household { id label } startsOn endsOn }
  }
`);

export const HousingApplicationFieldsFragment = graphql(`
  fragment HousingApplicationFields on HousingApplication {
    id version householdId household { id label minors } status appliedOn minors evictionNoticeOn incomeBand
    healthOrDisability note score position
    explanation { factor quantity points }
  }
`);

export const HousingApplicationsQuery = graphql(`
  query HousingApplications($after: String, $status: HousingApplicationStatus, $householdId: ID) {
    housingApplications(first: 20, after: $after, status: $status, householdId: $householdId) {
      nodes { ...HousingApplicationFields }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const HousingApplicationQuery = graphql(`
  query HousingApplication($id: ID!) {
    node(id: $id) {
      ... on HousingApplication {
        ...HousingApplicationFields
        scoreHistory { cause before after ruleVersion byUserId at }
      }
    }
  }
`);

export const HousingApplyMutation = graphql(`
  mutation HousingApply($input: ApplyForHousingInput!) {
    applyForHousing(input: $input) { id }
  }
`);

export const HousingUpdateApplicationMutation = graphql(`
  mutation HousingUpdateApplication($input: UpdateHousingApplicationInput!) {
    updateHousingApplication(input: $input) { id version }
  }
`);

export const HousingWithdrawApplicationMutation = graphql(`
  mutation HousingWithdrawApplication($id: ID!, $expectedVersion: Int!) {
    withdrawHousingApplication(id: $id, expectedVersion: $expectedVersion) { id status }
  }
`);

export const HousingPriorityRuleFieldsFragment = graphql(`
  fragment HousingPriorityRuleFields on PriorityRule {
    perMinor evictionNotice incomeVeryLow incomeLow incomeMedium incomeHigh healthOrDisability perMonthWaiting maxMonthsWaiting
    version updatedAt
  }
`);

export const HousingPriorityRuleQuery = graphql(`
  query HousingPriorityRule {
    priorityRule { ...HousingPriorityRuleFields }
    priorityRuleHistory { reason rule { ...HousingPriorityRuleFields } }
  }
`);

export const HousingSetPriorityRuleMutation = graphql(`
  mutation HousingSetPriorityRule($input: SetPriorityRuleInput!) {
    setPriorityRule(input: $input) { version }
  }
`);

/** The households the tenant's persons belong to (there is no list of households of its own). */
export const HousingHouseholdsQuery = graphql(`
  query HousingHouseholds($after: String) {
    persons(first: 50, after: $after) {
      nodes { id household { id label minors } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const HousingHouseholdQuery = graphql(`
  query HousingHousehold($id: ID!) {
    node(id: $id) { ... on Household { id label minors } }
  }
`);

export const HousingPlacementFieldsFragment = graphql(`
  fragment HousingPlacementFields on Placement {
    id version householdId household { id label members { person { id } } } applicationId unitId unit { id name }
    bedIds startsOn plannedEndOn status monthlyContributionCents depositCents rulesSignedOn createdAt cancelledOn
    exit { on destination autonomyReached }
    extensions { from to at }
    milestones { id kind reachedOn caseId goalId note recordedAt }
    followUps { id version months dueOn recordedOn stillHoused destination }
  }
`);

export const HousingPlacementQuery = graphql(`
  query HousingPlacement($id: ID!) {
    node(id: $id) { ... on Placement { ...HousingPlacementFields } }
  }
`);

export const HousingPlacementsQuery = graphql(`
  query HousingPlacements($after: String, $unitId: ID, $householdId: ID, $status: PlacementStatus) {
    placements(first: 20, after: $after, unitId: $unitId, householdId: $householdId, status: $status) {
      nodes { id household { id label } unit { id name } startsOn plannedEndOn status bedIds }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const HousingPlaceMutation = graphql(`
  mutation HousingPlace($input: PlaceHouseholdInput!) {
    placeHousehold(input: $input) { id }
  }
`);

export const HousingExtendMutation = graphql(`
  mutation HousingExtend($input: ExtendPlacementInput!) {
    extendPlacement(input: $input) { id version plannedEndOn }
  }
`);

export const HousingExitMutation = graphql(`
  mutation HousingExit($input: ExitPlacementInput!) {
    exitPlacement(input: $input) { id version status }
  }
`);

export const HousingCancelPlacementMutation = graphql(`
  mutation HousingCancelPlacement($id: ID!, $expectedVersion: Int!) {
    cancelPlacement(id: $id, expectedVersion: $expectedVersion) { id version status cancelledOn }
  }
`);

export const HousingRecordMilestoneMutation = graphql(`
  mutation HousingRecordMilestone($input: RecordMilestoneInput!) {
    recordMilestone(input: $input) { id version }
  }
`);

export const HousingFollowUpsQuery = graphql(`
  query HousingFollowUps($after: String, $due: Boolean!, $mine: Boolean!) {
    followUps(first: 20, after: $after, due: $due, mine: $mine) {
      nodes { id version placementId household { id label } months dueOn recordedOn stillHoused destination }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const HousingRecordFollowUpMutation = graphql(`
  mutation HousingRecordFollowUp($input: RecordFollowUpInput!) {
    recordFollowUp(input: $input) { id recordedOn }
  }
`);

/** A person's cases with the goals of their plans, for a milestone's optional goal. */
export const HousingPersonCasesQuery = graphql(`
  query HousingPersonCases($personId: ID!) {
    cases(first: 20, filter: { personId: $personId }) { nodes { id plan { id title } } }
  }
`);

/** The case page's person's household, for the milestones of its placements. */
export const HousingCaseMilestonesQuery = graphql(`
  query HousingCaseMilestones($householdId: ID!) {
    placements(first: 50, householdId: $householdId) {
      nodes { id unit { id name } startsOn status milestones { id kind reachedOn note caseId goalId } }
    }
  }
`);
