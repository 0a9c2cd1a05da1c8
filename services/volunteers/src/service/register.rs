//! The register: volunteers, their status and the tenant's skills.

use std::collections::BTreeSet;

use sea_orm::{ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::{Context, Error, Reason, Result, UserId};
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
        let checked = domain::check_volunteer(req.volunteer, &skills)?;
        require_known_territories(&checked.territories, &territories)?;
        for (field, date) in [
            ("conductSignedOn", req.conduct_signed_on),
            ("dataConsentOn", req.data_consent_on),
        ] {
            if let Some(date) = date {
                domain::signed_on(field, date, ctx.today())?;
            }
        }
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
        tx.commit().await?;
        to_volunteer(model)
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
/// address on activation). `NOT_FOUND` when there is none, or when the volunteer is not active
/// (suspended and withdrawn volunteers see nothing of the register). Writes: commit the
/// transaction.
pub(super) async fn own_volunteer(tx: &Tx, ctx: &Context, email: &str) -> Result<volunteer::Model> {
    let user = ctx.user()?.uuid();
    let linked = tx
        .scoped::<volunteer::Entity>()?
        .filter(volunteer::Column::UserId.eq(user))
        .one(tx.conn())
        .await?;
    let found = match linked {
        Some(found) => found,
        None => {
            let unlinked = tx
                .scoped::<volunteer::Entity>()?
                .filter(volunteer::Column::Email.eq(email))
                .filter(volunteer::Column::UserId.is_null())
                .filter(volunteer::Column::Status.eq(VolunteerStatus::Active.as_str()))
                .one(tx.conn())
                .await?
                .ok_or_else(Error::not_found)?;
            let mut model = unlinked.clone().into_active_model();
            model.user_id = Set(Some(user));
            model.updated_at = Set(ctx.now());
            tx.update_versioned::<volunteer::Entity>(unlinked.id, Some(unlinked.version), model)
                .await?
        }
    };
    if found.status != VolunteerStatus::Active.as_str() {
        return Err(Error::not_found());
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
    })
}
