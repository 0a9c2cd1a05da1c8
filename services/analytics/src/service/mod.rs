//! The analytics service: ingestion from the bus (idempotent by event id) and the queries.
//! Ingestion lives in `ingest`, a tenant's own indicators and statistics in `indicators`, the
//! cross-territory views and emerging needs in `shared`.

use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use sportello_kernel::db::{Db, Scope, StoreConfig, Tx};
use sportello_kernel::{Context, Error, Result, dates};

use crate::export;
use crate::interface::*;
use crate::sdc;
use crate::store::Migrator;

mod indicators;
mod ingest;
mod retention;
mod shared;

pub use indicators::INDICATORS;
pub use ingest::IngestReport;

/// Need categories whose breakdowns are special categories of data (health, legal status):
/// the higher suppression threshold applies to them.
const SPECIAL_NEEDS: [&str; 2] = ["health", "documents_legal"];

/// Longest period one query may span.
const MAX_MONTHS: i32 = 36;

#[derive(Clone)]
pub struct AnalyticsService {
    db: Db,
    params: sdc::Params,
}

impl AnalyticsService {
    pub async fn open(config: &StoreConfig, migrate: bool, params: sdc::Params) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            params,
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The request's transaction in its tenant; the roles were checked at the interface.
    async fn tenant_tx(&self, ctx: &Context) -> Result<Tx> {
        self.db.begin(Scope::Tenant(ctx.tenant()?)).await
    }
}

#[async_trait]
impl Analytics for AnalyticsService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn indicators(&self, ctx: &Context, req: Period) -> Result<Vec<Indicator>> {
        let period = Months::of(&req, ctx.today())?;
        let tx = self.tenant_tx(ctx).await?;
        let out = self.indicators_in(&tx, ctx, &period).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_indicator_target(&self, ctx: &Context, req: SetTarget) -> Result<Indicator> {
        if !INDICATORS.iter().any(|(code, _)| *code == req.code) {
            return Err(Error::on(
                "code",
                sportello_kernel::Reason::NotInList {
                    list: sportello_kernel::error::List::Indicators,
                },
            ));
        }
        if req.target.is_some_and(|t| t > 10_000_000) {
            return Err(Error::on(
                "target",
                sportello_kernel::Reason::OutOfRange {
                    min: 0,
                    max: 10_000_000,
                },
            ));
        }
        let tx = self.tenant_tx(ctx).await?;
        tx.execute_scoped(
            "INSERT INTO targets (tenant_id, code, target) VALUES (:tenant, ?, ?) \
             ON CONFLICT (tenant_id, code) DO UPDATE SET target = excluded.target",
            vec![req.code.clone().into(), req.target.map(|t| t as i64).into()],
        )
        .await?;
        let period = Months::of(&Period::default(), ctx.today())?;
        let found = self
            .indicators_in(&tx, ctx, &period)
            .await?
            .into_iter()
            .find(|i| i.code == req.code)
            .ok_or_else(|| Error::internal("indicator missing"))?;
        tx.commit().await?;
        Ok(found)
    }

    async fn statistics(&self, ctx: &Context, req: StatisticsQuery) -> Result<Vec<StatRow>> {
        self.statistics_of(ctx, req).await
    }

    async fn shared_view(&self, ctx: &Context, req: SharedQuery) -> Result<SharedTable> {
        self.shared_table(ctx, req).await
    }

    async fn emerging_needs(&self, ctx: &Context, req: EmergingQuery) -> Result<Vec<EmergingNeed>> {
        self.emerging_needs_in(ctx, req).await
    }

    async fn person_facts(&self, ctx: &Context, req: PersonFactsQuery) -> Result<PersonFacts> {
        self.person_facts(ctx, req).await
    }

    async fn volunteer_hours(&self, ctx: &Context, req: Period) -> Result<Vec<HoursRow>> {
        self.volunteer_hours(ctx, &req).await
    }

    async fn export_indicators(&self, ctx: &Context, req: ExportQuery) -> Result<ExportFile> {
        let period = Months::of(&req.period, ctx.today())?;
        let tx = self.tenant_tx(ctx).await?;
        let indicators = self.indicators_in(&tx, ctx, &period).await?;
        tx.commit().await?;
        export::indicators(req.format, &period.from, &period.to, &indicators)
    }
}

/// A validated period.
struct Months {
    from: String,
    to: String,
}

impl Months {
    /// The period asked for; without an end, it ends with the month of `today` (the tenant's
    /// local day), and without a start it spans twelve months.
    fn of(period: &Period, today: NaiveDate) -> Result<Self> {
        let to = match &period.to {
            Some(to) => dates::filter_date("to", parse_month("to", to)?)?,
            None => NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
                .ok_or_else(|| Error::internal("bad date"))?,
        };
        let from = match &period.from {
            Some(from) => dates::filter_date("from", parse_month("from", from)?)?,
            None => add_months(to, -11)?,
        };
        if from > to {
            return Err(Error::on("from", sportello_kernel::Reason::PeriodReversed));
        }
        let span = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
        if span >= MAX_MONTHS {
            return Err(Error::on(
                "from",
                sportello_kernel::Reason::PeriodTooLong { max_months: 36 },
            ));
        }
        Ok(Self {
            from: from.format("%Y-%m").to_string(),
            to: to.format("%Y-%m").to_string(),
        })
    }
}

fn parse_month(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map_err(|_| Error::on(field, sportello_kernel::Reason::NotAMonth))
}

fn add_months(date: NaiveDate, months: i32) -> Result<NaiveDate> {
    let total = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .ok_or_else(|| Error::internal("month out of range"))
}

/// `(?, ?, …), (?, ?, …)`: `rows` groups of `columns` placeholders.
fn placeholders(rows: usize, columns: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(", "));
    vec![one; rows].join(", ")
}

/// A statement written with `?` placeholders, numbered for PostgreSQL.
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Runs a statement across tenants: only for ingestion and the shared views, in their service
/// scope (`Scope::Service`), on the tables that grant it by name. A tenant's own queries use
/// `Tx::query_scoped` and `Tx::execute_scoped`, which bind the tenant from the scope.
#[allow(clippy::disallowed_methods)] // Audited: ingestion and shared views work across tenants.
async fn exec_across(tx: &Tx, sql: &str, values: Vec<Value>) -> Result<u64> {
    across_tenants(tx)?;
    let backend = tx.conn().get_database_backend();
    Ok(tx
        .conn()
        .execute_raw(statement(backend, sql, values))
        .await?
        .rows_affected())
}

/// Like [`exec_across`], returning the rows.
#[allow(clippy::disallowed_methods)] // Audited: ingestion and shared views work across tenants.
async fn query_across(tx: &Tx, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>> {
    across_tenants(tx)?;
    let backend = tx.conn().get_database_backend();
    Ok(tx
        .conn()
        .query_all_raw(statement(backend, sql, values))
        .await?)
}

/// Refuses a statement across tenants inside one tenant's scope.
fn across_tenants(tx: &Tx) -> Result<()> {
    if tx.in_tenant_scope() {
        return Err(Error::internal(
            "statement across tenants in a tenant scope",
        ));
    }
    Ok(())
}
