//! Collaboration pacts (patti di collaborazione): the agreement between active citizens and a
//! municipality of the tenant on the shared care of a common good, under the municipality's
//! regulation on the administration of common goods (the Labsus model regulation), its status
//! with who took each step, its activity reports, and the public list of the pacts in force.
//!
//! **Expiry is computed on read.** The store keeps the last step taken and the period as of that
//! step; [`effective`] reads it on the tenant's today: an `ACTIVE` or `RENEWED` pact whose period
//! is over reads `EXPIRED`, or, when its renewal is tacit, `RENEWED` in the period that covers
//! today. A renewal on request taken before the period's end keeps the current period and
//! stores the next one's end (`renewed_until`); the reading moves to it when the period is over.
//! No job has to run at midnight, a change of the tenant's zone applies at once, and the
//! filters (`listPacts(status)`, the public list) express the same rule in SQL
//! ([`status_condition`], [`in_force`]). A step taken later stores the period it read.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sportello_kernel::db::{Paged, Scope, Tx};
use sportello_kernel::error::{ErrorCode, Refusals};
use sportello_kernel::{Context, Error, Reason, Result, UserId};
use sportello_tenancy::domain::{Name, optional_phone, optional_text};
use uuid::Uuid;

use crate::events;

use super::VolunteersService;
use crate::domain::no_such_volunteer;
use crate::interface::*;
use crate::store::{join_list, pact, pact_report, pact_status_change, split_list, volunteer};

/// The longest a pact's period may be, in months.
pub const MAX_DURATION_MONTHS: u32 = 60;
/// The most characters of each side's commitments.
pub const MAX_COMMITMENTS: usize = 2000;
/// The most characters of a pact's activities and of an activity report.
pub const MAX_TEXT: usize = 4000;
/// The most minutes one report may give (10 000 hours).
pub const MAX_MINUTES: u32 = 600_000;
/// The earliest year of a pact's start or signature (the first regulation on common goods,
/// Bologna, is of 2014; older agreements are entered with their own dates from 2000 on).
const FIRST_YEAR: i32 = 2000;
/// How far ahead a pact may start, in months.
const START_AHEAD_MONTHS: u32 = 60;

