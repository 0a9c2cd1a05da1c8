//! On call: linguistic-cultural mediation requested by schools, social services and clinics,
//! offered to the tenant's mediators by language, availability, territory and load, the first
//! acceptance confirming it; legal consultations asked by operators and answered by the
//! tenant's legal advisors, with a knowledge base of answers stripped of personal data; the
//! activation and response times against the tenant's targets (docs/oncall.md).
//!
//! Least privilege: a mediator reads only the requests offered to or held by them, with the
//! minimum the requester shared (each read audited); a requester only its organisation's
//! requests; a legal advisor only consultations, without their case. Every other read is
//! `NOT_FOUND`, like an id that never existed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{Condition, ExprTrait, PaginatorTrait, QuerySelect};
use sportello_kernel::error::Object;
use sportello_kernel::live::{Notice, Topic};
use sportello_kernel::{Reason, UserId};

use super::*;
use crate::store::{
    legal_consultation, legal_knowledge, legal_message, mediation_offer, mediation_request,
    mediator_profile, oncall_settings, requester_member, requester_organisation,
};

/// Default targets (the service levels): 4 h for an urgent mediation, 48 h for a
/// normal one, 48 h for a legal answer.
pub const DEFAULT_URGENT_MINUTES: u32 = 4 * 60;
pub const DEFAULT_NORMAL_MINUTES: u32 = 48 * 60;
pub const DEFAULT_LEGAL_MINUTES: u32 = 48 * 60;
/// At most this many mediators are offered one request (the least loaded first).
const MAX_OFFERS: usize = 20;
/// Confirmed requests a volunteer of the register holds at once, at most.
const VOLUNTEER_MAX_ACTIVE: u32 = 2;
const MAX_TARGET_MINUTES: u32 = 30 * 24 * 60;

fn code<T: serde::Serialize>(value: T) -> Result<String> {
    match serde_json::to_value(value).map_err(Error::internal)? {
        serde_json::Value::String(s) => Ok(s),
        _ => Err(Error::internal("an on-call code is not a string")),
    }
}

fn parse<T: serde::de::DeserializeOwned>(stored: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(stored.to_owned()))
        .map_err(|_| Error::internal("a stored on-call code is unknown"))
}

fn list(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Free text of `min` to `max` characters, trimmed, without control characters (line breaks
/// allowed when `lines`).
fn text(field: &str, value: &str, min: usize, max: u32, lines: bool) -> Result<String> {
    let value = value.trim();
    if value.is_empty() && min > 0 {
        return Err(Error::on(field, Reason::Required));
    }
    let n = value.chars().count();
    if n < min {
        return Err(Error::on(field, Reason::TooShort { min: min as u32 }));
    }
    if n > max as usize {
        return Err(Error::on(field, Reason::TooLong { max }));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(lines && (c == '\n' || c == '\t')))
    {
        return Err(Error::on(field, Reason::ControlCharacters));
    }
    Ok(value.to_owned())
}

/// Lower case, accents and scripts folded to ASCII, for the knowledge base's search.
fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The median and 90th percentile (nearest rank) of `times`, and how many are within `target`.
fn figures(mut times: Vec<i64>, target: i64) -> TimeFigures {
    times.sort_unstable();
    let rank = |p: f64| -> Option<i64> {
        if times.is_empty() {
            return None;
        }
        let k = ((p * times.len() as f64).ceil() as usize).clamp(1, times.len());
        Some(times[k - 1])
    };
    TimeFigures {
        count: times.len() as u32,
        median_seconds: rank(0.5),
        p90_seconds: rank(0.9),
        target_seconds: target,
        within_target: times.iter().filter(|t| **t <= target).count() as u32,
    }
}

/// A move of a mediation request: from one of `from` to `to`, with `changes`, audited as
/// changing `fields`.
struct Move<'a> {
    from: &'a [&'a str],
    to: &'a str,
    changes: mediation_request::ActiveModel,
    fields: &'a [&'a str],
}

/// How the actor may see a mediation request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Viewer {
    /// Coordinators: every request of their territories.
    Coordinator,
    /// The requester's side: its organisation's requester, or the staff member who made it.
    Requester,
    /// A mediator it is offered to (or who holds it).
    Mediator(Option<OfferStatus>),
}

impl CasesService {
    async fn settings_row(&self, tx: &Tx, ctx: &Context) -> Result<OnCallSettings> {
        let tenant = ctx.tenant()?;
        let row = tx
            .scoped::<oncall_settings::Entity>()?
            .filter(oncall_settings::Column::Id.eq(tenant.uuid()))
            .one(tx.conn())
            .await?;
        Ok(match row {
            Some(m) => OnCallSettings {
                urgent_activation_minutes: m.urgent_activation_minutes as u32,
                normal_activation_minutes: m.normal_activation_minutes as u32,
                legal_response_minutes: m.legal_response_minutes as u32,
                version: m.version,
            },
            None => OnCallSettings {
                urgent_activation_minutes: DEFAULT_URGENT_MINUTES,
                normal_activation_minutes: DEFAULT_NORMAL_MINUTES,
                legal_response_minutes: DEFAULT_LEGAL_MINUTES,
                version: 0,
            },
        })
    }

