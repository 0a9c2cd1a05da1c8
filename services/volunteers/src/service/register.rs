//! The register: volunteers, their status and the tenant's skills.

use std::collections::BTreeSet;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::error::Refusals;
use sportello_kernel::{Context, Error, Reason, Result, TenantId, UserId};
use sportello_tenancy::domain::Name;
use uuid::Uuid;

use super::VolunteersService;
use crate::domain::{self, CheckedVolunteer, DEFAULT_SKILLS};
use crate::events;
use crate::interface::*;
use crate::store::{join_list, list_pattern, skill, split_list, status_change, volunteer};

impl VolunteersService {
    pub(super) async fn add_volunteer(
        &self,
        ctx: &Context,
        req: AddVolunteer,
    ) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let territories = self.tenant_territory_codes(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let skills = active_skills(&tx).await?;
        let mut refusals = Refusals::default();
        let checked = refusals.take(domain::check_volunteer(
            req.volunteer,
            &skills,
            &territories,
        ));
        for (field, date) in [
            ("conductSignedOn", req.conduct_signed_on),
            ("dataConsentOn", req.data_consent_on),
        ] {
            if let Some(date) = date {
                refusals.take(domain::signed_on(field, date, ctx.today()));
            }
        }
        refusals.finish()?;
        let checked = checked.ok_or_else(|| Error::internal("a refused volunteer passed"))?;
        let model = insert_volunteer(
            &tx,
            ctx,
            checked,
            ApplicationSource::Staff,
            Some(ctx.user()?),
            req.conduct_signed_on,
            req.data_consent_on,
        )
        .await?;
        emit_status(&tx, &self.pseudonyms, ctx, &model).await?;
        tx.commit().await?;
        to_volunteer(model)
    }

