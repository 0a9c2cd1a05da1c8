//! A tenant's own indicators, targets and statistics.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::Value;
use sportello_kernel::db::Tx;
use sportello_kernel::events::EventKind;
use sportello_kernel::{Context, Error, Result};

use super::ingest::record_key;
use super::{AnalyticsService, Months, SPECIAL_NEEDS, placeholders};
use crate::interface::*;
use crate::sdc;

/// Indicators, in display order, with the targets every tenant starts with. The targets of the
/// volunteers' indicators are the figures of the programme that set up the register (issue 15):
/// at least 20 active citizens involved, 96 operators trained, 4 co-design workshops. Those of
/// housing are the experimental social-housing programme's (issue 16): 10 families housed, at
/// least 14 families supported in their path to housing autonomy.
pub const INDICATORS: [(&str, Option<u64>); 30] = [
    ("PEOPLE_REACHED", Some(150)),
    ("IN_INTEGRATION_PATH", Some(30)),
    ("NEW_CASES", None),
    ("ACTIVE_CASES", None),
    ("NEEDS_RECORDED", None),
    ("INTERVENTIONS", None),
    ("REFERRALS_COMPLETED", None),
    ("ACTIVE_VOLUNTEERS", Some(20)),
    ("VOLUNTEER_HOURS", None),
    ("OPERATORS_TRAINED", Some(96)),
    ("CODESIGN_WORKSHOPS", Some(4)),
    ("ACTIVE_PACTS", None),
    ("FAMILIES_HOUSED", Some(10)),
    ("FAMILIES_SUPPORTED", Some(14)),
    ("OCCUPIED_BEDS", None),
    ("VACANT_BEDS", None),
    ("OCCUPANCY_RATE", None),
    ("AVERAGE_STAY_DAYS", None),
    ("AUTONOMY_AT_EXIT", None),
    ("HOUSED_AT_6_MONTHS", None),
    ("HOUSED_AT_12_MONTHS", None),
    ("MEDIATION_REQUESTS", None),
    ("MEDIATION_ACTIVATION_MEDIAN_MINUTES", None),
    ("MEDIATION_ACTIVATION_P90_MINUTES", None),
    ("MEDIATION_WITHIN_TARGET", None),
    ("LEGAL_CONSULTATIONS", None),
    ("LEGAL_RESPONSE_MEDIAN_MINUTES", None),
    ("LEGAL_RESPONSE_WITHIN_TARGET", None),
    ("PROCEDURES_STARTED", None),
    ("PROCEDURES_COMPLETED", None),
];

