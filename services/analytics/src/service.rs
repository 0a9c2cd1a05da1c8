//! The analytics service: ingestion from the bus (idempotent by event id) and the queries.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use sha2::{Digest, Sha256};
use sportello_kernel::bus::{Envelope, Sink};
use sportello_kernel::db::{Db, Scope, StoreConfig, Tx};
use sportello_kernel::events::{Event, EventKind, Record};
use sportello_kernel::{Context, Error, Result, dates};
use uuid::Uuid;

use crate::export;
use crate::interface::*;
use crate::sdc;
use crate::store::Migrator;

/// Indicators, in display order, with the targets every tenant starts with.
pub const INDICATORS: [(&str, Option<u64>); 7] = [
    ("PEOPLE_REACHED", Some(150)),
    ("IN_INTEGRATION_PATH", Some(30)),
    ("NEW_CASES", None),
    ("ACTIVE_CASES", None),
    ("NEEDS_RECORDED", None),
    ("INTERVENTIONS", None),
    ("REFERRALS_COMPLETED", None),
];

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

    /// Stores a batch of events as facts and cell counts, in one transaction. Events already
    /// processed are skipped, so a redelivered batch counts nothing twice.
    pub async fn ingest(&self, batch: &[Envelope]) -> Result<IngestReport> {
        let tx = self.db.begin(Scope::Service("ingest")).await?;
        let mut report = IngestReport::default();
        // Which events are new: the insert returns only the rows it added.
        let mut fresh: HashSet<(Uuid, Uuid)> = HashSet::new();
        let now = Utc::now();
        for chunk in batch.chunks(CHUNK) {
            let rows = query(
                &tx,
                &format!(
                    "INSERT INTO processed_events (tenant_id, event_id, processed_at) VALUES {} \
                     ON CONFLICT DO NOTHING RETURNING tenant_id, event_id",
                    placeholders(chunk.len(), 3)
                ),
                chunk
                    .iter()
                    .flat_map(|e| [e.tenant_id.into(), e.id.into(), now.into()])
                    .collect(),
            )
            .await?;
            for row in rows {
                fresh.insert((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
            }
        }
        let mut facts = Vec::with_capacity(fresh.len());
        for envelope in batch {
            if !fresh.remove(&(envelope.tenant_id, envelope.id)) {
                report.duplicates += 1;
                continue;
            }
            match Fact::parse(envelope) {
                Some(fact) => facts.push(fact),
                // Not an event analytics counts (or not readable): remembered as processed.
                None => report.ignored += 1,
            }
        }
        report.ingested = facts.len() as u64;
        store_facts(&tx, &facts).await?;
        tx.commit().await?;
        metrics::counter!("sportello_analytics_events_ingested_total").increment(report.ingested);
        metrics::counter!("sportello_analytics_events_duplicate_total")
            .increment(report.duplicates);
        Ok(report)
    }

    /// Forgets the ids of events processed longer ago than `older_than`. They guard against
    /// redelivery, so keep them longer than the outbox keeps published events.
    pub async fn prune_processed(&self, older_than: std::time::Duration) -> Result<u64> {
        let before = Utc::now()
            - chrono::Duration::from_std(older_than).map_err(|_| Error::internal("duration"))?;
        let tx = self.db.begin(Scope::Service("ingest")).await?;
        let done = exec(
            &tx,
            "DELETE FROM processed_events WHERE processed_at < ?",
            vec![before.into()],
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The request's transaction in its tenant; the roles were checked at the interface.
    async fn tenant_tx(&self, ctx: &Context) -> Result<(Uuid, Tx)> {
        let tenant = ctx.tenant()?;
        Ok((tenant.uuid(), self.db.begin(Scope::Tenant(tenant)).await?))
    }

    /// Every cell of a view's measure over the months, both levels, protected together so that
    /// a cell gets the same treatment whichever level or period is asked for.
    async fn protected_cells(
        &self,
        view: SharedView,
        from: &str,
        to: &str,
    ) -> Result<Vec<SharedCell>> {
        let tx = self.db.begin(Scope::Service("shared")).await?;
        let rows = query(
            &tx,
            "SELECT tenant_id, territory, month, category, people, cell_key FROM cells \
             WHERE measure = ? AND month >= ? AND month <= ? \
             ORDER BY tenant_id, month, category, territory",
            vec![view.measure().into(), from.into(), to.into()],
        )
        .await?;
        tx.commit().await?;
        let mut cells = Vec::with_capacity(rows.len());
        let mut meta = Vec::with_capacity(rows.len());
        for row in &rows {
            let tenant: Uuid = row.try_get_by_index(0)?;
            let territory: String = row.try_get_by_index(1)?;
            let month: String = row.try_get_by_index(2)?;
            let category: String = row.try_get_by_index(3)?;
            let people: i64 = row.try_get_by_index(4)?;
            let cell_key: i64 = row.try_get_by_index(5)?;
            cells.push(sdc::Cell {
                key: vec![
                    tenant.to_string(),
                    territory.clone(),
                    month.clone(),
                    category.clone(),
                ],
                count: u64::try_from(people).unwrap_or(0),
                cell_key: u64::try_from(cell_key).unwrap_or(0),
                special: view == SharedView::NeedsByTerritoryMonth
                    && SPECIAL_NEEDS.contains(&category.as_str()),
            });
            meta.push((tenant, territory, month, category));
        }
        let lines = lines_of(&meta);
        let protected = sdc::protect(&cells, &lines, &self.params);
        Ok(meta
            .into_iter()
            .zip(protected)
            .map(|((tenant_id, territory, month, category), p)| SharedCell {
                tenant_id,
                territory: (territory != "*").then_some(territory),
                month,
                category: (!category.is_empty()).then_some(category),
                value: p.value,
                status: p.status,
            })
            .collect())
    }

    async fn indicator_values(
        &self,
        tx: &Tx,
        ctx: &Context,
        tenant: Uuid,
        period: &Months,
    ) -> Result<Vec<u64>> {
        let (within, territories) = within_territories(ctx);
        // One pass over the period's facts for every count.
        let mut values: Vec<Value> = [
            EventKind::CaseStatusChanged,
            EventKind::CaseOpened,
            EventKind::NeedRecorded,
            EventKind::InterventionDone,
            EventKind::ReferralChanged,
        ]
        .into_iter()
        .map(|k| k.as_str().into())
        .collect();
        values.extend([
            tenant.into(),
            period.from.clone().into(),
            period.to.clone().into(),
        ]);
        values.extend(territories.clone());
        let rows = query(
            tx,
            &format!(
                "SELECT COUNT(DISTINCT person), \
                 COUNT(DISTINCT CASE WHEN event_type = ? AND status = 'active' THEN person END), \
                 COUNT(CASE WHEN event_type = ? THEN 1 END), \
                 COUNT(CASE WHEN event_type = ? THEN 1 END), \
                 COUNT(CASE WHEN event_type = ? THEN 1 END), \
                 COUNT(CASE WHEN event_type = ? AND status = 'completed' THEN 1 END) \
                 FROM facts WHERE tenant_id = ? AND month >= ? AND month <= ?{within}"
            ),
            values,
        )
        .await?;
        let row = rows
            .first()
            .ok_or_else(|| Error::internal("no counts returned"))?;
        let count = |i: usize| -> Result<u64> {
            let n: i64 = row.try_get_by_index(i)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let (people, integration, new_cases, needs, interventions, referrals) = (
            count(0)?,
            count(1)?,
            count(2)?,
            count(3)?,
            count(4)?,
            count(5)?,
        );
        // Active at the end of the period: the last life-cycle event of the case up to then is
        // not a closure.
        let mut values = vec![tenant.into(), period.to.clone().into()];
        values.extend(territories);
        let lifecycle = query(
            tx,
            &format!(
                "SELECT case_key, event_type FROM facts WHERE tenant_id = ? AND month <= ? \
                 AND case_key IS NOT NULL{within} ORDER BY event_id"
            ),
            values,
        )
        .await?;
        let mut last: HashMap<String, bool> = HashMap::new();
        for row in &lifecycle {
            let case: String = row.try_get_by_index(0)?;
            let kind: String = row.try_get_by_index(1)?;
            last.insert(case, EventKind::parse(&kind) != Some(EventKind::CaseClosed));
        }
        let active = last.values().filter(|open| **open).count() as u64;
        Ok(vec![
            people,
            integration,
            new_cases,
            active,
            needs,
            interventions,
            referrals,
        ])
    }

    async fn targets(&self, tx: &Tx, tenant: Uuid) -> Result<HashMap<String, Option<u64>>> {
        let rows = query(
            tx,
            "SELECT code, target FROM targets WHERE tenant_id = ?",
            vec![tenant.into()],
        )
        .await?;
        let mut out = HashMap::new();
        for row in &rows {
            let code: String = row.try_get_by_index(0)?;
            let target: Option<i64> = row.try_get_by_index(1)?;
            out.insert(code, target.and_then(|t| u64::try_from(t).ok()));
        }
        Ok(out)
    }

    async fn indicators_in(
        &self,
        tx: &Tx,
        ctx: &Context,
        tenant: Uuid,
        period: &Months,
    ) -> Result<Vec<Indicator>> {
        let values = self.indicator_values(tx, ctx, tenant, period).await?;
        let targets = self.targets(tx, tenant).await?;
        Ok(INDICATORS
            .iter()
            .zip(values)
            .map(|((code, default), value)| Indicator {
                code: (*code).to_owned(),
                value,
                target: targets.get(*code).copied().unwrap_or(*default),
            })
            .collect())
    }
}

/// What one ingestion pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub ingested: u64,
    pub duplicates: u64,
    pub ignored: u64,
}

#[async_trait]
impl Sink for AnalyticsService {
    async fn deliver(&self, batch: &[Envelope]) -> Result<()> {
        self.ingest(batch).await.map(|_| ())
    }
}

#[async_trait]
impl Analytics for AnalyticsService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn indicators(&self, ctx: &Context, req: Period) -> Result<Vec<Indicator>> {
        let period = Months::of(&req)?;
        let (tenant, tx) = self.tenant_tx(ctx).await?;
        let out = self.indicators_in(&tx, ctx, tenant, &period).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_indicator_target(&self, ctx: &Context, req: SetTarget) -> Result<Indicator> {
        if !INDICATORS.iter().any(|(code, _)| *code == req.code) {
            return Err(Error::invalid("code", "no such indicator"));
        }
        if req.target.is_some_and(|t| t > 10_000_000) {
            return Err(Error::invalid("target", "a target is at most 10,000,000"));
        }
        let (tenant, tx) = self.tenant_tx(ctx).await?;
        exec(
            &tx,
            "INSERT INTO targets (tenant_id, code, target) VALUES (?, ?, ?) \
             ON CONFLICT (tenant_id, code) DO UPDATE SET target = excluded.target",
            vec![
                tenant.into(),
                req.code.clone().into(),
                req.target.map(|t| t as i64).into(),
            ],
        )
        .await?;
        let period = Months::of(&Period::default())?;
        let found = self
            .indicators_in(&tx, ctx, tenant, &period)
            .await?
            .into_iter()
            .find(|i| i.code == req.code)
            .ok_or_else(|| Error::internal("indicator missing"))?;
        tx.commit().await?;
        Ok(found)
    }

    async fn statistics(&self, ctx: &Context, req: StatisticsQuery) -> Result<Vec<StatRow>> {
        let period = Months::of(&req.period)?;
        if req.by.len() > 3 {
            return Err(Error::invalid(
                "by",
                "break down by at most three dimensions",
            ));
        }
        let by = req.by.clone();
        if by.iter().collect::<HashSet<_>>().len() != by.len() {
            return Err(Error::invalid("by", "a dimension is repeated"));
        }
        let (aggregate, kind) = match req.measure {
            Measure::PeopleReached => ("COUNT(DISTINCT person)", None),
            Measure::NewCases => ("COUNT(*)", Some(EventKind::CaseOpened)),
            Measure::Needs => ("COUNT(*)", Some(EventKind::NeedRecorded)),
            Measure::Interventions => ("COUNT(*)", Some(EventKind::InterventionDone)),
            Measure::Referrals => ("COUNT(*)", Some(EventKind::ReferralChanged)),
        };
        let filter = if kind.is_some() {
            " AND event_type = ?"
        } else {
            ""
        };
        // Column names come from this fixed list only, never from input text.
        let columns: Vec<&str> = by
            .iter()
            .map(|d| match d {
                Dimension::Territory => "territory",
                Dimension::Month => "month",
                Dimension::Sex => "sex",
                Dimension::AgeBand => "age_band",
                Dimension::CountryOfBirth => "country_of_birth",
                Dimension::Need => "COALESCE(need, '')",
                Dimension::Intervention => "COALESCE(intervention, '')",
                Dimension::ReferralStatus => "COALESCE(status, '')",
            })
            .collect();
        let select: String = columns.iter().map(|c| format!("{c}, ")).collect();
        let group = if columns.is_empty() {
            String::new()
        } else {
            format!(" GROUP BY {0} ORDER BY {0}", columns.join(", "))
        };
        let (within, territories) = within_territories(ctx);
        let sql = format!(
            "SELECT {select}{aggregate} FROM facts WHERE tenant_id = ? AND month >= ? AND month <= ?{filter}{within}{group}"
        );
        let (tenant, tx) = self.tenant_tx(ctx).await?;
        let mut values = vec![tenant.into(), period.from.into(), period.to.into()];
        values.extend(kind.map(|k| k.as_str().into()));
        values.extend(territories);
        let rows = query(&tx, &sql, values).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                let keys = (0..columns.len())
                    .map(|i| row.try_get_by_index::<String>(i))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                let value: i64 = row.try_get_by_index(columns.len())?;
                Ok(StatRow {
                    keys,
                    value: u64::try_from(value).unwrap_or(0),
                })
            })
            .filter(|r: &Result<StatRow>| r.as_ref().map_or(true, |r| r.value > 0))
            .collect()
    }

    async fn shared_view(&self, _ctx: &Context, req: SharedQuery) -> Result<SharedTable> {
        let period = Months::of(&req.period)?;
        let cells = self
            .protected_cells(req.view, &period.from, &period.to)
            .await?
            .into_iter()
            .filter(|c| (req.level == Level::Municipality) == c.territory.is_some())
            .collect();
        Ok(SharedTable {
            view: req.view,
            level: req.level,
            from: period.from,
            to: period.to,
            params: self.params,
            cells,
        })
    }

    async fn emerging_needs(&self, _ctx: &Context, req: Period) -> Result<Vec<EmergingNeed>> {
        let period = Months::of(&req)?;
        let history_from = shift_month(&period.from, -6)?;
        let cells = self
            .protected_cells(SharedView::NeedsByTerritoryMonth, &history_from, &period.to)
            .await?;
        // Series per (tenant, territory, need), over every month of the window: a month without
        // a cell is a published zero.
        let months = month_range(&history_from, &period.to)?;
        let mut series: BTreeMap<(Uuid, String, String), HashMap<String, SharedCell>> =
            BTreeMap::new();
        for cell in cells {
            let (Some(territory), Some(need)) = (cell.territory.clone(), cell.category.clone())
            else {
                continue;
            };
            series
                .entry((cell.tenant_id, territory, need))
                .or_default()
                .insert(cell.month.clone(), cell);
        }
        let mut out = Vec::new();
        for ((tenant_id, territory, need), by_month) in series {
            let published = |m: &str| match by_month.get(m) {
                Some(c) => c.value,
                None => Some(0),
            };
            for (i, month) in months.iter().enumerate() {
                if month.as_str() < period.from.as_str() {
                    continue;
                }
                let (value, status) = match by_month.get(month) {
                    Some(c) => (c.value, c.status),
                    None => (Some(0), sdc::Status::Zero),
                };
                let previous = i.checked_sub(1).and_then(|p| published(&months[p]));
                let change = match (value, previous) {
                    (Some(v), Some(p)) => Some(v as i64 - p as i64),
                    _ => None,
                };
                let history: Vec<f64> = months[i.saturating_sub(6)..i]
                    .iter()
                    .filter_map(|m| published(m))
                    .map(|v| v as f64)
                    .collect();
                let usual_high = (history.len() >= 3).then(|| {
                    let mean = history.iter().sum::<f64>() / history.len() as f64;
                    let var = history.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
                        / history.len() as f64;
                    mean + 2.0 * var.sqrt()
                });
                let flagged = match (value, usual_high) {
                    (Some(v), Some(high)) => v as f64 > high && status == sdc::Status::Published,
                    _ => false,
                };
                out.push(EmergingNeed {
                    tenant_id,
                    territory: territory.clone(),
                    need: need.clone(),
                    month: month.clone(),
                    value,
                    status,
                    change,
                    usual_high,
                    flagged,
                });
            }
        }
        Ok(out)
    }

    async fn export_indicators(&self, ctx: &Context, req: ExportQuery) -> Result<ExportFile> {
        let period = Months::of(&req.period)?;
        let (tenant, tx) = self.tenant_tx(ctx).await?;
        let indicators = self.indicators_in(&tx, ctx, tenant, &period).await?;
        tx.commit().await?;
        export::indicators(req.format, &period.from, &period.to, &indicators)
    }
}

/// The lines of the complementary suppression: each tenant's total ('*') and its
/// municipalities, per month and category.
fn lines_of(meta: &[(Uuid, String, String, String)]) -> Vec<sdc::Line> {
    type Group = (Option<usize>, Vec<usize>);
    let mut groups: BTreeMap<(Uuid, &str, &str), Group> = BTreeMap::new();
    for (i, (tenant, territory, month, category)) in meta.iter().enumerate() {
        let entry = groups
            .entry((*tenant, month.as_str(), category.as_str()))
            .or_default();
        if territory == "*" {
            entry.0 = Some(i);
        } else {
            entry.1.push(i);
        }
    }
    groups
        .into_values()
        .filter_map(|(total, parts)| total.map(|total| sdc::Line { total, parts }))
        .collect()
}

/// A validated period.
struct Months {
    from: String,
    to: String,
}

impl Months {
    fn of(period: &Period) -> Result<Self> {
        let today = Utc::now().date_naive();
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
            return Err(Error::invalid("from", "the period starts after it ends"));
        }
        let span = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
        if span >= MAX_MONTHS {
            return Err(Error::invalid("from", "a period spans at most 36 months"));
        }
        Ok(Self {
            from: from.format("%Y-%m").to_string(),
            to: to.format("%Y-%m").to_string(),
        })
    }
}