    pub(super) async fn get_volunteer(&self, ctx: &Context, req: VolunteerId) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_volunteer(&tx, req).await?;
        tx.finish().await?;
        to_volunteer(found)
    }

    pub(super) async fn set_volunteer_status(
        &self,
        ctx: &Context,
        req: SetVolunteerStatus,
    ) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let note = sportello_tenancy::domain::optional_text("note", req.note)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_volunteer(&tx, req.id).await?;
        let from = VolunteerStatus::parse(&found.status)
            .ok_or_else(|| Error::internal("unknown volunteer status"))?;
        if !domain::may_move(from, req.status) {
            return Err(Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: from.as_str().to_owned(),
                    to: req.status.as_str().to_owned(),
                },
            ));
        }
        let mut model = found.into_active_model();
        model.status = Set(req.status.as_str().to_owned());
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<volunteer::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        record_status(&tx, ctx, req.id.uuid(), req.status, Some(ctx.user()?), note).await?;
        emit_status(&tx, &self.pseudonyms, ctx, &model).await?;
        if matches!(
            req.status,
            VolunteerStatus::Suspended | VolunteerStatus::Withdrawn
        ) {
            super::tasks::release_tasks_of(&tx, ctx, req.id.uuid()).await?;
        }
        tx.commit().await?;
        let mut out = to_volunteer(model)?;
        if req.status == VolunteerStatus::Active && out.user_id.is_none() && out.email.is_some() {
            // The step is taken; an invitation that fails now is logged, and the reviewer can
            // issue one with `invite_volunteer`.
            match self.invite(ctx, &out).await {
                Ok(token) => out.invitation_token = token,
                Err(err) => tracing::warn!(
                    tenant = %tenant,
                    volunteer = %out.id,
                    code = err.code.as_str(),
                    "volunteer invitation failed"
                ),
            }
        }
        Ok(out)
    }

    pub(super) async fn invite_volunteer(
        &self,
        ctx: &Context,
        req: VolunteerId,
    ) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_volunteer(&tx, req).await?;
        tx.finish().await?;
        let mut out = to_volunteer(found)?;
        if out.status != VolunteerStatus::Active {
            return Err(Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: out.status.as_str().to_owned(),
                    to: VolunteerStatus::Active.as_str().to_owned(),
                },
            )
            .saying("only an active volunteer is invited"));
        }
        if out.email.is_none() || out.user_id.is_some() {
            return Err(Error::on("email", Reason::Required)
                .saying("only a volunteer with an e-mail address and no account is invited"));
        }
        out.invitation_token = self.invite(ctx, &out).await?;
        Ok(out)
    }

    /// Asks the tenancy service to invite the volunteer's e-mail with the role `VOLUNTEER` and
    /// notes the invitation on the record (without raising its version). `None` when the
    /// address already belongs to a member of the tenant.
    async fn invite(&self, ctx: &Context, volunteer: &Volunteer) -> Result<Option<String>> {
        let tenant = ctx.tenant()?;
        let Some(email) = volunteer.email.clone() else {
            return Ok(None);
        };
        let issued = self
            .tenancy
            .invite_volunteer(
                &internal(ctx, tenant),
                sportello_tenancy::InviteVolunteer { email },
            )
            .await?;
        let Some(issued) = issued else {
            return Ok(None);
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        tx.scoped_update::<volunteer::Entity>()?
            .col_expr(
                volunteer::Column::InvitationId,
                Expr::value(issued.invitation.id.uuid()),
            )
            .filter(volunteer::Column::Id.eq(volunteer.id.uuid()))
            .exec(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(Some(issued.token))
    }

    pub(super) async fn update_volunteer(
        &self,
        ctx: &Context,
        req: UpdateVolunteer,
    ) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let mut territories = self.tenant_territory_codes(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = find_volunteer(&tx, req.id).await?;
        let current = to_volunteer(found.clone())?;
        let mut skills = active_skills(&tx).await?;
        skills.extend(current.skills.iter().cloned());
        territories.extend(current.territories.iter().cloned());
        let patch = req.volunteer;
        let input = VolunteerInput {
            given_names: patch.given_names.unwrap_or(current.given_names),
            family_names: patch.family_names.unwrap_or(current.family_names),
            email: patch.email.apply(current.email),
            phone: patch.phone.apply(current.phone),
            languages: patch.languages.unwrap_or(current.languages),
            skills: patch.skills.unwrap_or(current.skills),
            territories: patch.territories.unwrap_or(current.territories),
            availability: patch.availability.unwrap_or(current.availability),
            works_with_minors: patch.works_with_minors.unwrap_or(current.works_with_minors),
        };
        let mut refusals = Refusals::default();
        let checked = refusals.take(domain::check_volunteer(input, &skills, &territories));
        let minors_check_on = match req.minors_check_on {
            Patch::Set(day) => refusals.take(domain::signed_on("minorsCheckOn", day, ctx.today())),
            other => other.apply(current.minors_check_on),
        };
        refusals.finish()?;
        let checked = checked.ok_or_else(|| Error::internal("a refused volunteer passed"))?;
        let mut model = found.into_active_model();
        set_checked(&mut model, checked)?;
        model.minors_check_on = Set(minors_check_on);
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<volunteer::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        tx.commit().await?;
        to_volunteer(model)
    }

    pub(super) async fn update_my_volunteer(
        &self,
        ctx: &Context,
        req: UpdateMyVolunteer,
    ) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = own_volunteer(&tx, ctx, &email).await?;
        let current = to_volunteer(found.clone())?;
        let mut skills = active_skills(&tx).await?;
        skills.extend(current.skills.iter().cloned());
        let languages = domain::check_languages(req.languages.unwrap_or(current.languages))?;
        let chosen = domain::check_skills(req.skills.unwrap_or(current.skills), &skills)?;
        let availability =
            domain::check_availability(req.availability.unwrap_or(current.availability))?;
        let id = found.id;
        let mut model = found.into_active_model();
        model.languages = Set(serde_json::to_string(&languages).map_err(Error::internal)?);
        model.skills = Set(join_list(&chosen));
        model.availability = Set(serde_json::to_string(&availability).map_err(Error::internal)?);
        model.updated_at = Set(ctx.now());
        let model = tx
            .update_versioned::<volunteer::Entity>(id, Some(req.expected_version), model)
            .await?;
        tx.commit().await?;
        to_volunteer(model)
    }

    /// The public form's application (see the interface). Ordered so that nothing about the
    /// register shows: the tenant is checked first (tenants are public), then the honeypot,
    /// the consents and the input; an e-mail already in the register (not withdrawn) is
    /// answered like a new one and not stored twice.
    pub(super) async fn submit_volunteer_application(
        &self,
        ctx: &Context,
        req: VolunteerApplication,
    ) -> Result<()> {
        let tenant = req.tenant_id;
        let mut ctx = internal(ctx, tenant);
        let profile = public_profile(&self.tenancy, &ctx).await?;
        ctx.time_zone = profile.time_zone;
        if domain::honeypot_filled(req.website.as_deref()) {
            tracing::info!(tenant = %tenant, "volunteer application with the honeypot filled ignored");
            return Ok(());
        }
        let mut refusals = Refusals::default();
        domain::require_consents(
            &mut refusals,
            req.code_of_conduct_accepted,
            req.data_processing_consent,
        );
        let territories: BTreeSet<String> = profile
            .territories
            .into_iter()
            .map(|t| t.istat_code)
            .collect();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let skills = active_skills(&tx).await?;
        let checked = refusals.take(domain::check_volunteer(
            req.volunteer,
            &skills,
            &territories,
        ));
        refusals.finish()?;
        let checked = checked.ok_or_else(|| Error::internal("a refused volunteer passed"))?;
        if let Some(email) = checked.email.as_deref() {
            let known = tx
                .scoped::<volunteer::Entity>()?
                .filter(volunteer::Column::Email.eq(email))
                .filter(volunteer::Column::Status.ne(VolunteerStatus::Withdrawn.as_str()))
                .one(tx.conn())
                .await?
                .is_some();
            if known {
                tx.finish().await?;
                tracing::info!(tenant = %tenant, "volunteer application of a registered address not stored again");
                return Ok(());
            }
        }
        let today = ctx.today();
        let model = insert_volunteer(
            &tx,
            &ctx,
            checked,
            ApplicationSource::PublicForm,
            None,
            Some(today),
            Some(today),
        )
        .await?;
        emit_status(&tx, &self.pseudonyms, &ctx, &model).await?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, volunteer = %model.id, "volunteer application received");
        Ok(())
    }

    pub(super) async fn public_volunteer_form(
        &self,
        ctx: &Context,
        req: TenantId,
    ) -> Result<PublicVolunteerForm> {
        let ctx = internal(ctx, req);
        let profile = public_profile(&self.tenancy, &ctx).await?;
        let tx = self.db.begin(Scope::Tenant(req)).await?;
        let skills = all_skills(&tx).await?;
        tx.finish().await?;
        Ok(PublicVolunteerForm {
            tenant_name: profile.name,
            territories: profile.territories,
            skills: skills.into_iter().filter(|s| !s.retired).collect(),
        })
    }

    pub(super) async fn add_skill(&self, ctx: &Context, req: AddSkill) -> Result<Skill> {
        let tenant = ctx.tenant()?;
        let code = domain::skill_code(&req.code)?;
        let label = Name::parse("label", &req.label)?.into_string();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if all_skills(&tx).await?.iter().any(|s| s.code == code) {
            return Err(Error::on("code", Reason::AlreadyExists));
        }
        skill::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(Uuid::now_v7()),
            code: Set(code.clone()),
            label: Set(Some(label.clone())),
            retired: Set(false),
            created_at: Set(ctx.now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(Skill {
            code,
            label: Some(label),
            default: false,
            retired: false,
        })
    }

    pub(super) async fn set_skill_retired(
        &self,
        ctx: &Context,
        req: SetSkillRetired,
    ) -> Result<Skill> {
        let tenant = ctx.tenant()?;
        let code = req.code.trim().to_ascii_uppercase();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let row = tx
            .scoped::<skill::Entity>()?
            .filter(skill::Column::Code.eq(code.as_str()))
            .one(tx.conn())
            .await?;
        let default = DEFAULT_SKILLS.contains(&code.as_str());
        match row {
            Some(row) => {
                let mut model = row.into_active_model();
                model.retired = Set(req.retired);
                model.update(tx.conn()).await?;
            }
            // A default has a row only once the tenant retires it.
            None if default => {
                skill::ActiveModel {
                    tenant_id: Set(tenant.uuid()),
                    id: Set(Uuid::now_v7()),
                    code: Set(code.clone()),
                    label: Set(None),
                    retired: Set(req.retired),
                    created_at: Set(ctx.now()),
                }
                .insert(tx.conn())
                .await?;
            }
            None => return Err(Error::on("code", Reason::NotFound)),
        }
        let out = all_skills(&tx)
            .await?
            .into_iter()
            .find(|s| s.code == code)
            .ok_or_else(|| Error::internal("skill vanished"))?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn volunteer_history(
        &self,
        ctx: &Context,
        req: VolunteerId,
    ) -> Result<Vec<StatusChange>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        find_volunteer(&tx, req).await?;
        let rows = tx
            .scoped::<status_change::Entity>()?
            .filter(status_change::Column::VolunteerId.eq(req.uuid()))
            .order_by_asc(status_change::Column::Id)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        rows.into_iter()
            .map(|r| {
                Ok(StatusChange {
                    status: VolunteerStatus::parse(&r.status)
                        .ok_or_else(|| Error::internal("unknown volunteer status"))?,
                    by_user: r.by_user.map(UserId),
                    at: r.at,
                    note: r.note,
                })
            })
            .collect()
    }

    pub(super) async fn my_volunteer(&self, ctx: &Context, _req: ()) -> Result<Volunteer> {
        let tenant = ctx.tenant()?;
        let email = self.own_email(ctx).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = own_volunteer(&tx, ctx, &email).await?;
        tx.commit().await?;
        to_volunteer(found)
    }

    pub(super) async fn language_volunteers(
        &self,
        ctx: &Context,
        req: LanguageVolunteers,
    ) -> Result<Vec<sportello_kernel::UserId>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<volunteer::Entity>()?
            .filter(volunteer::Column::Status.eq(VolunteerStatus::Active.as_str()))
            .filter(volunteer::Column::UserId.is_not_null())
            .order_by_asc(volunteer::Column::Id)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        let mut out = Vec::new();
        for row in rows {
            let v = to_volunteer(row)?;
            let speaks = v
                .languages
                .iter()
                .any(|l| l.code == req.language && l.level >= LanguageLevel::B1);
            let skilled = v.skills.iter().any(|s| s == "LANGUAGE_SUPPORT");
            let here = v.territories.is_empty() || v.territories.contains(&req.territory);
            if let (true, true, true, Some(user)) = (speaks, skilled, here, v.user_id) {
                out.push(user);
            }
        }
        Ok(out)
    }

    /// The signed-in user's e-mail address, from the tenancy service.
    pub(super) async fn own_email(&self, ctx: &Context) -> Result<String> {
        let user = ctx.user()?;
        Ok(self.tenancy.user_with_tenants(ctx, user).await?.user.email)
    }

    pub(super) async fn list_volunteers(
        &self,
        ctx: &Context,
        req: ListVolunteers,
    ) -> Result<Paged<Volunteer>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<volunteer::Entity>()?;
        if let Some(status) = req.status {
            select = select.filter(volunteer::Column::Status.eq(status.as_str()));
        }
        if let Some(skill) = req.skill.as_deref() {
            select = select.filter(
                volunteer::Column::Skills.like(list_pattern(&skill.trim().to_ascii_uppercase())),
            );
        }
        if let Some(territory) = req.territory.as_deref() {
            select =
                select.filter(volunteer::Column::Territories.like(list_pattern(territory.trim())));
        }
        let rows = tx.page(select, volunteer::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(to_volunteer)
    }

    pub(super) async fn list_skills(&self, ctx: &Context, _req: ()) -> Result<Vec<Skill>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let skills = all_skills(&tx).await?;
        tx.finish().await?;
        Ok(skills)
    }
}

