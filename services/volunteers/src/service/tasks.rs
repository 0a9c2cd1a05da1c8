//! Tasks: requests for help, matching volunteers to them, offers and the volunteers' answers
//! (the first acceptance wins), and delegations of volunteers to requesting bodies.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::error::{List, Object, Refusals};
use sportello_kernel::{Context, Error, Reason, Result, UserId, dates, iso};
use sportello_tenancy::domain::{Name, optional_text};
use uuid::Uuid;

use super::VolunteersService;
use super::register::{
    active_skills, find_volunteer, own_volunteer, require_known_territories, to_volunteer,
};
use crate::domain::matching::{self, Candidate, LOAD_WINDOW_DAYS, TaskNeeds};
use crate::interface::*;
use crate::store::{delegation, list_pattern, split_list, task, task_offer, volunteer};

/// A task starts at most this many days ahead.
const TASK_AHEAD_DAYS: i64 = 730;
/// A task lasts at most this many hours.
const TASK_MAX_HOURS: i64 = 24;
/// A requesting body's name: at most this many characters.
const BODY_MAX: usize = 200;

impl VolunteersService {
    pub(super) async fn request_task(&self, ctx: &Context, req: RequestTask) -> Result<Task> {
        let tenant = ctx.tenant()?;
        let now = ctx.now();
        // Every field at fault is named, in the order of the form: what, where, when, who.
        let mut refusals = Refusals::default();
        let skill = req.skill.trim().to_ascii_uppercase();
        let reading = self.db.begin(Scope::Tenant(tenant)).await?;
        let skills = active_skills(&reading).await?;
        reading.finish().await?;
        if !skills.contains(&skill) {
            refusals.note(Error::on("skill", Reason::NotInList { list: List::Skills }));
        }
        let language = refusals.take(iso::language("language", &req.language));
        let territory = req.territory.trim().to_owned();
        let shaped = refusals.take(
            crate::domain::check_territory_codes(vec![territory.clone()])
                .map_err(|e| Error::on("territory", *e.reason)),
        );
        // Other services before the transaction that writes takes any lock.
        if shaped.is_some() {
            let known = self.tenant_territory_codes(ctx).await?;
            refusals.take(
                require_known_territories(std::slice::from_ref(&territory), &known)
                    .map_err(|e| Error::on("territory", *e.reason)),
            );
        }
        // Only "none such" is the input's fault; the tenancy service being unreachable is not.
        let unknown = |e: &Error| e.code == sportello_kernel::ErrorCode::NotFound;
        if let Some(desk) = req.desk_id {
            match self.tenancy.get_desk(ctx, desk).await {
                Err(e) if unknown(&e) => refusals.note(Error::on(
                    "deskId",
                    Reason::NoSuch {
                        object: Object::Desk,
                    },
                )),
                Err(e) => return Err(e),
                Ok(_) => {}
            }
        }
        if let Some(place) = req.place_id {
            match self.tenancy.get_place(ctx, place).await {
                Err(e) if !unknown(&e) => return Err(e),
                Err(_) => refusals.note(Error::on(
                    "placeId",
                    Reason::NoSuch {
                        object: Object::Place,
                    },
                )),
                Ok(found) if req.desk_id.is_some_and(|d| d != found.desk_id) => refusals.note(
                    Error::on(
                        "placeId",
                        Reason::NoSuch {
                            object: Object::Place,
                        },
                    )
                    .saying("the place belongs to another desk"),
                ),
                Ok(_) => {}
            }
        }
        refusals.take(dates::instant_within(
            "startsAt",
            req.starts_at,
            now,
            now + Duration::days(TASK_AHEAD_DAYS),
        ));
        if req.ends_at <= req.starts_at {
            refusals.note(Error::on("endsAt", Reason::PeriodReversed));
        } else {
            refusals.take(dates::instant_within(
                "endsAt",
                req.ends_at,
                req.starts_at,
                req.starts_at + Duration::hours(TASK_MAX_HOURS),
            ));
        }
        let person_first_name =
            refusals.take(match req.person_first_name.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(name) => Name::parse("personFirstName", name).map(|n| Some(n.into_string())),
            });
        let shared_note = refusals.take(optional_text("sharedNote", req.shared_note));
        refusals.finish()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let missing = || Error::internal("a refused task field passed the check");
        let (language, person_first_name, shared_note) = (
            language.ok_or_else(missing)?,
            person_first_name.ok_or_else(missing)?,
            shared_note.ok_or_else(missing)?,
        );
        let model = task::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(TaskId::new().uuid()),
            skill: Set(skill),
            language: Set(language),
            territory: Set(territory),
            desk_id: Set(req.desk_id.map(|d| d.uuid())),
            place_id: Set(req.place_id.map(|p| p.uuid())),
            starts_at: Set(req.starts_at),
            ends_at: Set(req.ends_at),
            involves_minors: Set(req.involves_minors),
            person_first_name: Set(person_first_name),
            shared_note: Set(shared_note),
            status: Set(TaskStatus::Open.as_str().to_owned()),
            volunteer_id: Set(None),
            requested_by: Set(ctx.user()?.uuid()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_task(model)
    }