impl VolunteersService {
    pub(super) async fn add_pact(&self, ctx: &Context, req: PactInput) -> Result<Pact> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let territories = self.tenant_territory_codes(ctx).await?;
        let today = ctx.today();
        let checked = check_pact(req, today, &territories)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        require_volunteers(&tx, &checked.proposer_volunteers).await?;
        let now = ctx.now();
        let id = PactId::new().uuid();
        let model = pact::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(id),
            status: Set(PactStatus::Proposed.as_str().to_owned()),
            period: Set(1),
            renewed_until: Set(None),
            signed_on: Set(None),
            activated_on: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..checked.into_active_model()?
        }
        .insert(tx.conn())
        .await?;
        record_step(&tx, ctx, id, PactStatus::Proposed, Some(user), None).await?;
        let pact = to_pact(model, today)?;
        self.emit_pact_status(&tx, ctx, &pact, PactStatus::Proposed)
            .await?;
        tx.commit().await?;
        Ok(pact)
    }

    pub(super) async fn update_pact(&self, ctx: &Context, req: UpdatePact) -> Result<Pact> {
        let tenant = ctx.tenant()?;
        let territories = self.tenant_territory_codes(ctx).await?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<pact::Entity>(pact::Column::Id, req.id.uuid())
            .await?;
        // Stale before refused: the user must first see what changed.
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        let status = stored_status(&found)?;
        if !matches!(status, PactStatus::Proposed | PactStatus::UnderEvaluation) {
            return Err(Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: status.as_str().to_owned(),
                    to: status.as_str().to_owned(),
                },
            )
            .saying("the terms of a signed pact do not change; a new pact does"));
        }
        let checked = check_pact(req.pact, today, &territories)?;
        require_volunteers(&tx, &checked.proposer_volunteers).await?;
        let mut model = checked.into_active_model()?;
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<pact::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        tx.commit().await?;
        to_pact(model, today)
    }

    pub(super) async fn get_pact(&self, ctx: &Context, req: PactId) -> Result<Pact> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<pact::Entity>(pact::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        to_pact(found, ctx.today())
    }

    pub(super) async fn list_pacts(&self, ctx: &Context, req: ListPacts) -> Result<Paged<Pact>> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<pact::Entity>()?;
        if let Some(status) = req.status {
            select = select.filter(status_condition(status, today));
        }
        if let Some(code) = req.municipality.as_deref() {
            select = select.filter(pact::Column::Municipality.eq(code.trim()));
        }
        let rows = tx.page(select, pact::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(|m| to_pact(m, today))
    }

    pub(super) async fn set_pact_status(&self, ctx: &Context, req: SetPactStatus) -> Result<Pact> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let note = optional_text("note", req.note)?;
        let today = ctx.today();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<pact::Entity>(pact::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        let now = effective_of(&found, today)?;
        let duration = months(found.duration_months)?;
        let renewal = Renewal::parse(&found.renewal)
            .ok_or_else(|| Error::internal("unknown pact renewal"))?;
        let refuse = |why: &'static str| {
            Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: now.status.as_str().to_owned(),
                    to: req.status.as_str().to_owned(),
                },
            )
            .saying(why)
        };
        if !may_move(now.status, req.status) {
            return Err(refuse("the pact's workflow does not allow this step"));
        }
        let mut model = found.into_active_model();
        // A tacitly renewed pact keeps the period it read as current.
        model.start_date = Set(now.start);
        model.end_date = Set(now.end);
        model.period = Set(to_i32(now.period)?);
        model.renewed_until = Set(now.renewed_until);
        match req.status {
            PactStatus::Signed => {
                let Some(on) = req.signed_on else {
                    return Err(Error::on("signedOn", Reason::Required));
                };
                sportello_kernel::dates::date_within("signedOn", on, first_day(), today)?;
                model.signed_on = Set(Some(on));
            }
            PactStatus::Active => {
                if today < now.start {
                    return Err(refuse("a pact becomes active on its start date"));
                }
                model.activated_on = Set(Some(today));
            }
            PactStatus::Renewed => {
                if renewal == Renewal::None {
                    return Err(refuse("the pact is not renewable"));
                }
                if now.renewed_until.is_some() {
                    return Err(refuse("the pact is already renewed for its next period"));
                }
                let start = now.end;
                let end = end_of(start, duration)?;
                if end <= today {
                    return Err(refuse("the renewed period would already be over"));
                }
                if today < start {
                    // Renewed ahead: the current period stays current until its end.
                    model.renewed_until = Set(Some(end));
                } else {
                    model.start_date = Set(start);
                    model.end_date = Set(end);
                    model.period = Set(to_i32(now.period + 1)?);
                }
            }
            _ => {}
        }
        model.status = Set(req.status.as_str().to_owned());
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<pact::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        record_step(&tx, ctx, req.id.uuid(), req.status, Some(user), note).await?;
        let pact = to_pact(model, today)?;
        self.emit_pact_status(&tx, ctx, &pact, req.status).await?;
        tx.commit().await?;
        Ok(pact)
    }

    /// The `pact_status_changed` event of a step, dated the tenant's today, in the pact's
    /// municipality: the status stepped to and, unless the pact renews itself tacitly, the first
    /// day its current period (or the next one it is renewed for) no longer covers (so that analytics stops counting it in force
    /// then, as this service reads it `EXPIRED`).
    async fn emit_pact_status(
        &self,
        tx: &Tx,
        ctx: &Context,
        pact: &Pact,
        status: PactStatus,
    ) -> Result<()> {
        let about = events::About {
            kind: "pact",
            id: pact.id.uuid(),
            territory: &pact.municipality,
        };
        let until =
            (pact.renewal != Renewal::Tacit).then_some(pact.renewed_until.unwrap_or(pact.end_date));
        let status = status.as_str().to_owned();
        events::emit(
            tx,
            &self.pseudonyms,
            ctx,
            about,
            ctx.today(),
            None,
            |keyer| sportello_kernel::events::Event::PactStatusChanged {
                pact: keyer.object("pact", pact.id.uuid()),
                status,
                until,
            },
        )
        .await
    }

    pub(super) async fn pact_history(
        &self,
        ctx: &Context,
        req: PactId,
    ) -> Result<Vec<PactStatusChange>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        tx.find::<pact::Entity>(pact::Column::Id, req.uuid())
            .await?;
        let rows = tx
            .scoped::<pact_status_change::Entity>()?
            .filter(pact_status_change::Column::PactId.eq(req.uuid()))
            .order_by_asc(pact_status_change::Column::Id)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        rows.into_iter()
            .map(|r| {
                Ok(PactStatusChange {
                    status: PactStatus::parse(&r.status)
                        .ok_or_else(|| Error::internal("unknown pact status"))?,
                    by_user: r.by_user.map(UserId),
                    at: r.at,
                    note: r.note,
                })
            })
            .collect()
    }

    pub(super) async fn add_pact_report(
        &self,
        ctx: &Context,
        req: AddPactReport,
    ) -> Result<PactReport> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let today = ctx.today();
        let text = long_text("text", &req.text, MAX_TEXT)?;
        let minutes = req.minutes.map(minutes_of).transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<pact::Entity>(pact::Column::Id, req.pact_id.uuid())
            .await?;
        if found.activated_on.is_none() {
            let status = effective_of(&found, today)?.status;
            return Err(Error::on(
                "pactId",
                Reason::TransitionNotAllowed {
                    from: status.as_str().to_owned(),
                    to: PactStatus::Active.as_str().to_owned(),
                },
            )
            .saying("activity reports are for pacts that have been active"));
        }
        sportello_kernel::dates::date_within("on", req.on, found.first_start_date, today)?;
        let model = pact_report::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(PactReportId::new().uuid()),
            pact_id: Set(found.id),
            reported_on: Set(req.on),
            body: Set(text),
            minutes: Set(minutes),
            by_user: Set(user.uuid()),
            created_at: Set(ctx.now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_report(model))
    }

    pub(super) async fn list_pact_reports(
        &self,
        ctx: &Context,
        req: ListPactReports,
    ) -> Result<Paged<PactReport>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        tx.find::<pact::Entity>(pact::Column::Id, req.pact_id.uuid())
            .await?;
        let select = tx
            .scoped::<pact_report::Entity>()?
            .filter(pact_report::Column::PactId.eq(req.pact_id.uuid()));
        let rows = tx
            .page_newest_first(select, pact_report::Column::Id, &req.page)
            .await?;
        tx.finish().await?;
        rows.try_map(|m| Ok(to_report(m)))
    }

    /// Public: the tenant comes from the request, not from a session. The tenant's zone (for its
    /// today) is asked of the tenancy service as this service's own call about that tenant.
    pub(super) async fn list_public_pacts(
        &self,
        ctx: &Context,
        req: ListPublicPacts,
    ) -> Result<Paged<PublicPact>> {
        let code = istat_code("istatCode", &req.istat_code)?;
        let mut inner = Context::internal("volunteers", req.tenant_id, ctx.request_id.clone());
        inner.clock = ctx.clock;
        inner.traceparent = ctx.traceparent.clone();
        match self.tenancy.retention_schedule(&inner, ()).await {
            Ok(schedule) => inner.time_zone = schedule.time_zone,
            Err(err) if err.code == ErrorCode::NotFound => {
                return Ok(Paged {
                    items: Vec::new(),
                    has_next_page: false,
                });
            }
            Err(err) => return Err(err),
        }
        let today = inner.today();
        let tx = self.db.begin(Scope::Tenant(req.tenant_id)).await?;
        let select = tx
            .scoped::<pact::Entity>()?
            .filter(pact::Column::Municipality.eq(code))
            .filter(in_force(today));
        let rows = tx.page(select, pact::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(|m| to_public(m, today))
    }
}

