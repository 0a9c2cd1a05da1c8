//! Hours: time a volunteer logs for themself, approved or rejected by staff.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, Set};
use sportello_kernel::db::{Paged, Scope, Tx};
use sportello_kernel::error::{Object, Refusals};
use sportello_kernel::{Context, Error, Reason, Result, UserId, dates};
use sportello_tenancy::domain::optional_text;
use uuid::Uuid;

use super::VolunteersService;
use super::register::own_volunteer;
use crate::events;
use crate::interface::*;
use crate::store::{hours, split_list, task, volunteer};

/// The most minutes one entry holds: a whole day.
const MAX_MINUTES: u32 = 1440;
/// How many days back hours may be logged: a year.
const MAX_DAYS_BACK: u64 = 366;

impl VolunteersService {
    pub(super) async fn log_hours(&self, ctx: &Context, req: LogHours) -> Result<HoursEntry> {
        let today = ctx.today();
        // Hours of no task go back a year at most: time given long ago is not logged now.
        let first = today
            .checked_sub_days(chrono::Days::new(MAX_DAYS_BACK))
            .unwrap_or(NaiveDate::MIN);
        // The fields' own checks, every one at fault named in one answer.
        let mut refusals = Refusals::default();
        let on = refusals.take(dates::date_within("on", req.on, first, today));
        if !(1..=MAX_MINUTES).contains(&req.minutes) {
            refusals.note(Error::on(
                "minutes",
                Reason::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_MINUTES),
                },
            ));
        }
        let note = refusals.take(optional_text("note", req.note));
        refusals.finish()?;
        let (Some(on), Some(note)) = (on, note) else {
            return Err(Error::internal("a refused hours field passed the check"));
        };
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let me = own_volunteer(&tx, ctx, &email).await?;
        if let Some(task_id) = req.task_id {
            // Only a task the volunteer took: another's, or another tenant's, is no task here.
            let taken = tx
                .scoped::<task::Entity>()?
                .filter(task::Column::Id.eq(task_id.uuid()))
                .filter(task::Column::VolunteerId.eq(me.id))
                .one(tx.conn())
                .await?
                .ok_or_else(|| {
                    Error::on(
                        "taskId",
                        Reason::NoSuch {
                            object: Object::Task,
                        },
                    )
                })?;
            // A task's hours fall between its first day (on the tenant's clock) and today.
            let task_first = ctx.time_zone.date_of(taken.starts_at);
            dates::date_within("on", on, task_first.max(first), today)?;
        }
        // A day has 24 hours: what the volunteer already logged for it (not rejected) counts.
        let logged: i64 = tx
            .scoped::<hours::Entity>()?
            .filter(hours::Column::VolunteerId.eq(me.id))
            .filter(hours::Column::OnDay.eq(on))
            .filter(hours::Column::Status.ne(HoursStatus::Rejected.as_str()))
            .all(tx.conn())
            .await?
            .iter()
            .map(|h| i64::from(h.minutes))
            .sum();
        let left = i64::from(MAX_MINUTES) - logged;
        if i64::from(req.minutes) > left {
            return Err(Error::on(
                "minutes",
                Reason::OutOfRange {
                    min: 1,
                    max: left.max(0),
                },
            ));
        }
        let now = ctx.now();
        let model = hours::ActiveModel {
            tenant_id: Set(me.tenant_id),
            id: Set(HoursId::new().uuid()),
            volunteer_id: Set(me.id),
            task_id: Set(req.task_id.map(|t| t.uuid())),
            on_day: Set(on),
            minutes: Set(i32::try_from(req.minutes).unwrap_or(i32::MAX)),
            note: Set(note),
            status: Set(HoursStatus::Pending.as_str().to_owned()),
            decided_by: Set(None),
            decided_at: Set(None),
            created_at: Set(now),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        let entry = one_with_task(&tx, model).await?;
        tx.commit().await?;
        Ok(entry)
    }

    pub(super) async fn my_hours(&self, ctx: &Context, req: Page) -> Result<Paged<HoursEntry>> {
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let me = own_volunteer(&tx, ctx, &email).await?;
        let select = tx
            .scoped::<hours::Entity>()?
            .filter(hours::Column::VolunteerId.eq(me.id));
        let rows = tx
            .page_newest_first(select, hours::Column::Id, &req)
            .await?;
        let entries = with_tasks(&tx, rows).await?;
        tx.commit().await?;
        Ok(entries)
    }

    pub(super) async fn list_hours(
        &self,
        ctx: &Context,
        req: ListHours,
    ) -> Result<Paged<HoursEntry>> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let mut select = tx.scoped::<hours::Entity>()?;
        if let Some(status) = req.status {
            select = select.filter(hours::Column::Status.eq(status.as_str()));
        }
        if let Some(volunteer) = req.volunteer_id {
            select = select.filter(hours::Column::VolunteerId.eq(volunteer.uuid()));
        }
        let rows = tx
            .page_newest_first(select, hours::Column::Id, &req.page)
            .await?;
        let entries = with_tasks(&tx, rows).await?;
        tx.finish().await?;
        Ok(entries)
    }

    pub(super) async fn approve_hours(
        &self,
        ctx: &Context,
        req: DecideHours,
    ) -> Result<HoursEntry> {
        self.decide_hours(ctx, req, HoursStatus::Approved).await
    }

    pub(super) async fn reject_hours(&self, ctx: &Context, req: DecideHours) -> Result<HoursEntry> {
        self.decide_hours(ctx, req, HoursStatus::Rejected).await
    }

    async fn decide_hours(
        &self,
        ctx: &Context,
        req: DecideHours,
        to: HoursStatus,
    ) -> Result<HoursEntry> {
        let tx = self.db.begin(Scope::Tenant(ctx.tenant()?)).await?;
        let found = find_hours(&tx, req.id).await?;
        let from = parse_status(&found.status)?;
        if from != HoursStatus::Pending {
            return Err(Error::new(Reason::TransitionNotAllowed {
                from: from.as_str().to_owned(),
                to: to.as_str().to_owned(),
            }));
        }
        let mut model = found.into_active_model();
        model.status = Set(to.as_str().to_owned());
        model.decided_by = Set(Some(ctx.user()?.uuid()));
        model.decided_at = Set(Some(ctx.now()));
        let model = tx
            .update_versioned::<hours::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        if to == HoursStatus::Approved {
            self.emit_hours_approved(&tx, ctx, &model).await?;
        }
        let entry = one_with_task(&tx, model).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The `hours_approved` event of an approved entry, dated the day the hours were worked:
    /// the skill and municipality of its task (`OTHER` and the volunteer's first municipality
    /// without a task), and the minutes. Its fact is the entry's.
    async fn emit_hours_approved(
        &self,
        tx: &Tx,
        ctx: &Context,
        entry: &hours::Model,
    ) -> Result<()> {
        let (skill, territory) = match entry.task_id {
            Some(task_id) => {
                let task = tx.find::<task::Entity>(task::Column::Id, task_id).await?;
                (task.skill, task.territory)
            }
            None => {
                let volunteer = tx
                    .find::<volunteer::Entity>(volunteer::Column::Id, entry.volunteer_id)
                    .await?;
                let first = split_list(&volunteer.territories).into_iter().next();
                ("OTHER".to_owned(), first.unwrap_or_default())
            }
        };
        let about = events::About {
            kind: "volunteer",
            id: entry.volunteer_id,
            territory: &territory,
        };
        let minutes = u32::try_from(entry.minutes).unwrap_or(0);
        events::emit(
            tx,
            &self.pseudonyms,
            ctx,
            about,
            entry.on_day,
            Some(("hours", entry.id)),
            |_| sportello_kernel::events::Event::HoursApproved { skill, minutes },
        )
        .await
    }
}