    pub(super) async fn get_task(&self, ctx: &Context, req: TaskId) -> Result<Task> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let found = find_task(&tx, req).await?;
        tx.finish().await?;
        to_task(found)
    }

    pub(super) async fn list_tasks(&self, ctx: &Context, req: ListTasks) -> Result<Paged<Task>> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let mut select = tx.scoped::<task::Entity>()?;
        if let Some(status) = req.status {
            select = select.filter(task::Column::Status.eq(status.as_str()));
        }
        if let Some(volunteer) = req.volunteer_id {
            select = select.filter(task::Column::VolunteerId.eq(volunteer.uuid()));
        }
        let rows = tx.page(select, task::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(to_task)
    }

    pub(super) async fn set_task_status(&self, ctx: &Context, req: SetTaskStatus) -> Result<Task> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let found = tx
            .find_for_update::<task::Entity>(task::Column::Id, req.id.uuid())
            .await?;
        let from = parse_status(&found.status)?;
        let allowed = matches!(
            (from, req.status),
            (TaskStatus::Assigned, TaskStatus::Done)
                | (
                    TaskStatus::Open | TaskStatus::Assigned,
                    TaskStatus::Cancelled
                )
        );
        let refusal = Error::on(
            "status",
            Reason::TransitionNotAllowed {
                from: from.as_str().to_owned(),
                to: req.status.as_str().to_owned(),
            },
        );
        if !allowed {
            return Err(refusal);
        }
        if req.status == TaskStatus::Done && ctx.now() < found.starts_at {
            return Err(refusal.saying("a task is done once it has started"));
        }
        let mut model = found.into_active_model();
        model.status = Set(req.status.as_str().to_owned());
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<task::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        if req.status == TaskStatus::Cancelled {
            close_open_offers(&tx, ctx, req.id.uuid()).await?;
        }
        tx.commit().await?;
        to_task(model)
    }

    pub(super) async fn task_matches(
        &self,
        ctx: &Context,
        req: TaskMatches,
    ) -> Result<Vec<TaskMatch>> {
        let first = Page {
            first: req.first,
            after: None,
        }
        .size() as usize;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let found = find_task(&tx, req.task_id).await?;
        let needs = TaskNeeds {
            skill: found.skill.clone(),
            language: found.language.clone(),
            territory: found.territory.clone(),
            starts_at: found.starts_at,
            ends_at: found.ends_at,
            involves_minors: found.involves_minors,
        };
        let candidates = candidates(&tx, ctx, &found).await?;
        let ranked = matching::rank(&needs, &ctx.time_zone, &candidates, first);
        let ids: Vec<Uuid> = ranked.iter().map(|r| r.id).collect();
        let mut rows: HashMap<Uuid, volunteer::Model> = tx
            .scoped::<volunteer::Entity>()?
            .filter(volunteer::Column::Id.is_in(ids))
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        tx.finish().await?;
        ranked
            .into_iter()
            .map(|r| {
                let model = rows
                    .remove(&r.id)
                    .ok_or_else(|| Error::internal("a ranked volunteer vanished"))?;
                Ok(TaskMatch {
                    volunteer: to_volunteer(model)?,
                    score: r.score,
                    reasons: r.reasons,
                })
            })
            .collect()
    }

    pub(super) async fn offer_task(&self, ctx: &Context, req: OfferTask) -> Result<Vec<TaskOffer>> {
        if req.volunteer_ids.is_empty() {
            return Err(Error::on("volunteerIds", Reason::Required));
        }
        if req.volunteer_ids.len() > crate::domain::MAX_ITEMS {
            return Err(Error::on(
                "volunteerIds",
                Reason::TooMany {
                    max: crate::domain::MAX_ITEMS as u32,
                },
            ));
        }
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let found = tx
            .find_for_update::<task::Entity>(task::Column::Id, req.task_id.uuid())
            .await?;
        let status = parse_status(&found.status)?;
        if status != TaskStatus::Open {
            return Err(Error::on(
                "taskId",
                Reason::TransitionNotAllowed {
                    from: status.as_str().to_owned(),
                    to: OfferStatus::Offered.as_str().to_owned(),
                },
            ));
        }
        let existing = offers_of(&tx, found.id).await?;
        let now = ctx.now();
        let by = ctx.user()?.uuid();
        for id in req.volunteer_ids {
            let volunteer = find_volunteer(&tx, id)
                .await
                .map_err(|_| crate::domain::no_such_volunteer("volunteerIds"))?;
            if volunteer.status != VolunteerStatus::Active.as_str() {
                return Err(Error::on("volunteerIds", Reason::VolunteerNotActive));
            }
            if found.involves_minors
                && !(volunteer.works_with_minors && volunteer.minors_check_on.is_some())
            {
                return Err(Error::on("volunteerIds", Reason::MinorsCheckMissing));
            }
            if let Some(offer) = existing.iter().find(|o| o.volunteer_id == volunteer.id) {
                // An offer closed by the volunteer's suspension is made again; any other
                // answer stands.
                if offer.status == OfferStatus::Closed.as_str() {
                    tx.scoped_update::<task_offer::Entity>()?
                        .col_expr(
                            task_offer::Column::Status,
                            sea_orm::sea_query::Expr::value(OfferStatus::Offered.as_str()),
                        )
                        .col_expr(
                            task_offer::Column::OfferedBy,
                            sea_orm::sea_query::Expr::value(by),
                        )
                        .col_expr(
                            task_offer::Column::OfferedAt,
                            sea_orm::sea_query::Expr::value(now),
                        )
                        .col_expr(
                            task_offer::Column::AnsweredAt,
                            sea_orm::sea_query::Expr::value(None::<DateTime<Utc>>),
                        )
                        .filter(task_offer::Column::Id.eq(offer.id))
                        .exec(tx.conn())
                        .await?;
                }
                continue;
            }
            task_offer::ActiveModel {
                tenant_id: Set(found.tenant_id),
                id: Set(Uuid::now_v7()),
                task_id: Set(found.id),
                volunteer_id: Set(volunteer.id),
                status: Set(OfferStatus::Offered.as_str().to_owned()),
                offered_by: Set(by),
                offered_at: Set(now),
                answered_at: Set(None),
            }
            .insert(tx.conn())
            .await?;
        }
        let offers = offers_of(&tx, found.id).await?;
        tx.commit().await?;
        offers.into_iter().map(to_offer).collect()
    }

    pub(super) async fn task_offers(&self, ctx: &Context, req: TaskId) -> Result<Vec<TaskOffer>> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        find_task(&tx, req).await?;
        let offers = offers_of(&tx, req.uuid()).await?;
        tx.finish().await?;
        offers.into_iter().map(to_offer).collect()
    }

    pub(super) async fn accept_task(&self, ctx: &Context, req: TaskId) -> Result<MyTask> {
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let me = own_volunteer(&tx, ctx, &email).await?;
        let offer = own_offer(&tx, req, me.id).await?;
        let status = OfferStatus::parse(&offer.status)
            .ok_or_else(|| Error::internal("unknown offer status"))?;
        let found = find_task(&tx, req).await?;
        if status == OfferStatus::Accepted {
            // Accepting twice is answered like the first time.
            tx.finish().await?;
            return my_task(offer, found, me.id);
        }
        if found.involves_minors && !(me.works_with_minors && me.minors_check_on.is_some()) {
            return Err(Error::new(Reason::MinorsCheckMissing));
        }
        if status != OfferStatus::Offered {
            return Err(refusal_for(&found, status)?);
        }
        // One place at a time: a task of the volunteer's that overlaps this one's window.
        let overlapping = tx
            .scoped::<task::Entity>()?
            .filter(overlapping_assigned(&found))
            .filter(task::Column::VolunteerId.eq(me.id))
            .one(tx.conn())
            .await?;
        if overlapping.is_some() {
            return Err(Error::new(Reason::VolunteerBusy));
        }
        let now = ctx.now();
        // The first acceptance wins: only a task still open is taken, in one conditional
        // statement, so of two volunteers accepting at once exactly one changes the row.
        let taken = tx
            .scoped_update::<task::Entity>()?
            .col_expr(
                task::Column::Status,
                sea_orm::sea_query::Expr::value(TaskStatus::Assigned.as_str()),
            )
            .col_expr(
                task::Column::VolunteerId,
                sea_orm::sea_query::Expr::value(me.id),
            )
            .col_expr(
                task::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .col_expr(
                task::Column::Version,
                sea_orm::ExprTrait::add(sea_orm::sea_query::Expr::col(task::Column::Version), 1),
            )
            .filter(task::Column::Id.eq(req.uuid()))
            .filter(task::Column::Status.eq(TaskStatus::Open.as_str()))
            .exec(tx.conn())
            .await?;
        if taken.rows_affected == 0 {
            let now_found = find_task(&tx, req).await?;
            return Err(refusal_for(&now_found, status)?);
        }
        set_offer(&tx, offer.id, OfferStatus::Accepted, now).await?;
        close_open_offers(&tx, ctx, req.uuid()).await?;
        let offer = own_offer(&tx, req, me.id).await?;
        let found = find_task(&tx, req).await?;
        tx.commit().await?;
        my_task(offer, found, me.id)
    }

    pub(super) async fn decline_task(&self, ctx: &Context, req: TaskId) -> Result<MyTask> {
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let me = own_volunteer(&tx, ctx, &email).await?;
        let offer = own_offer(&tx, req, me.id).await?;
        let status = OfferStatus::parse(&offer.status)
            .ok_or_else(|| Error::internal("unknown offer status"))?;
        if status != OfferStatus::Offered && status != OfferStatus::Declined {
            return Err(Error::new(Reason::TransitionNotAllowed {
                from: status.as_str().to_owned(),
                to: OfferStatus::Declined.as_str().to_owned(),
            }));
        }
        if status == OfferStatus::Offered {
            set_offer(&tx, offer.id, OfferStatus::Declined, ctx.now()).await?;
        }
        let offer = own_offer(&tx, req, me.id).await?;
        let found = find_task(&tx, req).await?;
        tx.commit().await?;
        my_task(offer, found, me.id)
    }

    pub(super) async fn my_tasks(&self, ctx: &Context, req: Page) -> Result<Paged<MyTask>> {
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let me = own_volunteer(&tx, ctx, &email).await?;
        let select = tx
            .scoped::<task_offer::Entity>()?
            .filter(task_offer::Column::VolunteerId.eq(me.id));
        let offers = tx.page(select, task_offer::Column::Id, &req).await?;
        let ids: Vec<Uuid> = offers.items.iter().map(|o| o.task_id).collect();
        let mut tasks: HashMap<Uuid, task::Model> = tx
            .scoped::<task::Entity>()?
            .filter(task::Column::Id.is_in(ids))
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        tx.commit().await?;
        offers.try_map(|offer| {
            let found = tasks
                .remove(&offer.task_id)
                .ok_or_else(|| Error::internal("an offer without its task"))?;
            my_task(offer, found, me.id)
        })
    }

    pub(super) async fn add_delegation(
        &self,
        ctx: &Context,
        req: AddDelegation,
    ) -> Result<Delegation> {
        let body = Name::parse("body", &req.body)?.into_string();
        if body.chars().count() > BODY_MAX {
            return Err(Error::on(
                "body",
                Reason::TooLong {
                    max: BODY_MAX as u32,
                },
            ));
        }
        let from = dates::filter_date("from", req.from)?;
        let to = dates::filter_date("to", req.to)?;
        if to < from {
            return Err(Error::on("to", Reason::PeriodReversed));
        }
        let note = optional_text("note", req.note)?;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let volunteer = find_volunteer(&tx, req.volunteer_id)
            .await
            .map_err(|_| crate::domain::no_such_volunteer("volunteerId"))?;
        let model = delegation::ActiveModel {
            tenant_id: Set(volunteer.tenant_id),
            id: Set(DelegationId::new().uuid()),
            volunteer_id: Set(volunteer.id),
            body: Set(body),
            from_day: Set(from),
            to_day: Set(to),
            note: Set(note),
            created_by: Set(ctx.user()?.uuid()),
            created_at: Set(ctx.now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_delegation(model))
    }

    pub(super) async fn list_delegations(
        &self,
        ctx: &Context,
        req: VolunteerId,
    ) -> Result<Vec<Delegation>> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        find_volunteer(&tx, req).await?;
        let rows = tx
            .scoped::<delegation::Entity>()?
            .filter(delegation::Column::VolunteerId.eq(req.uuid()))
            .order_by_asc(delegation::Column::Id)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(rows.into_iter().map(to_delegation).collect())
    }
}