/// A pact's input with every field checked, in its stored form.
struct CheckedPact {
    proposer_kind: ProposerKind,
    proposer_name: String,
    proposer_volunteers: Vec<VolunteerId>,
    proposer_email: Option<String>,
    proposer_phone: Option<String>,
    municipality: String,
    good_kind: CommonGoodKind,
    good_name: String,
    good_address: Option<String>,
    activities: String,
    municipality_commitments: String,
    proposer_commitments: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    duration_months: u32,
    renewal: Renewal,
}

impl CheckedPact {
    /// The columns of the terms (a new pact's or a changed one's); the first period starts on
    /// `start_date`.
    fn into_active_model(self) -> Result<pact::ActiveModel> {
        let ids: Vec<String> = self
            .proposer_volunteers
            .iter()
            .map(|v| v.uuid().to_string())
            .collect();
        Ok(pact::ActiveModel {
            proposer_kind: Set(self.proposer_kind.as_str().to_owned()),
            proposer_name: Set(self.proposer_name),
            proposer_email: Set(self.proposer_email),
            proposer_phone: Set(self.proposer_phone),
            proposer_volunteers: Set(join_list(&ids)),
            municipality: Set(self.municipality),
            good_kind: Set(self.good_kind.as_str().to_owned()),
            good_name: Set(self.good_name),
            good_address: Set(self.good_address),
            activities: Set(self.activities),
            municipality_commitments: Set(self.municipality_commitments),
            proposer_commitments: Set(self.proposer_commitments),
            first_start_date: Set(self.start_date),
            start_date: Set(self.start_date),
            end_date: Set(self.end_date),
            duration_months: Set(to_i32(self.duration_months)?),
            renewal: Set(self.renewal.as_str().to_owned()),
            ..Default::default()
        })
    }
}

