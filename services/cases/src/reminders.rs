//! Appointment reminders: a background task of the cases role finds the reminders come due
//! (`remind_at` reached, not yet dealt with) in every tenant and queues their messages in the
//! cases store's message outbox (`sportello_kernel::messages`), from which the role's dispatcher
//! delivers them. Each reminder is dealt with once, in the transaction that records its outcome
//! on the appointment ([`crate::ReminderOutcome`]); a crash before the commit leaves it due for
//! the next pass, so none is lost and none is queued twice.

use std::collections::HashMap;
use std::time::Duration;

use sea_orm::{ColumnTrait, Condition};
use sportello_kernel::db::Scope;
use sportello_kernel::{Clock, Context, Result, TenantId};
use sportello_tenancy::TenancyClient;
use uuid::Uuid;

use crate::CasesService;
use crate::store::appointment;

/// The scope in which the task finds the tenants with due reminders (row-level security lets it
/// read `appointments` across tenants, nothing else, and never write).
const SCOPE: Scope = Scope::Service("reminders");

/// Reminders dealt with in one transaction.
pub const BATCH: u64 = 200;

/// The reminder task of one cases store.
#[derive(Clone)]
pub struct Reminders {
    service: CasesService,
    tenancy: TenancyClient,
    clock: Clock,
}

impl Reminders {
    pub fn new(service: CasesService, tenancy: TenancyClient) -> Self {
        Self {
            service,
            tenancy,
            clock: Clock::default(),
        }
    }

    /// Reads "now" from `clock` (tests that start later in time).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The tenants with a reminder due at `now` and not yet dealt with.
    async fn tenants_due(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<Uuid>> {
        let tx = self.service.db().begin(SCOPE).await?;
        let tenants = tx
            .tenants_with::<appointment::Entity>(
                Condition::all()
                    .add(appointment::Column::ReminderSentAt.is_null())
                    .add(appointment::Column::RemindAt.lte(now)),
            )
            .await?;
        tx.finish().await?;
        Ok(tenants)
    }

    /// Deals with every reminder due now; returns how many.
    pub async fn pass(&self) -> Result<usize> {
        let now = self.clock.now();
        let mut done = 0;
        for tenant in self.tenants_due(now).await? {
            let tenant = TenantId(tenant);
            let ctx = Context::internal("cases", tenant, format!("reminders-{}", Uuid::now_v7()));
            let zone = self.tenancy.retention_schedule(&ctx, ()).await?.time_zone;
            loop {
                let due = self.service.due_reminders(tenant, now, BATCH).await?;
                if due.is_empty() {
                    break;
                }
                let mut desk_ids: Vec<Uuid> = due.iter().map(|a| a.desk_id).collect();
                desk_ids.sort_unstable();
                desk_ids.dedup();
                let desks: HashMap<Uuid, String> = self
                    .tenancy
                    .desks_by_id(&ctx, desk_ids.into_iter().map(Into::into).collect())
                    .await?
                    .into_iter()
                    .map(|d| (d.id.uuid(), d.name))
                    .collect();
                let ids: Vec<Uuid> = due.iter().map(|a| a.id).collect();
                let outcomes = self
                    .service
                    .send_reminders(tenant, zone, now, &ids, &desks)
                    .await?;
                for outcome in &outcomes {
                    metrics::counter!("sportello_reminders_total", "outcome" => crate::domain::codes::reminder_outcome(*outcome))
                        .increment(1);
                }
                done += outcomes.len();
                if (due.len() as u64) < BATCH {
                    break;
                }
            }
        }
        Ok(done)
    }

    /// Runs forever, a pass every `every`; a failed pass is tried again at the next.
    pub async fn run(self, every: Duration) {
        loop {
            if let Err(err) = self.pass().await {
                tracing::warn!(code = err.code.as_str(), "reminder pass failed");
            }
            tokio::time::sleep(every).await;
        }
    }
}
