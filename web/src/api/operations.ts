// Every operation the console sends. `npm run codegen` turns these into typed documents.
import { graphql } from '../gql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      user { id email displayName platformAdmin }
      memberships { tenant { id name kind } roles territories }
      activeTenant { id name kind timeZone }
      roles
      csrfToken
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) { csrfToken }
  }
`);

/**
 * Ends this session; for one opened through the tenant's OpenID provider, also the provider's
 * end-session address, where the browser goes to sign out there too.
 */
export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut { ended providerLogoutUrl }
  }
`);

/** The viewer's live sessions, most recently used first. */
export const SessionsQuery = graphql(`
  query Sessions {
    viewer { sessions { id device method signedInAt lastSeenAt current } }
  }
`);

/** Ends one of the viewer's sessions, on whatever browser it is. */
export const EndSessionMutation = graphql(`
  mutation EndSession($id: ID!) {
    endSession(id: $id)
  }
`);

/** Ends every session of the viewer, this one included. */
export const SignOutEverywhereMutation = graphql(`
  mutation SignOutEverywhere {
    signOutEverywhere
  }
`);

export const SwitchTenantMutation = graphql(`
  mutation SwitchTenant($tenantId: ID!) {
    switchTenant(tenantId: $tenantId) { csrfToken }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { csrfToken activeTenant { name } }
  }
`);

/** What the console shows of a message: how it travels and where it stands, never its text. */
export const DeliveryFieldsFragment = graphql(`
  fragment DeliveryFields on MessageDelivery {
    channel status language attempts lastError queuedAt sentAt
  }
`);

/** Asks for a password reset e-mail (no session needed; the answer is the same for any address). */
export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input)
  }
`);

/** Sets a new password with the token of a reset e-mail; every session of the account ends. */
export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input)
  }
`);

export const InvitationStatusQuery = graphql(`
  query InvitationStatus($token: String!) {
    invitationStatus(token: $token) { status createsAccount }
  }
`);

export const TenantsQuery = graphql(`
  query Tenants($after: String) {
    tenants(first: 50, after: $after) {
      nodes { id name kind createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const CreateTenantMutation = graphql(`
  mutation CreateTenant($input: CreateTenantInput!) {
    createTenant(input: $input) {
      tenant { id name }
      adminInvitation { token invitation { email expiresAt } }
    }
  }
`);

export const StructureQuery = graphql(`
  query Structure {
    territories(first: 100) { nodes { id version istatCode name } }
    desks(first: 100) { nodes { id version name kind address openingHours languages territory { id name istatCode } } }
    places(first: 100) { nodes { id version name kind address desk { id } } }
  }
`);

export const TerritoriesQuery = graphql(`
  query Territories {
    territories(first: 100) { nodes { id istatCode name } }
  }
`);

export const AddTerritoryMutation = graphql(`
  mutation AddTerritory($input: AddTerritoryInput!) {
    addTerritory(input: $input) { id istatCode name }
  }
`);

export const AddDeskMutation = graphql(`
  mutation AddDesk($input: AddDeskInput!) {
    addDesk(input: $input) { id name }
  }
`);

export const AddPlaceMutation = graphql(`
  mutation AddPlace($input: AddPlaceInput!) {
    addPlace(input: $input) { id name }
  }
`);

export const UpdateTerritoryMutation = graphql(`
  mutation UpdateTerritory($input: UpdateTerritoryInput!) {
    updateTerritory(input: $input) { id version name }
  }
`);

export const RemoveTerritoryMutation = graphql(`
  mutation RemoveTerritory($id: ID!) {
    removeTerritory(id: $id)
  }
`);

export const UpdateDeskMutation = graphql(`
  mutation UpdateDesk($input: UpdateDeskInput!) {
    updateDesk(input: $input) { id version name address openingHours languages }
  }
`);

export const RemoveDeskMutation = graphql(`
  mutation RemoveDesk($id: ID!) {
    removeDesk(id: $id)
  }
`);

export const UpdatePlaceMutation = graphql(`
  mutation UpdatePlace($input: UpdatePlaceInput!) {
    updatePlace(input: $input) { id version name kind address }
  }
`);

export const RemovePlaceMutation = graphql(`
  mutation RemovePlace($id: ID!) {
    removePlace(id: $id)
  }
`);

export const DirectoryQuery = graphql(`
  query Directory {
    organizations(first: 100) { nodes { id name email phone } }
    directoryServices(first: 100) { nodes { id name categories territory { name istatCode } languages } }
  }
`);

export const AddOrganizationMutation = graphql(`
  mutation AddOrganization($input: AddOrganizationInput!) {
    addOrganization(input: $input) { id name }
  }
`);

export const AddDirectoryServiceMutation = graphql(`
  mutation AddDirectoryService($input: AddDirectoryServiceInput!) {
    addDirectoryService(input: $input) { id name }
  }
`);

export const StaffQuery = graphql(`
  query Staff {
    memberships(first: 100) { nodes { id userEmail userDisplayName roles territories } }
    invitations(first: 100, pendingOnly: true) {
      nodes { id email roles territories status expiresAt deliveries { ...DeliveryFields } }
    }
  }
`);

export const InviteUserMutation = graphql(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) { token invitation { id email } }
  }
`);