/// Checks a pact's terms; `territories` are the ISTAT codes of the tenant's municipalities.
/// Every refusal is `INVALID_INPUT` on its field: `proposerName`, `proposerVolunteerIds` (none for
/// `VOLUNTEERS`, repeated), `proposerEmail`, `proposerPhone`, `municipality` (malformed, or no
/// municipality of the tenant), `goodName`, `goodAddress`, `activities`,
/// `municipalityCommitments`, `proposerCommitments` (empty or too long), `startDate` (2000 to
/// five years after `today`), `durationMonths` (1–60). One answer names every field at fault.
fn check_pact(
    input: PactInput,
    today: NaiveDate,
    territories: &BTreeSet<String>,
) -> Result<CheckedPact> {
    let mut refusals = Refusals::default();
    let proposer_name = refusals.take(Name::parse("proposerName", &input.proposer_name));
    let mut seen = BTreeSet::new();
    if input.proposer_volunteers.len() > crate::domain::MAX_ITEMS {
        refusals.note(Error::on(
            "proposerVolunteerIds",
            Reason::TooMany {
                max: crate::domain::MAX_ITEMS as u32,
            },
        ));
    } else if input.proposer_volunteers.iter().any(|v| !seen.insert(*v)) {
        refusals.note(Error::on("proposerVolunteerIds", Reason::Repeated));
    } else if input.proposer_kind == ProposerKind::Volunteers
        && input.proposer_volunteers.is_empty()
    {
        refusals.note(
            Error::on("proposerVolunteerIds", Reason::Required)
                .saying("a pact proposed by volunteers names at least one of the register"),
        );
    }
    let proposer_email = refusals.take(match input.proposer_email.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(typed) => sportello_kernel::contact::email("proposerEmail", typed).map(Some),
    });
    let proposer_phone = refusals.take(optional_phone("proposerPhone", input.proposer_phone));
    let municipality = refusals.take(istat_code("municipality", &input.municipality).and_then(
        |code| {
            if territories.contains(&code) {
                Ok(code)
            } else {
                Err(Error::on(
                    "municipality",
                    Reason::NoSuch {
                        object: sportello_kernel::error::Object::Territory,
                    },
                ))
            }
        },
    ));
    let good_name = refusals.take(Name::parse("goodName", &input.good_name));
    let good_address = refusals.take(optional_text("goodAddress", input.good_address));
    let activities = refusals.take(long_text("activities", &input.activities, MAX_TEXT));
    let municipality_commitments = refusals.take(long_text(
        "municipalityCommitments",
        &input.municipality_commitments,
        MAX_COMMITMENTS,
    ));
    let proposer_commitments = refusals.take(long_text(
        "proposerCommitments",
        &input.proposer_commitments,
        MAX_COMMITMENTS,
    ));
    let latest = today
        .checked_add_months(Months::new(START_AHEAD_MONTHS))
        .unwrap_or(today);
    let start_date = refusals.take(sportello_kernel::dates::date_within(
        "startDate",
        input.start_date,
        first_day(),
        latest,
    ));
    if !(1..=MAX_DURATION_MONTHS).contains(&input.duration_months) {
        refusals.note(Error::on(
            "durationMonths",
            Reason::OutOfRange {
                min: 1,
                max: i64::from(MAX_DURATION_MONTHS),
            },
        ));
    }
    refusals.finish()?;
    let missing = || Error::internal("a refused pact field passed the check");
    let start_date = start_date.ok_or_else(missing)?;
    let end_date = end_of(start_date, Months::new(input.duration_months))?;
    Ok(CheckedPact {
        proposer_kind: input.proposer_kind,
        proposer_name: proposer_name.ok_or_else(missing)?.into_string(),
        proposer_volunteers: input.proposer_volunteers,
        proposer_email: proposer_email.ok_or_else(missing)?,
        proposer_phone: proposer_phone.ok_or_else(missing)?,
        municipality: municipality.ok_or_else(missing)?,
        good_kind: input.good_kind,
        good_name: good_name.ok_or_else(missing)?.into_string(),
        good_address: good_address.ok_or_else(missing)?,
        activities: activities.ok_or_else(missing)?,
        municipality_commitments: municipality_commitments.ok_or_else(missing)?,
        proposer_commitments: proposer_commitments.ok_or_else(missing)?,
        start_date,
        end_date,
        duration_months: input.duration_months,
        renewal: input.renewal,
    })
}

