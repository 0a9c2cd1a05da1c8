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
use sportello_kernel::{Context, Result};
use sportello_tenancy::{ListTerritories, Page, TenancyClient};

use crate::interface::*;
use crate::store::Migrator;

mod pacts;
mod register;

/// The volunteers service on its own store.
#[derive(Clone)]
pub struct VolunteersService {
    db: Db,
    tenancy: TenancyClient,
}

impl VolunteersService {
    /// Opens the store, running migrations first when `migrate` is set.
    pub async fn open(config: &StoreConfig, migrate: bool, tenancy: TenancyClient) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
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

    // ── Tasks, delegations and hours ───────────────────────────────────────────────────────

    // ── Training ───────────────────────────────────────────────────────────────────────────

    // ── Collaboration pacts ────────────────────────────────────────────────────────────────
    async fn add_pact(&self, ctx: &Context, req: PactInput) -> Result<Pact> {
        self.add_pact(ctx, req).await
    }

    async fn update_pact(&self, ctx: &Context, req: UpdatePact) -> Result<Pact> {
        self.update_pact(ctx, req).await
    }

    async fn get_pact(&self, ctx: &Context, req: PactId) -> Result<Pact> {
        self.get_pact(ctx, req).await
    }

    async fn list_pacts(&self, ctx: &Context, req: ListPacts) -> Result<Paged<Pact>> {
        self.list_pacts(ctx, req).await
    }

    async fn set_pact_status(&self, ctx: &Context, req: SetPactStatus) -> Result<Pact> {
        self.set_pact_status(ctx, req).await
    }

    async fn pact_history(&self, ctx: &Context, req: PactId) -> Result<Vec<PactStatusChange>> {
        self.pact_history(ctx, req).await
    }

    async fn add_pact_report(&self, ctx: &Context, req: AddPactReport) -> Result<PactReport> {
        self.add_pact_report(ctx, req).await
    }

    async fn list_pact_reports(
        &self,
        ctx: &Context,
        req: ListPactReports,
    ) -> Result<Paged<PactReport>> {
        self.list_pact_reports(ctx, req).await
    }

    async fn list_public_pacts(
        &self,
        ctx: &Context,
        req: ListPublicPacts,
    ) -> Result<Paged<PublicPact>> {
        self.list_public_pacts(ctx, req).await
    }
}
