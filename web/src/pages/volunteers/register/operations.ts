// The operations of the volunteers' register screens. `npm run codegen` turns them into typed
// documents; names start with `Register` so that they stay apart from the other areas'.
import { graphql } from '../../../gql';


export const RegisterListQuery = graphql(`
  query RegisterList($first: Int, $after: String, $status: VolunteerStatus, $skill: String, $territory: String) {
    volunteers(first: $first, after: $after, status: $status, skill: $skill, territory: $territory) {
      pageInfo { hasNextPage endCursor }
      nodes { id version givenNames familyNames email phone skills territories status source hasAccount createdAt }
    }
  }
`);

export const RegisterQueueQuery = graphql(`
  query RegisterQueue($first: Int, $after: String, $status: VolunteerStatus) {
    volunteers(first: $first, after: $after, status: $status) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id version givenNames familyNames email phone skills territories status source hasAccount createdAt
        languages { code level }
        history { status byUserId at note }
      }
    }
  }
`);

export const RegisterTaxonomyQuery = graphql(`
  query RegisterTaxonomy {
    skills { code label default retired }
    territories(first: 100) { nodes { id istatCode name } }
  }
`);

export const RegisterVolunteerQuery = graphql(`
  query RegisterVolunteer($id: ID!) {
    node(id: $id) {
      ... on Volunteer {
        id version givenNames familyNames email phone
        languages { code level }
        skills territories
        availability { weekly { weekday from to } exceptions { on slots { weekday from to } } }
        worksWithMinors minorsCheckOn status source hasAccount conductSignedOn dataConsentOn createdAt updatedAt
        history { status byUserId at note }
      }
    }
  }
`);

export const RegisterAddVolunteerMutation = graphql(`
  mutation RegisterAddVolunteer($input: AddVolunteerInput!) {
    addVolunteer(input: $input) { id }
  }
`);

export const RegisterUpdateVolunteerMutation = graphql(`
  mutation RegisterUpdateVolunteer($input: UpdateVolunteerInput!) {
    updateVolunteer(input: $input) { id version }
  }
`);

export const RegisterSetStatusMutation = graphql(`
  mutation RegisterSetStatus($input: SetVolunteerStatusInput!) {
    setVolunteerStatus(input: $input) { id version status email invitationToken }
  }
`);

export const RegisterInviteMutation = graphql(`
  mutation RegisterInvite($id: ID!) {
    inviteVolunteer(id: $id) { id version email invitationToken }
  }
`);

export const RegisterAddSkillMutation = graphql(`
  mutation RegisterAddSkill($input: AddSkillInput!) {
    addSkill(input: $input) { code label default retired }
  }
`);

export const RegisterRetireSkillMutation = graphql(`
  mutation RegisterRetireSkill($code: String!) {
    retireSkill(code: $code) { code retired }
  }
`);

export const RegisterRestoreSkillMutation = graphql(`
  mutation RegisterRestoreSkill($code: String!) {
    restoreSkill(code: $code) { code retired }
  }
`);

export const RegisterMyVolunteerQuery = graphql(`
  query RegisterMyVolunteer {
    myVolunteer {
      id version givenNames familyNames email phone
      languages { code level }
      skills territories
      availability { weekly { weekday from to } exceptions { on slots { weekday from to } } }
      status
    }
  }
`);

export const RegisterMySkillsQuery = graphql(`
  query RegisterMySkills {
    skills { code label default retired }
  }
`);

export const RegisterUpdateMyVolunteerMutation = graphql(`
  mutation RegisterUpdateMyVolunteer($input: UpdateMyVolunteerInput!) {
    updateMyVolunteer(input: $input) { id version }
  }
`);

export const RegisterPublicFormQuery = graphql(`
  query RegisterPublicForm($tenantId: ID!) {
    publicVolunteerForm(tenantId: $tenantId) {
      tenantName
      territories { istatCode name }
      skills { code label default retired }
    }
  }
`);

export const RegisterSubmitApplicationMutation = graphql(`
  mutation RegisterSubmitApplication($input: VolunteerApplicationInput!) {
    submitVolunteerApplication(input: $input)
  }
`);

export const RegisterAssignedTasksQuery = graphql(`
  query RegisterAssignedTasks($volunteerId: ID!, $after: String) {
    tasks(first: 100, after: $after, status: ASSIGNED, volunteerId: $volunteerId) {
      nodes { id endsAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