fn parse_month(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "give a month as YYYY-MM"))
}

fn add_months(date: NaiveDate, months: i32) -> Result<NaiveDate> {
    let total = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .ok_or_else(|| Error::internal("month out of range"))
}

fn shift_month(month: &str, by: i32) -> Result<String> {
    Ok(add_months(parse_month("from", month)?, by)?
        .format("%Y-%m")
        .to_string())
}

fn month_range(from: &str, to: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut m = parse_month("from", from)?;
    let end = parse_month("to", to)?;
    while m <= end {
        out.push(m.format("%Y-%m").to_string());
        m = add_months(m, 1)?;
    }
    Ok(out)
}

/// The anonymised fact of one event: only these fields are kept from the typed record.
struct Fact {
    tenant: Uuid,
    event: Uuid,
    kind: EventKind,
    person: String,
    day: String,
    month: String,
    territory: String,
    age_band: String,
    sex: String,
    country_of_birth: String,
    need: Option<String>,
    intervention: Option<String>,
    status: Option<String>,
    case_key: Option<String>,
}

/// Codes are short and plain; anything else is not a code and is not kept.
fn code(value: Option<String>) -> Option<String> {
    value.filter(|v| {
        v.len() <= 40
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '+')
    })
}

impl Fact {
    /// The fact of an event, from whichever producer; `None` for a payload that is not a record
    /// of a known event type, or whose territory or age band is not a code.
    fn parse(envelope: &Envelope) -> Option<Self> {
        let record = Record::from_payload(&envelope.payload)?;
        let kind = record.event.kind();
        // The outbox row and its payload name the same event, or the entry is not readable.
        if EventKind::parse(&envelope.event_type) != Some(kind) {
            return None;
        }
        let case_key = record.event.case().map(|c| c.as_str().to_owned());
        let (need, intervention, status) = match record.event {
            Event::NeedRecorded { need, .. } => (Some(need), None, None),
            Event::InterventionDone { intervention } => (None, Some(intervention), None),
            Event::CaseStatusChanged { status, .. } | Event::ReferralChanged { status } => {
                (None, None, Some(status))
            }
            Event::CaseOpened { .. }
            | Event::CaseClosed { .. }
            | Event::CaseReopened { .. }
            | Event::HousingPlacementStarted { .. } => (None, None, None),
        };
        let subject = record.subject;
        Some(Fact {
            tenant: envelope.tenant_id,
            event: envelope.id,
            kind,
            person: subject.person.into_string(),
            day: record.occurred_on.format("%Y-%m-%d").to_string(),
            month: record.occurred_on.format("%Y-%m").to_string(),
            territory: code(Some(subject.territory))?,
            age_band: code(Some(subject.age_band))?,
            sex: code(subject.sex).unwrap_or_else(|| "unknown".into()),
            country_of_birth: code(subject.country_of_birth).unwrap_or_else(|| "unknown".into()),
            need: code(need),
            intervention: code(intervention),
            status: code(status),
            case_key,
        })
    }

