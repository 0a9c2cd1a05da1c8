//! Placements: a household on beds of a unit, its agreement, extensions, the path to autonomy,
//! the exit and the follow-ups 6 and 12 months later.
//!
//! Every placement holds one stay per bed (`bed_stays`), and the database refuses two stays on
//! one bed whose days overlap (a PostgreSQL exclusion constraint over the date range, a trigger
//! on SQLite, whose single writer serialises the check with the write): of concurrent requests
//! for the same bed, exactly one commits, the others are `BED_TAKEN`.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, QueryFilter, QueryOrder, Set};
use sportello_cases::{Found, Read};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::error::{Object, Refusals};
use sportello_kernel::events::Event;
use sportello_kernel::{Context, Error, Reason, Result, UserId};
use uuid::Uuid;

use super::HousingService;
use crate::domain;
use crate::events;
use crate::interface::*;
use crate::store::{application, bed, bed_stay, follow_up, milestone, placement, unit};

/// The destination code of a `housing_placement_ended` event that cancels a placement before
/// its first day (analytics then drops the placement).
pub const CANCELLED: &str = "CANCELLED";

/// The largest amount of an agreement, in cents (100,000 euro).
const MAX_CENTS: u32 = 10_000_000;

impl HousingService {
    pub(super) async fn place(&self, ctx: &Context, req: Place) -> Result<Placement> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let today = ctx.today();
        let mut refusals = Refusals::default();
        let household = refusals.take(self.household(ctx, req.household_id, "householdId").await);
        if req.bed_ids.is_empty() {
            refusals.note(Error::on("bedIds", Reason::Required));
        }
        let beds: BTreeSet<Uuid> = req.bed_ids.iter().map(|b| b.uuid()).collect();
        if beds.len() != req.bed_ids.len() {
            refusals.note(Error::on("bedIds", Reason::Repeated));
        }
        domain::check_period(&mut refusals, req.starts_on, req.planned_end_on, today);
        refusals.take(cents(
            "monthlyContributionCents",
            req.monthly_contribution_cents,
        ));
        refusals.take(cents("depositCents", req.deposit_cents));
        if let Some(day) = req.rules_signed_on {
            refusals.take(sportello_kernel::dates::date_within(
                "rulesSignedOn",
                day,
                today - chrono::Duration::days(3650),
                today,
            ));
        }
        refusals.finish()?;
        let household = household.ok_or_else(|| Error::internal("checked input missing"))?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found_unit = tx
            .find_for_update::<unit::Entity>(unit::Column::Id, req.unit_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "unitId",
                    Reason::NoSuch {
                        object: Object::Unit,
                    },
                )
            })?;
        if found_unit.state != UnitState::Available.as_str() {
            return Err(Error::on(
                "unitId",
                Reason::TransitionNotAllowed {
                    from: found_unit.state.clone(),
                    to: UnitState::Occupied.as_str().into(),
                },
            )
            .saying("the unit takes no placement while under maintenance or withdrawn"));
        }
        let unit_beds = tx
            .scoped::<bed::Entity>()?
            .filter(bed::Column::UnitId.eq(found_unit.id))
            .all(tx.conn())
            .await?;
        let known: BTreeSet<Uuid> = unit_beds.iter().map(|b| b.id).collect();
        if !beds.is_subset(&known) {
            return Err(Error::on(
                "bedIds",
                Reason::NoSuch {
                    object: Object::Bed,
                },
            )
            .saying("every bed must be one of the unit's"));
        }
        // A household lives in one placement at a time.
        let overlapping = tx
            .scoped::<placement::Entity>()?
            .filter(placement::Column::HouseholdId.eq(req.household_id.uuid()))
            .filter(placement::Column::StartsOn.lt(req.planned_end_on))
            .filter(placement::Column::PlannedEndOn.gt(req.starts_on))
            .filter(placement::Column::ExitOn.is_null())
            .filter(placement::Column::CancelledOn.is_null())
            .one(tx.conn())
            .await?;
        if overlapping.is_some() {
            return Err(Error::on("householdId", Reason::AlreadyExists)
                .saying("the household is already placed on some of these days"));
        }
        if let Some(app) = req.application_id {
            let found = tx
                .find_for_update::<application::Entity>(application::Column::Id, app.uuid())
                .await
                .map_err(|_| {
                    Error::on(
                        "applicationId",
                        Reason::NoSuch {
                            object: Object::Application,
                        },
                    )
                })?;
            if found.household_id != req.household_id.uuid() {
                return Err(Error::on(
                    "applicationId",
                    Reason::NoSuch {
                        object: Object::Application,
                    },
                )
                .saying("the application is another household's"));
            }
            if found.status != ApplicationStatus::Waiting.as_str() {
                return Err(Error::on(
                    "applicationId",
                    Reason::TransitionNotAllowed {
                        from: found.status.clone(),
                        to: ApplicationStatus::Placed.as_str().into(),
                    },
                ));
            }
            tx.update_versioned::<application::Entity>(
                found.id,
                None,
                application::ActiveModel {
                    status: Set(ApplicationStatus::Placed.as_str().to_owned()),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                },
            )
            .await?;
        }
        let now = ctx.now();
        let id = PlacementId::new().uuid();
        let bed_list: Vec<Uuid> = req.bed_ids.iter().map(|b| b.uuid()).collect();
        let model = placement::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(id),
            household_id: Set(req.household_id.uuid()),
            application_id: Set(req.application_id.map(|a| a.uuid())),
            unit_id: Set(found_unit.id),
            bed_ids: Set(join(&bed_list)),
            starts_on: Set(req.starts_on),
            planned_end_on: Set(req.planned_end_on),
            monthly_contribution_cents: Set(i64::from(req.monthly_contribution_cents)),
            deposit_cents: Set(i64::from(req.deposit_cents)),
            rules_signed_on: Set(req.rules_signed_on),
            responsible_user_id: Set(user.uuid()),
            exit_on: Set(None),
            exit_destination: Set(None),
            autonomy_reached: Set(None),
            cancelled_on: Set(None),
            extensions: Set("[]".into()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        for bed in &bed_list {
            bed_stay::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(Uuid::now_v7()),
                placement_id: Set(id),
                unit_id: Set(found_unit.id),
                bed_id: Set(*bed),
                household_id: Set(req.household_id.uuid()),
                starts_on: Set(req.starts_on),
                ends_on: Set(req.planned_end_on),
            }
            .insert(tx.conn())
            .await
            .map_err(bed_taken)?;
        }
        let keyer = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        let members: Vec<Uuid> = household
            .members
            .iter()
            .map(|m| m.person_id.uuid())
            .collect();
        events::emit_for_members(
            &tx,
            &keyer,
            &members,
            &found_unit.territory_code,
            req.starts_on,
            &Event::HousingPlacementStarted {
                placement: keyer.object("placement", id),
                household: Some(keyer.object("household", req.household_id.uuid())),
                beds: bed_list.len() as u32,
                until: Some(req.planned_end_on),
            },
        )
        .await?;
        let out = to_placement(model, Vec::new(), today)?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn get_placement(&self, ctx: &Context, req: PlacementId) -> Result<Placement> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = tx
            .find::<placement::Entity>(placement::Column::Id, req.uuid())
            .await?;
        let out = with_milestones(&tx, vec![model], ctx.today())
            .await?
            .remove(0);
        tx.finish().await?;
        Ok(out)
    }

    pub(super) async fn list_placements(
        &self,
        ctx: &Context,
        req: ListPlacements,
    ) -> Result<Paged<Placement>> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<placement::Entity>()?;
        if let Some(unit) = req.unit_id {
            select = select.filter(placement::Column::UnitId.eq(unit.uuid()));
        }
        if let Some(household) = req.household_id {
            select = select.filter(placement::Column::HouseholdId.eq(household.uuid()));
        }
        select = match req.status {
            None => select,
            Some(PlacementStatus::Ended) => select.filter(placement::Column::ExitOn.is_not_null()),
            Some(PlacementStatus::Cancelled) => {
                select.filter(placement::Column::CancelledOn.is_not_null())
            }
            Some(PlacementStatus::Planned) => select
                .filter(placement::Column::ExitOn.is_null())
                .filter(placement::Column::CancelledOn.is_null())
                .filter(placement::Column::StartsOn.gt(today)),
            Some(PlacementStatus::Active) => select
                .filter(placement::Column::ExitOn.is_null())
                .filter(placement::Column::CancelledOn.is_null())
                .filter(placement::Column::StartsOn.lte(today)),
        };
        let rows = tx.page(select, placement::Column::Id, &req.page).await?;
        let items = with_milestones(&tx, rows.items, today).await?;
        tx.finish().await?;
        Ok(Paged {
            items,
            has_next_page: rows.has_next_page,
        })
    }

    pub(super) async fn extend_placement(
        &self,
        ctx: &Context,
        req: ExtendPlacement,
    ) -> Result<Placement> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<placement::Entity>(placement::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if found.exit_on.is_some() || found.cancelled_on.is_some() {
            return Err(ended(&found));
        }
        if req.planned_end_on <= found.planned_end_on {
            return Err(Error::on(
                "plannedEndOn",
                Reason::DateOutOfRange {
                    min: (found.planned_end_on + chrono::Duration::days(1)).to_string(),
                    max: domain::add_months(found.starts_on, domain::MAX_PLACEMENT_MONTHS)
                        .to_string(),
                },
            )
            .saying("an extension moves the planned end later"));
        }
        domain::check_end("plannedEndOn", found.starts_on, req.planned_end_on)?;
        move_stays_end(&tx, found.id, req.planned_end_on).await?;
        let mut extensions: Vec<Extension> =
            serde_json::from_str(&found.extensions).map_err(Error::internal)?;
        extensions.push(Extension {
            from: found.planned_end_on,
            to: req.planned_end_on,
            by_user: user,
            at: ctx.now(),
        });
        let model = tx
            .update_versioned::<placement::Entity>(
                found.id,
                Some(req.expected_version),
                placement::ActiveModel {
                    planned_end_on: Set(req.planned_end_on),
                    extensions: Set(serde_json::to_string(&extensions).map_err(Error::internal)?),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                },
            )
            .await?;
        let keyer = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        events::emit_for_object(
            &tx,
            &keyer,
            ("household", found.household_id),
            "",
            today,
            None,
            Event::HousingPlacementExtended {
                placement: keyer.object("placement", found.id),
                until: req.planned_end_on,
            },
        )
        .await?;
        let out = with_milestones(&tx, vec![model], today).await?.remove(0);
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn exit_placement(
        &self,
        ctx: &Context,
        req: ExitPlacement,
    ) -> Result<Placement> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<placement::Entity>(placement::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if found.exit_on.is_some() || found.cancelled_on.is_some() {
            return Err(ended(&found));
        }
        let on =
            sportello_kernel::dates::date_within("exitOn", req.exit.on, found.starts_on, today)?;
        if on == found.starts_on {
            // Left on the first day: no night was spent, the beds were never taken.
            tx.scoped_delete::<bed_stay::Entity>()?
                .filter(bed_stay::Column::PlacementId.eq(found.id))
                .exec(tx.conn())
                .await?;
        } else {
            move_stays_end(&tx, found.id, on).await?;
        }
        let model = tx
            .update_versioned::<placement::Entity>(
                found.id,
                Some(req.expected_version),
                placement::ActiveModel {
                    exit_on: Set(Some(on)),
                    exit_destination: Set(Some(req.exit.destination.as_str().to_owned())),
                    autonomy_reached: Set(Some(req.exit.autonomy_reached)),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                },
            )
            .await?;
        for months in domain::FOLLOW_UP_MONTHS {
            follow_up::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(Uuid::now_v7()),
                placement_id: Set(found.id),
                household_id: Set(found.household_id),
                months: Set(months as i32),
                due_on: Set(domain::add_months(on, months)),
                responsible_user_id: Set(found.responsible_user_id),
                recorded_on: Set(None),
                still_housed: Set(None),
                destination: Set(None),
                version: Set(1),
            }
            .insert(tx.conn())
            .await?;
        }
        let keyer = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        events::emit_for_object(
            &tx,
            &keyer,
            ("household", found.household_id),
            "",
            on,
            None,
            Event::HousingPlacementEnded {
                placement: keyer.object("placement", found.id),
                household: keyer.object("household", found.household_id),
                days: (on - found.starts_on).num_days().max(0) as u32,
                destination: req.exit.destination.as_str().to_owned(),
                autonomy: req.exit.autonomy_reached,
            },
        )
        .await?;
        let out = with_milestones(&tx, vec![model], today).await?.remove(0);
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn cancel_placement(
        &self,
        ctx: &Context,
        req: CancelPlacement,
    ) -> Result<Placement> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<placement::Entity>(placement::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if found.exit_on.is_some() || found.cancelled_on.is_some() {
            return Err(ended(&found));
        }
        if found.starts_on <= today {
            return Err(Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: PlacementStatus::Active.as_str().into(),
                    to: PlacementStatus::Cancelled.as_str().into(),
                },
            )
            .saying("the placement has started: record the household's exit instead"));
        }
        tx.scoped_delete::<bed_stay::Entity>()?
            .filter(bed_stay::Column::PlacementId.eq(found.id))
            .exec(tx.conn())
            .await?;
        if let Some(app) = found.application_id {
            tx.scoped_update::<application::Entity>()?
                .col_expr(
                    application::Column::Status,
                    ApplicationStatus::Waiting.as_str().into(),
                )
                .col_expr(application::Column::UpdatedAt, ctx.now().into())
                .col_expr(
                    application::Column::Version,
                    sea_orm::ExprTrait::add(
                        sea_orm::sea_query::Expr::col(application::Column::Version),
                        1,
                    ),
                )
                .filter(application::Column::Id.eq(app))
                .filter(application::Column::Status.eq(ApplicationStatus::Placed.as_str()))
                .exec(tx.conn())
                .await?;
        }
        let model = tx
            .update_versioned::<placement::Entity>(
                found.id,
                Some(req.expected_version),
                placement::ActiveModel {
                    cancelled_on: Set(Some(today)),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                },
            )
            .await?;
        // Analytics drops the placement: it never housed anyone.
        let keyer = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        events::emit_for_object(
            &tx,
            &keyer,
            ("household", found.household_id),
            "",
            today,
            None,
            Event::HousingPlacementEnded {
                placement: keyer.object("placement", found.id),
                household: keyer.object("household", found.household_id),
                days: 0,
                destination: CANCELLED.to_owned(),
                autonomy: false,
            },
        )
        .await?;
        let out = with_milestones(&tx, vec![model], today).await?.remove(0);
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn record_milestone(
        &self,
        ctx: &Context,
        req: RecordMilestone,
    ) -> Result<Placement> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let today = ctx.today();
        let mut refusals = Refusals::default();
        let note = refusals.take(domain::optional_text(
            "note",
            req.note.as_deref(),
            domain::MAX_TEXT,
        ));
        match (req.case_id, req.goal_id) {
            (None, None) => {}
            (None, Some(_)) => refusals.note(
                Error::on("caseId", Reason::Required).saying("a goal is named with its case"),
            ),
            (Some(_), None) => refusals.note(Error::on("goalId", Reason::Required)),
            (Some(case), Some(goal)) => {
                let outcome = self.cases.read(ctx, vec![Read::Plan(case)]).await?;
                let in_plan = match outcome.into_iter().next() {
                    Some(Ok(Found::Plan(goals))) => goals.iter().any(|g| g.id == goal),
                    _ => false,
                };
                if !in_plan {
                    refusals.note(Error::on(
                        "goalId",
                        Reason::NoSuch {
                            object: Object::Goal,
                        },
                    ));
                }
            }
        }
        refusals.finish()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<placement::Entity>(placement::Column::Id, req.placement_id.uuid())
            .await?;
        if found.cancelled_on.is_some() {
            return Err(ended(&found));
        }
        sportello_kernel::dates::date_within(
            "reachedOn",
            req.reached_on,
            found.starts_on - chrono::Duration::days(366),
            today,
        )?;
        milestone::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(MilestoneId::new().uuid()),
            placement_id: Set(found.id),
            kind: Set(req.kind.as_str().to_owned()),
            reached_on: Set(req.reached_on),
            case_id: Set(req.case_id.map(|c| c.uuid())),
            goal_id: Set(req.goal_id.map(|g| g.uuid())),
            note: Set(note.flatten()),
            recorded_by: Set(user.uuid()),
            recorded_at: Set(ctx.now()),
        }
        .insert(tx.conn())
        .await?;
        let out = with_milestones(&tx, vec![found], today).await?.remove(0);
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn list_follow_ups(
        &self,
        ctx: &Context,
        req: ListFollowUps,
    ) -> Result<Paged<FollowUp>> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<follow_up::Entity>()?;
        if req.due {
            select = select
                .filter(follow_up::Column::DueOn.lte(today))
                .filter(follow_up::Column::RecordedOn.is_null());
        }
        if req.mine {
            select = select.filter(follow_up::Column::ResponsibleUserId.eq(ctx.user()?.uuid()));
        }
        if let Some(p) = req.placement_id {
            select = select.filter(follow_up::Column::PlacementId.eq(p.uuid()));
        }
        let rows = tx.page(select, follow_up::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(to_follow_up)
    }

    pub(super) async fn record_follow_up(
        &self,
        ctx: &Context,
        req: RecordFollowUp,
    ) -> Result<FollowUp> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<follow_up::Entity>(follow_up::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if found.recorded_on.is_some() || today < found.due_on {
            return Err(Error::on(
                "id",
                Reason::TransitionNotAllowed {
                    from: if found.recorded_on.is_some() {
                        "RECORDED".into()
                    } else {
                        "NOT_DUE".into()
                    },
                    to: "RECORDED".into(),
                },
            )
            .saying(if found.recorded_on.is_some() {
                "the follow-up is already recorded".to_owned()
            } else {
                format!("the follow-up is due on {}", found.due_on)
            }));
        }
        let on = sportello_kernel::dates::date_within("on", req.on, found.due_on, today)?;
        let model = tx
            .update_versioned::<follow_up::Entity>(
                found.id,
                Some(req.expected_version),
                follow_up::ActiveModel {
                    recorded_on: Set(Some(on)),
                    still_housed: Set(Some(req.still_housed)),
                    destination: Set(Some(req.destination.as_str().to_owned())),
                    ..Default::default()
                },
            )
            .await?;
        let keyer = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        events::emit_for_object(
            &tx,
            &keyer,
            ("household", found.household_id),
            "",
            on,
            Some(keyer.object("follow_up", found.id)),
            Event::HousingFollowUpRecorded {
                placement: keyer.object("placement", found.placement_id),
                months: found.months.max(0) as u32,
                still_housed: req.still_housed,
            },
        )
        .await?;
        tx.commit().await?;
        to_follow_up(model)
    }
}

