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

mod hours;
mod register;
mod tasks;

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

    async fn request_task(&self, ctx: &Context, req: RequestTask) -> Result<Task> {
        self.request_task(ctx, req).await
    }

    async fn get_task(&self, ctx: &Context, req: TaskId) -> Result<Task> {
        self.get_task(ctx, req).await
    }

    async fn list_tasks(&self, ctx: &Context, req: ListTasks) -> Result<Paged<Task>> {
        self.list_tasks(ctx, req).await
    }

    async fn set_task_status(&self, ctx: &Context, req: SetTaskStatus) -> Result<Task> {
        self.set_task_status(ctx, req).await
    }

    async fn task_matches(&self, ctx: &Context, req: TaskMatches) -> Result<Vec<TaskMatch>> {
        self.task_matches(ctx, req).await
    }

    async fn offer_task(&self, ctx: &Context, req: OfferTask) -> Result<Vec<TaskOffer>> {
        self.offer_task(ctx, req).await
    }

    async fn task_offers(&self, ctx: &Context, req: TaskId) -> Result<Vec<TaskOffer>> {
        self.task_offers(ctx, req).await
    }

    async fn accept_task(&self, ctx: &Context, req: TaskId) -> Result<MyTask> {
        self.accept_task(ctx, req).await
    }

    async fn decline_task(&self, ctx: &Context, req: TaskId) -> Result<MyTask> {
        self.decline_task(ctx, req).await
    }

    async fn my_tasks(&self, ctx: &Context, req: Page) -> Result<Paged<MyTask>> {
        self.my_tasks(ctx, req).await
    }

    async fn log_hours(&self, ctx: &Context, req: LogHours) -> Result<HoursEntry> {
        self.log_hours(ctx, req).await
    }

    async fn my_hours(&self, ctx: &Context, req: Page) -> Result<Paged<HoursEntry>> {
        self.my_hours(ctx, req).await
    }

    async fn list_hours(&self, ctx: &Context, req: ListHours) -> Result<Paged<HoursEntry>> {
        self.list_hours(ctx, req).await
    }

    async fn approve_hours(&self, ctx: &Context, req: DecideHours) -> Result<HoursEntry> {
        self.approve_hours(ctx, req).await
    }

    async fn reject_hours(&self, ctx: &Context, req: DecideHours) -> Result<HoursEntry> {
        self.reject_hours(ctx, req).await
    }

    async fn add_delegation(&self, ctx: &Context, req: AddDelegation) -> Result<Delegation> {
        self.add_delegation(ctx, req).await
    }

    async fn list_delegations(&self, ctx: &Context, req: VolunteerId) -> Result<Vec<Delegation>> {
        self.list_delegations(ctx, req).await
    }

    // ── Training ───────────────────────────────────────────────────────────────────────────

    // ── Collaboration pacts ────────────────────────────────────────────────────────────────
}