/// What matching reads of a volunteer: id, skills, territories, languages, availability,
/// willing to work with minors, the day the minors check was seen.
type CandidateRow = (
    Uuid,
    String,
    String,
    String,
    String,
    bool,
    Option<NaiveDate>,
);

/// The volunteers that may match the task, pre-filtered in SQL (active; the skill, territory and
/// language in their lists; the minors check when the task involves minors; not one who declined
/// this task) with their load. The ranking checks every rule again on what is read.
async fn candidates(tx: &Tx, ctx: &Context, found: &task::Model) -> Result<Vec<Candidate>> {
    let declined = tx
        .scoped_subquery::<task_offer::Entity>()?
        .column(task_offer::Column::VolunteerId)
        .and_where(task_offer::Column::TaskId.eq(found.id))
        .and_where(task_offer::Column::Status.eq(OfferStatus::Declined.as_str()))
        .to_owned();
    // Who already has a task at an overlapping time is not free for this one.
    let busy = tx
        .scoped_subquery::<task::Entity>()?
        .column(task::Column::VolunteerId)
        .cond_where(overlapping_assigned(found))
        .and_where(task::Column::VolunteerId.is_not_null())
        .to_owned();
    let mut select = tx
        .scoped::<volunteer::Entity>()?
        .select_only()
        .columns([
            volunteer::Column::Id,
            volunteer::Column::Skills,
            volunteer::Column::Territories,
            volunteer::Column::Languages,
            volunteer::Column::Availability,
            volunteer::Column::WorksWithMinors,
            volunteer::Column::MinorsCheckOn,
        ])
        .filter(volunteer::Column::Status.eq(VolunteerStatus::Active.as_str()))
        .filter(volunteer::Column::Skills.like(list_pattern(&found.skill)))
        .filter(volunteer::Column::Territories.like(list_pattern(&found.territory)))
        // The stored JSON is compact: `{"code":"ar","level":"NATIVE"}`.
        .filter(volunteer::Column::Languages.like(format!("%\"code\":\"{}\"%", found.language)))
        .filter(volunteer::Column::Id.not_in_subquery(declined))
        .filter(volunteer::Column::Id.not_in_subquery(busy));
    if found.involves_minors {
        select = select
            .filter(volunteer::Column::WorksWithMinors.eq(true))
            .filter(volunteer::Column::MinorsCheckOn.is_not_null());
    }
    let rows: Vec<CandidateRow> = select.into_tuple().all(tx.conn()).await?;
    let load = loads(tx, ctx, found.id).await?;
    rows.into_iter()
        .map(
            |(id, skills, territories, languages, availability, works_with_minors, check)| {
                Ok(Candidate {
                    id,
                    status: VolunteerStatus::Active,
                    skills: split_list(&skills),
                    territories: split_list(&territories),
                    languages: serde_json::from_str(&languages).map_err(Error::internal)?,
                    availability: serde_json::from_str(&availability).map_err(Error::internal)?,
                    works_with_minors,
                    minors_check_on: check,
                    load: load.get(&id).copied().unwrap_or(0),
                })
            },
        )
        .collect()
}