/// Refuses a volunteer id the tenant's register does not hold (`INVALID_INPUT` on
/// `proposerVolunteerIds`; another tenant's volunteer is none).
async fn require_volunteers(tx: &Tx, ids: &[VolunteerId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let found = tx
        .scoped::<volunteer::Entity>()?
        .filter(volunteer::Column::Id.is_in(ids.iter().map(|v| v.uuid())))
        .count(tx.conn())
        .await?;
    if found != ids.len() as u64 {
        return Err(no_such_volunteer("proposerVolunteerIds"));
    }
    Ok(())
}

/// A six-digit ISTAT municipality code, or `INVALID_INPUT` on `field`.
fn istat_code(field: &str, input: &str) -> Result<String> {
    let code = input.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::on(field, Reason::IstatMalformed));
    }
    Ok(code.to_owned())
}

/// A required free text: trimmed (line breaks inside kept), 1 to `max` characters.
fn long_text(field: &str, input: &str, max: usize) -> Result<String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Error::on(field, Reason::Required));
    }
    if text.chars().count() > max {
        return Err(Error::on(field, Reason::TooLong { max: max as u32 }));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(Error::on(field, Reason::ControlCharacters));
    }
    Ok(text.to_owned())
}

/// Minutes given: 1 to [`MAX_MINUTES`], or `INVALID_INPUT` on `minutes`.
fn minutes_of(minutes: u32) -> Result<i32> {
    if !(1..=MAX_MINUTES).contains(&minutes) {
        return Err(Error::on(
            "minutes",
            Reason::OutOfRange {
                min: 1,
                max: i64::from(MAX_MINUTES),
            },
        ));
    }
    to_i32(minutes)
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn months(stored: i32) -> Result<Months> {
    u32::try_from(stored)
        .map(Months::new)
        .map_err(|_| Error::internal("negative pact duration"))
}

fn to_i32(n: u32) -> Result<i32> {
    i32::try_from(n).map_err(|_| Error::internal("pact number out of range"))
}

/// The day after a period of `duration` starting on `start`, on the calendar: 31 January plus one
/// month is the last day of February (chrono's `checked_add_months`).
fn end_of(start: NaiveDate, duration: Months) -> Result<NaiveDate> {
    start
        .checked_add_months(duration)
        .ok_or_else(|| Error::internal("pact end out of range"))
}

/// How a pact reads on a given day: its status and current period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reading {
    pub status: PactStatus,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub period: u32,
    pub renewed_until: Option<NaiveDate>,
}

/// How a pact whose last step was `status`, in the period `start`..`end` (end excluded) numbered
/// `period`, reads on `today`. An `ACTIVE` or `RENEWED` pact whose period is over moves first to
/// the next period it was renewed for ahead (`start`..`renewed_until`, read `RENEWED`); past that
/// too it is `EXPIRED`, unless its renewal is tacit, when it is `RENEWED` in the period of the
/// same duration that covers today (periods follow each other without gaps). Any other status
/// reads as stored.
#[allow(clippy::too_many_arguments)]
pub(crate) fn effective(
    status: PactStatus,
    start: NaiveDate,
    end: NaiveDate,
    renewed_until: Option<NaiveDate>,
    duration: Months,
    renewal: Renewal,
    period: u32,
    today: NaiveDate,
) -> Reading {
    let mut reading = Reading {
        status,
        start,
        end,
        period,
        renewed_until,
    };
    if !matches!(status, PactStatus::Active | PactStatus::Renewed) || today < end {
        return reading;
    }
    if let Some(until) = reading.renewed_until.take()
        && until > reading.end
    {
        reading.status = PactStatus::Renewed;
        reading.start = reading.end;
        reading.end = until;
        reading.period += 1;
        if today < reading.end {
            return reading;
        }
    }
    if renewal != Renewal::Tacit {
        reading.status = PactStatus::Expired;
        return reading;
    }
    reading.status = PactStatus::Renewed;
    while reading.end <= today {
        let Some(next) = reading.end.checked_add_months(duration) else {
            break;
        };
        if next <= reading.end {
            break;
        }
        reading.start = reading.end;
        reading.end = next;
        reading.period += 1;
    }
    reading
}