    /// The cells this fact counts its person in: people reached, and the need, intervention or
    /// new case, at municipality level and at the tenant's ('*').
    fn cells(&self) -> Vec<CellKey> {
        let mut measures = vec![("people", String::new())];
        match (self.kind, &self.need, &self.intervention) {
            (EventKind::NeedRecorded, Some(need), _) => measures.push(("need", need.clone())),
            (EventKind::InterventionDone, _, Some(kind)) => {
                measures.push(("intervention", kind.clone()))
            }
            (EventKind::CaseOpened, _, _) => measures.push(("new_case", String::new())),
            _ => {}
        }
        let mut out = Vec::with_capacity(measures.len() * 2);
        for (measure, category) in measures {
            for territory in [self.territory.as_str(), "*"] {
                out.push(CellKey {
                    tenant: self.tenant,
                    measure,
                    territory: territory.to_owned(),
                    month: self.month.clone(),
                    category: category.clone(),
                });
            }
        }
        out
    }
}

/// Rows per multi-row statement (well under both backends' limits on parameters).
const CHUNK: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct CellKey {
    tenant: Uuid,
    measure: &'static str,
    territory: String,
    month: String,
    category: String,
}

/// `(?, ?, …), (?, ?, …)`: `rows` groups of `columns` placeholders.
/// The condition that keeps a territory-limited actor's counts to the people followed in their
/// territories (facts carry the person's territory), and its values; nothing for other actors.
fn within_territories(ctx: &Context) -> (String, Vec<Value>) {
    let codes = &ctx.actor.territories;
    if codes.is_empty() {
        return (String::new(), Vec::new());
    }
    let condition = format!(" AND territory IN {}", placeholders(1, codes.len()));
    (condition, codes.iter().map(|c| c.clone().into()).collect())
}