/// Per volunteer: the tasks assigned to them and the open tasks offered to them (no answer yet)
/// that start in the coming [`LOAD_WINDOW_DAYS`] days, `except` the task being matched.
async fn loads(tx: &Tx, ctx: &Context, except: Uuid) -> Result<HashMap<Uuid, u32>> {
    let now = ctx.now();
    let until = now + Duration::days(LOAD_WINDOW_DAYS);
    let assigned: Vec<Option<Uuid>> = tx
        .scoped::<task::Entity>()?
        .select_only()
        .column(task::Column::VolunteerId)
        .filter(task::Column::Status.eq(TaskStatus::Assigned.as_str()))
        .filter(task::Column::Id.ne(except))
        .filter(task::Column::StartsAt.gte(now))
        .filter(task::Column::StartsAt.lt(until))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let open = tx
        .scoped_subquery::<task::Entity>()?
        .column(task::Column::Id)
        .and_where(task::Column::Status.eq(TaskStatus::Open.as_str()))
        .and_where(task::Column::Id.ne(except))
        .and_where(task::Column::StartsAt.gte(now))
        .and_where(task::Column::StartsAt.lt(until))
        .to_owned();
    let offered: Vec<Uuid> = tx
        .scoped::<task_offer::Entity>()?
        .select_only()
        .column(task_offer::Column::VolunteerId)
        .filter(task_offer::Column::Status.eq(OfferStatus::Offered.as_str()))
        .filter(task_offer::Column::TaskId.in_subquery(open))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut out: HashMap<Uuid, u32> = HashMap::new();
    for id in assigned.into_iter().flatten().chain(offered) {
        *out.entry(id).or_default() += 1;
    }
    Ok(out)
}