impl AnalyticsService {
    async fn indicator_values(&self, tx: &Tx, ctx: &Context, period: &Months) -> Result<Vec<u64>> {
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
        values.extend([period.from.clone().into(), period.to.clone().into()]);
        values.extend(territories.clone());
        let rows = tx
            .query_scoped(
                &format!(
                    "SELECT COUNT(DISTINCT person), \
                 COUNT(DISTINCT CASE WHEN event_type = ? AND status = 'active' THEN person END), \
                 COUNT(CASE WHEN event_type = ? THEN 1 END), \
                 COUNT(CASE WHEN event_type = ? THEN 1 END), \
                 COUNT(CASE WHEN event_type = ? THEN 1 END), \
                 COUNT(CASE WHEN event_type = ? AND status = 'completed' THEN 1 END) \
                 FROM facts WHERE tenant_id = :tenant AND month >= ? AND month <= ?{within}"
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
        let mut values = vec![period.to.clone().into()];
        values.extend(territories);
        let lifecycle = tx.query_scoped(
            &format!(
                "SELECT case_key, event_type FROM facts WHERE tenant_id = :tenant AND month <= ? \
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
        let mut out = vec![
            people,
            integration,
            new_cases,
            active,
            needs,
            interventions,
            referrals,
        ];
        out.extend(self.activity_values(tx, ctx, period).await?);
        out.extend(housing_values(tx, ctx, period).await?);
        out.extend(oncall_values(tx, ctx, period).await?);
        Ok(out)
    }

    /// The volunteers' indicators over `period`, from the activity facts (never from the facts
    /// about persons served), within a territory-limited actor's territories: active volunteers
    /// at the end of the period (their latest status up to then is `ACTIVE`), hours approved in
    /// it (minutes summed, rounded to the nearest hour), distinct operators who completed a
    /// course in it, distinct co-design workshop sessions held in it (attendance recorded), and
    /// pacts in force at its end (latest status `ACTIVE` or `RENEWED`, and its period not over
    /// by the last day of the period's last month).
    async fn activity_values(&self, tx: &Tx, ctx: &Context, period: &Months) -> Result<[u64; 5]> {
        let (within, territories) = within_territories(ctx);
        let last_day = format!("{}-31", period.to);
        // Latest status per volunteer and per pact up to the end of the period.
        let mut values: Vec<Value> = vec![
            EventKind::VolunteerStatusChanged.as_str().into(),
            EventKind::PactStatusChanged.as_str().into(),
            period.to.clone().into(),
        ];
        values.extend(territories.clone());
        let rows = tx
            .query_scoped(
                &format!(
                    "SELECT event_type, subject, category, until_day FROM activity_facts \
                     WHERE tenant_id = :tenant AND event_type IN (?, ?) AND month <= ?{within} \
                     ORDER BY event_id"
                ),
                values,
            )
            .await?;
        let mut volunteers: HashMap<String, bool> = HashMap::new();
        let mut pacts: HashMap<String, bool> = HashMap::new();
        for row in &rows {
            let kind: String = row.try_get_by_index(0)?;
            let subject: String = row.try_get_by_index(1)?;
            let status: String = row.try_get_by_index(2)?;
            let until: Option<String> = row.try_get_by_index(3)?;
            if kind == EventKind::VolunteerStatusChanged.as_str() {
                volunteers.insert(subject, status == "ACTIVE");
            } else {
                // In force on the period's last day: a period ending inside the month ended
                // before it ("YYYY-MM-31" sorts after every day of the month).
                let in_force = until.is_none_or(|day| day > last_day);
                pacts.insert(
                    subject,
                    (status == "ACTIVE" || status == "RENEWED") && in_force,
                );
            }
        }
        let mut values: Vec<Value> = vec![
            EventKind::HoursApproved.as_str().into(),
            EventKind::CourseCompleted.as_str().into(),
            EventKind::AttendanceRecorded.as_str().into(),
            period.from.clone().into(),
            period.to.clone().into(),
        ];
        values.extend(territories);
        let rows = tx
            .query_scoped(
                &format!(
                    "SELECT \
                     COALESCE(SUM(CASE WHEN event_type = ? THEN minutes ELSE 0 END), 0), \
                     COUNT(DISTINCT CASE WHEN event_type = ? AND category = 'OPERATORS' THEN subject END), \
                     COUNT(DISTINCT CASE WHEN event_type = ? AND course_kind = 'WORKSHOP' THEN session_key END) \
                     FROM activity_facts WHERE tenant_id = :tenant AND month >= ? AND month <= ?{within}"
                ),
                values,
            )
            .await?;
        let row = rows
            .first()
            .ok_or_else(|| Error::internal("no counts returned"))?;
        let number = |i: usize| -> Result<u64> {
            let n: i64 = row.try_get_by_index(i)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let minutes = number(0)?;
        Ok([
            volunteers.values().filter(|active| **active).count() as u64,
            (minutes + 30) / 60,
            number(1)?,
            number(2)?,
            pacts.values().filter(|active| **active).count() as u64,
        ])
    }

    /// Approved volunteer hours over the period by skill and municipality, within a
    /// territory-limited actor's territories; minutes, skill then territory order.
    pub(super) async fn volunteer_hours(
        &self,
        ctx: &Context,
        period: &Period,
    ) -> Result<Vec<HoursRow>> {
        let period = Months::of(period, ctx.today())?;
        let (within, territories) = within_territories(ctx);
        let mut values: Vec<Value> = vec![
            EventKind::HoursApproved.as_str().into(),
            period.from.into(),
            period.to.into(),
        ];
        values.extend(territories);
        let tx = self.tenant_tx(ctx).await?;
        let rows = tx
            .query_scoped(
                &format!(
                    "SELECT category, territory, SUM(minutes) FROM activity_facts \
                     WHERE tenant_id = :tenant AND event_type = ? AND month >= ? AND month <= ?{within} \
                     GROUP BY category, territory ORDER BY category, territory"
                ),
                values,
            )
            .await?;
        tx.finish().await?;
        rows.iter()
            .map(|row| {
                let minutes: i64 = row.try_get_by_index(2)?;
                Ok(HoursRow {
                    skill: row.try_get_by_index(0)?,
                    territory: row.try_get_by_index(1)?,
                    minutes: u64::try_from(minutes).unwrap_or(0),
                })
            })
            .filter(|r: &Result<HoursRow>| r.as_ref().map_or(true, |r| r.minutes > 0))
            .collect()
    }

    async fn targets(&self, tx: &Tx) -> Result<HashMap<String, Option<u64>>> {
        let rows = tx
            .query_scoped(
                "SELECT code, target FROM targets WHERE tenant_id = :tenant",
                vec![],
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

    pub(super) async fn indicators_in(
        &self,
        tx: &Tx,
        ctx: &Context,
        period: &Months,
    ) -> Result<Vec<Indicator>> {
        let values = self.indicator_values(tx, ctx, period).await?;
        let targets = self.targets(tx).await?;
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

    pub(super) async fn statistics_of(
        &self,
        ctx: &Context,
        req: StatisticsQuery,
    ) -> Result<Vec<StatRow>> {
        let period = Months::of(&req.period, ctx.today())?;
        if req.by.len() > 3 {
            return Err(Error::on(
                "by",
                sportello_kernel::Reason::TooMany { max: 3 },
            ));
        }
        let by = req.by.clone();
        if by.iter().collect::<HashSet<_>>().len() != by.len() {
            return Err(Error::on("by", sportello_kernel::Reason::Repeated));
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
        let mut values = vec![period.from.into(), period.to.into()];
        values.extend(kind.map(|k| k.as_str().into()));
        values.extend(territories);
        if !ctx.sees_case_data() {
            return self
                .protected_statistics(
                    ctx,
                    req.measure,
                    &by,
                    &columns,
                    &format!("{filter}{within}"),
                    values,
                )
                .await;
        }
        let sql = format!(
            "SELECT {select}{aggregate} FROM facts WHERE tenant_id = :tenant AND month >= ? AND month <= ?{filter}{within}{group}"
        );
        let tx = self.tenant_tx(ctx).await?;
        let rows = tx.query_scoped(&sql, values).await?;
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

    /// The breakdown for an actor who sees no case data (a tenant administrator): the
    /// small-cell protection of the shared views, row by row. A row counting fewer people than
    /// the threshold (the special threshold for a health or legal need) is left out, like a
    /// zero; the others show their count perturbed by the cell-key noise of its people
    /// (`sdc::noise`), never below the threshold, so that the same people always read the same
    /// and breakdowns cannot be subtracted from each other to single anyone out.
    async fn protected_statistics(
        &self,
        ctx: &Context,
        measure: Measure,
        by: &[Dimension],
        columns: &[&str],
        conditions: &str,
        values: Vec<Value>,
    ) -> Result<Vec<StatRow>> {
        let tenant = ctx.tenant()?.uuid();
        let select: String = columns.iter().map(|c| format!("{c}, ")).collect();
        let group: String = columns.iter().map(|c| format!("{c}, ")).collect();
        let sql = format!(
            "SELECT {select}person, COUNT(*) FROM facts WHERE tenant_id = :tenant AND month >= ? \
             AND month <= ?{conditions} GROUP BY {group}person"
        );
        let tx = self.tenant_tx(ctx).await?;
        let rows = tx.query_scoped(&sql, values).await?;
        tx.commit().await?;
        // Per row of the breakdown: distinct people, facts, and the cell key of its people.
        let mut cells: BTreeMap<Vec<String>, (u64, u64, u64)> = BTreeMap::new();
        for row in &rows {
            let keys = (0..columns.len())
                .map(|i| row.try_get_by_index::<String>(i))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let person: String = row.try_get_by_index(columns.len())?;
            let facts: i64 = row.try_get_by_index(columns.len() + 1)?;
            let cell = cells.entry(keys).or_default();
            cell.0 += 1;
            cell.1 += u64::try_from(facts).unwrap_or(0);
            cell.2 = sdc::add_record_key(cell.2, record_key(tenant, &person));
        }
        let need = by.iter().position(|d| *d == Dimension::Need);
        Ok(cells
            .into_iter()
            .filter_map(|(keys, (people, facts, cell_key))| {
                let special = need.is_some_and(|i| SPECIAL_NEEDS.contains(&keys[i].as_str()));
                let threshold = if special {
                    self.params.special_threshold
                } else {
                    self.params.threshold
                };
                if people < threshold.max(1) {
                    return None;
                }
                let count = if measure == Measure::PeopleReached {
                    people
                } else {
                    facts
                };
                let noise = sdc::noise(count, cell_key, self.params.max_noise);
                let value = (i128::from(count) + i128::from(noise)).max(i128::from(threshold));
                Some(StatRow {
                    keys,
                    value: u64::try_from(value).unwrap_or(u64::MAX),
                })
            })
            .collect())
    }
}

/// The condition that keeps a territory-limited actor's counts to the people followed in their
/// territories (facts carry the person's territory), and its values; nothing for other actors.
impl AnalyticsService {
    /// One person's facts by kind and month, within the actor's territories (each fact
    /// carries the person's territory), and their latest decision on anonymised statistics.
    pub(super) async fn person_facts(
        &self,
        ctx: &Context,
        req: PersonFactsQuery,
    ) -> Result<PersonFacts> {
        let tx = self.tenant_tx(ctx).await?;
        let (within, territories) = within_territories(ctx);
        let mut values: Vec<Value> = vec![req.pseudonym.clone().into()];
        values.extend(territories);
        let rows = tx
            .query_scoped(
                &format!(
                    "SELECT event_type, month, COUNT(*) FROM facts \
                     WHERE tenant_id = :tenant AND person = ?{within} \
                     GROUP BY event_type, month ORDER BY month, event_type"
                ),
                values,
            )
            .await?;
        let mut out = PersonFacts::default();
        for row in &rows {
            let count: i64 = row.try_get_by_index(2)?;
            out.rows.push(FactCount {
                kind: row.try_get_by_index(0)?,
                month: row.try_get_by_index(1)?,
                count: u64::try_from(count).unwrap_or(0),
            });
        }
        let consent = tx
            .query_scoped(
                "SELECT given FROM statistics_consent WHERE tenant_id = :tenant AND person = ?",
                vec![req.pseudonym.into()],
            )
            .await?;
        if let Some(row) = consent.first() {
            out.statistics_consent = Some(row.try_get_by_index(0)?);
        }
        tx.finish().await?;
        Ok(out)
    }
}

/// The on-call and procedure indicators over `period`, from their activity facts (counted by the
/// month the thing happened), within a territory-limited actor's territories:
///
/// - `MEDIATION_REQUESTS`: mediation requests made in the period;
/// - `MEDIATION_ACTIVATION_MEDIAN_MINUTES` / `MEDIATION_ACTIVATION_P90_MINUTES`: of the requests
///   confirmed in the period, the median and 90th percentile (nearest rank) of the whole
///   minutes from request to confirmation;
/// - `MEDIATION_WITHIN_TARGET` (per cent, rounded): of those, the share confirmed within the
///   tenant's target for their urgency;
/// - `LEGAL_CONSULTATIONS`: legal questions asked in the period;
/// - `LEGAL_RESPONSE_MEDIAN_MINUTES` / `LEGAL_RESPONSE_WITHIN_TARGET`: of the consultations
///   first answered in the period, the median minutes to the answer and the share within target;
/// - `PROCEDURES_STARTED` / `PROCEDURES_COMPLETED`: procedures started, and closed as completed,
///   in the period.
async fn oncall_values(tx: &Tx, ctx: &Context, period: &Months) -> Result<[u64; 9]> {
    let (within, territories) = within_territories(ctx);
    let mut values: Vec<Value> = EventKind::ONCALL
        .iter()
        .map(|k| k.as_str().into())
        .collect();
    values.extend([period.from.clone().into(), period.to.clone().into()]);
    values.extend(territories);
    let rows = tx
        .query_scoped(
            &format!(
                "SELECT event_type, course_kind, CAST(minutes AS BIGINT) FROM activity_facts \
                 WHERE tenant_id = :tenant AND event_type IN (?, ?, ?, ?, ?, ?) \
                 AND month >= ? AND month <= ?{within}"
            ),
            values,
        )
        .await?;
    let (mut requests, mut consultations, mut started, mut completed) = (0u64, 0u64, 0u64, 0u64);
    let (mut activation, mut response) = (Vec::new(), Vec::new());
    let (mut activation_within, mut response_within) = (0u64, 0u64);
    for row in &rows {
        let kind: String = row.try_get_by_index(0)?;
        let second: Option<String> = row.try_get_by_index(1)?;
        let minutes: i64 = row.try_get_by_index(2)?;
        let minutes = u64::try_from(minutes).unwrap_or(0);
        let met = second.as_deref() == Some("WITHIN");
        match EventKind::parse(&kind) {
            Some(EventKind::MediationRequested) => requests += 1,
            Some(EventKind::MediationConfirmed) => {
                activation.push(minutes);
                activation_within += u64::from(met);
            }
            Some(EventKind::LegalConsultationAsked) => consultations += 1,
            Some(EventKind::LegalConsultationAnswered) => {
                response.push(minutes);
                response_within += u64::from(met);
            }
            Some(EventKind::ProcedureStarted) => started += 1,
            Some(EventKind::ProcedureClosed) if second.as_deref() == Some("COMPLETED") => {
                completed += 1
            }
            _ => {}
        }
    }
    let share = |part: u64, all: usize| -> u64 {
        if all == 0 {
            0
        } else {
            (part * 100 + all as u64 / 2) / all as u64
        }
    };
    Ok([
        requests,
        nearest_rank(&mut activation, 50),
        nearest_rank(&mut activation, 90),
        share(activation_within, activation.len()),
        consultations,
        nearest_rank(&mut response, 50),
        share(response_within, response.len()),
        started,
        completed,
    ])
}

/// The `percent`th percentile of `values` by the nearest-rank method (0 for none).
fn nearest_rank(values: &mut [u64], percent: usize) -> u64 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    let rank = (percent * values.len())
        .div_ceil(100)
        .clamp(1, values.len());
    values[rank - 1]
}

fn within_territories(ctx: &Context) -> (String, Vec<Value>) {
    let codes = &ctx.actor.territories;
    if codes.is_empty() {
        return (String::new(), Vec::new());
    }
    let condition = format!(" AND territory IN {}", placeholders(1, codes.len()));
    (condition, codes.iter().map(|c| c.clone().into()).collect())
}

/// One placement as the housing facts tell it.
#[derive(Default)]
struct Stay {
    household: String,
    territory: String,
    start_month: String,
    beds: u64,
    /// `YYYY-MM-DD`: the planned move-out day, then the exit day.
    until: Option<String>,
    exited: bool,
}

/// The housing indicators over `period`, from the housing facts (stored with the activity
/// facts), within a territory-limited actor's territories:
///
/// - `FAMILIES_HOUSED`: distinct households whose placement started in the period;
/// - `FAMILIES_SUPPORTED`: distinct households applying or placed by the end of the period whose
///   placement had not ended before its start;
/// - `OCCUPIED_BEDS` / `VACANT_BEDS` / `OCCUPANCY_RATE` (per cent, rounded): beds of placements
///   started by the end of the period and not ended by its last day, against the beds of the
///   units open (available or occupied) at its end, as each unit last reported;
/// - `AVERAGE_STAY_DAYS`: mean days of the placements that ended in the period, rounded;
/// - `AUTONOMY_AT_EXIT` (per cent): of those, the share that left reaching housing autonomy;
/// - `HOUSED_AT_6_MONTHS` / `HOUSED_AT_12_MONTHS` (per cent): of the follow-ups recorded in the
///   period, the share of households still housed.
async fn housing_values(tx: &Tx, ctx: &Context, period: &Months) -> Result<[u64; 9]> {
    let (within, territories) = within_territories(ctx);
    let mut values: Vec<Value> = EventKind::HOUSING
        .iter()
        .map(|k| k.as_str().into())
        .collect();
    values.push(period.to.clone().into());
    values.extend(territories);
    let rows = tx
        .query_scoped(
            &format!(
                "SELECT event_type, subject, month, territory, category, course_kind, CAST(minutes AS BIGINT), \
                 session_key, until_day FROM activity_facts WHERE tenant_id = :tenant \
                 AND event_type IN (?, ?, ?, ?, ?, ?) AND month <= ?{within} ORDER BY event_id"
            ),
            values,
        )
        .await?;
    let first_day = format!("{}-01", period.from);
    let last_day = format!("{}-31", period.to);
    let mut stays: BTreeMap<String, Stay> = BTreeMap::new();
    let mut units: HashMap<String, (bool, u64)> = HashMap::new();
    let mut applicants: HashSet<String> = HashSet::new();
    let (mut exits, mut stay_days, mut autonomous) = (0u64, 0u64, 0u64);
    let mut follow_ups: HashMap<u64, (u64, u64)> = HashMap::new();
    for row in &rows {
        let kind: String = row.try_get_by_index(0)?;
        let subject: String = row.try_get_by_index(1)?;
        let month: String = row.try_get_by_index(2)?;
        let territory: String = row.try_get_by_index(3)?;
        let category: String = row.try_get_by_index(4)?;
        let outcome: Option<String> = row.try_get_by_index(5)?;
        let number: i64 = row.try_get_by_index(6)?;
        let number = u64::try_from(number).unwrap_or(0);
        let key: Option<String> = row.try_get_by_index(7)?;
        let until: Option<String> = row.try_get_by_index(8)?;
        let in_period = month >= period.from && month <= period.to;
        match EventKind::parse(&kind) {
            Some(EventKind::HousingApplicationMade) => {
                applicants.insert(subject);
            }
            Some(EventKind::HousingPlacementStarted) => {
                let stay = stays.entry(key.unwrap_or_default()).or_default();
                stay.household = subject;
                stay.territory = territory;
                stay.start_month = month;
                stay.beds = number;
                if !stay.exited {
                    stay.until = until;
                }
            }
            Some(EventKind::HousingPlacementExtended) => {
                let stay = stays.entry(key.unwrap_or_default()).or_default();
                if !stay.exited {
                    stay.until = until;
                }
            }
            // A placement cancelled before its first day never housed anyone.
            Some(EventKind::HousingPlacementEnded) if category == "CANCELLED" => {
                stays.remove(&key.unwrap_or_default());
            }
            Some(EventKind::HousingPlacementEnded) => {
                let stay = stays.entry(key.unwrap_or_default()).or_default();
                stay.exited = true;
                stay.until = until;
                if in_period {
                    exits += 1;
                    stay_days += number;
                    autonomous += u64::from(outcome.as_deref() == Some("AUTONOMY"));
                }
            }
            Some(EventKind::HousingFollowUpRecorded) if in_period => {
                let entry = follow_ups.entry(number).or_default();
                entry.0 += 1;
                entry.1 += u64::from(category == "HOUSED");
            }
            Some(EventKind::HousingUnitChanged) => {
                units.insert(subject, (category == "OPEN", number));
            }
            _ => {}
        }
    }
    let housed: HashSet<&str> = stays
        .values()
        .filter(|s| !s.start_month.is_empty() && s.start_month >= period.from)
        .map(|s| s.household.as_str())
        .collect();
    let mut supported: HashSet<&str> = applicants.iter().map(String::as_str).collect();
    for stay in stays.values().filter(|s| !s.start_month.is_empty()) {
        let ended_before = stay.exited
            && stay
                .until
                .as_deref()
                .is_some_and(|d| d < first_day.as_str());
        if ended_before {
            supported.remove(stay.household.as_str());
        } else {
            supported.insert(stay.household.as_str());
        }
    }
    let occupied: u64 = stays
        .values()
        .filter(|s| !s.start_month.is_empty())
        .filter(|s| s.until.as_deref().is_none_or(|d| d > last_day.as_str()))
        .map(|s| s.beds)
        .sum();
    let beds: u64 = units
        .values()
        .filter(|(open, _)| *open)
        .map(|(_, b)| *b)
        .sum();
    // Rounded to the nearest whole; 0 of nothing.
    let percent = |part: u64, whole: u64| (part * 100 + whole / 2).checked_div(whole).unwrap_or(0);
    let share_at = |months: u64| {
        follow_ups
            .get(&months)
            .map_or(0, |(all, housed)| percent(*housed, *all))
    };
    Ok([
        housed.len() as u64,
        supported.len() as u64,
        occupied,
        beds.saturating_sub(occupied),
        percent(occupied, beds),
        (stay_days + exits / 2).checked_div(exits).unwrap_or(0),
        percent(autonomous, exits),
        share_at(6),
        share_at(12),
    ])
}