fn placeholders(rows: usize, columns: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(", "));
    vec![one; rows].join(", ")
}

/// The record key of a person for the cell-key perturbation.
fn record_key(tenant: Uuid, person: &str) -> u64 {
    sdc::record_key(&Sha256::digest(
        [tenant.as_bytes().as_slice(), person.as_bytes()].concat(),
    ))
}

/// Stores new facts, their people's membership of cells, and the cells' counts and keys, with a
/// few multi-row statements per batch.
async fn store_facts(tx: &Tx, facts: &[Fact]) -> Result<()> {
    for chunk in facts.chunks(CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|f| {
                [
                    f.tenant.into(),
                    f.event.into(),
                    f.kind.as_str().into(),
                    f.person.clone().into(),
                    f.day.clone().into(),
                    f.month.clone().into(),
                    f.territory.clone().into(),
                    f.age_band.clone().into(),
                    f.sex.clone().into(),
                    f.country_of_birth.clone().into(),
                    f.need.clone().into(),
                    f.intervention.clone().into(),
                    f.status.clone().into(),
                    f.case_key.clone().into(),
                ]
            })
            .collect();
        exec(
            tx,
            &format!(
                "INSERT INTO facts (tenant_id, event_id, event_type, person, day, month, territory, \
                 age_band, sex, country_of_birth, need, intervention, status, case_key) VALUES {} \
                 ON CONFLICT DO NOTHING",
                placeholders(chunk.len(), 14)
            ),
            values,
        )
        .await?;
    }
    // Each person once per cell; the insert returns the memberships that are new.
    let mut members: BTreeMap<(CellKey, String), u64> = BTreeMap::new();
    for fact in facts {
        let key = record_key(fact.tenant, &fact.person);
        for cell in fact.cells() {
            members.insert((cell, fact.person.clone()), key);
        }
    }
    let members: Vec<_> = members.into_iter().collect();
    let mut added: BTreeMap<CellKey, (i64, u64)> = BTreeMap::new();
    for chunk in members.chunks(CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|((c, person), _)| {
                [
                    c.tenant.into(),
                    c.measure.into(),
                    c.territory.clone().into(),
                    c.month.clone().into(),
                    c.category.clone().into(),
                    person.clone().into(),
                ]
            })
            .collect();
        let rows = query(
            tx,
            &format!(
                "INSERT INTO cell_members (tenant_id, measure, territory, month, category, person) \
                 VALUES {} ON CONFLICT DO NOTHING \
                 RETURNING tenant_id, measure, territory, month, category, person",
                placeholders(chunk.len(), 6)
            ),
            values,
        )
        .await?;
        let keys: HashMap<(&CellKey, &str), u64> = chunk
            .iter()
            .map(|((c, person), key)| ((c, person.as_str()), *key))
            .collect();
        for row in rows {
            let measure: String = row.try_get_by_index(1)?;
            let cell = CellKey {
                tenant: row.try_get_by_index(0)?,
                measure: ["people", "need", "intervention", "new_case"]
                    .into_iter()
                    .find(|m| *m == measure)
                    .ok_or_else(|| Error::internal("unknown measure returned"))?,
                territory: row.try_get_by_index(2)?,
                month: row.try_get_by_index(3)?,
                category: row.try_get_by_index(4)?,
            };
            let person: String = row.try_get_by_index(5)?;
            let key = keys
                .get(&(&cell, person.as_str()))
                .copied()
                .ok_or_else(|| Error::internal("unexpected member returned"))?;
            let entry = added.entry(cell).or_insert((0, 0));
            entry.0 += 1;
            entry.1 = sdc::add_record_key(entry.1, key);
        }
    }
    let added: Vec<_> = added.into_iter().collect();
    for chunk in added.chunks(CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|(c, (people, key))| {
                [
                    c.tenant.into(),
                    c.measure.into(),
                    c.territory.clone().into(),
                    c.month.clone().into(),
                    c.category.clone().into(),
                    (*people).into(),
                    (*key as i64).into(),
                ]
            })
            .collect();
        exec(
            tx,
            &format!(
                "INSERT INTO cells (tenant_id, measure, territory, month, category, people, cell_key) \
                 VALUES {} ON CONFLICT (tenant_id, measure, territory, month, category) DO UPDATE SET \
                 people = cells.people + excluded.people, \
                 cell_key = (cells.cell_key + excluded.cell_key) % 2147483648",
                placeholders(chunk.len(), 7)
            ),
            values,
        )
        .await?;
    }
    Ok(())
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

async fn exec(tx: &Tx, sql: &str, values: Vec<Value>) -> Result<u64> {
    let backend = tx.conn().get_database_backend();
    Ok(tx
        .conn()
        .execute_raw(statement(backend, sql, values))
        .await?
        .rows_affected())
}

async fn query(tx: &Tx, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>> {
    let backend = tx.conn().get_database_backend();
    Ok(tx
        .conn()
        .query_all_raw(statement(backend, sql, values))
        .await?)
}