export const SetTenantTimeZoneMutation = graphql(`
  mutation SetTenantTimeZone($timeZone: String!) {
    setTenantTimeZone(timeZone: $timeZone) { id timeZone }
  }
`);

export const RetentionQuery = graphql(`
  query Retention {
    retention { analyticsFactMonths outboxDays closedCaseYears }
  }
`);

export const SetRetentionMutation = graphql(`
  mutation SetRetention($input: SetRetentionInput!) {
    setRetention(input: $input) { analyticsFactMonths outboxDays closedCaseYears }
  }
`);

/** The tenant's default lead time of appointment reminders (any member may read it). */
export const AppointmentSettingsQuery = graphql(`
  query AppointmentSettings {
    appointmentSettings { reminderHoursBefore }
  }
`);

/** Sets the tenant's default lead time of reminders (administrators only); null: none. */
export const SetAppointmentSettingsMutation = graphql(`
  mutation SetAppointmentSettings($input: AppointmentSettingsInput!) {
    setAppointmentSettings(input: $input) { reminderHoursBefore }
  }
`);

/** The tenant's OpenID provider (administrators only); null when none. Secrets never come back. */
export const OidcProviderQuery = graphql(`
  query OidcProvider {
    oidcProvider { ...OidcProviderFields }
  }
`);

export const OidcProviderFieldsFragment = graphql(`
  fragment OidcProviderFields on OidcProvider {
    issuer clientId authMethod keyId scopes userClaim allowedDomains signInPath updatedAt version
  }
`);

/** Sets the tenant's OpenID provider; the client secret and the private key are write-only. */
export const SetOidcProviderMutation = graphql(`
  mutation SetOidcProvider($input: SetOidcProviderInput!) {
    setOidcProvider(input: $input) { ...OidcProviderFields }
  }
`);