fn cents(field: &str, value: u32) -> Result<u32> {
    if value > MAX_CENTS {
        return Err(Error::on(
            field,
            Reason::OutOfRange {
                min: 0,
                max: i64::from(MAX_CENTS),
            },
        ));
    }
    Ok(value)
}

/// The refusal of a change to a placement that ended or was cancelled.
fn ended(found: &placement::Model) -> Error {
    let (from, saying) = if found.cancelled_on.is_some() {
        (PlacementStatus::Cancelled, "the placement was cancelled")
    } else {
        (
            PlacementStatus::Ended,
            "the household has left this placement",
        )
    };
    Error::on(
        "status",
        Reason::TransitionNotAllowed {
            from: from.as_str().into(),
            to: from.as_str().into(),
        },
    )
    .saying(saying)
}

/// A stay that overlaps another on the same bed, as the database refused it.
fn bed_taken(err: DbErr) -> Error {
    let text = err.to_string();
    let code = match &err {
        DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .and_then(|d| d.code().map(|c| c.into_owned()))
            .unwrap_or_default(),
        _ => String::new(),
    };
    if code == "23P01" || text.contains("bed_stays_no_overlap") {
        Error::on("bedIds", Reason::BedTaken)
    } else {
        err.into()
    }
}

/// Moves the end of every stay of a placement (refused as [`bed_taken`] on an overlap).
async fn move_stays_end(tx: &Tx, placement: Uuid, ends_on: NaiveDate) -> Result<()> {
    tx.scoped_update::<bed_stay::Entity>()?
        .col_expr(bed_stay::Column::EndsOn, ends_on.into())
        .filter(bed_stay::Column::PlacementId.eq(placement))
        .exec(tx.conn())
        .await
        .map_err(bed_taken)?;
    Ok(())
}