/// A context for this service's own calls to the tenancy service about `tenant`, carrying the
/// caller's request id, trace, clock and zone.
pub(super) fn internal(ctx: &Context, tenant: TenantId) -> Context {
    let mut internal = Context::internal("volunteers", tenant, ctx.request_id.clone());
    internal.traceparent = ctx.traceparent.clone();
    internal.clock = ctx.clock;
    internal.time_zone = ctx.time_zone;
    internal
}

/// The tenant of an internal context as the public sees it; a tenant that does not exist is
/// `NOT_FOUND` on `tenantId`.
pub(super) async fn public_profile(
    tenancy: &sportello_tenancy::TenancyClient,
    ctx: &Context,
) -> Result<sportello_tenancy::PublicProfile> {
    tenancy.public_profile(ctx, ()).await.map_err(|err| {
        if err.code == sportello_kernel::ErrorCode::NotFound {
            Error::on("tenantId", Reason::NotFound)
        } else {
            err
        }
    })
}

/// Writes a checked volunteer's fields into the record.
fn set_checked(model: &mut volunteer::ActiveModel, checked: CheckedVolunteer) -> Result<()> {
    model.given_names = Set(checked.given_names);
    model.family_names = Set(checked.family_names);
    model.email = Set(checked.email);
    model.phone = Set(checked.phone);
    model.languages = Set(serde_json::to_string(&checked.languages).map_err(Error::internal)?);
    model.skills = Set(join_list(&checked.skills));
    model.territories = Set(join_list(&checked.territories));
    model.availability =
        Set(serde_json::to_string(&checked.availability).map_err(Error::internal)?);
    model.works_with_minors = Set(checked.works_with_minors);
    Ok(())
}

