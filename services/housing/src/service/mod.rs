//! The housing service: authorisation, transaction boundaries and the rules of units, the waiting
//! list, placements and follow-ups. Every operation checks the caller's role again (the generated
//! router and client checked it first) and runs in one transaction in the tenant's scope. A call
//! to another service (the tenancy's municipalities, the cases' households) is made before the
//! transaction begins.

use std::collections::BTreeSet;

use async_trait::async_trait;
use sportello_cases::{CasesClient, Household};
use sportello_kernel::crypto::Keyring;
use sportello_kernel::db::{Db, StoreConfig};
use sportello_kernel::error::Object;
use sportello_kernel::pseudonym::Pseudonyms;
use sportello_kernel::{Context, Error, Reason, Result};
use sportello_tenancy::{ListTerritories, Page, TenancyClient};

use crate::events;
use crate::interface::*;
use crate::store::Migrator;

mod placements;
mod units;
mod waiting;

/// The housing service on its own store.
#[derive(Clone)]
pub struct HousingService {
    db: Db,
    tenancy: TenancyClient,
    cases: CasesClient,
    /// The tenant keys for the pseudonyms of events, from the tenancy service.
    pseudonyms: Pseudonyms,
    /// The tenants' keys, held apart from the store: the health-or-disability fact of an
    /// application is sealed under a data key wrapped with them.
    keyring: Keyring,
}

impl HousingService {
    /// Opens the store, running migrations first when `migrate` is set.
    pub async fn open(
        config: &StoreConfig,
        migrate: bool,
        tenancy: TenancyClient,
        cases: CasesClient,
    ) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            pseudonyms: Pseudonyms::new(std::sync::Arc::new(tenancy.clone()), events::PRODUCER),
            tenancy,
            cases,
            keyring: Keyring::memory(),
        })
    }

    /// Uses the installation's key store (`Config::keyring`); without it the keys live in memory
    /// and sealed facts become unreadable when the process restarts.
    pub fn with_keyring(mut self, keyring: Keyring) -> Self {
        self.keyring = keyring;
        self
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

    /// The household from the cases service: `NO_SUCH` on `field` when the tenant has none of
    /// this id, `INVALID_INPUT` when it has no member.
    async fn household(&self, ctx: &Context, id: HouseholdId, field: &str) -> Result<Household> {
        match self.cases.get_household(ctx, id).await {
            Ok(h) if h.members.is_empty() => Err(Error::on(field, Reason::Required)
                .saying("the household has no members: add them in the cases service first")),
            Ok(h) => Ok(h),
            Err(err) if err.code == sportello_kernel::ErrorCode::NotFound => Err(Error::on(
                field,
                Reason::NoSuch {
                    object: Object::Household,
                },
            )),
            Err(err) => Err(err),
        }
    }
}

/// Every operation but `ready` calls the inherent method of the same name in its part's file.
#[async_trait]
impl Housing for HousingService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn add_unit(&self, ctx: &Context, req: AddUnit) -> Result<Unit> {
        self.add_unit(ctx, req).await
    }
    async fn update_unit(&self, ctx: &Context, req: UpdateUnit) -> Result<Unit> {
        self.update_unit(ctx, req).await
    }
    async fn add_room(&self, ctx: &Context, req: AddRoom) -> Result<Unit> {
        self.add_room(ctx, req).await
    }
    async fn get_unit(&self, ctx: &Context, req: UnitId) -> Result<Unit> {
        self.get_unit(ctx, req).await
    }
    async fn list_units(&self, ctx: &Context, req: ListUnits) -> Result<Paged<Unit>> {
        self.list_units(ctx, req).await
    }
    async fn list_stays(&self, ctx: &Context, req: ListStays) -> Result<Vec<BedStay>> {
        self.list_stays(ctx, req).await
    }

    async fn priority_rule(&self, ctx: &Context, req: ()) -> Result<PriorityRule> {
        self.priority_rule(ctx, req).await
    }
    async fn set_priority_rule(&self, ctx: &Context, req: SetPriorityRule) -> Result<PriorityRule> {
        self.set_priority_rule(ctx, req).await
    }
    async fn rule_history(&self, ctx: &Context, req: ()) -> Result<Vec<RuleChange>> {
        self.rule_history(ctx, req).await
    }
    async fn apply(&self, ctx: &Context, req: Apply) -> Result<Application> {
        self.apply(ctx, req).await
    }
    async fn update_application(
        &self,
        ctx: &Context,
        req: UpdateApplication,
    ) -> Result<Application> {
        self.update_application(ctx, req).await
    }
    async fn withdraw_application(
        &self,
        ctx: &Context,
        req: WithdrawApplication,
    ) -> Result<Application> {
        self.withdraw_application(ctx, req).await
    }
    async fn get_application(&self, ctx: &Context, req: ApplicationId) -> Result<Application> {
        self.get_application(ctx, req).await
    }
    async fn list_applications(
        &self,
        ctx: &Context,
        req: ListApplications,
    ) -> Result<Paged<Application>> {
        self.list_applications(ctx, req).await
    }
    async fn score_history(&self, ctx: &Context, req: ApplicationId) -> Result<Vec<ScoreChange>> {
        self.score_history(ctx, req).await
    }

    async fn place(&self, ctx: &Context, req: Place) -> Result<Placement> {
        self.place(ctx, req).await
    }
    async fn get_placement(&self, ctx: &Context, req: PlacementId) -> Result<Placement> {
        self.get_placement(ctx, req).await
    }
    async fn list_placements(
        &self,
        ctx: &Context,
        req: ListPlacements,
    ) -> Result<Paged<Placement>> {
        self.list_placements(ctx, req).await
    }
    async fn extend_placement(&self, ctx: &Context, req: ExtendPlacement) -> Result<Placement> {
        self.extend_placement(ctx, req).await
    }
    async fn exit_placement(&self, ctx: &Context, req: ExitPlacement) -> Result<Placement> {
        self.exit_placement(ctx, req).await
    }
    async fn cancel_placement(&self, ctx: &Context, req: CancelPlacement) -> Result<Placement> {
        self.cancel_placement(ctx, req).await
    }
    async fn record_milestone(&self, ctx: &Context, req: RecordMilestone) -> Result<Placement> {
        self.record_milestone(ctx, req).await
    }
    async fn list_follow_ups(&self, ctx: &Context, req: ListFollowUps) -> Result<Paged<FollowUp>> {
        self.list_follow_ups(ctx, req).await
    }
    async fn record_follow_up(&self, ctx: &Context, req: RecordFollowUp) -> Result<FollowUp> {
        self.record_follow_up(ctx, req).await
    }
}