    pub(super) async fn oncall_settings(&self, ctx: &Context, _: ()) -> Result<OnCallSettings> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let settings = self.settings_row(&tx, ctx).await?;
        tx.finish().await?;
        Ok(settings)
    }

    pub(super) async fn set_oncall_settings(
        &self,
        ctx: &Context,
        req: SetOnCallSettings,
    ) -> Result<OnCallSettings> {
        let tenant = ctx.tenant()?;
        let mut refusals = Refusals::default();
        for (field, value) in [
            ("urgentActivationMinutes", req.urgent_activation_minutes),
            ("normalActivationMinutes", req.normal_activation_minutes),
            ("legalResponseMinutes", req.legal_response_minutes),
        ] {
            if !(1..=MAX_TARGET_MINUTES).contains(&value) {
                refusals.note(Error::on(
                    field,
                    Reason::OutOfRange {
                        min: 1,
                        max: MAX_TARGET_MINUTES.into(),
                    },
                ));
            }
        }
        refusals.finish()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let current = self.settings_row(&tx, ctx).await?;
        if current.version != req.expected_version {
            return Err(Error::stale(current.version));
        }
        let values = (
            req.urgent_activation_minutes as i32,
            req.normal_activation_minutes as i32,
            req.legal_response_minutes as i32,
        );
        if current.version == 0 {
            oncall_settings::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(tenant.uuid()),
                urgent_activation_minutes: Set(values.0),
                normal_activation_minutes: Set(values.1),
                legal_response_minutes: Set(values.2),
                version: Set(1),
            }
            .insert(tx.conn())
            .await
            .map_err(|err| match Error::from(err) {
                e if e.code == ErrorCode::Conflict => Error::stale(1),
                e => e,
            })?;
        } else {
            let changes = oncall_settings::ActiveModel {
                urgent_activation_minutes: Set(values.0),
                normal_activation_minutes: Set(values.1),
                legal_response_minutes: Set(values.2),
                ..Default::default()
            };
            tx.update_versioned::<oncall_settings::Entity>(
                tenant.uuid(),
                Some(req.expected_version),
                changes,
            )
            .await?;
        }
        self.audit(
            &tx,
            ctx,
            "update",
            "oncall_settings",
            tenant.uuid(),
            &["targets"],
        )
        .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Whether `user` holds `role` in the context's tenant.
    async fn holds(&self, ctx: &Context, user: UserId, role: Role) -> bool {
        self.member_roles(ctx, user)
            .await
            .is_some_and(|roles| roles.contains(&role))
    }

    /// Confirmed requests not yet reported, per mediator.
    async fn loads(&self, tx: &Tx) -> Result<BTreeMap<Uuid, u32>> {
        let held: Vec<Option<Uuid>> = tx
            .scoped::<mediation_request::Entity>()?
            .select_only()
            .column(mediation_request::Column::MediatorId)
            .filter(mediation_request::Column::Status.eq("CONFIRMED"))
            .into_tuple()
            .all(tx.conn())
            .await?;
        let mut loads = BTreeMap::new();
        for m in held.into_iter().flatten() {
            *loads.entry(m).or_insert(0) += 1;
        }
        Ok(loads)
    }

    fn to_profile(m: mediator_profile::Model, active: u32) -> MediatorProfile {
        MediatorProfile {
            user_id: UserId(m.id),
            languages: list(&m.languages),
            dialects: m.dialects,
            territories: list(&m.territories),
            available: m.available,
            max_active: m.max_active as u32,
            active,
            version: m.version,
        }
    }

    pub(super) async fn mediator_profiles(
        &self,
        ctx: &Context,
        _: (),
    ) -> Result<Vec<MediatorProfile>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let all = ctx.has_role(Role::TenantAdmin) || ctx.has_role(Role::Coordinator);
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<mediator_profile::Entity>()?;
        if !all {
            select = select.filter(mediator_profile::Column::Id.eq(user.uuid()));
        }
        let rows = select
            .order_by_asc(mediator_profile::Column::Id)
            .all(tx.conn())
            .await?;
        let loads = self.loads(&tx).await?;
        tx.finish().await?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let active = loads.get(&m.id).copied().unwrap_or(0);
                Self::to_profile(m, active)
            })
            .collect())
    }

    pub(super) async fn set_mediator_profile(
        &self,
        ctx: &Context,
        req: SetMediatorProfile,
    ) -> Result<MediatorProfile> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let manager = ctx.has_role(Role::TenantAdmin) || ctx.has_role(Role::Coordinator);
        if req.user_id != user && !manager {
            return Err(Error::forbidden());
        }
        let mut refusals = Refusals::default();
        let mut languages = BTreeSet::new();
        if req.languages.is_empty() {
            refusals.note(Error::on("languages", Reason::Required));
        }
        if req.languages.len() > 20 {
            refusals.note(Error::on("languages", Reason::TooMany { max: 20 }));
        }
        for (i, l) in req.languages.iter().enumerate() {
            if let Some(code) = refusals.take(sportello_kernel::iso::language(
                &format!("languages.{i}"),
                l,
            )) {
                languages.insert(code);
            }
        }
        let dialects = refusals.take(text("dialects", &req.dialects, 0, 300, false));
        let mut territories = BTreeSet::new();
        if req.territories.len() > 50 {
            refusals.note(Error::on("territories", Reason::TooMany { max: 50 }));
        }
        for (i, t) in req.territories.iter().enumerate() {
            let field = format!("territories.{i}");
            match self.check_territory(ctx, &field, t).await {
                Ok(code) => {
                    territories.insert(code);
                }
                Err(e) => refusals.note(e),
            }
        }
        if !(1..=20).contains(&req.max_active) {
            refusals.note(Error::on(
                "maxActive",
                Reason::OutOfRange { min: 1, max: 20 },
            ));
        }
        if !self.holds(ctx, req.user_id, Role::Mediator).await {
            refusals.note(Error::on(
                "userId",
                Reason::NoSuch {
                    object: Object::Mediator,
                },
            ));
        }
        refusals.finish()?;
        let join = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join(",");
        let (languages, territories) = (join(languages), join(territories));
        let dialects = dialects.unwrap_or_default();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let existing = tx
            .scoped::<mediator_profile::Entity>()?
            .filter(mediator_profile::Column::Id.eq(req.user_id.uuid()))
            .one(tx.conn())
            .await?;
        let model = match (existing, req.expected_version) {
            (None, None) => mediator_profile::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(req.user_id.uuid()),
                languages: Set(languages),
                dialects: Set(dialects),
                territories: Set(territories),
                available: Set(req.available),
                max_active: Set(req.max_active as i32),
                updated_at: Set(ctx.now()),
                version: Set(1),
            }
            .insert(tx.conn())
            .await
            .map_err(|err| match Error::from(err) {
                e if e.code == ErrorCode::Conflict => Error::stale(1),
                e => e,
            })?,
            (Some(current), None) => return Err(Error::stale(current.version)),
            (None, Some(_)) => return Err(Error::stale(0)),
            (Some(_), Some(expected)) => {
                let changes = mediator_profile::ActiveModel {
                    languages: Set(languages),
                    dialects: Set(dialects),
                    territories: Set(territories),
                    available: Set(req.available),
                    max_active: Set(req.max_active as i32),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                };
                tx.update_versioned::<mediator_profile::Entity>(
                    req.user_id.uuid(),
                    Some(expected),
                    changes,
                )
                .await?
            }
        };
        self.audit(
            &tx,
            ctx,
            "update",
            "mediator_profile",
            model.id,
            &["languages", "territories", "available", "maxActive"],
        )
        .await?;
        let active = self.loads(&tx).await?.get(&model.id).copied().unwrap_or(0);
        tx.commit().await?;
        Ok(Self::to_profile(model, active))
    }

    async fn to_organisation(
        &self,
        tx: &Tx,
        m: requester_organisation::Model,
    ) -> Result<RequesterOrganisation> {
        let members: Vec<Uuid> = tx
            .scoped::<requester_member::Entity>()?
            .select_only()
            .column(requester_member::Column::Id)
            .filter(requester_member::Column::OrganisationId.eq(m.id))
            .order_by_asc(requester_member::Column::Id)
            .into_tuple()
            .all(tx.conn())
            .await?;
        Ok(RequesterOrganisation {
            id: RequesterOrganisationId(m.id),
            name: m.name,
            kind: parse(&m.kind)?,
            address: m.address,
            territory_code: m.territory_code,
            members: members.into_iter().map(UserId).collect(),
            version: m.version,
        })
    }

    /// The organisation the actor requests for, when they are an external requester.
    async fn own_organisation(&self, tx: &Tx, ctx: &Context) -> Result<Option<Uuid>> {
        if !ctx.has_role(Role::ExternalRequester) {
            return Ok(None);
        }
        let user = ctx.user()?;
        Ok(tx
            .scoped::<requester_member::Entity>()?
            .filter(requester_member::Column::Id.eq(user.uuid()))
            .one(tx.conn())
            .await?
            .map(|m| m.organisation_id))
    }

    /// Whether the actor may be offered mediation requests: a staff mediator, or a volunteer of
    /// the register.
    fn mediates(ctx: &Context) -> bool {
        ctx.has_role(Role::Mediator) || ctx.has_role(Role::Volunteer)
    }

    fn is_staff(ctx: &Context) -> bool {
        [Role::TenantAdmin, Role::Coordinator, Role::Operator]
            .into_iter()
            .any(|r| ctx.has_role(r))
    }

    pub(super) async fn requester_organisations(
        &self,
        ctx: &Context,
        _: (),
    ) -> Result<Vec<RequesterOrganisation>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<requester_organisation::Entity>()?;
        if !Self::is_staff(ctx) {
            let own = self.own_organisation(&tx, ctx).await?;
            select = select.filter(requester_organisation::Column::Id.is_in(own));
        }
        let rows = select
            .order_by_asc(requester_organisation::Column::Name)
            .order_by_asc(requester_organisation::Column::Id)
            .all(tx.conn())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            out.push(self.to_organisation(&tx, m).await?);
        }
        tx.finish().await?;
        Ok(out)
    }

    pub(super) async fn create_requester_organisation(
        &self,
        ctx: &Context,
        req: CreateRequesterOrganisation,
    ) -> Result<RequesterOrganisation> {
        let tenant = ctx.tenant()?;
        let mut refusals = Refusals::default();
        let name = refusals.take(text("name", &req.name, 1, 200, false));
        let address = refusals.take(text("address", &req.address, 1, 300, false));
        let territory = match self
            .check_territory(ctx, "territoryCode", &req.territory_code)
            .await
        {
            Ok(t) => Some(t),
            Err(e) => {
                refusals.note(e);
                None
            }
        };
        refusals.finish()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = requester_organisation::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(RequesterOrganisationId::new().uuid()),
            name: Set(name.unwrap_or_default()),
            kind: Set(code(req.kind)?),
            address: Set(address.unwrap_or_default()),
            territory_code: Set(territory.unwrap_or_default()),
            created_at: Set(ctx.now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "requester_organisation",
            model.id,
            &["name", "kind", "address", "territoryCode"],
        )
        .await?;
        let out = self.to_organisation(&tx, model).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn add_requester(
        &self,
        ctx: &Context,
        req: AddRequester,
    ) -> Result<RequesterOrganisation> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let org = tx
            .scoped::<requester_organisation::Entity>()?
            .filter(requester_organisation::Column::Id.eq(req.organisation_id.uuid()))
            .one(tx.conn())
            .await?;
        let mut refusals = Refusals::default();
        if org.is_none() {
            refusals.note(Error::on(
                "organisationId",
                Reason::NoSuch {
                    object: Object::RequesterOrganisation,
                },
            ));
        }
        if !self.holds(ctx, req.user_id, Role::ExternalRequester).await {
            refusals.note(Error::on(
                "userId",
                Reason::NoSuch {
                    object: Object::StaffMember,
                },
            ));
        }
        refusals.finish()?;
        let Some(org) = org else {
            return Err(Error::internal("a checked organisation is gone"));
        };
        tx.scoped_delete::<requester_member::Entity>()?
            .filter(requester_member::Column::Id.eq(req.user_id.uuid()))
            .exec(tx.conn())
            .await?;
        requester_member::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(req.user_id.uuid()),
            organisation_id: Set(org.id),
            created_at: Set(ctx.now()),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "requester_organisation",
            org.id,
            &["members"],
        )
        .await?;
        let out = self.to_organisation(&tx, org).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// How the actor may see this request, or `NOT_FOUND`.
    async fn viewer(
        &self,
        tx: &Tx,
        ctx: &Context,
        row: &mediation_request::Model,
    ) -> Result<Viewer> {
        let user = ctx.user()?;
        if (ctx.has_role(Role::Coordinator) || ctx.has_role(Role::TenantAdmin))
            && ctx.covers_territory(&row.territory_code)
        {
            return Ok(Viewer::Coordinator);
        }
        if row.requested_by == user.uuid() {
            return Ok(Viewer::Requester);
        }
        if let Some(org) = self.own_organisation(tx, ctx).await?
            && row.organisation_id == Some(org)
        {
            return Ok(Viewer::Requester);
        }
        if Self::mediates(ctx) {
            if row.mediator_id == Some(user.uuid()) {
                return Ok(Viewer::Mediator(Some(OfferStatus::Accepted)));
            }
            let offer = tx
                .scoped::<mediation_offer::Entity>()?
                .filter(mediation_offer::Column::RequestId.eq(row.id))
                .filter(mediation_offer::Column::MediatorId.eq(user.uuid()))
                .one(tx.conn())
                .await?;
            if let Some(o) = offer
                && o.status == "OFFERED"
                && row.status == "OPEN"
            {
                return Ok(Viewer::Mediator(Some(OfferStatus::Offered)));
            }
        }
        Err(Error::not_found())
    }

    async fn to_request(
        &self,
        tx: &Tx,
        ctx: &Context,
        m: mediation_request::Model,
        viewer: Viewer,
        settings: &OnCallSettings,
    ) -> Result<MediationRequest> {
        let urgency: Urgency = parse(&m.urgency)?;
        let target = 60
            * i64::from(match urgency {
                Urgency::Urgent => settings.urgent_activation_minutes,
                Urgency::Normal => settings.normal_activation_minutes,
            });
        let organisation_name = match m.organisation_id {
            Some(id) => tx
                .scoped::<requester_organisation::Entity>()?
                .filter(requester_organisation::Column::Id.eq(id))
                .one(tx.conn())
                .await?
                .map(|o| o.name),
            None => None,
        };
        let offered_to = if matches!(viewer, Viewer::Mediator(_)) {
            0
        } else {
            tx.scoped::<mediation_offer::Entity>()?
                .filter(mediation_offer::Column::RequestId.eq(m.id))
                .count(tx.conn())
                .await? as u32
        };
        if let Viewer::Mediator(_) = viewer {
            // The minimum shared with the mediator is personal data: every read is audited.
            self.audit(
                tx,
                ctx,
                "read",
                "mediation_request",
                m.id,
                &["sharedDetails"],
            )
            .await?;
        }
        Ok(MediationRequest {
            id: MediationRequestId(m.id),
            version: m.version,
            organisation_id: m.organisation_id.map(RequesterOrganisationId),
            organisation_name,
            requested_by: UserId(m.requested_by),
            language: m.language,
            dialect: m.dialect,
            place_name: m.place_name,
            address: m.address,
            territory_code: m.territory_code,
            starts_at: m.starts_at,
            window_ends_at: m.window_ends_at,
            duration_minutes: m.duration_minutes as u32,
            purpose: parse(&m.purpose)?,
            urgency,
            shared_details: m.shared_details,
            status: parse(&m.status)?,
            mediator_id: m.mediator_id.map(UserId),
            created_at: m.created_at,
            confirmed_at: m.confirmed_at,
            activation_seconds: m.confirmed_at.map(|c| (c - m.created_at).num_seconds()),
            activation_target_seconds: target,
            report_minutes: m.report_minutes.map(|v| v as u32),
            report_outcome: m.report_outcome,
            done_at: m.done_at,
            closed_at: m.closed_at,
            cancelled_at: m.cancelled_at,
            cancelled_by: m.cancelled_by.as_deref().map(parse).transpose()?,
            cancel_reason: m.cancel_reason,
            my_offer: match viewer {
                Viewer::Mediator(s) => s,
                _ => None,
            },
            offered_to,
        })
    }

    async fn notify(&self, ctx: &Context, topic: Topic, id: Uuid, change: &str) {
        if let Ok(tenant) = ctx.tenant() {
            let notice = Notice {
                tenant,
                topic,
                id,
                change: change.to_owned(),
            };
            self.live.publish(notice).await;
        }
    }

    pub(super) async fn request_mediation(
        &self,
        ctx: &Context,
        req: RequestMediation,
    ) -> Result<MediationRequest> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let now = ctx.now();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let own = self.own_organisation(&tx, ctx).await?;
        let staff = Self::is_staff(ctx);
        let mut refusals = Refusals::default();
        // A requester requests for its own organisation; staff for any, or none.
        let organisation = match (req.organisation_id, own, staff) {
            (Some(asked), Some(own), false) if asked.uuid() != own => {
                refusals.note(Error::on(
                    "organisationId",
                    Reason::NoSuch {
                        object: Object::RequesterOrganisation,
                    },
                ));
                None
            }
            (_, Some(own), false) => Some(own),
            (_, None, false) => {
                refusals.note(Error::on(
                    "organisationId",
                    Reason::NoSuch {
                        object: Object::RequesterOrganisation,
                    },
                ));
                None
            }
            (Some(asked), _, true) => {
                let found = tx
                    .scoped::<requester_organisation::Entity>()?
                    .filter(requester_organisation::Column::Id.eq(asked.uuid()))
                    .one(tx.conn())
                    .await?;
                if found.is_none() {
                    refusals.note(Error::on(
                        "organisationId",
                        Reason::NoSuch {
                            object: Object::RequesterOrganisation,
                        },
                    ));
                }
                Some(asked.uuid())
            }
            (None, _, true) => None,
        };
        let org_row = match organisation {
            Some(id) => {
                tx.scoped::<requester_organisation::Entity>()?
                    .filter(requester_organisation::Column::Id.eq(id))
                    .one(tx.conn())
                    .await?
            }
            None => None,
        };
        let language = refusals.take(sportello_kernel::iso::language("language", &req.language));
        let dialect = refusals.take(text("dialect", &req.dialect, 0, 100, false));
        let place_name = refusals.take(text("placeName", &req.place_name, 1, 200, false));
        let address = refusals.take(text("address", &req.address, 1, 300, false));
        let shared = refusals.take(text("sharedDetails", &req.shared_details, 0, 500, true));
        let territory = match (&req.territory_code, &org_row) {
            (Some(t), _) => match self.check_territory(ctx, "territoryCode", t).await {
                Ok(t) => Some(t),
                Err(e) => {
                    refusals.note(e);
                    None
                }
            },
            (None, Some(org)) => Some(org.territory_code.clone()),
            (None, None) => {
                refusals.note(Error::on("territoryCode", Reason::Required));
                None
            }
        };
        if req.starts_at < now - Duration::minutes(5) {
            refusals.note(Error::on("startsAt", Reason::StartInPast));
        } else {
            refusals.take(dates::instant_within(
                "startsAt",
                req.starts_at,
                now - Duration::minutes(5),
                now + Duration::days(366),
            ));
        }
        if req.window_ends_at <= req.starts_at {
            refusals.note(Error::on("windowEndsAt", Reason::PeriodReversed));
        } else if req.window_ends_at - req.starts_at > Duration::hours(12) {
            refusals.note(Error::on(
                "windowEndsAt",
                Reason::OutOfRange { min: 1, max: 720 },
            ));
        }
        if !(15..=480).contains(&req.duration_minutes) {
            refusals.note(Error::on(
                "durationMinutes",
                Reason::OutOfRange { min: 15, max: 480 },
            ));
        } else if req.window_ends_at > req.starts_at
            && i64::from(req.duration_minutes) > (req.window_ends_at - req.starts_at).num_minutes()
        {
            refusals.note(Error::on(
                "durationMinutes",
                Reason::OutOfRange {
                    min: 15,
                    max: (req.window_ends_at - req.starts_at).num_minutes(),
                },
            ));
        }
        refusals.finish()?;
        let (Some(language), Some(territory)) = (language, territory) else {
            return Err(Error::internal("a checked request lost its values"));
        };
        let model = mediation_request::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(MediationRequestId::new().uuid()),
            organisation_id: Set(organisation),
            requested_by: Set(user.uuid()),
            language: Set(language.clone()),
            dialect: Set(dialect.unwrap_or_default()),
            place_name: Set(place_name.unwrap_or_default()),
            address: Set(address.unwrap_or_default()),
            territory_code: Set(territory.clone()),
            starts_at: Set(req.starts_at),
            window_ends_at: Set(req.window_ends_at),
            duration_minutes: Set(req.duration_minutes as i32),
            purpose: Set(code(req.purpose)?),
            urgency: Set(code(req.urgency)?),
            shared_details: Set(shared.unwrap_or_default()),
            status: Set("OPEN".to_owned()),
            mediator_id: Set(None),
            confirmed_at: Set(None),
            report_minutes: Set(None),
            report_outcome: Set(None),
            done_at: Set(None),
            closed_at: Set(None),
            cancelled_at: Set(None),
            cancelled_by: Set(None),
            cancel_reason: Set(None),
            created_at: Set(now),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        // Matching: available mediators with the language, working in the territory, below
        // their load, the least loaded first.
        let loads = self.loads(&tx).await?;
        let profiles = tx
            .scoped::<mediator_profile::Entity>()?
            .filter(mediator_profile::Column::Available.eq(true))
            .all(tx.conn())
            .await?;
        let mut matched: Vec<(u32, Uuid)> = profiles
            .into_iter()
            .filter(|p| list(&p.languages).contains(&language))
            .filter(|p| {
                let t = list(&p.territories);
                t.is_empty() || t.contains(&territory)
            })
            .filter_map(|p| {
                let load = loads.get(&p.id).copied().unwrap_or(0);
                (load < p.max_active as u32 && p.id != user.uuid()).then_some((load, p.id))
            })
            .collect();
        // Volunteers of the register who mediate in the language there, below their load.
        if let Some(volunteers) = &self.volunteers {
            let internal = Context {
                clock: ctx.clock,
                time_zone: ctx.time_zone,
                ..Context::internal("cases", tenant, ctx.request_id.clone())
            };
            let ask = sportello_volunteers::LanguageVolunteers {
                language: language.clone(),
                territory: territory.clone(),
            };
            match volunteers.language_volunteers(&internal, ask).await {
                Ok(found) => {
                    for v in found {
                        let load = loads.get(&v.uuid()).copied().unwrap_or(0);
                        if load < VOLUNTEER_MAX_ACTIVE
                            && v != user
                            && !matched.iter().any(|(_, m)| *m == v.uuid())
                        {
                            matched.push((load, v.uuid()));
                        }
                    }
                }
                // The register unreachable: staff mediators still get the offer.
                Err(err) => tracing::warn!(
                    code = err.code.as_str(),
                    "the volunteer register could not be asked for mediators"
                ),
            }
        }
        matched.sort();
        matched.truncate(MAX_OFFERS);
        for (_, mediator) in &matched {
            mediation_offer::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(Uuid::now_v7()),
                request_id: Set(model.id),
                mediator_id: Set(*mediator),
                status: Set("OFFERED".to_owned()),
                offered_at: Set(now),
                answered_at: Set(None),
            }
            .insert(tx.conn())
            .await?;
        }
        events::emit_activity(
            &tx,
            &self.pseudonyms,
            ctx,
            ("mediation_request", model.id),
            &model.territory_code,
            now,
            |request| Event::MediationRequested {
                request,
                purpose: model.purpose.clone(),
                urgency: model.urgency.clone(),
            },
        )
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "mediation_request",
            model.id,
            &[
                "language",
                "place",
                "time",
                "purpose",
                "urgency",
                "sharedDetails",
            ],
        )
        .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self
            .to_request(&tx, ctx, model, Viewer::Requester, &settings)
            .await?;
        tx.commit().await?;
        self.notify(ctx, Topic::MediationRequest, out.id.uuid(), "CREATED")
            .await;
        Ok(out)
    }

    pub(super) async fn mediation_requests(
        &self,
        ctx: &Context,
        req: ListMediationRequests,
    ) -> Result<Paged<MediationRequest>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut any = Condition::any().add(mediation_request::Column::RequestedBy.eq(user.uuid()));
        if ctx.has_role(Role::Coordinator) || ctx.has_role(Role::TenantAdmin) {
            any = if ctx.actor.territories.is_empty() {
                Condition::all()
            } else {
                any.add(
                    mediation_request::Column::TerritoryCode.is_in(ctx.actor.territories.clone()),
                )
            };
        }
        if let Some(org) = self.own_organisation(&tx, ctx).await? {
            any = any.add(mediation_request::Column::OrganisationId.eq(org));
        }
        if Self::mediates(ctx) {
            let offered = tx
                .scoped_subquery::<mediation_offer::Entity>()?
                .column(mediation_offer::Column::RequestId)
                .and_where(mediation_offer::Column::MediatorId.eq(user.uuid()))
                .and_where(mediation_offer::Column::Status.eq("OFFERED"))
                .to_owned();
            any = any
                .add(mediation_request::Column::MediatorId.eq(user.uuid()))
                .add(
                    Condition::all()
                        .add(mediation_request::Column::Status.eq("OPEN"))
                        .add(mediation_request::Column::Id.in_subquery(offered)),
                );
        }
        let mut select = tx.scoped::<mediation_request::Entity>()?.filter(any);
        if let Some(status) = req.status {
            select = select.filter(mediation_request::Column::Status.eq(code(status)?));
        }
        let rows = tx
            .page_newest_first(select, mediation_request::Column::Id, &req.page)
            .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let mut items = Vec::with_capacity(rows.items.len());
        for m in rows.items {
            let viewer = self.viewer(&tx, ctx, &m).await?;
            items.push(self.to_request(&tx, ctx, m, viewer, &settings).await?);
        }
        tx.commit().await?;
        Ok(Paged {
            items,
            has_next_page: rows.has_next_page,
        })
    }

    async fn request_row(&self, tx: &Tx, id: Uuid) -> Result<mediation_request::Model> {
        tx.find::<mediation_request::Entity>(mediation_request::Column::Id, id)
            .await
    }

    pub(super) async fn get_mediation_request(
        &self,
        ctx: &Context,
        id: MediationRequestId,
    ) -> Result<MediationRequest> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self.request_row(&tx, id.uuid()).await?;
        let viewer = self.viewer(&tx, ctx, &row).await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_request(&tx, ctx, row, viewer, &settings).await?;
        tx.commit().await?;
        Ok(out)
    }

    fn transition(from: &str, to: &str) -> Error {
        Error::new(Reason::TransitionNotAllowed {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    pub(super) async fn answer_mediation_offer(
        &self,
        ctx: &Context,
        req: AnswerMediationOffer,
    ) -> Result<MediationRequest> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let now = ctx.now();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let offer = tx
            .scoped::<mediation_offer::Entity>()?
            .filter(mediation_offer::Column::RequestId.eq(req.request_id.uuid()))
            .filter(mediation_offer::Column::MediatorId.eq(user.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::not_found)?;
        let row = self.request_row(&tx, req.request_id.uuid()).await?;
        if offer.status != "OFFERED" {
            return Err(match (row.status.as_str(), row.mediator_id) {
                ("CONFIRMED" | "DONE" | "CLOSED", Some(m)) if m != user.uuid() => {
                    Error::new(Reason::RequestTaken)
                }
                _ => Self::transition(&offer.status, "ANSWERED"),
            });
        }
        if !req.accept {
            tx.scoped_update::<mediation_offer::Entity>()?
                .col_expr(mediation_offer::Column::Status, Expr::value("DECLINED"))
                .col_expr(mediation_offer::Column::AnsweredAt, Expr::value(now))
                .filter(mediation_offer::Column::Id.eq(offer.id))
                .exec(tx.conn())
                .await?;
            self.audit(&tx, ctx, "decline", "mediation_request", row.id, &["offer"])
                .await?;
            let settings = self.settings_row(&tx, ctx).await?;
            let out = self
                .to_request(
                    &tx,
                    ctx,
                    row,
                    Viewer::Mediator(Some(OfferStatus::Declined)),
                    &settings,
                )
                .await?;
            tx.commit().await?;
            self.notify(ctx, Topic::MediationRequest, out.id.uuid(), "DECLINED")
                .await;
            return Ok(out);
        }
        // The first acceptance wins: the request moves from OPEN once, whoever races for it.
        let won = tx
            .scoped_update::<mediation_request::Entity>()?
            .col_expr(mediation_request::Column::Status, Expr::value("CONFIRMED"))
            .col_expr(
                mediation_request::Column::MediatorId,
                Expr::value(user.uuid()),
            )
            .col_expr(mediation_request::Column::ConfirmedAt, Expr::value(now))
            .col_expr(
                mediation_request::Column::Version,
                Expr::col(mediation_request::Column::Version).add(1),
            )
            .filter(mediation_request::Column::Id.eq(row.id))
            .filter(mediation_request::Column::Status.eq("OPEN"))
            .exec(tx.conn())
            .await?;
        if won.rows_affected == 0 {
            return Err(match row.status.as_str() {
                "CANCELLED" => Self::transition("CANCELLED", "CONFIRMED"),
                _ => Error::new(Reason::RequestTaken),
            });
        }
        tx.scoped_update::<mediation_offer::Entity>()?
            .col_expr(mediation_offer::Column::Status, Expr::value("ACCEPTED"))
            .col_expr(mediation_offer::Column::AnsweredAt, Expr::value(now))
            .filter(mediation_offer::Column::Id.eq(offer.id))
            .exec(tx.conn())
            .await?;
        tx.scoped_update::<mediation_offer::Entity>()?
            .col_expr(mediation_offer::Column::Status, Expr::value("WITHDRAWN"))
            .filter(mediation_offer::Column::RequestId.eq(row.id))
            .filter(mediation_offer::Column::Status.eq("OFFERED"))
            .exec(tx.conn())
            .await?;
        self.audit(
            &tx,
            ctx,
            "accept",
            "mediation_request",
            row.id,
            &["mediator"],
        )
        .await?;
        let row = self.request_row(&tx, row.id).await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let seconds = Ord::max((now - row.created_at).num_seconds(), 0);
        let target = 60
            * i64::from(match parse::<Urgency>(&row.urgency)? {
                Urgency::Urgent => settings.urgent_activation_minutes,
                Urgency::Normal => settings.normal_activation_minutes,
            });
        events::emit_activity(
            &tx,
            &self.pseudonyms,
            ctx,
            ("mediation_request", row.id),
            &row.territory_code,
            now,
            |request| Event::MediationConfirmed {
                request,
                urgency: row.urgency.clone(),
                minutes: u32::try_from(seconds / 60).unwrap_or(u32::MAX),
                within_target: seconds <= target,
            },
        )
        .await?;
        let out = self
            .to_request(
                &tx,
                ctx,
                row,
                Viewer::Mediator(Some(OfferStatus::Accepted)),
                &settings,
            )
            .await?;
        tx.commit().await?;
        self.notify(ctx, Topic::MediationRequest, out.id.uuid(), "CONFIRMED")
            .await;
        Ok(out)
    }

    /// Moves a request the actor may see, versioned (`Move`).
    async fn move_request(
        &self,
        ctx: &Context,
        id: MediationRequestId,
        allowed: impl Fn(Viewer, &mediation_request::Model) -> bool,
        step: Move<'_>,
    ) -> Result<MediationRequest> {
        let Move {
            from,
            to,
            changes,
            fields,
        } = step;
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self.request_row(&tx, id.uuid()).await?;
        let viewer = self.viewer(&tx, ctx, &row).await?;
        if !allowed(viewer, &row) {
            return Err(Error::forbidden());
        }
        if !from.contains(&row.status.as_str()) {
            return Err(Self::transition(&row.status, to));
        }
        let mut changes = changes;
        changes.status = Set(to.to_owned());
        let row = tx
            .update_versioned::<mediation_request::Entity>(row.id, Some(row.version), changes)
            .await?;
        if to == "CANCELLED" {
            tx.scoped_update::<mediation_offer::Entity>()?
                .col_expr(mediation_offer::Column::Status, Expr::value("WITHDRAWN"))
                .filter(mediation_offer::Column::RequestId.eq(row.id))
                .filter(mediation_offer::Column::Status.eq("OFFERED"))
                .exec(tx.conn())
                .await?;
        }
        self.audit(&tx, ctx, "update", "mediation_request", row.id, fields)
            .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_request(&tx, ctx, row, viewer, &settings).await?;
        tx.commit().await?;
        self.notify(ctx, Topic::MediationRequest, out.id.uuid(), to)
            .await;
        Ok(out)
    }

    pub(super) async fn report_mediation(
        &self,
        ctx: &Context,
        req: ReportMediation,
    ) -> Result<MediationRequest> {
        let user = ctx.user()?;
        let mut refusals = Refusals::default();
        if !(1..=720).contains(&req.minutes) {
            refusals.note(Error::on(
                "minutes",
                Reason::OutOfRange { min: 1, max: 720 },
            ));
        }
        let outcome = refusals.take(text("outcome", &req.outcome, 1, 1000, true));
        refusals.finish()?;
        let changes = mediation_request::ActiveModel {
            report_minutes: Set(Some(req.minutes as i32)),
            report_outcome: Set(outcome),
            done_at: Set(Some(ctx.now())),
            ..Default::default()
        };
        self.move_request(
            ctx,
            req.request_id,
            |_, row| row.mediator_id == Some(user.uuid()),
            Move {
                from: &["CONFIRMED"],
                to: "DONE",
                changes,
                fields: &["report"],
            },
        )
        .await
    }

    pub(super) async fn close_mediation(
        &self,
        ctx: &Context,
        id: MediationRequestId,
    ) -> Result<MediationRequest> {
        let changes = mediation_request::ActiveModel {
            closed_at: Set(Some(ctx.now())),
            ..Default::default()
        };
        self.move_request(
            ctx,
            id,
            |v, _| matches!(v, Viewer::Requester | Viewer::Coordinator),
            Move {
                from: &["DONE"],
                to: "CLOSED",
                changes,
                fields: &["status"],
            },
        )
        .await
    }

    pub(super) async fn cancel_mediation(
        &self,
        ctx: &Context,
        req: CancelMediation,
    ) -> Result<MediationRequest> {
        let user = ctx.user()?;
        let reason = text("reason", &req.reason, 1, 500, true)?;
        let tenant = ctx.tenant()?;
        let side = {
            let tx = self.db.begin(Scope::Tenant(tenant)).await?;
            let row = self.request_row(&tx, req.request_id.uuid()).await?;
            let viewer = self.viewer(&tx, ctx, &row).await?;
            tx.finish().await?;
            match viewer {
                Viewer::Requester => CancelledBy::Requester,
                Viewer::Coordinator => CancelledBy::Coordinator,
                Viewer::Mediator(_) if row.mediator_id == Some(user.uuid()) => {
                    CancelledBy::Mediator
                }
                // A mediator merely offered declines instead.
                Viewer::Mediator(_) => return Err(Error::forbidden()),
            }
        };
        let changes = mediation_request::ActiveModel {
            cancelled_at: Set(Some(ctx.now())),
            cancelled_by: Set(Some(code(side)?)),
            cancel_reason: Set(Some(reason)),
            ..Default::default()
        };
        self.move_request(
            ctx,
            req.request_id,
            |_, _| true,
            Move {
                from: &["OPEN", "CONFIRMED"],
                to: "CANCELLED",
                changes,
                fields: &["status", "cancelReason"],
            },
        )
        .await
    }

    // Legal consultations.

    fn is_advisor_only(ctx: &Context) -> bool {
        ctx.has_role(Role::LegalAdvisor)
            && !ctx.has_role(Role::Coordinator)
            && !ctx.has_role(Role::Operator)
    }

    /// Whether the actor may see the consultation: its asker, a coordinator, any legal advisor.
    fn sees_consultation(ctx: &Context, row: &legal_consultation::Model) -> bool {
        ctx.has_role(Role::Coordinator)
            || ctx.has_role(Role::LegalAdvisor)
            || ctx.actor.user_id.is_some_and(|u| u.uuid() == row.asked_by)
    }

    async fn to_consultation(
        &self,
        tx: &Tx,
        ctx: &Context,
        m: legal_consultation::Model,
        settings: &OnCallSettings,
    ) -> Result<LegalConsultation> {
        let messages = tx
            .scoped::<legal_message::Entity>()?
            .filter(legal_message::Column::ConsultationId.eq(m.id))
            .order_by_asc(legal_message::Column::CreatedAt)
            .order_by_asc(legal_message::Column::Id)
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|msg| {
                Ok(LegalMessage {
                    kind: parse(&msg.kind)?,
                    author_id: UserId(msg.author_id),
                    body: msg.body,
                    created_at: msg.created_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // An advisor never learns which case a question is about.
        let case_id = if Self::is_advisor_only(ctx) {
            None
        } else {
            m.case_id.map(CaseId)
        };
        Ok(LegalConsultation {
            id: LegalConsultationId(m.id),
            version: m.version,
            asked_by: UserId(m.asked_by),
            case_id,
            category: parse(&m.category)?,
            urgency: parse(&m.urgency)?,
            status: parse(&m.status)?,
            advisor_id: m.advisor_id.map(UserId),
            created_at: m.created_at,
            taken_at: m.taken_at,
            answered_at: m.answered_at,
            closed_at: m.closed_at,
            response_seconds: m.answered_at.map(|a| (a - m.created_at).num_seconds()),
            response_target_seconds: 60 * i64::from(settings.legal_response_minutes),
            messages,
        })
    }

    async fn add_message(
        &self,
        tx: &Tx,
        ctx: &Context,
        consultation: Uuid,
        kind: LegalMessageKind,
        body: String,
    ) -> Result<()> {
        legal_message::ActiveModel {
            tenant_id: Set(ctx.tenant()?.uuid()),
            id: Set(Uuid::now_v7()),
            consultation_id: Set(consultation),
            author_id: Set(ctx.user()?.uuid()),
            kind: Set(code(kind)?),
            body: Set(body),
            created_at: Set(ctx.now()),
        }
        .insert(tx.conn())
        .await?;
        Ok(())
    }

    pub(super) async fn ask_legal_question(
        &self,
        ctx: &Context,
        req: AskLegalQuestion,
    ) -> Result<LegalConsultation> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut refusals = Refusals::default();
        let question = refusals.take(text("question", &req.question, 10, 4000, true));
        if let Some(case_id) = req.case_id
            && self.visible_case(&tx, ctx, case_id.uuid()).await.is_err()
        {
            refusals.note(Error::on(
                "caseId",
                Reason::NoSuch {
                    object: Object::Case,
                },
            ));
        }
        refusals.finish()?;
        let model = legal_consultation::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(LegalConsultationId::new().uuid()),
            asked_by: Set(user.uuid()),
            case_id: Set(req.case_id.map(|c| c.uuid())),
            category: Set(code(req.category)?),
            urgency: Set(code(req.urgency)?),
            status: Set("OPEN".to_owned()),
            advisor_id: Set(None),
            taken_at: Set(None),
            answered_at: Set(None),
            closed_at: Set(None),
            created_at: Set(ctx.now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        self.add_message(
            &tx,
            ctx,
            model.id,
            LegalMessageKind::Question,
            question.unwrap_or_default(),
        )
        .await?;
        events::emit_activity(
            &tx,
            &self.pseudonyms,
            ctx,
            ("legal_consultation", model.id),
            "",
            model.created_at,
            |consultation| Event::LegalConsultationAsked {
                consultation,
                category: model.category.clone(),
            },
        )
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "legal_consultation",
            model.id,
            &["category", "urgency", "question", "case"],
        )
        .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_consultation(&tx, ctx, model, &settings).await?;
        tx.commit().await?;
        self.notify(ctx, Topic::LegalConsultation, out.id.uuid(), "CREATED")
            .await;
        Ok(out)
    }

    pub(super) async fn legal_consultations(
        &self,
        ctx: &Context,
        req: ListLegalConsultations,
    ) -> Result<Paged<LegalConsultation>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<legal_consultation::Entity>()?;
        if !(ctx.has_role(Role::Coordinator) || ctx.has_role(Role::LegalAdvisor)) {
            select = select.filter(legal_consultation::Column::AskedBy.eq(user.uuid()));
        }
        if let Some(status) = req.status {
            select = select.filter(legal_consultation::Column::Status.eq(code(status)?));
        }
        let rows = tx
            .page_newest_first(select, legal_consultation::Column::Id, &req.page)
            .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let mut items = Vec::with_capacity(rows.items.len());
        for m in rows.items {
            self.audit(&tx, ctx, "read", "legal_consultation", m.id, &["question"])
                .await?;
            items.push(self.to_consultation(&tx, ctx, m, &settings).await?);
        }
        tx.commit().await?;
        Ok(Paged {
            items,
            has_next_page: rows.has_next_page,
        })
    }

    async fn consultation_row(
        &self,
        tx: &Tx,
        ctx: &Context,
        id: Uuid,
    ) -> Result<legal_consultation::Model> {
        let row = tx
            .find::<legal_consultation::Entity>(legal_consultation::Column::Id, id)
            .await?;
        if Self::sees_consultation(ctx, &row) {
            Ok(row)
        } else {
            Err(Error::not_found())
        }
    }

    pub(super) async fn get_legal_consultation(
        &self,
        ctx: &Context,
        id: LegalConsultationId,
    ) -> Result<LegalConsultation> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self.consultation_row(&tx, ctx, id.uuid()).await?;
        self.audit(
            &tx,
            ctx,
            "read",
            "legal_consultation",
            row.id,
            &["question"],
        )
        .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_consultation(&tx, ctx, row, &settings).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn take_legal_consultation(
        &self,
        ctx: &Context,
        id: LegalConsultationId,
    ) -> Result<LegalConsultation> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self.consultation_row(&tx, ctx, id.uuid()).await?;
        let taken = tx
            .scoped_update::<legal_consultation::Entity>()?
            .col_expr(legal_consultation::Column::Status, Expr::value("TAKEN"))
            .col_expr(
                legal_consultation::Column::AdvisorId,
                Expr::value(user.uuid()),
            )
            .col_expr(legal_consultation::Column::TakenAt, Expr::value(ctx.now()))
            .col_expr(
                legal_consultation::Column::Version,
                Expr::col(legal_consultation::Column::Version).add(1),
            )
            .filter(legal_consultation::Column::Id.eq(row.id))
            .filter(legal_consultation::Column::Status.eq("OPEN"))
            .exec(tx.conn())
            .await?;
        if taken.rows_affected == 0 {
            return Err(match row.status.as_str() {
                "CLOSED" => Self::transition("CLOSED", "TAKEN"),
                _ => Error::new(Reason::RequestTaken),
            });
        }
        self.audit(&tx, ctx, "take", "legal_consultation", row.id, &["advisor"])
            .await?;
        let row = self.consultation_row(&tx, ctx, row.id).await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_consultation(&tx, ctx, row, &settings).await?;
        tx.commit().await?;
        self.notify(ctx, Topic::LegalConsultation, out.id.uuid(), "TAKEN")
            .await;
        Ok(out)
    }

    pub(super) async fn answer_legal_consultation(
        &self,
        ctx: &Context,
        req: WriteLegalMessage,
    ) -> Result<LegalConsultation> {
        let user = ctx.user()?;
        let body = text("body", &req.body, 1, 8000, true)?;
        self.write_legal(
            ctx,
            req.consultation_id,
            |row| row.advisor_id == Some(user.uuid()),
            &["TAKEN", "ANSWERED"],
            "ANSWERED",
            LegalMessageKind::Answer,
            body,
        )
        .await
    }

    pub(super) async fn follow_up_legal_consultation(
        &self,
        ctx: &Context,
        req: WriteLegalMessage,
    ) -> Result<LegalConsultation> {
        let user = ctx.user()?;
        let body = text("body", &req.body, 1, 8000, true)?;
        self.write_legal(
            ctx,
            req.consultation_id,
            |row| row.asked_by == user.uuid(),
            &["TAKEN", "ANSWERED"],
            "TAKEN",
            LegalMessageKind::FollowUp,
            body,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_legal(
        &self,
        ctx: &Context,
        id: LegalConsultationId,
        allowed: impl Fn(&legal_consultation::Model) -> bool,
        from: &[&str],
        to: &str,
        kind: LegalMessageKind,
        body: String,
    ) -> Result<LegalConsultation> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self.consultation_row(&tx, ctx, id.uuid()).await?;
        if !allowed(&row) {
            return Err(Error::forbidden());
        }
        if !from.contains(&row.status.as_str()) {
            return Err(Self::transition(&row.status, to));
        }
        let first_answer = kind == LegalMessageKind::Answer && row.answered_at.is_none();
        let changes = legal_consultation::ActiveModel {
            status: Set(to.to_owned()),
            answered_at: Set(if first_answer {
                Some(ctx.now())
            } else {
                row.answered_at
            }),
            ..Default::default()
        };
        if first_answer {
            let settings = self.settings_row(&tx, ctx).await?;
            let seconds = Ord::max((ctx.now() - row.created_at).num_seconds(), 0);
            let target = 60 * i64::from(settings.legal_response_minutes);
            events::emit_activity(
                &tx,
                &self.pseudonyms,
                ctx,
                ("legal_consultation", row.id),
                "",
                ctx.now(),
                |consultation| Event::LegalConsultationAnswered {
                    consultation,
                    category: row.category.clone(),
                    minutes: u32::try_from(seconds / 60).unwrap_or(u32::MAX),
                    within_target: seconds <= target,
                },
            )
            .await?;
        }
        let row = tx
            .update_versioned::<legal_consultation::Entity>(row.id, Some(row.version), changes)
            .await?;
        self.add_message(&tx, ctx, row.id, kind, body).await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "legal_consultation",
            row.id,
            &["messages"],
        )
        .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_consultation(&tx, ctx, row, &settings).await?;
        tx.commit().await?;
        self.notify(ctx, Topic::LegalConsultation, out.id.uuid(), to)
            .await;
        Ok(out)
    }

    pub(super) async fn close_legal_consultation(
        &self,
        ctx: &Context,
        id: LegalConsultationId,
    ) -> Result<LegalConsultation> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self.consultation_row(&tx, ctx, id.uuid()).await?;
        if row.asked_by != user.uuid() && row.advisor_id != Some(user.uuid()) {
            return Err(Error::forbidden());
        }
        if row.status == "CLOSED" {
            return Err(Self::transition("CLOSED", "CLOSED"));
        }
        let changes = legal_consultation::ActiveModel {
            status: Set("CLOSED".to_owned()),
            closed_at: Set(Some(ctx.now())),
            ..Default::default()
        };
        let row = tx
            .update_versioned::<legal_consultation::Entity>(row.id, Some(row.version), changes)
            .await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "legal_consultation",
            row.id,
            &["status"],
        )
        .await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let out = self.to_consultation(&tx, ctx, row, &settings).await?;
        tx.commit().await?;
        self.notify(ctx, Topic::LegalConsultation, out.id.uuid(), "CLOSED")
            .await;
        Ok(out)
    }

    pub(super) async fn publish_knowledge(
        &self,
        ctx: &Context,
        req: PublishKnowledge,
    ) -> Result<KnowledgeEntry> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let mut refusals = Refusals::default();
        let question = refusals.take(text("question", &req.question, 10, 2000, true));
        let answer = refusals.take(text("answer", &req.answer, 10, 8000, true));
        refusals.finish()?;
        let (question, answer) = (question.unwrap_or_default(), answer.unwrap_or_default());
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = self
            .consultation_row(&tx, ctx, req.consultation_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "consultationId",
                    Reason::NoSuch {
                        object: Object::LegalConsultation,
                    },
                )
            })?;
        if row.advisor_id != Some(user.uuid()) {
            return Err(Error::forbidden());
        }
        if row.answered_at.is_none() {
            return Err(Self::transition(&row.status, "PUBLISHED"));
        }
        let model = legal_knowledge::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(KnowledgeEntryId::new().uuid()),
            consultation_id: Set(Some(row.id)),
            category: Set(row.category.clone()),
            search_text: Set(fold(&format!("{question}\n{answer}"))),
            question: Set(question),
            answer: Set(answer),
            published_by: Set(user.uuid()),
            published_at: Set(ctx.now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "legal_knowledge",
            model.id,
            &["question", "answer"],
        )
        .await?;
        tx.commit().await?;
        Ok(KnowledgeEntry {
            id: KnowledgeEntryId(model.id),
            category: parse(&model.category)?,
            question: model.question,
            answer: model.answer,
            published_at: model.published_at,
        })
    }

    pub(super) async fn search_knowledge(
        &self,
        ctx: &Context,
        req: SearchKnowledge,
    ) -> Result<Paged<KnowledgeEntry>> {
        let tenant = ctx.tenant()?;
        let text = match &req.text {
            Some(t) => fold(&text("text", t, 0, 200, false)?),
            None => String::new(),
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<legal_knowledge::Entity>()?;
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            select = select.filter(legal_knowledge::Column::SearchText.contains(word));
        }
        if let Some(category) = req.category {
            select = select.filter(legal_knowledge::Column::Category.eq(code(category)?));
        }
        let rows = tx
            .page_newest_first(select, legal_knowledge::Column::Id, &req.page)
            .await?;
        tx.finish().await?;
        rows.try_map(|m| {
            Ok(KnowledgeEntry {
                id: KnowledgeEntryId(m.id),
                category: parse(&m.category)?,
                question: m.question,
                answer: m.answer,
                published_at: m.published_at,
            })
        })
    }

    pub(super) async fn oncall_figures(
        &self,
        ctx: &Context,
        req: OnCallFiguresRequest,
    ) -> Result<OnCallFigures> {
        let tenant = ctx.tenant()?;
        let mut refusals = Refusals::default();
        refusals.take(dates::filter_date("from", req.from));
        refusals.take(dates::filter_date("to", req.to));
        if req.to < req.from {
            refusals.note(Error::on("to", Reason::PeriodReversed));
        }
        refusals.finish()?;
        let zone = &ctx.time_zone;
        let start = |d: NaiveDate| -> DateTime<Utc> {
            zone.instant(d.and_hms_opt(0, 0, 0).unwrap_or_default())
        };
        let (from, to) = (start(req.from), start(req.to + Duration::days(1)));
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let settings = self.settings_row(&tx, ctx).await?;
        let mut requests = tx
            .scoped::<mediation_request::Entity>()?
            .filter(mediation_request::Column::CreatedAt.gte(from))
            .filter(mediation_request::Column::CreatedAt.lt(to));
        if !ctx.actor.territories.is_empty() {
            requests = requests.filter(
                mediation_request::Column::TerritoryCode.is_in(ctx.actor.territories.clone()),
            );
        }
        let requests = requests.all(tx.conn()).await?;
        let consultations = tx
            .scoped::<legal_consultation::Entity>()?
            .filter(legal_consultation::Column::CreatedAt.gte(from))
            .filter(legal_consultation::Column::CreatedAt.lt(to))
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        let mut by_purpose: BTreeMap<MediationPurpose, u32> = BTreeMap::new();
        let (mut urgent, mut normal, mut cancelled) = (Vec::new(), Vec::new(), 0);
        for r in &requests {
            *by_purpose.entry(parse(&r.purpose)?).or_insert(0) += 1;
            if r.status == "CANCELLED" {
                cancelled += 1;
            }
            if let Some(c) = r.confirmed_at {
                let secs = (c - r.created_at).num_seconds();
                match parse::<Urgency>(&r.urgency)? {
                    Urgency::Urgent => urgent.push(secs),
                    Urgency::Normal => normal.push(secs),
                }
            }
        }
        let mut by_category: BTreeMap<LegalCategory, u32> = BTreeMap::new();
        let mut responses = Vec::new();
        for c in &consultations {
            *by_category.entry(parse(&c.category)?).or_insert(0) += 1;
            if let Some(a) = c.answered_at {
                responses.push((a - c.created_at).num_seconds());
            }
        }
        Ok(OnCallFigures {
            mediation_requests: requests.len() as u32,
            by_purpose: by_purpose
                .into_iter()
                .map(|(purpose, count)| PurposeCount { purpose, count })
                .collect(),
            cancelled,
            activation_urgent: figures(urgent, 60 * i64::from(settings.urgent_activation_minutes)),
            activation_normal: figures(normal, 60 * i64::from(settings.normal_activation_minutes)),
            legal_consultations: consultations.len() as u32,
            by_category: by_category
                .into_iter()
                .map(|(category, count)| CategoryCount { category, count })
                .collect(),
            legal_response: figures(responses, 60 * i64::from(settings.legal_response_minutes)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let f = figures(vec![50, 10, 40, 20, 30, 60, 70, 80, 90, 100], 45);
        assert_eq!(f.count, 10);
        assert_eq!(f.median_seconds, Some(50));
        assert_eq!(f.p90_seconds, Some(90));
        assert_eq!(f.within_target, 4);
        let one = figures(vec![7], 5);
        assert_eq!(
            (one.median_seconds, one.p90_seconds, one.within_target),
            (Some(7), Some(7), 0)
        );
        assert_eq!(figures(vec![], 5).median_seconds, None);
    }

    #[test]
    fn search_folds_accents_and_case() {
        assert_eq!(
            fold("Cittadinanza PER Residenza, più"),
            "cittadinanza per residenza, piu"
        );
    }
}
