//! GraphQL types and operations of the analytics service: tenant indicators and breakdowns, the
//! cross-territory dashboard under disclosure control, emerging needs, exports.

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use sportello_analytics::{self as analytics, Period};
use sportello_kernel::TenantId;

use super::ids::{Kind, encode};
use super::{GqlResult, IntoGql, services};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Measure", remote = "sportello_analytics::Measure")]
pub enum Measure {
    PeopleReached,
    NewCases,
    Needs,
    Interventions,
    Referrals,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Dimension", remote = "sportello_analytics::Dimension")]
pub enum Dimension {
    Territory,
    Month,
    Sex,
    AgeBand,
    CountryOfBirth,
    Need,
    Intervention,
    ReferralStatus,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SharedViewKind", remote = "sportello_analytics::SharedView")]
pub enum SharedViewKind {
    PeopleByTerritoryMonth,
    NeedsByTerritoryMonth,
    InterventionsByTerritoryMonth,
    NewCasesByTerritoryMonth,
    /// Distinct people whose household's housing placement started, by municipality and month.
    HousedByTerritoryMonth,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TerritoryLevel", remote = "sportello_analytics::Level")]
pub enum TerritoryLevel {
    Municipality,
    Consortium,
}

/// How a cell of the shared dashboard is shown.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CellStatus", remote = "sportello_analytics::CellStatus")]
pub enum CellStatus {
    /// A count, perturbed by a small deterministic noise.
    Published,
    /// Nobody: shown as 0.
    Zero,
    /// Not shown: too few people, or hidden so that totals cannot give another cell back. Which
    /// of the two is never told (that would narrow both); a suppressed cell may even be 0.
    Suppressed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ExportFormat", remote = "sportello_analytics::ExportFormat")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// One of the tenant's indicators, against its target when one is set.
#[derive(SimpleObject)]
pub struct Indicator {
    /// PEOPLE_REACHED, IN_INTEGRATION_PATH, NEW_CASES, ACTIVE_CASES, NEEDS_RECORDED,
    /// INTERVENTIONS, REFERRALS_COMPLETED.
    code: String,
    value: u64,
    target: Option<u64>,
    /// Share of the target reached (1.0 = reached).
    progress: Option<f64>,
}

impl From<analytics::Indicator> for Indicator {
    fn from(i: analytics::Indicator) -> Self {
        Self {
            progress: i.progress(),
            code: i.code,
            value: i.value,
            target: i.target,
        }
    }
}

/// One row of a breakdown of the tenant's own figures.
#[derive(SimpleObject)]
pub struct StatRow {
    /// The values of the dimensions asked for, in their order.
    keys: Vec<String>,
    value: u64,
}

/// Disclosure-control parameters in force.
#[derive(SimpleObject)]
pub struct DisclosureControl {
    threshold: u64,
    special_threshold: u64,
    max_noise: u64,
}

/// One cell of a shared view. `value` is null when the cell is suppressed: never read it as 0.
#[derive(SimpleObject)]
pub struct SharedCell {
    /// The tenant (consortium or municipality) the cell belongs to.
    tenant_id: ID,
    tenant_name: String,
    /// ISTAT code at municipality level; null at consortium level.
    territory: Option<String>,
    month: String,
    /// Need category or intervention kind (lower-case code), for views that have one.
    category: Option<String>,
    value: Option<u64>,
    suppressed: bool,
    status: CellStatus,
}

#[derive(SimpleObject)]
pub struct SharedTable {
    view: SharedViewKind,
    level: TerritoryLevel,
    from: String,
    to: String,
    disclosure: DisclosureControl,
    cells: Vec<SharedCell>,
}

/// A need in a municipality and month, with its trend; `flagged` when it grew beyond its usual
/// range.
#[derive(SimpleObject)]
pub struct EmergingNeed {
    tenant_name: String,
    territory: String,
    need: String,
    month: String,
    value: Option<u64>,
    suppressed: bool,
    change: Option<i64>,
    usual_high: Option<f64>,
    flagged: bool,
}

/// A file to download.
#[derive(SimpleObject)]
pub struct ExportFile {
    pub filename: String,
    pub content_type: String,
    /// The file's bytes, base64-encoded.
    pub content_base64: String,
}

fn period(from: Option<String>, to: Option<String>) -> Period {
    Period { from, to }
}

fn suppressed(status: analytics::CellStatus) -> bool {
    status.is_suppressed()
}

async fn tenant_names(
    ctx: &Context<'_>,
    ids: impl Iterator<Item = uuid::Uuid>,
) -> GqlResult<HashMap<uuid::Uuid, String>> {
    let (svc, rc) = services(ctx)?;
    let mut ids: Vec<TenantId> = ids.map(TenantId).collect();
    ids.sort();
    ids.dedup();
    let found = svc.tenancy.tenant_names(&rc.ctx, ids).await.gql()?;
    Ok(found.into_iter().map(|t| (t.id.uuid(), t.name)).collect())
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// The active tenant's indicators over the period (months `YYYY-MM`; by default the last
    /// twelve), with their targets. Tenant staff.
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
    ) -> GqlResult<Vec<Indicator>> {
        let (svc, rc) = services(ctx)?;
        let out = svc
            .analytics
            .indicators(&rc.ctx, period(from, to))
            .await
            .gql()?;
        Ok(out.into_iter().map(Indicator::from).collect())
    }