/// The defaults (minus those the tenant retired) and the tenant's own skills, in that order.
pub(super) async fn all_skills(tx: &Tx) -> Result<Vec<Skill>> {
    let rows = tx.scoped::<skill::Entity>()?.all(tx.conn()).await?;
    let mut out: Vec<Skill> = DEFAULT_SKILLS
        .iter()
        .map(|code| Skill {
            code: (*code).to_owned(),
            label: None,
            default: true,
            retired: rows.iter().any(|r| r.code == *code && r.retired),
        })
        .collect();
    out.extend(
        rows.into_iter()
            .filter(|r| !DEFAULT_SKILLS.contains(&r.code.as_str()))
            .map(|r| Skill {
                code: r.code,
                label: r.label,
                default: false,
                retired: r.retired,
            }),
    );
    Ok(out)
}

/// The codes a volunteer or a task may name now.
pub(super) async fn active_skills(tx: &Tx) -> Result<BTreeSet<String>> {
    Ok(all_skills(tx)
        .await?
        .into_iter()
        .filter(|s| !s.retired)
        .map(|s| s.code)
        .collect())
}

/// The volunteer record of the signed-in user: the one linked to the account, or else the
/// active volunteer of the tenant with the account's e-mail address and no account yet, which is
/// linked now (the account holds the volunteer role only through the invitation sent to that
/// address on activation). `NOT_FOUND` when there is none; `VOLUNTEER_NOT_ACTIVE` (no field)
/// when the linked volunteer is suspended or withdrawn, who see nothing of the register but are
/// told why. Writes: commit the transaction.
pub(super) async fn own_volunteer(tx: &Tx, ctx: &Context, email: &str) -> Result<volunteer::Model> {
    let user = ctx.user()?.uuid();
    // One statement for both, so that a first request of the same account linking the row in
    // between cannot make it look neither linked nor linkable.
    let candidates = tx
        .scoped::<volunteer::Entity>()?
        .filter(
            Condition::any()
                .add(volunteer::Column::UserId.eq(user))
                .add(
                    Condition::all()
                        .add(volunteer::Column::Email.eq(email))
                        .add(volunteer::Column::UserId.is_null())
                        .add(volunteer::Column::Status.eq(VolunteerStatus::Active.as_str())),
                ),
        )
        .all(tx.conn())
        .await?;
    let linked = candidates.iter().find(|v| v.user_id == Some(user)).cloned();
    let found = match linked {
        Some(found) => found,
        None => {
            let unlinked = candidates.into_iter().next().ok_or_else(Error::not_found)?;
            let mut model = unlinked.clone().into_active_model();
            model.user_id = Set(Some(user));
            model.updated_at = Set(ctx.now());
            // Without a version: two first requests of the same account link the same row alike.
            tx.update_versioned::<volunteer::Entity>(unlinked.id, None, model)
                .await?
        }
    };
    if found.status != VolunteerStatus::Active.as_str() {
        return Err(Error::new(Reason::VolunteerNotActive)
            .saying("your registration as a volunteer is not active: ask the desk"));
    }
    Ok(found)
}