fn join(ids: &[Uuid]) -> String {
    ids.iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Placements with their milestones (oldest first).
async fn with_milestones(
    tx: &Tx,
    models: Vec<placement::Model>,
    today: NaiveDate,
) -> Result<Vec<Placement>> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut of: HashMap<Uuid, Vec<Milestone>> = HashMap::new();
    if !ids.is_empty() {
        let rows = tx
            .scoped::<milestone::Entity>()?
            .filter(milestone::Column::PlacementId.is_in(ids))
            .order_by_asc(milestone::Column::ReachedOn)
            .order_by_asc(milestone::Column::Id)
            .all(tx.conn())
            .await?;
        for r in rows {
            of.entry(r.placement_id).or_default().push(Milestone {
                id: MilestoneId::from(r.id),
                placement_id: PlacementId::from(r.placement_id),
                kind: MilestoneKind::parse(&r.kind)
                    .ok_or_else(|| Error::internal("unknown milestone kind stored"))?,
                reached_on: r.reached_on,
                case_id: r.case_id.map(CaseId::from),
                goal_id: r.goal_id.map(GoalId::from),
                note: r.note,
                recorded_by: UserId::from(r.recorded_by),
                recorded_at: r.recorded_at,
            });
        }
    }
    models
        .into_iter()
        .map(|m| {
            let milestones = of.remove(&m.id).unwrap_or_default();
            to_placement(m, milestones, today)
        })
        .collect()
}

