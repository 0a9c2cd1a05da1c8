//! Tasks, matching, offers and answers, hours and delegations.

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sportello_volunteers as vol;

use super::*;

/// The task logged hours were for, as they name it.
#[derive(SimpleObject)]
pub struct HoursTask {
    /// A skill code of the tenant's taxonomy.
    pub skill: String,
    pub starts_at: DateTime<Utc>,
}

/// What a task refers to, or `None` when it was removed since (`NOT_FOUND`).
fn unless_removed<T>(found: sportello_kernel::Result<T>) -> GqlResult<Option<T>> {
    match found {
        Ok(found) => Ok(Some(found)),
        Err(e) if e.code == sportello_kernel::error::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(to_gql(e)),
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::TaskStatus")]
/// Where a task stands: `OPEN` → `ASSIGNED` (the first volunteer who accepted) → `DONE`;
/// `OPEN` or `ASSIGNED` → `CANCELLED`.
pub enum TaskStatus {
    Open,
    Assigned,
    Done,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::OfferStatus")]
/// A volunteer's answer to an offer; `CLOSED` when another volunteer took the task, it was
/// cancelled before they answered, or the volunteer was suspended or withdrawn (then staff may
/// offer it again).
pub enum OfferStatus {
    Offered,
    Accepted,
    Declined,
    Closed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_volunteers::HoursStatus")]
/// Logged hours are `PENDING` until staff approve or reject them.
pub enum HoursStatus {
    Pending,
    Approved,
    Rejected,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
/// Why a volunteer is proposed for a task.
pub enum MatchReasonCode {
    /// Has the task's skill.
    Skill,
    /// Acts in the task's municipality.
    Territory,
    /// Speaks the task's language (`level`).
    Language,
    /// Available for the whole task window, in the tenant's local time.
    Available,
    /// The task involves minors and the volunteer's check was seen.
    MinorsCheck,
    /// Open offers and assigned tasks in the coming four weeks (`tasks`).
    Load,
}

/// One reason a volunteer is proposed, with its figure: `level` for `LANGUAGE`, `tasks` for
/// `LOAD`.
#[derive(SimpleObject)]
pub struct MatchReason {
    pub code: MatchReasonCode,
    pub level: Option<LanguageLevel>,
    pub tasks: Option<i32>,
}

impl From<vol::MatchReason> for MatchReason {
    fn from(r: vol::MatchReason) -> Self {
        let plain = |code| MatchReason {
            code,
            level: None,
            tasks: None,
        };
        match r {
            vol::MatchReason::Skill => plain(MatchReasonCode::Skill),
            vol::MatchReason::Territory => plain(MatchReasonCode::Territory),
            vol::MatchReason::Available => plain(MatchReasonCode::Available),
            vol::MatchReason::MinorsCheck => plain(MatchReasonCode::MinorsCheck),
            vol::MatchReason::Language { level } => MatchReason {
                level: Some(level.into()),
                ..plain(MatchReasonCode::Language)
            },
            vol::MatchReason::Load { tasks } => MatchReason {
                tasks: Some(i32::try_from(tasks).unwrap_or(i32::MAX)),
                ..plain(MatchReasonCode::Load)
            },
        }
    }
}

/// A task an operator or a desk asks a volunteer for, with only what the operator chose to share
/// about the person served.
pub struct Task(pub vol::Task);

#[Object]
impl Task {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Task, self.0.id.uuid())
    }
    /// Raised by one on every change; a change sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// A skill code of the tenant's taxonomy.
    async fn skill(&self) -> &str {
        &self.0.skill
    }
    /// ISO 639 code of the language of the person served.
    async fn language(&self) -> &str {
        &self.0.language
    }
    /// ISTAT code of the municipality.
    async fn territory(&self) -> &str {
        &self.0.territory
    }
    async fn desk_id(&self) -> Option<ID> {
        self.0.desk_id.map(|d| ids::encode(Kind::Desk, d.uuid()))
    }
    async fn place_id(&self) -> Option<ID> {
        self.0.place_id.map(|p| ids::encode(Kind::Place, p.uuid()))
    }
    /// The desk the help is asked at, if any: its name and address tell the volunteer where to
    /// go. Null as well when the desk was removed since.
    async fn desk(&self, ctx: &Context<'_>) -> GqlResult<Option<crate::schema::types::Desk>> {
        let Some(id) = self.0.desk_id else {
            return Ok(None);
        };
        let (svc, rc) = services(ctx)?;
        let found = unless_removed(svc.tenancy.get_desk(&rc.ctx, id).await)?;
        Ok(found.map(crate::schema::types::Desk))
    }
    /// The place the help is asked at, if any (null as well when it was removed since).
    async fn place(&self, ctx: &Context<'_>) -> GqlResult<Option<crate::schema::types::Place>> {
        let Some(id) = self.0.place_id else {
            return Ok(None);
        };
        let (svc, rc) = services(ctx)?;
        let found = unless_removed(svc.tenancy.get_place(&rc.ctx, id).await)?;
        Ok(found.map(crate::schema::types::Place))
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    async fn involves_minors(&self) -> bool {
        self.0.involves_minors
    }
    /// The person's first name, if the operator chose to share it.
    async fn person_first_name(&self) -> Option<&str> {
        self.0.person_first_name.as_deref()
    }
    /// What else the operator chose to share (at most 500 characters).
    async fn shared_note(&self) -> Option<&str> {
        self.0.shared_note.as_deref()
    }
    async fn status(&self) -> TaskStatus {
        self.0.status.into()
    }
    /// The volunteer who accepted it (to a volunteer, only when it is them).
    async fn volunteer_id(&self) -> Option<ID> {
        self.0
            .volunteer_id
            .map(|v| ids::encode(Kind::Volunteer, v.uuid()))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A volunteer proposed for a task: `score` orders the proposals (availability, then language
/// level, then the lighter load), `reasons` say why.
pub struct TaskMatch(pub vol::TaskMatch);

#[Object]
impl TaskMatch {
    async fn volunteer(&self) -> Volunteer {
        Volunteer(self.0.volunteer.clone())
    }
    async fn score(&self) -> i32 {
        self.0.score
    }
    async fn reasons(&self) -> Vec<MatchReason> {
        self.0.reasons.iter().cloned().map(Into::into).collect()
    }
}

/// One offer of a task to a volunteer, and their answer.
#[derive(SimpleObject)]
pub struct TaskOffer {
    pub task_id: ID,
    pub volunteer_id: ID,
    pub status: OfferStatus,
    pub offered_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<vol::TaskOffer> for TaskOffer {
    fn from(o: vol::TaskOffer) -> Self {
        Self {
            task_id: ids::encode(Kind::Task, o.task_id.uuid()),
            volunteer_id: ids::encode(Kind::Volunteer, o.volunteer_id.uuid()),
            status: o.status.into(),
            offered_at: o.offered_at,
            answered_at: o.answered_at,
        }
    }
}

/// A task offered to the signed-in volunteer, with their answer.
pub struct MyTask(pub vol::MyTask);

#[Object]
impl MyTask {
    async fn task(&self) -> Task {
        Task(self.0.task.clone())
    }
    async fn offer(&self) -> OfferStatus {
        self.0.offer.into()
    }
}

/// Time a volunteer gave on one local day.
pub struct HoursEntry(pub vol::HoursEntry);

#[Object]
impl HoursEntry {
    async fn id(&self) -> ID {
        ids::encode(Kind::HoursEntry, self.0.id.uuid())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn volunteer_id(&self) -> ID {
        ids::encode(Kind::Volunteer, self.0.volunteer_id.uuid())
    }
    async fn task_id(&self) -> Option<ID> {
        self.0.task_id.map(|t| ids::encode(Kind::Task, t.uuid()))
    }
    /// What the task was and when it started, to name it (also on the volunteer's own list).
    async fn task(&self) -> Option<HoursTask> {
        self.0.task.as_ref().map(|t| HoursTask {
            skill: t.skill.clone(),
            starts_at: t.starts_at,
        })
    }
    /// The local day (tenant's time zone).
    async fn on(&self) -> NaiveDate {
        self.0.on
    }
    /// 1 to 1440.
    async fn minutes(&self) -> i32 {
        i32::try_from(self.0.minutes).unwrap_or(i32::MAX)
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn status(&self) -> HoursStatus {
        self.0.status.into()
    }
    /// The member of staff who approved or rejected them.
    async fn decided_by_user_id(&self) -> Option<ID> {
        self.0.decided_by.map(|u| ids::encode(Kind::User, u.uuid()))
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A volunteer lent to a requesting body from one local day to another, both included.
pub struct Delegation(pub vol::Delegation);

#[Object]
impl Delegation {
    async fn id(&self) -> ID {
        ids::encode(Kind::Delegation, self.0.id.uuid())
    }
    async fn volunteer_id(&self) -> ID {
        ids::encode(Kind::Volunteer, self.0.volunteer_id.uuid())
    }
    /// The requesting body's name.
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn from(&self) -> NaiveDate {
        self.0.from
    }
    async fn to(&self) -> NaiveDate {
        self.0.to
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_by_user_id(&self) -> ID {
        ids::encode(Kind::User, self.0.created_by.uuid())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A request for help. `startsAt` in the future, `endsAt` after it (at most 24 hours later);
/// share only what the volunteer needs about the person served.
#[derive(InputObject)]
pub struct RequestTaskInput {
    /// A skill code of the tenant's taxonomy.
    pub skill: String,
    /// ISO 639 code.
    pub language: String,
    /// ISTAT code of one of the tenant's municipalities.
    pub territory: String,
    pub desk_id: Option<ID>,
    /// A place of the tenant (of `deskId` when both are given).
    pub place_id: Option<ID>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[graphql(default)]
    pub involves_minors: bool,
    pub person_first_name: Option<String>,
    /// At most 500 characters.
    pub shared_note: Option<String>,
}

/// Closes a task at the version staff saw.
#[derive(InputObject)]
pub struct SetTaskStatusInput {
    pub id: ID,
    pub status: TaskStatus,
    pub expected_version: i32,
}

/// Offers an open task to volunteers.
#[derive(InputObject)]
pub struct OfferTaskInput {
    pub task_id: ID,
    pub volunteer_ids: Vec<ID>,
}

/// Time the signed-in volunteer gave: `on` a local day not after today, `minutes` 1 to 1440.
#[derive(InputObject)]
pub struct LogHoursInput {
    /// A task assigned to the volunteer, if the time was for one.
    pub task_id: Option<ID>,
    pub on: NaiveDate,
    pub minutes: i32,
    pub note: Option<String>,
}

/// Approves or rejects pending hours at the version staff saw.
#[derive(InputObject)]
pub struct DecideHoursInput {
    pub id: ID,
    pub expected_version: i32,
}

/// Lends a volunteer to a requesting body.
#[derive(InputObject)]
pub struct AddDelegationInput {
    pub volunteer_id: ID,
    /// The requesting body's name (1 to 200 characters).
    pub body: String,
    pub from: NaiveDate,
    /// Not before `from`.
    pub to: NaiveDate,
    pub note: Option<String>,
}

#[derive(Default)]
pub struct TasksQuery;

#[Object]
impl TasksQuery {
    /// The tenant's tasks, oldest first, optionally of one status and of the volunteer who
    /// accepted them (`volunteerId`). Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<TaskStatus>,
        volunteer_id: Option<ID>,
    ) -> GqlResult<Connection<String, Task>> {
        let (svc, rc) = services(ctx)?;
        let volunteer_id = volunteer_id
            .map(|v| ids::decode_input(Kind::Volunteer, &v, "volunteerId"))
            .transpose()
            .gql()?;
        let fetch = |page| {
            svc.volunteers.list_tasks(
                &rc.ctx,
                vol::ListTasks {
                    status: status.map(Into::into),
                    volunteer_id,
                    page,
                },
            )
        };
        paginate(first, after, fetch, |t| t.id.uuid(), Task).await
    }

    /// One task by id. Staff only.
    async fn task(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Task> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Task, &id).gql()?;
        Ok(Task(svc.volunteers.get_task(&rc.ctx, id).await.gql()?))
    }

    /// The volunteers to propose for a task, best first, with the reasons: active, with the
    /// task's skill, municipality and language, the minors check when the task involves minors,
    /// and not one who declined it. `first` 1 to 100 (default 20). Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn task_matches(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        first: Option<i32>,
    ) -> GqlResult<Vec<TaskMatch>> {
        let (svc, rc) = services(ctx)?;
        let req = vol::TaskMatches {
            task_id: ids::decode(Kind::Task, &task_id).gql()?,
            first: u32::try_from(first.unwrap_or(0)).unwrap_or(0),
        };
        let found = svc.volunteers.task_matches(&rc.ctx, req).await.gql()?;
        Ok(found.into_iter().map(TaskMatch).collect())
    }

    /// Every offer of a task, oldest first. Staff only.
    async fn task_offers(&self, ctx: &Context<'_>, task_id: ID) -> GqlResult<Vec<TaskOffer>> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Task, &task_id).gql()?;
        let offers = svc.volunteers.task_offers(&rc.ctx, id).await.gql()?;
        Ok(offers.into_iter().map(Into::into).collect())
    }

    /// The tasks offered to the signed-in volunteer, with their answer (volunteers only).
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, MyTask>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| svc.volunteers.my_tasks(&rc.ctx, page);
        paginate(first, after, fetch, |t| t.offer_id, MyTask).await
    }

    /// The signed-in volunteer's own hours, newest first (volunteers only).
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn my_hours(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, HoursEntry>> {
        let (svc, rc) = services(ctx)?;
        let fetch = |page| svc.volunteers.my_hours(&rc.ctx, page);
        paginate(first, after, fetch, |h| h.id.uuid(), HoursEntry).await
    }

    /// Logged hours of the tenant, newest first, by status or volunteer. Staff only.
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn hours(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<HoursStatus>,
        volunteer_id: Option<ID>,
    ) -> GqlResult<Connection<String, HoursEntry>> {
        let (svc, rc) = services(ctx)?;
        let volunteer_id = volunteer_id
            .map(|v| ids::decode_input(Kind::Volunteer, &v, "volunteerId"))
            .transpose()
            .gql()?;
        let fetch = |page| {
            svc.volunteers.list_hours(
                &rc.ctx,
                vol::ListHours {
                    status: status.map(Into::into),
                    volunteer_id,
                    page,
                },
            )
        };
        paginate(first, after, fetch, |h| h.id.uuid(), HoursEntry).await
    }

    /// A volunteer's delegations, oldest first. Staff only.
    async fn delegations(&self, ctx: &Context<'_>, volunteer_id: ID) -> GqlResult<Vec<Delegation>> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Volunteer, &volunteer_id).gql()?;
        let found = svc.volunteers.list_delegations(&rc.ctx, id).await.gql()?;
        Ok(found.into_iter().map(Delegation).collect())
    }
}

#[derive(Default)]
pub struct TasksMutation;

#[Object]
impl TasksMutation {
    /// Asks for help (`OPEN`). Refusals are `INVALID_INPUT` naming the field. Staff only.
    async fn request_task(&self, ctx: &Context<'_>, input: RequestTaskInput) -> GqlResult<Task> {
        let (svc, rc) = services(ctx)?;
        let req = vol::RequestTask {
            skill: input.skill,
            language: input.language,
            territory: input.territory,
            desk_id: input
                .desk_id
                .map(|d| ids::decode_input(Kind::Desk, &d, "deskId"))
                .transpose()
                .gql()?,
            place_id: input
                .place_id
                .map(|p| ids::decode_input(Kind::Place, &p, "placeId"))
                .transpose()
                .gql()?,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            involves_minors: input.involves_minors,
            person_first_name: input.person_first_name,
            shared_note: input.shared_note,
        };
        Ok(Task(svc.volunteers.request_task(&rc.ctx, req).await.gql()?))
    }

    /// `DONE` (from `ASSIGNED`, once the task has started) or `CANCELLED` (from `OPEN` or
    /// `ASSIGNED`); another step, or `DONE` before `startsAt`, is `TRANSITION_NOT_ALLOWED` on
    /// `status`; a stale `expectedVersion` is `CONFLICT`. Staff only.
    async fn set_task_status(
        &self,
        ctx: &Context<'_>,
        input: SetTaskStatusInput,
    ) -> GqlResult<Task> {
        let (svc, rc) = services(ctx)?;
        let req = vol::SetTaskStatus {
            id: ids::decode(Kind::Task, &input.id).gql()?,
            status: input.status.into(),
            expected_version: input.expected_version,
        };
        Ok(Task(
            svc.volunteers.set_task_status(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Offers an open task to volunteers (each active, with the minors check when the task
    /// involves minors: else `VOLUNTEER_NOT_ACTIVE` or `MINORS_CHECK_MISSING` on
    /// `volunteerIds`); returns every offer of the task. Staff only.
    async fn offer_task(
        &self,
        ctx: &Context<'_>,
        input: OfferTaskInput,
    ) -> GqlResult<Vec<TaskOffer>> {
        let (svc, rc) = services(ctx)?;
        let req = vol::OfferTask {
            task_id: ids::decode(Kind::Task, &input.task_id).gql()?,
            volunteer_ids: input
                .volunteer_ids
                .iter()
                .map(|v| ids::decode_input(Kind::Volunteer, v, "volunteerIds"))
                .collect::<sportello_kernel::Result<_>>()
                .gql()?,
        };
        let offers = svc.volunteers.offer_task(&rc.ctx, req).await.gql()?;
        Ok(offers.into_iter().map(Into::into).collect())
    }

    /// The signed-in volunteer accepts a task offered to them. The first acceptance wins; a
    /// later one is `TASK_TAKEN`. Volunteers only.
    async fn accept_task(&self, ctx: &Context<'_>, task_id: ID) -> GqlResult<MyTask> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Task, &task_id).gql()?;
        Ok(MyTask(svc.volunteers.accept_task(&rc.ctx, id).await.gql()?))
    }

    /// The signed-in volunteer declines a task offered to them. Volunteers only.
    async fn decline_task(&self, ctx: &Context<'_>, task_id: ID) -> GqlResult<MyTask> {
        let (svc, rc) = services(ctx)?;
        let id = ids::decode(Kind::Task, &task_id).gql()?;
        Ok(MyTask(
            svc.volunteers.decline_task(&rc.ctx, id).await.gql()?,
        ))
    }

    /// The signed-in volunteer logs time for themself (`PENDING`). Volunteers only.
    async fn log_hours(&self, ctx: &Context<'_>, input: LogHoursInput) -> GqlResult<HoursEntry> {
        let (svc, rc) = services(ctx)?;
        let req = vol::LogHours {
            task_id: input
                .task_id
                .map(|t| ids::decode_input(Kind::Task, &t, "taskId"))
                .transpose()
                .gql()?,
            on: input.on,
            // Negative becomes 0, which the service refuses naming `minutes`.
            minutes: u32::try_from(input.minutes).unwrap_or(0),
            note: input.note,
        };
        Ok(HoursEntry(
            svc.volunteers.log_hours(&rc.ctx, req).await.gql()?,
        ))
    }

    /// `PENDING` → `APPROVED`. Staff only.
    async fn approve_hours(
        &self,
        ctx: &Context<'_>,
        input: DecideHoursInput,
    ) -> GqlResult<HoursEntry> {
        let (svc, rc) = services(ctx)?;
        let req = vol::DecideHours {
            id: ids::decode(Kind::HoursEntry, &input.id).gql()?,
            expected_version: input.expected_version,
        };
        Ok(HoursEntry(
            svc.volunteers.approve_hours(&rc.ctx, req).await.gql()?,
        ))
    }

    /// `PENDING` → `REJECTED`. Staff only.
    async fn reject_hours(
        &self,
        ctx: &Context<'_>,
        input: DecideHoursInput,
    ) -> GqlResult<HoursEntry> {
        let (svc, rc) = services(ctx)?;
        let req = vol::DecideHours {
            id: ids::decode(Kind::HoursEntry, &input.id).gql()?,
            expected_version: input.expected_version,
        };
        Ok(HoursEntry(
            svc.volunteers.reject_hours(&rc.ctx, req).await.gql()?,
        ))
    }

    /// Lends a volunteer to a requesting body. Staff only.
    async fn add_delegation(
        &self,
        ctx: &Context<'_>,
        input: AddDelegationInput,
    ) -> GqlResult<Delegation> {
        let (svc, rc) = services(ctx)?;
        let req = vol::AddDelegation {
            volunteer_id: ids::decode_input(Kind::Volunteer, &input.volunteer_id, "volunteerId")
                .gql()?,
            body: input.body,
            from: input.from,
            to: input.to,
            note: input.note,
        };
        Ok(Delegation(
            svc.volunteers.add_delegation(&rc.ctx, req).await.gql()?,
        ))
    }
}
