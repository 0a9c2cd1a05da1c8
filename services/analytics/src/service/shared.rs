//! The cross-territory views under disclosure control, and the emerging needs read from them.

use std::collections::{BTreeMap, HashMap};

use sportello_kernel::db::Scope;
use sportello_kernel::{Context, Result};
use uuid::Uuid;

use super::{AnalyticsService, Months, SPECIAL_NEEDS, add_months, parse_month, query_across};
use crate::interface::*;
use crate::sdc;

impl AnalyticsService {
    /// Every cell of a view's measure over the months, both levels, protected together so that
    /// a cell gets the same treatment whichever level or period is asked for.
    async fn protected_cells(
        &self,
        view: SharedView,
        from: &str,
        to: &str,
    ) -> Result<Vec<SharedCell>> {
        let tx = self.db.begin(Scope::Service("shared")).await?;
        let rows = query_across(
            &tx,
            "SELECT tenant_id, territory, month, category, people, cell_key FROM cells \
             WHERE measure = ? AND month >= ? AND month <= ? \
             ORDER BY tenant_id, month, category, territory",
            vec![view.measure().into(), from.into(), to.into()],
        )
        .await?;
        // Every territory a tenant has ever counted anything in is a part of each of its lines,
        // zero or not, so that a zero can be hidden among the suppressed parts and the parts a
        // line shows tell nothing (sdc: hidden zeros).
        let known = query_across(
            &tx,
            "SELECT DISTINCT tenant_id, territory FROM cells WHERE territory <> '*'",
            vec![],
        )
        .await?;
        tx.commit().await?;
        let mut territories: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
        for row in &known {
            let tenant: Uuid = row.try_get_by_index(0)?;
            let territory: String = row.try_get_by_index(1)?;
            territories.entry(tenant).or_default().push(territory);
        }
        let mut present: HashMap<(Uuid, String, String), Vec<String>> = HashMap::new();
        let mut cells = Vec::with_capacity(rows.len());
        let mut meta = Vec::with_capacity(rows.len());
        // Cells added as zeros: not shown when they stay zeros (an absent cell reads as 0).
        let mut added = Vec::with_capacity(rows.len());
        let special = |category: &str| {
            view == SharedView::NeedsByTerritoryMonth && SPECIAL_NEEDS.contains(&category)
        };
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
                special: special(&category),
            });
            present
                .entry((tenant, month.clone(), category.clone()))
                .or_default()
                .push(territory.clone());
            meta.push((tenant, territory, month, category));
            added.push(false);
        }
        let mut lines: Vec<_> = present.into_iter().collect();
        lines.sort();
        for ((tenant, month, category), shown) in lines {
            for territory in territories.get(&tenant).into_iter().flatten() {
                if shown.contains(territory) {
                    continue;
                }
                cells.push(sdc::Cell {
                    key: vec![
                        tenant.to_string(),
                        territory.clone(),
                        month.clone(),
                        category.clone(),
                    ],
                    count: 0,
                    cell_key: 0,
                    special: special(&category),
                });
                meta.push((tenant, territory.clone(), month.clone(), category.clone()));
                added.push(true);
            }
        }
        let lines = lines_of(&meta);
        let protected = sdc::protect(&cells, &lines, &self.params);
        Ok(meta
            .into_iter()
            .zip(protected)
            .zip(added)
            .filter(|((_, p), added)| !(*added && p.status == sdc::Status::Zero))
            .map(
                |(((tenant_id, territory, month, category), p), _)| SharedCell {
                    tenant_id,
                    territory: (territory != "*").then_some(territory),
                    month,
                    category: (!category.is_empty()).then_some(category),
                    value: p.value,
                    status: p.status,
                },
            )
            .collect())
    }

    pub(super) async fn shared_table(
        &self,
        ctx: &Context,
        req: SharedQuery,
    ) -> Result<SharedTable> {
        let period = Months::of(&req.period, ctx.today())?;
        let level = req.level.unwrap_or_default();
        let cells = self
            .protected_cells(req.view, &period.from, &period.to)
            .await?
            .into_iter()
            .filter(|c| (level == Level::Municipality) == c.territory.is_some())
            .collect();
        Ok(SharedTable {
            view: req.view,
            level,
            from: period.from,
            to: period.to,
            params: self.params,
            cells,
        })
    }

    pub(super) async fn emerging_needs_in(
        &self,
        ctx: &Context,
        req: EmergingQuery,
    ) -> Result<Vec<EmergingNeed>> {
        let period = Months::of(&req.period, ctx.today())?;
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
        if req.flagged_only {
            out.retain(|r| r.flagged);
        }
        Ok(out)
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
