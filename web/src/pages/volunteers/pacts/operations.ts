// The operations of the pacts area: staff's pacts, their steps and reports, and the public list
// of pacts in force. `npm run codegen` turns these into typed documents.
import { graphql } from '../../../gql';

export const PactsListQuery = graphql(`
  query PactsList($after: String, $status: PactStatus, $municipality: String) {
    pacts(first: 20, after: $after, status: $status, municipality: $municipality) {
      nodes { id proposerKind proposerName municipality goodKind goodName startDate endDate renewedUntil status }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const PactsPactQuery = graphql(`
  query PactsPact($id: ID!, $after: String) {
    node(id: $id) {
      ... on Pact {
        id version proposerKind proposerName proposerVolunteerIds proposerEmail proposerPhone municipality
        goodKind goodName goodAddress activities municipalityCommitments proposerCommitments
        firstStartDate startDate endDate renewedUntil durationMonths period renewal status signedOn createdAt
        history { status byUserId at note }
        reports(first: 20, after: $after) {
          nodes { on text minutes byUserId createdAt }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

export const PactsReportsQuery = graphql(`
  query PactsReports($id: ID!, $after: String) {
    node(id: $id) {
      ... on Pact {
        reports(first: 20, after: $after) {
          nodes { on text minutes byUserId createdAt }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

export const PactsAddMutation = graphql(`
  mutation PactsAdd($input: PactInput!) {
    addPact(input: $input) { id }
  }
`);

export const PactsSetStatusMutation = graphql(`
  mutation PactsSetStatus($input: SetPactStatusInput!) {
    setPactStatus(input: $input) { id version status }
  }
`);

export const PactsAddReportMutation = graphql(`
  mutation PactsAddReport($input: AddPactReportInput!) {
    addPactReport(input: $input) { on }
  }
`);

export const PactsVolunteersQuery = graphql(`
  query PactsVolunteers {
    volunteers(first: 100, status: ACTIVE) { nodes { id givenNames familyNames } }
  }
`);

export const PactsPublicQuery = graphql(`
  query PactsPublic($tenantId: ID!, $istatCode: String!, $after: String) {
    publicPacts(tenantId: $tenantId, istatCode: $istatCode, first: 20, after: $after) {
      nodes { municipality goodKind goodName goodAddress activities startDate endDate renewedUntil status proposerKind proposerName }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const PactsPublicTenantQuery = graphql(`
  query PactsPublicTenant($tenantId: ID!) {
    publicVolunteerForm(tenantId: $tenantId) { tenantName territories { istatCode name } }
  }
`);

export const PactsUpdateMutation = graphql(`
  mutation PactsUpdate($input: UpdatePactInput!) {
    updatePact(input: $input) { id version }
  }
`);