/// Another task assigned to a volunteer whose window overlaps `found`'s (half-open windows:
/// one ending at 10:00 and one starting at 10:00 do not overlap).
fn overlapping_assigned(found: &task::Model) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(task::Column::Status.eq(TaskStatus::Assigned.as_str()))
        .add(task::Column::Id.ne(found.id))
        .add(task::Column::StartsAt.lt(found.ends_at))
        .add(task::Column::EndsAt.gt(found.starts_at))
}

/// The refusal for a volunteer whose offer (`status`) cannot become an acceptance of `found`.
fn refusal_for(found: &task::Model, status: OfferStatus) -> Result<Error> {
    let task_status = parse_status(&found.status)?;
    Ok(match task_status {
        TaskStatus::Assigned | TaskStatus::Done => Error::new(Reason::TaskTaken),
        TaskStatus::Open | TaskStatus::Cancelled => Error::new(Reason::TransitionNotAllowed {
            from: match task_status {
                TaskStatus::Open => status.as_str(),
                _ => task_status.as_str(),
            }
            .to_owned(),
            to: OfferStatus::Accepted.as_str().to_owned(),
        }),
    })
}

/// Puts the tasks `volunteer` accepted and that have not ended back to `OPEN`, without a
/// volunteer (raising each one's version), for the volunteer is suspended or withdrawn: staff
/// offer them again. Their offers of those tasks, and those still waiting for their answer,
/// become `CLOSED` (offered again once the volunteer is active). Returns how many tasks.
pub(super) async fn release_tasks_of(tx: &Tx, ctx: &Context, volunteer: Uuid) -> Result<usize> {
    let now = ctx.now();
    let held = tx
        .scoped::<task::Entity>()?
        .filter(task::Column::VolunteerId.eq(volunteer))
        .filter(task::Column::Status.eq(TaskStatus::Assigned.as_str()))
        .filter(task::Column::EndsAt.gt(now))
        .all(tx.conn())
        .await?;
    let released = held.len();
    let mut closing =
        Condition::any().add(task_offer::Column::Status.eq(OfferStatus::Offered.as_str()));
    for found in &held {
        closing = closing.add(
            Condition::all()
                .add(task_offer::Column::Status.eq(OfferStatus::Accepted.as_str()))
                .add(task_offer::Column::TaskId.eq(found.id)),
        );
    }
    let theirs = Condition::all()
        .add(task_offer::Column::VolunteerId.eq(volunteer))
        .add(closing);
    answer_offers(tx, theirs, OfferStatus::Closed, now).await?;
    for found in held {
        let id = found.id;
        let mut model = found.into_active_model();
        model.status = Set(TaskStatus::Open.as_str().to_owned());
        model.volunteer_id = Set(None);
        model.updated_at = Set(now);
        tx.update_versioned::<task::Entity>(id, None, model).await?;
    }
    Ok(released)
}

