// The operations of the API tokens page. `npm run codegen` turns these into typed documents.
import { graphql } from '../../gql';

export const ApiTokenFieldsFragment = graphql(`
  fragment ApiTokenFields on ApiToken {
    id kind name scope ownerUserId roles createdByUserId createdAt expiresAt lastUsedAt revokedAt
  }
`);

export const ApiTokensQuery = graphql(`
  query ApiTokens($after: String) {
    apiTokens(first: 20, after: $after) {
      edges { cursor node { ...ApiTokenFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

// `ApiToken` is not a `Node`: one token is read back as the single token after the cursor of
// the one before it in the list (tokens are listed by id, so the position does not move).
export const ApiTokenUsesQuery = graphql(`
  query ApiTokenUses($before: String, $after: String) {
    apiTokens(first: 1, after: $before) {
      nodes {
        id
        uses(first: 20, after: $after) {
          nodes { at operation kind client }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { token apiToken { ...ApiTokenFields } }
  }
`);

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) { ...ApiTokenFields }
  }
`);
