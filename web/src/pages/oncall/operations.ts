// The operations of the on-call services: requester organisations, mediators' profiles,
// mediation requests and their offers, legal consultations and the knowledge base, targets and
// figures, and the live updates. `npm run codegen` turns these into typed documents.
import { graphql } from '../../gql';

export const OnCallRequestFields = graphql(`
  fragment OnCallRequestFields on MediationRequest {
    id version organisationId organisationName requestedById language dialect placeName address territoryCode
    startsAt windowEndsAt durationMinutes purpose urgency sharedDetails status mediatorId createdAt confirmedAt
    activationSeconds activationTargetSeconds reportMinutes reportOutcome doneAt closedAt cancelledAt cancelledBy
    cancelReason myOffer offeredTo
  }
`);

export const OnCallConsultationFields = graphql(`
  fragment OnCallConsultationFields on LegalConsultation {
    id version askedById caseId category urgency status advisorId createdAt takenAt answeredAt closedAt
    responseSeconds responseTargetSeconds
    messages { kind authorId body createdAt }
  }
`);

export const MediationRequestsQuery = graphql(`
  query OnCallMediationRequests($after: String, $status: MediationStatus) {
    mediationRequests(first: 30, after: $after, status: $status) {
      nodes { ...OnCallRequestFields }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const RequestMediationMutation = graphql(`
  mutation OnCallRequestMediation($input: RequestMediationInput!) {
    requestMediation(input: $input) { ...OnCallRequestFields }
  }
`);

export const AnswerOfferMutation = graphql(`
  mutation OnCallAnswerOffer($requestId: ID!, $accept: Boolean!) {
    answerMediationOffer(requestId: $requestId, accept: $accept) { ...OnCallRequestFields }
  }
`);

export const ReportMediationMutation = graphql(`
  mutation OnCallReportMediation($input: ReportMediationInput!) {
    reportMediation(input: $input) { ...OnCallRequestFields }
  }
`);

export const CloseMediationMutation = graphql(`
  mutation OnCallCloseMediation($requestId: ID!) {
    closeMediation(requestId: $requestId) { ...OnCallRequestFields }
  }
`);

export const CancelMediationMutation = graphql(`
  mutation OnCallCancelMediation($input: CancelMediationInput!) {
    cancelMediation(input: $input) { ...OnCallRequestFields }
  }
`);

export const MediatorProfilesQuery = graphql(`
  query OnCallMediatorProfiles {
    mediatorProfiles { userId languages dialects territories available maxActive active version }
  }
`);

export const SetMediatorProfileMutation = graphql(`
  mutation OnCallSetMediatorProfile($input: SetMediatorProfileInput!) {
    setMediatorProfile(input: $input) { userId languages dialects territories available maxActive active version }
  }
`);

export const RequesterOrganisationsQuery = graphql(`
  query OnCallRequesterOrganisations {
    requesterOrganisations { id name kind address territoryCode memberIds version }
  }
`);

export const CreateRequesterOrganisationMutation = graphql(`
  mutation OnCallCreateRequesterOrganisation($input: CreateRequesterOrganisationInput!) {
    createRequesterOrganisation(input: $input) { id name kind address territoryCode memberIds version }
  }
`);

export const RequesterAccountsQuery = graphql(`
  query OnCallRequesterAccounts {
    memberships(first: 100) { nodes { userId userEmail userDisplayName roles } }
  }
`);

export const AddRequesterMutation = graphql(`
  mutation OnCallAddRequester($organisationId: ID!, $userId: ID!) {
    addRequester(organisationId: $organisationId, userId: $userId) { id name kind address territoryCode memberIds version }
  }
`);

export const OnCallSettingsQuery = graphql(`
  query OnCallSettings {
    onCallSettings { urgentActivationMinutes normalActivationMinutes legalResponseMinutes version }
  }
`);

export const SetOnCallSettingsMutation = graphql(`
  mutation OnCallSetSettings($input: SetOnCallSettingsInput!) {
    setOnCallSettings(input: $input) { urgentActivationMinutes normalActivationMinutes legalResponseMinutes version }
  }
`);

export const OnCallFiguresQuery = graphql(`
  query OnCallFigures($from: NaiveDate!, $to: NaiveDate!) {
    onCallFigures(from: $from, to: $to) {
      mediationRequests cancelled legalConsultations
      byPurpose { purpose count }
      byCategory { category count }
      activationUrgent { count medianSeconds p90Seconds targetSeconds withinTarget }
      activationNormal { count medianSeconds p90Seconds targetSeconds withinTarget }
      legalResponse { count medianSeconds p90Seconds targetSeconds withinTarget }
    }
  }
`);

export const LegalConsultationsQuery = graphql(`
  query OnCallLegalConsultations($after: String, $status: LegalConsultationStatus) {
    legalConsultations(first: 30, after: $after, status: $status) {
      nodes { ...OnCallConsultationFields }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const AskLegalQuestionMutation = graphql(`
  mutation OnCallAskLegalQuestion($input: AskLegalQuestionInput!) {
    askLegalQuestion(input: $input) { ...OnCallConsultationFields }
  }
`);

export const TakeConsultationMutation = graphql(`
  mutation OnCallTakeConsultation($consultationId: ID!) {
    takeLegalConsultation(consultationId: $consultationId) { ...OnCallConsultationFields }
  }
`);

export const AnswerConsultationMutation = graphql(`
  mutation OnCallAnswerConsultation($input: LegalMessageInput!) {
    answerLegalConsultation(input: $input) { ...OnCallConsultationFields }
  }
`);

export const FollowUpConsultationMutation = graphql(`
  mutation OnCallFollowUpConsultation($input: LegalMessageInput!) {
    followUpLegalConsultation(input: $input) { ...OnCallConsultationFields }
  }
`);

export const CloseConsultationMutation = graphql(`
  mutation OnCallCloseConsultation($consultationId: ID!) {
    closeLegalConsultation(consultationId: $consultationId) { ...OnCallConsultationFields }
  }
`);

export const PublishKnowledgeMutation = graphql(`
  mutation OnCallPublishKnowledge($input: PublishKnowledgeInput!) {
    publishKnowledge(input: $input) { id category question answer publishedAt }
  }
`);

export const LegalKnowledgeQuery = graphql(`
  query OnCallLegalKnowledge($text: String, $category: LegalCategory, $after: String) {
    legalKnowledge(first: 20, after: $after, text: $text, category: $category) {
      nodes { id category question answer publishedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const OnCallUpdatesSubscription = graphql(`
  subscription OnCallUpdates {
    onCallUpdates {
      topic change
      mediationRequest { ...OnCallRequestFields }
      legalConsultation { ...OnCallConsultationFields }
    }
  }
`);