export const RemoveOidcProviderMutation = graphql(`
  mutation RemoveOidcProvider {
    removeOidcProvider
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

export const CasesQuery = graphql(`
  query Cases($after: String, $filter: CaseFilter) {
    cases(first: 20, after: $after, filter: $filter) {
      nodes {
        id status territoryCode openedAt
        person { id givenNames familyNames latinGivenNames latinFamilyNames }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const PersonDuplicatesQuery = graphql(`
  query PersonDuplicates($givenNames: String!, $familyNames: String!) {
    personDuplicates(givenNames: $givenNames, familyNames: $familyNames, limit: 10) {
      score
      person { id givenNames familyNames latinGivenNames latinFamilyNames birth { year } territoryCode countryOfBirth }
    }
  }
`);

export const CreatePersonMutation = graphql(`
  mutation CreatePerson($input: PersonInput!) {
    createPerson(input: $input) { id territoryCode warnings { code personId } }
  }
`);

export const RecordConsentMutation = graphql(`
  mutation RecordConsent($personId: ID!, $purpose: ConsentPurpose!, $given: Boolean!) {
    recordConsent(personId: $personId, purpose: $purpose, given: $given) { purpose given }
  }
`);

export const OpenCaseMutation = graphql(`
  mutation OpenCase($personId: ID!, $territoryCode: String, $deskId: ID) {
    openCase(personId: $personId, territoryCode: $territoryCode, deskId: $deskId) { id }
  }
`);

export const DesksQuery = graphql(`
  query Desks {
    desks(first: 100) { nodes { id name address openingHours territory { istatCode } } }
  }
`);

export const CaseQuery = graphql(`
  query Case($id: ID!) {
    node(id: $id) {
      ... on Case {
        id version status outcome territoryCode openedAt closedAt reopenReason
        person {
          id version givenNames familyNames latinGivenNames latinFamilyNames
          birth { year month day } sex gender countryOfBirth citizenships languages { code level }
          codiceFiscale warnings { code personId } phone email legalStatus { permitType permitNumber expiry } territoryCode
          consents { purpose given recordedAt }
          household { ...HouseholdFields }
        }
        encounters(first: 100) { nodes { id version occurredAt channel language mediatorPresent durationMinutes notes } }
        needs(first: 100) { nodes { id version code source status notedAt typeCode } }
        interventions(first: 100) { nodes { id version kind needIds outcome doneAt } }
        referrals(first: 100) { nodes { id version status needIds feedback overrideReason sentAt updatedAt service { id name } } }
        plan { id version title needIds status reviewOn steps { id version title owner dueOn status } }
      }
    }
  }
`);

export const ChangeCaseStatusMutation = graphql(`
  mutation ChangeCaseStatus($id: ID!, $expectedVersion: Int!, $to: CaseStatus!, $outcome: String, $reason: String) {
    changeCaseStatus(id: $id, expectedVersion: $expectedVersion, to: $to, outcome: $outcome, reason: $reason) { id version status }
  }
`);

export const AddEncounterMutation = graphql(`
  mutation AddEncounter($input: AddEncounterInput!) {
    addEncounter(input: $input) { id }
  }
`);

export const UpdateEncounterMutation = graphql(`
  mutation UpdateEncounter($input: UpdateEncounterInput!) {
    updateEncounter(input: $input) { id version }
  }
`);

export const RecordNeedMutation = graphql(`
  mutation RecordNeed($caseId: ID!, $code: NeedCode!, $source: NeedSource!, $encounterId: ID, $typeCode: String) {
    recordNeed(caseId: $caseId, code: $code, source: $source, encounterId: $encounterId, typeCode: $typeCode) { id }
  }
`);

export const ChangeNeedStatusMutation = graphql(`
  mutation ChangeNeedStatus($id: ID!, $expectedVersion: Int!, $status: NeedStatus!) {
    changeNeedStatus(id: $id, expectedVersion: $expectedVersion, status: $status) { id version status }
  }
`);

export const RecordInterventionMutation = graphql(`
  mutation RecordIntervention($input: RecordInterventionInput!) {
    recordIntervention(input: $input) { id }
  }
`);

export const UpdateInterventionMutation = graphql(`
  mutation UpdateIntervention($id: ID!, $expectedVersion: Int!, $outcome: String, $doneAt: DateTime) {
    updateIntervention(id: $id, expectedVersion: $expectedVersion, outcome: $outcome, doneAt: $doneAt) { id version }
  }
`);

export const ServicesQuery = graphql(`
  query Services {
    directoryServices(first: 100) { nodes { id name categories territory { name } } }
  }
`);

export const SendReferralMutation = graphql(`
  mutation SendReferral($input: SendReferralInput!) {
    sendReferral(input: $input) { id }
  }
`);

export const ChangeReferralStatusMutation = graphql(`
  mutation ChangeReferralStatus($id: ID!, $expectedVersion: Int!, $to: ReferralStatus!, $feedback: String) {
    changeReferralStatus(id: $id, expectedVersion: $expectedVersion, to: $to, feedback: $feedback) { id version status }
  }
`);

export const AddGoalMutation = graphql(`
  mutation AddGoal($input: AddGoalInput!) {
    addGoal(input: $input) { id }
  }
`);

export const UpdateGoalMutation = graphql(`
  mutation UpdateGoal($id: ID!, $expectedVersion: Int!, $status: GoalStatus, $reviewOn: NaiveDate) {
    updateGoal(id: $id, expectedVersion: $expectedVersion, status: $status, reviewOn: $reviewOn) { id version status }
  }
`);

export const AddStepMutation = graphql(`
  mutation AddStep($input: AddStepInput!) {
    addStep(input: $input) { id }
  }
`);

export const ChangeStepStatusMutation = graphql(`
  mutation ChangeStepStatus($id: ID!, $expectedVersion: Int!, $status: StepStatus!) {
    changeStepStatus(id: $id, expectedVersion: $expectedVersion, status: $status) { id version status }
  }
`);

export const IndicatorsQuery = graphql(`
  query Indicators($from: String, $to: String) {
    indicators(from: $from, to: $to) { code value target progress }
  }
`);

export const TenantStatisticsQuery = graphql(`
  query TenantStatistics($measure: Measure!, $by: [Dimension!]!, $from: String, $to: String) {
    tenantStatistics(measure: $measure, by: $by, from: $from, to: $to) { keys value }
  }
`);

export const SetIndicatorTargetMutation = graphql(`
  mutation SetIndicatorTarget($code: String!, $target: Int) {
    setIndicatorTarget(code: $code, target: $target) { code target progress }
  }
`);

export const IndicatorExportQuery = graphql(`
  query IndicatorExport($format: ExportFormat!, $from: String, $to: String) {
    indicatorExport(format: $format, from: $from, to: $to) { filename contentType contentBase64 }
  }
`);

export const PersonExportQuery = graphql(`
  query PersonExport($personId: ID!, $format: PersonExportFormat!) {
    personExport(personId: $personId, format: $format) { filename contentType contentBase64 }
  }
`);

export const SharedViewQuery = graphql(`
  query SharedView($view: SharedViewKind!, $level: TerritoryLevel, $from: String, $to: String) {
    sharedView(view: $view, level: $level, from: $from, to: $to) {
      from to
      disclosure { threshold specialThreshold }
      cells { tenantName territory month category value suppressed status }
    }
  }
`);

export const EmergingNeedsQuery = graphql(`
  query EmergingNeeds($from: String, $to: String) {
    emergingNeeds(from: $from, to: $to, flaggedOnly: true) { tenantName territory need month value suppressed change }
  }
`);

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) { csrfToken }
  }
`);

export const CaseOutcomesQuery = graphql(`
  query CaseOutcomes {
    caseOutcomes { code offered }
  }
`);

export const SetCaseOutcomeMutation = graphql(`
  mutation SetCaseOutcome($code: String!, $offered: Boolean!) {
    setCaseOutcome(code: $code, offered: $offered) { code offered }
  }
`);

export const InterventionOutcomesQuery = graphql(`
  query InterventionOutcomes {
    interventionOutcomes { code offered }
  }
`);

export const SetInterventionOutcomeMutation = graphql(`
  mutation SetInterventionOutcome($code: String!, $offered: Boolean!) {
    setInterventionOutcome(code: $code, offered: $offered) { code offered }
  }
`);

export const NeedTypesQuery = graphql(`
  query NeedTypes {
    needTypes { id version code label category retired }
  }
`);

export const CreateNeedTypeMutation = graphql(`
  mutation CreateNeedType($code: String!, $label: String!, $category: NeedCode!) {
    createNeedType(code: $code, label: $label, category: $category) { id code label category retired }
  }
`);

export const UpdateNeedTypeMutation = graphql(`
  mutation UpdateNeedType($id: ID!, $expectedVersion: Int!, $label: String, $retired: Boolean) {
    updateNeedType(id: $id, expectedVersion: $expectedVersion, label: $label, retired: $retired) { id version code label category retired }
  }
`);

export const AppointmentsQuery = graphql(`
  query Appointments($personId: ID!, $after: String) {
    appointments(first: 100, after: $after, filter: { personId: $personId }) {
      nodes {
        id caseId seriesId startsAt endsAt status remindAt desk { id name }
        reminderOutcome reminderDeliveries { ...DeliveryFields }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const BookAppointmentMutation = graphql(`
  mutation BookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) { id startsAt }
  }
`);

export const CancelAppointmentMutation = graphql(`
  mutation CancelAppointment($id: ID!, $following: Boolean!) {
    cancelAppointment(id: $id, following: $following) { id status }
  }
`);

export const PersonCasesQuery = graphql(`
  query PersonCases($personId: ID!) {
    cases(first: 20, filter: { personId: $personId }) { nodes { id status openedAt } }
  }
`);

export const HouseholdFieldsFragment = graphql(`
  fragment HouseholdFields on Household {
    id label territoryCode minors
    members { role minor person { id givenNames familyNames latinGivenNames latinFamilyNames birth { year } } }
  }
`);

export const UpdatePersonMutation = graphql(`
  mutation UpdatePerson($id: ID!, $expectedVersion: Int!, $input: PersonInput!) {
    updatePerson(id: $id, expectedVersion: $expectedVersion, input: $input) { id version warnings { code personId } }
  }
`);

/** The persons holding a codice fiscale in either form (as issued, or omocodia letters mapped
 * back): each comes with a POSSIBLY_SAME_PERSON warning per other holder. */
export const PersonsByCodiceFiscaleQuery = graphql(`
  query PersonsByCodiceFiscale($codiceFiscale: String!) {
    persons(first: 20, filter: { codiceFiscale: $codiceFiscale }) { nodes { id warnings { code personId } } }
  }
`);

export const CreateHouseholdMutation = graphql(`
  mutation CreateHousehold($label: String!, $territoryCode: String!) {
    createHousehold(label: $label, territoryCode: $territoryCode) { id }
  }
`);

export const AddHouseholdMemberMutation = graphql(`
  mutation AddHouseholdMember($householdId: ID!, $personId: ID!, $role: HouseholdRole!) {
    addHouseholdMember(householdId: $householdId, personId: $personId, role: $role) { id }
  }
`);

export const RemoveHouseholdMemberMutation = graphql(`
  mutation RemoveHouseholdMember($personId: ID!) {
    removeHouseholdMember(personId: $personId)
  }
`);

export const CountriesQuery = graphql(`
  query Countries {
    countries { code name citizenshipOnly }
  }
`);

export const MunicipalitiesQuery = graphql(`
  query Municipalities {
    municipalities { istatCode name }
  }
`);

export const LanguagesQuery = graphql(`
  query Languages {
    languages { code name living }
  }
`);

export const ErasePersonMutation = graphql(`
  mutation ErasePerson($input: ErasePersonInput!) {
    erasePerson(input: $input) {
      personId
      ground
    }
  }
`);