fn stored_status(m: &pact::Model) -> Result<PactStatus> {
    PactStatus::parse(&m.status).ok_or_else(|| Error::internal("unknown pact status"))
}

fn effective_of(m: &pact::Model, today: NaiveDate) -> Result<Reading> {
    Ok(effective(
        stored_status(m)?,
        m.start_date,
        m.end_date,
        m.renewed_until,
        months(m.duration_months)?,
        Renewal::parse(&m.renewal).ok_or_else(|| Error::internal("unknown pact renewal"))?,
        u32::try_from(m.period).map_err(|_| Error::internal("negative pact period"))?,
        today,
    ))
}

/// Whether a step of the workflow is allowed from how the pact reads now: `PROPOSED` →
/// `UNDER_EVALUATION`; `UNDER_EVALUATION` → `SIGNED`; `SIGNED` → `ACTIVE`; `ACTIVE` and
/// `RENEWED` → `RENEWED`; `EXPIRED` → `RENEWED` (renewed on request after its end); `PROPOSED`,
/// `UNDER_EVALUATION` (a rejected proposal), `SIGNED` (a pact that never starts), `ACTIVE` and
/// `RENEWED` → `ENDED`, which is final. `EXPIRED` and `PROPOSED` are never steps.
pub(crate) fn may_move(from: PactStatus, to: PactStatus) -> bool {
    use PactStatus::*;
    matches!(
        (from, to),
        (Proposed, UnderEvaluation | Ended)
            | (UnderEvaluation, Signed | Ended)
            | (Signed, Active | Ended)
            | (Active | Renewed, Renewed | Ended)
            | (Expired, Renewed)
    )
}

/// The SQL form of "reads as `status` on `today`" ([`effective`]).
fn status_condition(status: PactStatus, today: NaiveDate) -> Condition {
    use pact::Column;
    let tacit = Renewal::Tacit.as_str();
    let stored = |s: PactStatus| Column::Status.eq(s.as_str());
    match status {
        PactStatus::Active => Condition::all()
            .add(stored(PactStatus::Active))
            .add(Column::EndDate.gt(today)),
        PactStatus::Expired => Condition::all()
            .add(Column::Status.is_in([PactStatus::Active.as_str(), PactStatus::Renewed.as_str()]))
            .add(Column::Renewal.ne(tacit))
            .add(Column::EndDate.lte(today))
            .add(
                Condition::any()
                    .add(Column::RenewedUntil.is_null())
                    .add(Column::RenewedUntil.lte(today)),
            ),
        PactStatus::Renewed => Condition::any()
            .add(
                Condition::all().add(stored(PactStatus::Renewed)).add(
                    Condition::any()
                        .add(Column::EndDate.gt(today))
                        .add(Column::RenewedUntil.gt(today))
                        .add(Column::Renewal.eq(tacit)),
                ),
            )
            .add(
                Condition::all()
                    .add(stored(PactStatus::Active))
                    .add(Column::Renewal.eq(tacit))
                    .add(Column::EndDate.lte(today)),
            ),
        other => Condition::all().add(stored(other)),
    }
}

/// The SQL form of "in force on `today`": reads `ACTIVE` or `RENEWED`.
fn in_force(today: NaiveDate) -> Condition {
    Condition::any()
        .add(status_condition(PactStatus::Active, today))
        .add(status_condition(PactStatus::Renewed, today))
}