/// The task asked for by id: `NOT_FOUND` when the tenant has none.
pub(super) async fn find_task(tx: &Tx, id: TaskId) -> Result<task::Model> {
    tx.find::<task::Entity>(task::Column::Id, id.uuid()).await
}

/// The volunteer's offer of the task: `NOT_FOUND` when the task was never offered to them (a
/// task of someone else is none of theirs).
async fn own_offer(tx: &Tx, task_id: TaskId, volunteer: Uuid) -> Result<task_offer::Model> {
    tx.scoped::<task_offer::Entity>()?
        .filter(task_offer::Column::TaskId.eq(task_id.uuid()))
        .filter(task_offer::Column::VolunteerId.eq(volunteer))
        .one(tx.conn())
        .await?
        .ok_or_else(Error::not_found)
}

async fn offers_of(tx: &Tx, task_id: Uuid) -> Result<Vec<task_offer::Model>> {
    Ok(tx
        .scoped::<task_offer::Entity>()?
        .filter(task_offer::Column::TaskId.eq(task_id))
        .order_by_asc(task_offer::Column::Id)
        .all(tx.conn())
        .await?)
}

async fn set_offer(tx: &Tx, id: Uuid, status: OfferStatus, at: DateTime<Utc>) -> Result<()> {
    answer_offers(
        tx,
        Condition::all().add(task_offer::Column::Id.eq(id)),
        status,
        at,
    )
    .await
}

