//! The volunteers service: authorisation, transaction boundaries and the rules of the register,
//! tasks, training and pacts. Every operation checks the caller's role again (the generated
//! router and client checked it first) and runs in one transaction in the tenant's scope.
//!
//! This file holds the service, its constructor and the helpers every part shares; each part's
//! operations live in their own file, as inherent methods that the `Volunteers` implementation
//! below calls.

use std::collections::BTreeSet;

use async_trait::async_trait;
use sportello_kernel::db::{Db, StoreConfig};
use sportello_kernel::pseudonym::Pseudonyms;
use sportello_kernel::{Context, Result, TenantId};
use sportello_tenancy::{ListTerritories, Page, TenancyClient};

use crate::events;
use crate::interface::*;
use crate::store::Migrator;

mod register;

/// The volunteers service on its own store.
#[derive(Clone)]
pub struct VolunteersService {
    db: Db,
    tenancy: TenancyClient,
    /// The tenant keys for the pseudonyms of events, from the tenancy service.
    pseudonyms: Pseudonyms,
}

impl VolunteersService {
    /// Opens the store, running migrations first when `migrate` is set.
    pub async fn open(config: &StoreConfig, migrate: bool, tenancy: TenancyClient) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            pseudonyms: Pseudonyms::new(std::sync::Arc::new(tenancy.clone()), events::PRODUCER),
            tenancy,
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The ISTAT codes of the caller's tenant's municipalities, from the tenancy service.
    async fn tenant_territory_codes(&self, ctx: &Context) -> Result<BTreeSet<String>> {
        let mut codes = BTreeSet::new();
        let mut after = None;
        loop {
            let page = self
                .tenancy
                .list_territories(
                    ctx,
                    ListTerritories {
                        page: Page {
                            first: Page::MAX,
                            after,
                        },
                        istat_code: None,
                        name_contains: None,
                    },
                )
                .await?;
            codes.extend(page.items.iter().map(|t| t.istat_code.clone()));
            match (page.has_next_page, page.items.last()) {
                (true, Some(last)) => after = Some(last.id.uuid()),
                _ => return Ok(codes),
            }
        }
    }
}

/// Every operation but `ready` calls the inherent method of the same name in its part's file
/// (inherent methods take precedence over the trait's).
#[async_trait]
impl Volunteers for VolunteersService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    // ── The register ───────────────────────────────────────────────────────────────────────
    async fn add_volunteer(&self, ctx: &Context, req: AddVolunteer) -> Result<Volunteer> {
        self.add_volunteer(ctx, req).await
    }

    async fn get_volunteer(&self, ctx: &Context, req: VolunteerId) -> Result<Volunteer> {
        self.get_volunteer(ctx, req).await
    }

    async fn set_volunteer_status(
        &self,
        ctx: &Context,
        req: SetVolunteerStatus,
    ) -> Result<Volunteer> {
        self.set_volunteer_status(ctx, req).await
    }

    async fn volunteer_history(
        &self,
        ctx: &Context,
        req: VolunteerId,
    ) -> Result<Vec<StatusChange>> {
        self.volunteer_history(ctx, req).await
    }

    async fn my_volunteer(&self, ctx: &Context, req: ()) -> Result<Volunteer> {
        self.my_volunteer(ctx, req).await
    }

    async fn list_volunteers(
        &self,
        ctx: &Context,
        req: ListVolunteers,
    ) -> Result<Paged<Volunteer>> {
        self.list_volunteers(ctx, req).await
    }

    async fn list_skills(&self, ctx: &Context, req: ()) -> Result<Vec<Skill>> {
        self.list_skills(ctx, req).await
    }

    async fn update_volunteer(&self, ctx: &Context, req: UpdateVolunteer) -> Result<Volunteer> {
        self.update_volunteer(ctx, req).await
    }

    async fn update_my_volunteer(
        &self,
        ctx: &Context,
        req: UpdateMyVolunteer,
    ) -> Result<Volunteer> {
        self.update_my_volunteer(ctx, req).await
    }

    async fn submit_volunteer_application(
        &self,
        ctx: &Context,
        req: VolunteerApplication,
    ) -> Result<()> {
        self.submit_volunteer_application(ctx, req).await
    }

    async fn public_volunteer_form(
        &self,
        ctx: &Context,
        req: TenantId,
    ) -> Result<PublicVolunteerForm> {
        self.public_volunteer_form(ctx, req).await
    }

    async fn invite_volunteer(&self, ctx: &Context, req: VolunteerId) -> Result<Volunteer> {
        self.invite_volunteer(ctx, req).await
    }

    async fn add_skill(&self, ctx: &Context, req: AddSkill) -> Result<Skill> {
        self.add_skill(ctx, req).await
    }

    async fn set_skill_retired(&self, ctx: &Context, req: SetSkillRetired) -> Result<Skill> {
        self.set_skill_retired(ctx, req).await
    }

    // ── Tasks, delegations and hours ───────────────────────────────────────────────────────

    // ── Training ───────────────────────────────────────────────────────────────────────────

    // ── Collaboration pacts ────────────────────────────────────────────────────────────────
}