async fn find_hours(tx: &Tx, id: HoursId) -> Result<hours::Model> {
    tx.find::<hours::Entity>(hours::Column::Id, id.uuid()).await
}

fn parse_status(code: &str) -> Result<HoursStatus> {
    HoursStatus::parse(code).ok_or_else(|| Error::internal("unknown hours status"))
}

/// The tasks hours were logged for, by id, read in one statement.
async fn task_briefs(tx: &Tx, rows: &[hours::Model]) -> Result<HashMap<Uuid, TaskBrief>> {
    let ids: Vec<Uuid> = rows.iter().filter_map(|h| h.task_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tx
        .scoped::<task::Entity>()?
        .filter(task::Column::Id.is_in(ids))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                TaskBrief {
                    skill: t.skill,
                    starts_at: t.starts_at,
                },
            )
        })
        .collect())
}

/// Hours with the tasks they name.
async fn with_tasks(tx: &Tx, rows: Paged<hours::Model>) -> Result<Paged<HoursEntry>> {
    let briefs = task_briefs(tx, &rows.items).await?;
    rows.try_map(|m| to_hours(m, &briefs))
}

/// One entry with its task.
async fn one_with_task(tx: &Tx, m: hours::Model) -> Result<HoursEntry> {
    let briefs = task_briefs(tx, std::slice::from_ref(&m)).await?;
    to_hours(m, &briefs)
}

fn to_hours(m: hours::Model, tasks: &HashMap<Uuid, TaskBrief>) -> Result<HoursEntry> {
    Ok(HoursEntry {
        id: HoursId(m.id),
        volunteer_id: VolunteerId(m.volunteer_id),
        task: m.task_id.and_then(|t| tasks.get(&t).cloned()),
        task_id: m.task_id.map(TaskId),
        on: m.on_day,
        minutes: u32::try_from(m.minutes).map_err(Error::internal)?,
        note: m.note,
        status: parse_status(&m.status)?,
        decided_by: m.decided_by.map(UserId),
        decided_at: m.decided_at,
        created_at: m.created_at,
        version: m.version,
    })
}