/// Offers of the task still waiting for an answer become `CLOSED`.
async fn close_open_offers(tx: &Tx, ctx: &Context, task_id: Uuid) -> Result<()> {
    let waiting = Condition::all()
        .add(task_offer::Column::TaskId.eq(task_id))
        .add(task_offer::Column::Status.eq(OfferStatus::Offered.as_str()));
    answer_offers(tx, waiting, OfferStatus::Closed, ctx.now()).await
}

/// The offers `which` take `status`, answered `at`.
async fn answer_offers(
    tx: &Tx,
    which: Condition,
    status: OfferStatus,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.scoped_update::<task_offer::Entity>()?
        .col_expr(
            task_offer::Column::Status,
            sea_orm::sea_query::Expr::value(status.as_str()),
        )
        .col_expr(
            task_offer::Column::AnsweredAt,
            sea_orm::sea_query::Expr::value(Some(at)),
        )
        .filter(which)
        .exec(tx.conn())
        .await?;
    Ok(())
}

fn parse_status(code: &str) -> Result<TaskStatus> {
    TaskStatus::parse(code).ok_or_else(|| Error::internal("unknown task status"))
}

pub(super) fn to_task(m: task::Model) -> Result<Task> {
    Ok(Task {
        id: TaskId(m.id),
        status: parse_status(&m.status)?,
        skill: m.skill,
        language: m.language,
        territory: m.territory,
        desk_id: m.desk_id.map(sportello_tenancy::DeskId),
        place_id: m.place_id.map(sportello_tenancy::PlaceId),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        involves_minors: m.involves_minors,
        person_first_name: m.person_first_name,
        shared_note: m.shared_note,
        volunteer_id: m.volunteer_id.map(VolunteerId),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

fn to_offer(m: task_offer::Model) -> Result<TaskOffer> {
    Ok(TaskOffer {
        task_id: TaskId(m.task_id),
        volunteer_id: VolunteerId(m.volunteer_id),
        status: OfferStatus::parse(&m.status)
            .ok_or_else(|| Error::internal("unknown offer status"))?,
        offered_at: m.offered_at,
        answered_at: m.answered_at,
    })
}

/// The task as volunteer `me` sees it: the volunteer who took it is named only when it is them.
fn my_task(offer: task_offer::Model, found: task::Model, me: Uuid) -> Result<MyTask> {
    let mut task = to_task(found)?;
    if task.volunteer_id.is_some_and(|v| v.uuid() != me) {
        task.volunteer_id = None;
    }
    Ok(MyTask {
        offer_id: offer.id,
        offer: OfferStatus::parse(&offer.status)
            .ok_or_else(|| Error::internal("unknown offer status"))?,
        task,
    })
}

fn to_delegation(m: delegation::Model) -> Delegation {
    Delegation {
        id: DelegationId(m.id),
        volunteer_id: VolunteerId(m.volunteer_id),
        body: m.body,
        from: m.from_day,
        to: m.to_day,
        note: m.note,
        created_by: UserId(m.created_by),
        created_at: m.created_at,
    }
}