/// Refuses an ISTAT code the tenant has no municipality for.
pub(super) fn require_known_territories(codes: &[String], known: &BTreeSet<String>) -> Result<()> {
    if codes.iter().any(|c| !known.contains(c)) {
        return Err(Error::on(
            "territories",
            Reason::NoSuch {
                object: sportello_kernel::error::Object::Territory,
            },
        ));
    }
    Ok(())
}

/// The volunteer asked for by id: `NOT_FOUND` when the tenant has none (another tenant's is
/// none). For an id that refers to a volunteer from another object, see
/// [`domain::no_such_volunteer`].
pub(super) async fn find_volunteer(tx: &Tx, id: VolunteerId) -> Result<volunteer::Model> {
    tx.find::<volunteer::Entity>(volunteer::Column::Id, id.uuid())
        .await
}

/// Inserts a volunteer in status `SUBMITTED` with the first step of its history.
pub(super) async fn insert_volunteer(
    tx: &Tx,
    ctx: &Context,
    checked: CheckedVolunteer,
    source: ApplicationSource,
    by_user: Option<UserId>,
    conduct_signed_on: Option<chrono::NaiveDate>,
    data_consent_on: Option<chrono::NaiveDate>,
) -> Result<volunteer::Model> {
    let tenant = ctx.tenant()?.uuid();
    let now = ctx.now();
    let id = VolunteerId::new().uuid();
    let model = volunteer::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(id),
        given_names: Set(checked.given_names),
        family_names: Set(checked.family_names),
        email: Set(checked.email),
        phone: Set(checked.phone),
        languages: Set(serde_json::to_string(&checked.languages).map_err(Error::internal)?),
        skills: Set(join_list(&checked.skills)),
        territories: Set(join_list(&checked.territories)),
        availability: Set(serde_json::to_string(&checked.availability).map_err(Error::internal)?),
        works_with_minors: Set(checked.works_with_minors),
        minors_check_on: Set(None),
        status: Set(VolunteerStatus::Submitted.as_str().to_owned()),
        source: Set(source.as_str().to_owned()),
        user_id: Set(None),
        invitation_id: Set(None),
        conduct_signed_on: Set(conduct_signed_on),
        data_consent_on: Set(data_consent_on),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(tx.conn())
    .await?;
    record_status(tx, ctx, id, VolunteerStatus::Submitted, by_user, None).await?;
    Ok(model)
}

