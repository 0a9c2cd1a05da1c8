//! The retention job: in the process of each role that keeps something with a retention
//! schedule, removes per tenant what the tenant's schedule (tenancy, `retention_schedule`) no
//! longer keeps, and counts it in `/metrics` (`sportello_retention_removed_total`, by `store`).
//!
//! - analytics role: facts of months before the schedule's window (the tenant's local months,
//!   the current one included) and their memberships of cells;
//! - cases role: outbox events published longer ago than the schedule's days (or the
//!   installation's `outbox_retention_hours`, when shorter; the relay prunes that itself).
//!
//! The audit log is never pruned: its chain must verify from its first entry (docs/privacy.md).
//! Time is the installation's clock, so a test can start it anywhere.

use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use sportello_analytics::AnalyticsService;
use sportello_kernel::outbox::Relay;
use sportello_kernel::{Clock, Context, Result, TenantId};
use sportello_tenancy::{RetentionSchedule, TenancyClient};

/// What one job removes from.
#[derive(Clone)]
pub enum Store {
    /// The analytics store's facts.
    Facts(AnalyticsService),
    /// A producer's outbox.
    Outbox(Relay),
}

impl Store {
    /// The label of the store in `/metrics` and logs.
    fn name(&self) -> &'static str {
        match self {
            Store::Facts(_) => "analytics_facts",
            Store::Outbox(_) => "outbox_events",
        }
    }
}

/// The retention job of one store.
#[derive(Clone)]
pub struct Job {
    pub store: Store,
    pub tenancy: TenancyClient,
    pub clock: Clock,
}

impl Job {
    /// One pass over every tenant with something in the store; returns how much it removed. A
    /// tenant whose schedule cannot be read is skipped (logged) and retried on the next pass.
    pub async fn run_once(&self) -> Result<u64> {
        let tenants = match &self.store {
            Store::Facts(analytics) => analytics.tenants_with_facts().await?,
            Store::Outbox(relay) => relay.tenants_with_published().await?,
        };
        let mut removed = 0;
        for tenant in tenants {
            match self.run_tenant(tenant).await {
                Ok(n) => removed += n,
                Err(err) => tracing::warn!(
                    tenant = %tenant,
                    store = self.store.name(),
                    code = err.code.as_str(),
                    "retention pass failed"
                ),
            }
        }
        metrics::counter!("sportello_retention_removed_total", "store" => self.store.name())
            .increment(removed);
        Ok(removed)
    }

    async fn run_tenant(&self, tenant: TenantId) -> Result<u64> {
        let mut ctx = Context::internal("retention", tenant, format!("retention-{tenant}"));
        ctx.clock = self.clock;
        let RetentionSchedule {
            retention,
            time_zone,
        } = self.tenancy.retention_schedule(&ctx, ()).await?;
        let now = self.clock.now();
        let removed = match &self.store {
            Store::Facts(analytics) => {
                let first =
                    first_kept_month(time_zone.date_of(now), retention.analytics_fact_months);
                analytics.remove_facts_before(tenant, &first).await?
            }
            Store::Outbox(relay) => {
                let days = chrono::Duration::days(i64::from(retention.outbox_days));
                relay
                    .prune_tenant(tenant, now - days.min(relay.retention()))
                    .await?
            }
        };
        if removed > 0 {
            tracing::info!(tenant = %tenant, store = self.store.name(), removed, "retention removed");
        }
        Ok(removed)
    }

    /// Runs a pass every `every`, forever; failures are logged and retried at the next pass.
    pub async fn run(self, every: Duration) {
        loop {
            if let Err(err) = self.run_once().await {
                tracing::warn!(
                    store = self.store.name(),
                    code = err.code.as_str(),
                    "retention pass failed"
                );
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// The first month (`YYYY-MM`) a schedule of `months` keeps on `today`: the current month and
/// the `months − 1` before it.
pub fn first_kept_month(today: NaiveDate, months: u32) -> String {
    let index = today.year() * 12 + today.month0() as i32 - (months as i32 - 1);
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_keeps_the_current_month_and_those_before_it() {
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(first_kept_month(day("2026-07-01"), 13), "2025-07");
        assert_eq!(first_kept_month(day("2026-07-31"), 13), "2025-07");
        assert_eq!(first_kept_month(day("2026-01-15"), 1), "2026-01");
        assert_eq!(first_kept_month(day("2026-01-15"), 2), "2025-12");
        assert_eq!(first_kept_month(day("2026-12-15"), 36), "2024-01");
    }
}
