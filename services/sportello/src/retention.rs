//! The retention job: in the process of each role that keeps something with a retention
//! schedule, removes per tenant what the tenant's schedule (tenancy, `retention_schedule`) no
//! longer keeps, and counts it in `/metrics` (`sportello_retention_removed_total`, by `store`).
//!
//! - analytics role: facts of months before the schedule's window (the tenant's local months,
//!   the current one included) and their memberships of cells;
//! - cases role: outbox events published longer ago than the schedule's days (or the
//!   installation's `outbox_retention_hours`, when shorter; the relay prunes that itself); and
//!   people whose cases are all closed, the latest closed on a local day D with D + the
//!   schedule's years on or before today (local date), erased as by `erasePerson` on the ground
//!   `NO_LONGER_NECESSARY` (cases, `erase_expired`).
//!
//! The audit log is never pruned: its chain must verify from its first entry (docs/privacy.md).
//! Time is the installation's clock, so a test can start it anywhere.

use std::time::Duration;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sportello_analytics::AnalyticsService;
use sportello_cases::{Cases, CasesService, ExpireClosed};
use sportello_kernel::outbox::Relay;
use sportello_kernel::{Clock, Context, Error, Result, TenantId, Zone};
use sportello_tenancy::{RetentionSchedule, TenancyClient};

/// What one job removes from.
#[derive(Clone)]
pub enum Store {
    /// The analytics store's facts.
    Facts(AnalyticsService),
    /// A producer's outbox.
    Outbox(Relay),
    /// The cases store's people whose cases all closed long enough ago.
    ClosedCases(CasesService),
}

impl Store {
    /// The label of the store in `/metrics` and logs.
    fn name(&self) -> &'static str {
        match self {
            Store::Facts(_) => "analytics_facts",
            Store::Outbox(_) => "outbox_events",
            Store::ClosedCases(_) => "closed_cases",
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
            Store::ClosedCases(cases) => cases.tenants_with_closed_cases().await?,
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
            Store::ClosedCases(cases) => {
                let before = closed_case_cutoff(time_zone, now, retention.closed_case_years)?;
                Cases::erase_expired(cases, &ctx, ExpireClosed { before })
                    .await?
                    .erased
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

/// The cutoff of a schedule of `years` at `now` in `zone`: the start of the local day after
/// today minus `years` (29 February becoming 28 in a common year). A case closed on local day D
/// is due once D + `years` is today or before: closed before the cutoff.
pub fn closed_case_cutoff(zone: Zone, now: DateTime<Utc>, years: u32) -> Result<DateTime<Utc>> {
    let day = zone
        .date_of(now)
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .and_then(|d| d.succ_opt())
        .ok_or_else(|| Error::internal("closed case cutoff out of range"))?;
    Ok(zone.instant(day.and_time(chrono::NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_closed_on_a_day_is_due_on_the_same_local_day_years_later() {
        let rome = Zone::parse("timeZone", "Europe/Rome").expect("zone");
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("instant");
        // 1 July 2026, 00:00:30 in Rome (still 30 June in UTC): cases closed on 1 July 2024 or
        // before, local dates, are due with 2 years.
        let cutoff = closed_case_cutoff(rome, at("2026-06-30T22:00:30Z"), 2).expect("cutoff");
        assert_eq!(cutoff, at("2024-07-01T22:00:00Z"));
        // In winter the offset is one hour.
        let cutoff = closed_case_cutoff(rome, at("2027-01-10T12:00:00Z"), 5).expect("cutoff");
        assert_eq!(cutoff, at("2022-01-10T23:00:00Z"));
        // 29 February minus a year is 28 February.
        let cutoff = closed_case_cutoff(rome, at("2028-02-29T12:00:00Z"), 1).expect("cutoff");
        assert_eq!(cutoff, at("2027-02-28T23:00:00Z"));
    }

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
