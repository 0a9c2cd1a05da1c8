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
use crate::store::{appointment, procedure};

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

    /// The tenants with a procedure alerting by `latest` (a day past today in UTC, so that no
    /// time zone is missed) and its deadline not notified.
    async fn tenants_with_notices(&self, latest: chrono::NaiveDate) -> Result<Vec<Uuid>> {
        let tx = self.service.db().begin(SCOPE).await?;
        let tenants = tx
            .tenants_with::<procedure::Entity>(
                Condition::all()
                    .add(procedure::Column::Status.eq("OPEN"))
                    .add(procedure::Column::AlertOn.lte(latest))
                    .add(procedure::Column::NextDueOn.is_not_null())
                    .add(
                        Condition::any()
                            .add(procedure::Column::NotifiedFor.is_null())
                            .add(sea_orm::ExprTrait::ne(
                                sea_orm::sea_query::Expr::col(procedure::Column::NotifiedFor),
                                sea_orm::sea_query::Expr::col(procedure::Column::NextDueOn),
                            )),
                    ),
            )
            .await?;
        tx.finish().await?;
        Ok(tenants)
    }

    /// Notifies the coming deadlines of procedures (the person and the staff member following
    /// each, `CasesService::send_procedure_notices`); returns how many messages were queued.
    async fn procedure_pass(&self, now: chrono::DateTime<chrono::Utc>) -> Result<usize> {
        let mut queued = 0;
        let latest = now.date_naive() + chrono::Days::new(1);
        for tenant in self.tenants_with_notices(latest).await? {
            let tenant = TenantId(tenant);
            let ctx = Context::internal("cases", tenant, format!("reminders-{}", Uuid::now_v7()));
            let zone = self.tenancy.retention_schedule(&ctx, ()).await?.time_zone;
            let today = zone.date_of(now);
            loop {
                let due = self
                    .service
                    .due_procedure_notices(tenant, today, BATCH)
                    .await?;
                if due.is_empty() {
                    break;
                }
                let mut staff: HashMap<Uuid, String> = HashMap::new();
                for p in &due {
                    if staff.contains_key(&p.responsible_id) {
                        continue;
                    }
                    if let Some(email) = self
                        .service
                        .staff_email(&ctx, sportello_kernel::UserId(p.responsible_id))
                        .await
                    {
                        staff.insert(p.responsible_id, email);
                    }
                }
                let ids: Vec<Uuid> = due.iter().map(|p| p.id).collect();
                queued += self
                    .service
                    .send_procedure_notices(tenant, now, &ids, &staff)
                    .await?;
                if (due.len() as u64) < BATCH {
                    break;
                }
            }
        }
        Ok(queued)
    }

    /// Deals with every reminder due now; returns how many.
    pub async fn pass(&self) -> Result<usize> {
        let now = self.clock.now();
        let mut done = 0;
        let notices = self.procedure_pass(now).await?;
        metrics::counter!("sportello_procedure_notices_total").increment(notices as u64);
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