fn to_placement(
    m: placement::Model,
    milestones: Vec<Milestone>,
    today: NaiveDate,
) -> Result<Placement> {
    let exit = match (m.exit_on, m.exit_destination.as_deref()) {
        (Some(on), Some(destination)) => Some(Exit {
            on,
            destination: Destination::parse(destination)
                .ok_or_else(|| Error::internal("unknown destination stored"))?,
            autonomy_reached: m.autonomy_reached.unwrap_or(false),
        }),
        _ => None,
    };
    let status = if m.cancelled_on.is_some() {
        PlacementStatus::Cancelled
    } else if exit.is_some() {
        PlacementStatus::Ended
    } else if today < m.starts_on {
        PlacementStatus::Planned
    } else {
        PlacementStatus::Active
    };
    let bed_ids = m
        .bed_ids
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Uuid>().map(BedId::from).map_err(Error::internal))
        .collect::<Result<Vec<_>>>()?;
    Ok(Placement {
        id: PlacementId::from(m.id),
        household_id: HouseholdId::from(m.household_id),
        application_id: m.application_id.map(ApplicationId::from),
        unit_id: UnitId::from(m.unit_id),
        bed_ids,
        starts_on: m.starts_on,
        planned_end_on: m.planned_end_on,
        status,
        monthly_contribution_cents: m.monthly_contribution_cents.clamp(0, i64::from(u32::MAX))
            as u32,
        deposit_cents: m.deposit_cents.clamp(0, i64::from(u32::MAX)) as u32,
        rules_signed_on: m.rules_signed_on,
        responsible_user_id: UserId::from(m.responsible_user_id),
        exit,
        cancelled_on: m.cancelled_on,
        extensions: serde_json::from_str(&m.extensions).map_err(Error::internal)?,
        milestones,
        created_at: m.created_at,
        version: m.version,
    })
}

fn to_follow_up(m: follow_up::Model) -> Result<FollowUp> {
    Ok(FollowUp {
        id: FollowUpId::from(m.id),
        placement_id: PlacementId::from(m.placement_id),
        household_id: HouseholdId::from(m.household_id),
        months: m.months.max(0) as u32,
        due_on: m.due_on,
        responsible_user_id: UserId::from(m.responsible_user_id),
        recorded_on: m.recorded_on,
        still_housed: m.still_housed,
        destination: m
            .destination
            .as_deref()
            .map(|d| Destination::parse(d).ok_or_else(|| Error::internal("unknown destination")))
            .transpose()?,
        version: m.version,
    })
}