    /// Approved volunteer hours over the period (months `YYYY-MM`; by default the last twelve)
    /// by skill code and municipality (ISTAT code), from the volunteers' events. Tenant staff.
    async fn volunteer_hours(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
    ) -> GqlResult<Vec<VolunteerHours>> {
        let (svc, rc) = services(ctx)?;
        let rows = svc
            .analytics
            .volunteer_hours(&rc.ctx, period(from, to))
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|r| VolunteerHours {
                skill: r.skill,
                territory: r.territory,
                minutes: i64::try_from(r.minutes).unwrap_or(i64::MAX),
            })
            .collect())
    }

    /// The active tenant's own figures broken down by up to three dimensions. Tenant staff.
    /// Operators and coordinators get exact counts of the people they may see (a
    /// territory-limited operator: of the people followed in their territories). Roles that see
    /// no case data (tenant administrators) get the small-cell protection of the shared views:
    /// no row counting fewer people than the threshold, the others perturbed.
    async fn tenant_statistics(
        &self,
        ctx: &Context<'_>,
        measure: Measure,
        by: Vec<Dimension>,
        from: Option<String>,
        to: Option<String>,
    ) -> GqlResult<Vec<StatRow>> {
        let (svc, rc) = services(ctx)?;
        let req = analytics::StatisticsQuery {
            measure: measure.into(),
            by: by.into_iter().map(Into::into).collect(),
            period: period(from, to),
        };
        let rows = svc.analytics.statistics(&rc.ctx, req).await.gql()?;
        Ok(rows
            .into_iter()
            .map(|r| StatRow {
                keys: r.keys,
                value: r.value,
            })
            .collect())
    }

    /// A predefined view of the cross-territory dashboard, every tenant of the network, under
    /// disclosure control. Every member of a tenant, table members included.
    async fn shared_view(
        &self,
        ctx: &Context<'_>,
        view: SharedViewKind,
        level: Option<TerritoryLevel>,
        from: Option<String>,
        to: Option<String>,
    ) -> GqlResult<SharedTable> {
        let (svc, rc) = services(ctx)?;
        let req = analytics::SharedQuery {
            view: view.into(),
            level: level.map(Into::into),
            period: period(from, to),
        };
        let table = svc.analytics.shared_view(&rc.ctx, req).await.gql()?;
        let names = tenant_names(ctx, table.cells.iter().map(|c| c.tenant_id)).await?;
        Ok(SharedTable {
            view: table.view.into(),
            level: table.level.into(),
            from: table.from,
            to: table.to,
            disclosure: DisclosureControl {
                threshold: table.params.threshold,
                special_threshold: table.params.special_threshold,
                max_noise: table.params.max_noise,
            },
            cells: table
                .cells
                .into_iter()
                .map(|c| SharedCell {
                    tenant_id: encode(Kind::Tenant, c.tenant_id),
                    tenant_name: names.get(&c.tenant_id).cloned().unwrap_or_default(),
                    territory: c.territory,
                    month: c.month,
                    category: c.category,
                    value: c.value,
                    suppressed: suppressed(c.status),
                    status: c.status.into(),
                })
                .collect(),
        })
    }

    /// Needs by municipality and month with their trend, built from the protected view only.
    async fn emerging_needs(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
        #[graphql(desc = "Only the months flagged as growing beyond the usual range.")]
        flagged_only: Option<bool>,
    ) -> GqlResult<Vec<EmergingNeed>> {
        let (svc, rc) = services(ctx)?;
        let rows = svc
            .analytics
            .emerging_needs(
                &rc.ctx,
                analytics::EmergingQuery {
                    period: period(from, to),
                    flagged_only: flagged_only.unwrap_or(false),
                },
            )
            .await
            .gql()?;
        let names = tenant_names(ctx, rows.iter().map(|r| r.tenant_id)).await?;
        Ok(rows
            .into_iter()
            .map(|r| EmergingNeed {
                tenant_name: names.get(&r.tenant_id).cloned().unwrap_or_default(),
                territory: r.territory,
                need: r.need,
                month: r.month,
                value: r.value,
                suppressed: suppressed(r.status),
                change: r.change,
                usual_high: r.usual_high,
                flagged: r.flagged,
            })
            .collect())
    }

    /// The indicator table as CSV or XLSX. Tenant staff.
    async fn indicator_export(
        &self,
        ctx: &Context<'_>,
        format: ExportFormat,
        from: Option<String>,
        to: Option<String>,
    ) -> GqlResult<ExportFile> {
        let (svc, rc) = services(ctx)?;
        let req = analytics::ExportQuery {
            format: format.into(),
            period: period(from, to),
        };
        let file = svc.analytics.export_indicators(&rc.ctx, req).await.gql()?;
        Ok(ExportFile {
            filename: file.filename,
            content_type: file.content_type,
            content_base64: file.content_base64,
        })
    }
}

#[derive(Default)]
pub struct AnalyticsMutation;

#[Object]
impl AnalyticsMutation {
    /// Sets an indicator's target, or removes it with a null target. Tenant administrators and
    /// coordinators.
    async fn set_indicator_target(
        &self,
        ctx: &Context<'_>,
        code: String,
        target: Option<u64>,
    ) -> GqlResult<Indicator> {
        let (svc, rc) = services(ctx)?;
        let req = analytics::SetTarget { code, target };
        svc.analytics
            .set_indicator_target(&rc.ctx, req)
            .await
            .gql()
            .map(Indicator::from)
    }
}

/// Approved volunteer hours of one skill in one municipality.
#[derive(async_graphql::SimpleObject)]
pub struct VolunteerHours {
    /// Skill code of the tasks (`OTHER` for hours not tied to a task).
    pub skill: String,
    /// ISTAT code of the municipality (empty when none was named).
    pub territory: String,
    /// Minutes approved.
    pub minutes: i64,
}