/// Appends one step to a pact's history.
async fn record_step(
    tx: &Tx,
    ctx: &Context,
    pact_id: Uuid,
    status: PactStatus,
    by_user: Option<UserId>,
    note: Option<String>,
) -> Result<()> {
    pact_status_change::ActiveModel {
        tenant_id: Set(ctx.tenant()?.uuid()),
        id: Set(Uuid::now_v7()),
        pact_id: Set(pact_id),
        status: Set(status.as_str().to_owned()),
        by_user: Set(by_user.map(|u| u.uuid())),
        at: Set(ctx.now()),
        note: Set(note),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

fn to_pact(m: pact::Model, today: NaiveDate) -> Result<Pact> {
    let reading = effective_of(&m, today)?;
    let proposer_volunteers = split_list(&m.proposer_volunteers)
        .iter()
        .map(|s| {
            s.parse::<Uuid>()
                .map(VolunteerId)
                .map_err(|_| Error::internal("malformed volunteer id in a pact"))
        })
        .collect::<Result<_>>()?;
    Ok(Pact {
        id: PactId(m.id),
        proposer_kind: ProposerKind::parse(&m.proposer_kind)
            .ok_or_else(|| Error::internal("unknown proposer kind"))?,
        proposer_name: m.proposer_name,
        proposer_volunteers,
        proposer_email: m.proposer_email,
        proposer_phone: m.proposer_phone,
        municipality: m.municipality,
        good_kind: CommonGoodKind::parse(&m.good_kind)
            .ok_or_else(|| Error::internal("unknown common good kind"))?,
        good_name: m.good_name,
        good_address: m.good_address,
        activities: m.activities,
        municipality_commitments: m.municipality_commitments,
        proposer_commitments: m.proposer_commitments,
        first_start_date: m.first_start_date,
        start_date: reading.start,
        end_date: reading.end,
        duration_months: u32::try_from(m.duration_months)
            .map_err(|_| Error::internal("negative pact duration"))?,
        period: reading.period,
        renewed_until: reading.renewed_until,
        renewal: Renewal::parse(&m.renewal)
            .ok_or_else(|| Error::internal("unknown pact renewal"))?,
        status: reading.status,
        signed_on: m.signed_on,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

/// What the public may read: no contact, no volunteer, a person's name never.
fn to_public(m: pact::Model, today: NaiveDate) -> Result<PublicPact> {
    let pact = to_pact(m, today)?;
    Ok(PublicPact {
        id: pact.id,
        municipality: pact.municipality,
        good_kind: pact.good_kind,
        good_name: pact.good_name,
        good_address: pact.good_address,
        activities: pact.activities,
        start_date: pact.start_date,
        end_date: pact.end_date,
        renewed_until: pact.renewed_until,
        status: pact.status,
        proposer_kind: pact.proposer_kind,
        proposer_name: pact
            .proposer_kind
            .name_is_public()
            .then_some(pact.proposer_name),
    })
}

fn to_report(m: pact_report::Model) -> PactReport {
    PactReport {
        id: PactReportId(m.id),
        pact_id: PactId(m.pact_id),
        on: m.reported_on,
        text: m.body,
        minutes: m.minutes.and_then(|n| u32::try_from(n).ok()),
        by_user: UserId(m.by_user),
        created_at: m.created_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("day")
    }

    fn input() -> PactInput {
        PactInput {
            proposer_kind: ProposerKind::Association,
            proposer_name: " Amici del Parco ".into(),
            proposer_volunteers: vec![],
            proposer_email: Some("Info@Amici.example.org".into()),
            proposer_phone: None,
            municipality: "052022".into(),
            good_kind: CommonGoodKind::Park,
            good_name: "Parco della Rimembranza".into(),
            good_address: Some("Viale dei Tigli".into()),
            activities: "Cura del verde".into(),
            municipality_commitments: "Fornire attrezzi".into(),
            proposer_commitments: "Sfalcio mensile".into(),
            start_date: day(2026, 1, 31),
            duration_months: 1,
            renewal: Renewal::Tacit,
        }
    }

    fn known() -> BTreeSet<String> {
        ["052022".to_owned()].into()
    }

    #[test]
    fn a_pact_ends_on_the_calendar_day_its_months_reach() {
        let checked = check_pact(input(), day(2026, 12, 6), &known()).expect("valid");
        assert_eq!(checked.proposer_name, "Amici del Parco");
        assert_eq!(
            checked.proposer_email.as_deref(),
            Some("info@amici.example.org")
        );
        assert_eq!(checked.end_date, day(2026, 2, 28));
    }

    #[test]
    fn each_refusal_names_its_field() {
        let today = day(2026, 12, 6);
        let cases: Vec<(PactInput, &str)> = vec![
            (
                PactInput {
                    municipality: "52022".into(),
                    ..input()
                },
                "municipality",
            ),
            (
                PactInput {
                    municipality: "048017".into(),
                    ..input()
                },
                "municipality",
            ),
            (
                PactInput {
                    duration_months: 0,
                    ..input()
                },
                "durationMonths",
            ),
            (
                PactInput {
                    duration_months: 61,
                    ..input()
                },
                "durationMonths",
            ),
            (
                PactInput {
                    proposer_commitments: "x".repeat(2001),
                    ..input()
                },
                "proposerCommitments",
            ),
            (
                PactInput {
                    municipality_commitments: " ".into(),
                    ..input()
                },
                "municipalityCommitments",
            ),
            (
                PactInput {
                    proposer_kind: ProposerKind::Volunteers,
                    ..input()
                },
                "proposerVolunteerIds",
            ),
            (
                PactInput {
                    start_date: day(2040, 1, 1),
                    ..input()
                },
                "startDate",
            ),
            (
                PactInput {
                    proposer_email: Some("not an address".into()),
                    ..input()
                },
                "proposerEmail",
            ),
        ];
        for (bad, field) in cases {
            let err = check_pact(bad, today, &known()).err().expect(field);
            assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
        }
    }

    #[test]
    fn one_answer_names_every_field_at_fault() {
        let bad = PactInput {
            proposer_name: " ".into(),
            municipality: "999999".into(),
            good_name: "".into(),
            activities: "".into(),
            duration_months: 0,
            ..input()
        };
        let err = check_pact(bad, day(2026, 12, 6), &known())
            .err()
            .expect("refused");
        assert_eq!(
            err.refused_fields(),
            [
                "proposerName",
                "municipality",
                "goodName",
                "activities",
                "durationMonths"
            ]
        );
    }

    #[test]
    fn an_active_pact_past_its_end_reads_expired_or_tacitly_renewed() {
        let (start, end) = (day(2025, 1, 15), day(2026, 1, 15));
        let year = Months::new(12);
        let read =
            |status, renewal, today| effective(status, start, end, None, year, renewal, 1, today);
        assert_eq!(
            read(PactStatus::Active, Renewal::OnRequest, day(2026, 1, 14)).status,
            PactStatus::Active
        );
        assert_eq!(
            read(PactStatus::Active, Renewal::OnRequest, day(2026, 1, 15)).status,
            PactStatus::Expired
        );
        assert_eq!(
            read(PactStatus::Renewed, Renewal::None, day(2027, 1, 15)).status,
            PactStatus::Expired
        );
        let tacit = read(PactStatus::Active, Renewal::Tacit, day(2027, 3, 1));
        assert_eq!(
            tacit,
            Reading {
                status: PactStatus::Renewed,
                start: day(2027, 1, 15),
                end: day(2028, 1, 15),
                period: 3,
                renewed_until: None,
            }
        );
        assert_eq!(
            read(PactStatus::Ended, Renewal::Tacit, day(2030, 1, 1)).status,
            PactStatus::Ended
        );
    }

    #[test]
    fn a_pact_renewed_ahead_keeps_its_period_then_moves_to_the_next() {
        let (start, end, until) = (day(2025, 1, 15), day(2026, 1, 15), day(2027, 1, 15));
        let year = Months::new(12);
        let read = |renewal, today| {
            effective(
                PactStatus::Renewed,
                start,
                end,
                Some(until),
                year,
                renewal,
                1,
                today,
            )
        };
        let before = read(Renewal::OnRequest, day(2026, 1, 14));
        assert_eq!(
            before,
            Reading {
                status: PactStatus::Renewed,
                start,
                end,
                period: 1,
                renewed_until: Some(until),
            }
        );
        let next = read(Renewal::OnRequest, day(2026, 1, 15));
        assert_eq!(
            next,
            Reading {
                status: PactStatus::Renewed,
                start: end,
                end: until,
                period: 2,
                renewed_until: None,
            }
        );
        assert_eq!(
            read(Renewal::OnRequest, day(2027, 1, 15)).status,
            PactStatus::Expired
        );
        let tacit = read(Renewal::Tacit, day(2027, 2, 1));
        assert_eq!(
            (tacit.status, tacit.start, tacit.period),
            (PactStatus::Renewed, until, 3)
        );
    }

    #[test]
    fn the_workflow_allows_only_its_steps() {
        use PactStatus::*;
        assert!(may_move(Proposed, UnderEvaluation));
        assert!(may_move(UnderEvaluation, Ended));
        assert!(may_move(Expired, Renewed));
        assert!(!may_move(Proposed, Active));
        assert!(!may_move(Active, Expired));
        assert!(!may_move(Ended, Renewed));
        assert!(!may_move(Expired, Ended));
        for to in PactStatus::ALL {
            assert!(!may_move(Ended, to));
            assert!(!may_move(to, Proposed));
        }
    }

    #[test]
    fn minutes_are_bounded() {
        assert_eq!(minutes_of(90).expect("valid"), 90);
        for bad in [0, MAX_MINUTES + 1] {
            assert!(minutes_of(bad).is_err(), "{bad}");
        }
    }
}
