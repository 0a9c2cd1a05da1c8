//! Retention: a tenant's facts (and activity facts) older than its schedule keeps are removed, with their people's
//! memberships of cells. The cells themselves (counts and cell keys, no pseudonym) stay, so the
//! shared views of those months read as they were published.

use sportello_kernel::db::Scope;
use sportello_kernel::{Result, TenantId};

use super::{AnalyticsService, exec_across, query_across};

impl AnalyticsService {
    /// The tenants that have facts, for the retention job.
    pub async fn tenants_with_facts(&self) -> Result<Vec<TenantId>> {
        // Ingestion's scope: the only one that reads facts across tenants.
        let tx = self.db.begin(Scope::Service("ingest")).await?;
        let rows = query_across(
            &tx,
            "SELECT tenant_id FROM facts UNION SELECT tenant_id FROM activity_facts",
            vec![],
        )
        .await?;
        tx.finish().await?;
        rows.iter()
            .map(|r| Ok(TenantId(r.try_get_by_index(0)?)))
            .collect()
    }

    /// Removes the tenant's facts of months before `first_kept` (`YYYY-MM`, the tenant's local
    /// month) and their memberships of cells; returns how many facts went.
    pub async fn remove_facts_before(&self, tenant: TenantId, first_kept: &str) -> Result<u64> {
        let tx = self.db.begin(Scope::Service("ingest")).await?;
        let values = || vec![tenant.uuid().into(), first_kept.into()];
        let removed = exec_across(
            &tx,
            "DELETE FROM facts WHERE tenant_id = ? AND month < ?",
            values(),
        )
        .await?;
        exec_across(
            &tx,
            "DELETE FROM cell_members WHERE tenant_id = ? AND month < ?",
            values(),
        )
        .await?;
        let activity = exec_across(
            &tx,
            "DELETE FROM activity_facts WHERE tenant_id = ? AND month < ?",
            values(),
        )
        .await?;
        tx.commit().await?;
        Ok(removed + activity)
    }
}