/// The `volunteer_status_changed` event of a volunteer's current status, dated the tenant's
/// today, in the municipality they act in first (none when they named none).
pub(super) async fn emit_status(
    tx: &Tx,
    pseudonyms: &sportello_kernel::pseudonym::Pseudonyms,
    ctx: &Context,
    volunteer: &volunteer::Model,
) -> Result<()> {
    let territories = split_list(&volunteer.territories);
    let about = events::About {
        kind: "volunteer",
        id: volunteer.id,
        territory: territories.first().map_or("", String::as_str),
    };
    let status = volunteer.status.clone();
    events::emit(tx, pseudonyms, ctx, about, ctx.today(), None, |_| {
        sportello_kernel::events::Event::VolunteerStatusChanged { status }
    })
    .await
}

/// Appends one step to a volunteer's status history.
pub(super) async fn record_status(
    tx: &Tx,
    ctx: &Context,
    volunteer: Uuid,
    status: VolunteerStatus,
    by_user: Option<UserId>,
    note: Option<String>,
) -> Result<()> {
    status_change::ActiveModel {
        tenant_id: Set(ctx.tenant()?.uuid()),
        id: Set(Uuid::now_v7()),
        volunteer_id: Set(volunteer),
        status: Set(status.as_str().to_owned()),
        by_user: Set(by_user.map(|u| u.uuid())),
        at: Set(ctx.now()),
        note: Set(note),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

pub(super) fn to_volunteer(m: volunteer::Model) -> Result<Volunteer> {
    Ok(Volunteer {
        id: VolunteerId(m.id),
        given_names: m.given_names,
        family_names: m.family_names,
        email: m.email,
        phone: m.phone,
        languages: serde_json::from_str(&m.languages).map_err(Error::internal)?,
        skills: split_list(&m.skills),
        territories: split_list(&m.territories),
        availability: serde_json::from_str(&m.availability).map_err(Error::internal)?,
        works_with_minors: m.works_with_minors,
        minors_check_on: m.minors_check_on,
        status: VolunteerStatus::parse(&m.status)
            .ok_or_else(|| Error::internal("unknown volunteer status"))?,
        source: ApplicationSource::parse(&m.source)
            .ok_or_else(|| Error::internal("unknown application source"))?,
        user_id: m.user_id.map(UserId),
        conduct_signed_on: m.conduct_signed_on,
        data_consent_on: m.data_consent_on,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
        invitation_token: None,
    })
}
