// The operations of the tasks area: requests for help, matching and offers, a volunteer's own
// tasks and hours, hours to approve, delegations. `npm run codegen` turns these into typed documents.
import { graphql } from '../../../gql';


export const TasksListQuery = graphql(`
  query TasksList($after: String, $status: TaskStatus) {
    tasks(first: 20, after: $after, status: $status) {
      nodes { id version skill language territory startsAt endsAt involvesMinors personFirstName status volunteerId desk { name } place { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const TasksTaskQuery = graphql(`
  query TasksTask($id: ID!) {
    task(id: $id) {
      id version skill language territory deskId placeId startsAt endsAt involvesMinors personFirstName sharedNote status volunteerId createdAt
      desk { name address }
      place { name address }
    }
    taskOffers(taskId: $id) { taskId volunteerId status offeredAt answeredAt }
  }
`);

/** What names a task in a list of hours: its skill and when it starts. */
export const TasksMatchesQuery = graphql(`
  query TasksMatches($id: ID!) {
    taskMatches(taskId: $id, first: 20) {
      score
      volunteer { id givenNames familyNames }
      reasons { code level tasks }
    }
  }
`);

export const TasksRequestMutation = graphql(`
  mutation TasksRequest($input: RequestTaskInput!) {
    requestTask(input: $input) { id }
  }
`);

export const TasksOfferMutation = graphql(`
  mutation TasksOffer($input: OfferTaskInput!) {
    offerTask(input: $input) { taskId volunteerId status offeredAt answeredAt }
  }
`);

export const TasksSetStatusMutation = graphql(`
  mutation TasksSetStatus($input: SetTaskStatusInput!) {
    setTaskStatus(input: $input) { id version status }
  }
`);

export const TasksSkillsQuery = graphql(`
  query TasksSkills {
    skills { code label default retired }
  }
`);

export const TasksDesksQuery = graphql(`
  query TasksDesks {
    desks(first: 100) { nodes { id name territory { istatCode } } }
    places(first: 100) { nodes { id name desk { id } } }
  }
`);

export const TasksVolunteersQuery = graphql(`
  query TasksVolunteers($after: String, $status: VolunteerStatus) {
    volunteers(first: 100, after: $after, status: $status) {
      nodes { id givenNames familyNames status }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const TasksHoursQuery = graphql(`
  query TasksHours($after: String, $status: HoursStatus) {
    hours(first: 20, after: $after, status: $status) {
      nodes { id version volunteerId taskId task { skill startsAt } on minutes note status decidedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const TasksApproveHoursMutation = graphql(`
  mutation TasksApproveHours($input: DecideHoursInput!) {
    approveHours(input: $input) { id version status decidedAt }
  }
`);

export const TasksRejectHoursMutation = graphql(`
  mutation TasksRejectHours($input: DecideHoursInput!) {
    rejectHours(input: $input) { id version status decidedAt }
  }
`);

export const TasksDelegationsQuery = graphql(`
  query TasksDelegations($volunteerId: ID!) {
    delegations(volunteerId: $volunteerId) { id volunteerId body from to note createdAt }
  }
`);

export const TasksAddDelegationMutation = graphql(`
  mutation TasksAddDelegation($input: AddDelegationInput!) {
    addDelegation(input: $input) { id volunteerId body from to note createdAt }
  }
`);

export const TasksMyTasksQuery = graphql(`
  query TasksMyTasks($after: String) {
    myTasks(first: 20, after: $after) {
      nodes {
        offer
        task {
          id skill language territory deskId placeId startsAt endsAt involvesMinors personFirstName sharedNote status
          desk { name address }
          place { name address }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const TasksMyHoursQuery = graphql(`
  query TasksMyHours($after: String) {
    myHours(first: 20, after: $after) {
      nodes { id taskId task { skill startsAt } on minutes note status }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const TasksAcceptMutation = graphql(`
  mutation TasksAccept($taskId: ID!) {
    acceptTask(taskId: $taskId) { offer task { id status } }
  }
`);

export const TasksDeclineMutation = graphql(`
  mutation TasksDecline($taskId: ID!) {
    declineTask(taskId: $taskId) { offer task { id status } }
  }
`);

export const TasksLogHoursMutation = graphql(`
  mutation TasksLogHours($input: LogHoursInput!) {
    logHours(input: $input) { id taskId task { skill startsAt } on minutes note status }
  }
`);
