//! The waiting list: applications, the tenant's priority rule, the explained score, and the audit
//! of every change of rule and score.
//!
//! A score is computed on the tenant's today from the application's facts and the rule in force
//! ([`domain::score`]); the list is ordered by score, then by the day of entry. The audit keeps a
//! row for every score the rule or the facts changed (`score_changes`), and every rule with who
//! set it, when and why (`priority_rules`); the passing of months moves scores by the rule
//! itself and is not written down day by day.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use sportello_kernel::crypto::{self, Key, TenantKeys};
use sportello_kernel::db::{Scope, Tx};
use sportello_kernel::error::Refusals;
use sportello_kernel::events::Event;
use sportello_kernel::{Context, Error, Reason, Result, UserId};
use uuid::Uuid;

use super::HousingService;
use crate::domain::{self, Facts};
use crate::events;
use crate::interface::*;
use crate::store::{application, priority_rule, score_change};

/// The points of a rule as stored (the rule's JSON without its version and author).
#[derive(serde::Serialize, serde::Deserialize)]
struct Points {
    per_minor: u32,
    eviction_notice: u32,
    income_very_low: u32,
    income_low: u32,
    income_medium: u32,
    income_high: u32,
    health_or_disability: u32,
    per_month_waiting: u32,
    max_months_waiting: u32,
}

impl HousingService {
    pub(super) async fn priority_rule(&self, ctx: &Context, _req: ()) -> Result<PriorityRule> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rule = current_rule(&tx).await?;
        tx.finish().await?;
        Ok(rule)
    }

    pub(super) async fn set_priority_rule(
        &self,
        ctx: &Context,
        req: SetPriorityRule,
    ) -> Result<PriorityRule> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let checked = domain::check_rule(&req)?;
        let today = ctx.today();
        let keys = self.keyring.tenant(tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let before = current_rule(&tx).await?;
        if before.version != req.expected_version {
            return Err(Error::stale(before.version));
        }
        let now = ctx.now();
        let rule = PriorityRule {
            version: before.version + 1,
            updated_at: Some(now),
            updated_by: Some(user),
            ..checked
        };
        let inserted = priority_rule::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(Uuid::now_v7()),
            version: Set(rule.version),
            rule: Set(points_json(&rule)?),
            reason: Set(domain::text("reason", &req.reason, domain::MAX_TEXT)?),
            by_user: Set(user.uuid()),
            at: Set(now),
        }
        .insert(tx.conn())
        .await;
        if let Err(err) = inserted {
            let err = Error::from(err);
            // Another change of the same version committed first.
            if matches!(*err.reason, Reason::AlreadyExists) {
                return Err(Error::stale(before.version + 1));
            }
            return Err(err);
        }
        // Every waiting application whose score the new rule moves is audited.
        let waiting = tx
            .scoped::<application::Entity>()?
            .filter(application::Column::Status.eq(ApplicationStatus::Waiting.as_str()))
            .all(tx.conn())
            .await?;
        for model in &waiting {
            let facts = self.facts(&keys, model)?;
            let (old, _) = domain::score(&before, &facts, today);
            let (new, _) = domain::score(&rule, &facts, today);
            if old != new {
                audit_score(
                    &tx,
                    ctx,
                    model.id,
                    ScoreCause::Rule,
                    Some(old),
                    new,
                    rule.version,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(rule)
    }

    pub(super) async fn rule_history(&self, ctx: &Context, _req: ()) -> Result<Vec<RuleChange>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<priority_rule::Entity>()?
            .order_by_desc(priority_rule::Column::Version)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        rows.into_iter()
            .map(|r| {
                Ok(RuleChange {
                    rule: rule_of(&r)?,
                    reason: r.reason,
                })
            })
            .collect()
    }

    pub(super) async fn apply(&self, ctx: &Context, req: Apply) -> Result<Application> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let mut refusals = Refusals::default();
        let household = refusals.take(self.household(ctx, req.household_id, "householdId").await);
        let applied_on = match req.applied_on {
            None => Some(today),
            Some(day) => refusals.take(sportello_kernel::dates::date_within(
                "appliedOn",
                day,
                domain::add_months(today, 0) - chrono::Duration::days(3650),
                today,
            )),
        };
        let facts = refusals.take(check_facts(&req.facts, today));
        refusals.finish()?;
        let (Some(household), Some(applied_on), Some(note)) = (household, applied_on, facts) else {
            return Err(Error::internal("checked input missing"));
        };
        let minors = household.members.iter().filter(|m| m.minor).count() as i32;
        let keys = self.keyring.tenant(tenant).await?;
        let id = ApplicationId::new().uuid();
        let (health_sealed, wrapped_key, key_version) =
            seal_health(&keys, id, req.facts.health_or_disability)?;
        let now = ctx.now();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let inserted = application::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(id),
            household_id: Set(req.household_id.uuid()),
            status: Set(ApplicationStatus::Waiting.as_str().to_owned()),
            applied_on: Set(applied_on),
            minors: Set(minors),
            eviction_notice_on: Set(req.facts.eviction_notice_on),
            income_band: Set(req.facts.income_band.as_str().to_owned()),
            health_sealed: Set(health_sealed),
            wrapped_key: Set(wrapped_key),
            key_version: Set(key_version as i32),
            note: Set(note),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(tx.conn())
        .await;
        let model = match inserted {
            Ok(m) => m,
            Err(err) => {
                let err = Error::from(err);
                if matches!(*err.reason, Reason::AlreadyExists) {
                    return Err(Error::on("householdId", Reason::AlreadyExists)
                        .saying("the household already has an application waiting or placed"));
                }
                return Err(err);
            }
        };
        let rule = current_rule(&tx).await?;
        let (score, _) = domain::score(&rule, &self.facts(&keys, &model)?, today);
        audit_score(&tx, ctx, id, ScoreCause::Applied, None, score, rule.version).await?;
        let keyer = events::keyer(&tx, &self.pseudonyms, ctx).await?;
        let members: Vec<Uuid> = household
            .members
            .iter()
            .map(|m| m.person_id.uuid())
            .collect();
        events::emit_for_members(
            &tx,
            &keyer,
            &members,
            &household.territory_code,
            applied_on,
            &Event::HousingApplicationMade {
                application: keyer.object("application", id),
                household: keyer.object("household", household.id.uuid()),
            },
        )
        .await?;
        let out = self
            .read_application(&tx, &keys, &rule, model, today)
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn update_application(
        &self,
        ctx: &Context,
        req: UpdateApplication,
    ) -> Result<Application> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let note = check_facts(&req.facts, today)?;
        let keys = self.keyring.tenant(tenant).await?;
        // The household is read first (outside the transaction) to count its minors again.
        let found = {
            let tx = self.db.begin(Scope::Tenant(tenant)).await?;
            let found = tx
                .find::<application::Entity>(application::Column::Id, req.id.uuid())
                .await?;
            tx.finish().await?;
            found
        };
        let household = self
            .household(ctx, HouseholdId::from(found.household_id), "householdId")
            .await?;
        let minors = household.members.iter().filter(|m| m.minor).count() as i32;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<application::Entity>(application::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if found.status != ApplicationStatus::Waiting.as_str() {
            return Err(Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: found.status.clone(),
                    to: found.status.clone(),
                },
            )
            .saying("only a waiting application's facts change"));
        }
        let rule = current_rule(&tx).await?;
        let (before, _) = domain::score(&rule, &self.facts(&keys, &found)?, today);
        let (health_sealed, wrapped_key, key_version) =
            seal_health(&keys, found.id, req.facts.health_or_disability)?;
        let model = tx
            .update_versioned::<application::Entity>(
                found.id,
                Some(req.expected_version),
                application::ActiveModel {
                    minors: Set(minors),
                    eviction_notice_on: Set(req.facts.eviction_notice_on),
                    income_band: Set(req.facts.income_band.as_str().to_owned()),
                    health_sealed: Set(health_sealed),
                    wrapped_key: Set(wrapped_key),
                    key_version: Set(key_version as i32),
                    note: Set(note),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                },
            )
            .await?;
        let (after, _) = domain::score(&rule, &self.facts(&keys, &model)?, today);
        audit_score(
            &tx,
            ctx,
            found.id,
            ScoreCause::Facts,
            Some(before),
            after,
            rule.version,
        )
        .await?;
        let out = self
            .read_application(&tx, &keys, &rule, model, today)
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn withdraw_application(
        &self,
        ctx: &Context,
        req: WithdrawApplication,
    ) -> Result<Application> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let keys = self.keyring.tenant(tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find_for_update::<application::Entity>(application::Column::Id, req.id.uuid())
            .await?;
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        if found.status != ApplicationStatus::Waiting.as_str() {
            return Err(Error::on(
                "status",
                Reason::TransitionNotAllowed {
                    from: found.status.clone(),
                    to: ApplicationStatus::Withdrawn.as_str().into(),
                },
            ));
        }
        let model = tx
            .update_versioned::<application::Entity>(
                found.id,
                Some(req.expected_version),
                application::ActiveModel {
                    status: Set(ApplicationStatus::Withdrawn.as_str().to_owned()),
                    updated_at: Set(ctx.now()),
                    ..Default::default()
                },
            )
            .await?;
        let rule = current_rule(&tx).await?;
        let out = self
            .read_application(&tx, &keys, &rule, model, today)
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn get_application(
        &self,
        ctx: &Context,
        req: ApplicationId,
    ) -> Result<Application> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let keys = self.keyring.tenant(tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = tx
            .find::<application::Entity>(application::Column::Id, req.uuid())
            .await?;
        let rule = current_rule(&tx).await?;
        let out = self
            .read_application(&tx, &keys, &rule, model, today)
            .await?;
        tx.finish().await?;
        Ok(out)
    }

    pub(super) async fn list_applications(
        &self,
        ctx: &Context,
        req: ListApplications,
    ) -> Result<Paged<Application>> {
        let tenant = ctx.tenant()?;
        let today = ctx.today();
        let keys = self.keyring.tenant(tenant).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rule = current_rule(&tx).await?;
        let status = req.status.unwrap_or(ApplicationStatus::Waiting);
        let out = if let Some(household) = req.household_id {
            // A household's applications, every status, oldest first.
            let select = tx
                .scoped::<application::Entity>()?
                .filter(application::Column::HouseholdId.eq(household.uuid()));
            let rows = tx.page(select, application::Column::Id, &req.page).await?;
            let ranked = self.ranked(&tx, &keys, &rule, today).await?;
            let mut items = Vec::with_capacity(rows.items.len());
            for m in rows.items {
                items.push(self.to_application(&keys, &rule, m, today, &ranked)?);
            }
            Paged {
                items,
                has_next_page: rows.has_next_page,
            }
        } else if status == ApplicationStatus::Waiting {
            // The list in its order; the cursor is the last application seen.
            let ranked = self.ranked(&tx, &keys, &rule, today).await?;
            let start = match req.page.after {
                None => 0,
                Some(after) => ranked
                    .iter()
                    .position(|(m, _)| m.id == after)
                    .map(|i| i + 1)
                    .ok_or_else(|| Error::on("after", Reason::NotACursor))?,
            };
            let first = req.page.first.clamp(1, Page::MAX) as usize;
            let total = ranked.len();
            let slice: Vec<application::Model> = ranked
                .iter()
                .skip(start)
                .take(first)
                .map(|(m, _)| m.clone())
                .collect();
            let mut items = Vec::with_capacity(slice.len());
            for m in slice {
                items.push(self.to_application(&keys, &rule, m, today, &ranked)?);
            }
            Paged {
                has_next_page: start + items.len() < total,
                items,
            }
        } else {
            let select = tx
                .scoped::<application::Entity>()?
                .filter(application::Column::Status.eq(status.as_str()));
            let rows = tx.page(select, application::Column::Id, &req.page).await?;
            let mut items = Vec::with_capacity(rows.items.len());
            for m in rows.items {
                items.push(self.to_application(&keys, &rule, m, today, &[])?);
            }
            Paged {
                items,
                has_next_page: rows.has_next_page,
            }
        };
        tx.finish().await?;
        Ok(out)
    }

    pub(super) async fn score_history(
        &self,
        ctx: &Context,
        req: ApplicationId,
    ) -> Result<Vec<ScoreChange>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        tx.find::<application::Entity>(application::Column::Id, req.uuid())
            .await?;
        let rows = tx
            .scoped::<score_change::Entity>()?
            .filter(score_change::Column::ApplicationId.eq(req.uuid()))
            .order_by_asc(score_change::Column::At)
            .order_by_asc(score_change::Column::Id)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        rows.into_iter()
            .map(|r| {
                Ok(ScoreChange {
                    application_id: ApplicationId::from(r.application_id),
                    cause: ScoreCause::parse(&r.cause)
                        .ok_or_else(|| Error::internal("unknown score cause stored"))?,
                    before: r.before_score.map(|s| s.max(0) as u32),
                    after: r.after_score.max(0) as u32,
                    rule_version: r.rule_version,
                    by_user: r.by_user.map(UserId::from),
                    at: r.at,
                })
            })
            .collect()
    }

    /// The facts of a stored application (the health fact unsealed).
    pub(super) fn facts(&self, keys: &TenantKeys, m: &application::Model) -> Result<Facts> {
        Ok(Facts {
            minors: m.minors.max(0) as u32,
            eviction_notice: m.eviction_notice_on.is_some(),
            income_band: IncomeBand::parse(&m.income_band)
                .ok_or_else(|| Error::internal("unknown income band stored"))?,
            health_or_disability: open_health(keys, m)?,
            applied_on: m.applied_on,
        })
    }

    /// The waiting applications in the list's order, with their scores.
    async fn ranked(
        &self,
        tx: &Tx,
        keys: &TenantKeys,
        rule: &PriorityRule,
        today: NaiveDate,
    ) -> Result<Vec<(application::Model, u32)>> {
        let waiting = tx
            .scoped::<application::Entity>()?
            .filter(application::Column::Status.eq(ApplicationStatus::Waiting.as_str()))
            .all(tx.conn())
            .await?;
        let mut ranked = Vec::with_capacity(waiting.len());
        for m in waiting {
            let (score, _) = domain::score(rule, &self.facts(keys, &m)?, today);
            ranked.push((m, score));
        }
        ranked.sort_by(|(a, sa), (b, sb)| {
            domain::list_order((*sa, a.applied_on, a.id), (*sb, b.applied_on, b.id))
        });
        Ok(ranked)
    }

    /// One application as read, its position from the whole list.
    async fn read_application(
        &self,
        tx: &Tx,
        keys: &TenantKeys,
        rule: &PriorityRule,
        model: application::Model,
        today: NaiveDate,
    ) -> Result<Application> {
        let ranked = if model.status == ApplicationStatus::Waiting.as_str() {
            self.ranked(tx, keys, rule, today).await?
        } else {
            Vec::new()
        };
        self.to_application(keys, rule, model, today, &ranked)
    }

    fn to_application(
        &self,
        keys: &TenantKeys,
        rule: &PriorityRule,
        m: application::Model,
        today: NaiveDate,
        ranked: &[(application::Model, u32)],
    ) -> Result<Application> {
        let facts = self.facts(keys, &m)?;
        let (score, explanation) = domain::score(rule, &facts, today);
        let position = ranked
            .iter()
            .position(|(r, _)| r.id == m.id)
            .map(|i| i as u32 + 1);
        Ok(Application {
            id: ApplicationId::from(m.id),
            household_id: HouseholdId::from(m.household_id),
            status: ApplicationStatus::parse(&m.status)
                .ok_or_else(|| Error::internal("unknown application status stored"))?,
            applied_on: m.applied_on,
            minors: facts.minors,
            eviction_notice_on: m.eviction_notice_on,
            income_band: facts.income_band,
            health_or_disability: facts.health_or_disability,
            note: m.note,
            score,
            explanation,
            position,
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
        })
    }
}

/// Checks an application's facts; the note as stored.
fn check_facts(facts: &ApplicationFacts, today: NaiveDate) -> Result<Option<String>> {
    let mut refusals = Refusals::default();
    if let Some(day) = facts.eviction_notice_on {
        refusals.take(sportello_kernel::dates::date_within(
            "evictionNoticeOn",
            day,
            today - chrono::Duration::days(3650),
            domain::add_months(today, 24),
        ));
    }
    let note = refusals.take(domain::optional_text(
        "note",
        facts.note.as_deref(),
        domain::MAX_TEXT,
    ));
    refusals.finish()?;
    Ok(note.flatten())
}

/// The rule in force: the newest stored, or the default.
pub(super) async fn current_rule(tx: &Tx) -> Result<PriorityRule> {
    let newest = tx
        .scoped::<priority_rule::Entity>()?
        .order_by_desc(priority_rule::Column::Version)
        .one(tx.conn())
        .await?;
    match newest {
        None => Ok(PriorityRule::default()),
        Some(r) => rule_of(&r),
    }
}

fn rule_of(r: &priority_rule::Model) -> Result<PriorityRule> {
    let p: Points = serde_json::from_str(&r.rule).map_err(Error::internal)?;
    Ok(PriorityRule {
        per_minor: p.per_minor,
        eviction_notice: p.eviction_notice,
        income_very_low: p.income_very_low,
        income_low: p.income_low,
        income_medium: p.income_medium,
        income_high: p.income_high,
        health_or_disability: p.health_or_disability,
        per_month_waiting: p.per_month_waiting,
        max_months_waiting: p.max_months_waiting,
        version: r.version,
        updated_at: Some(r.at),
        updated_by: Some(UserId::from(r.by_user)),
    })
}

fn points_json(rule: &PriorityRule) -> Result<String> {
    serde_json::to_string(&Points {
        per_minor: rule.per_minor,
        eviction_notice: rule.eviction_notice,
        income_very_low: rule.income_very_low,
        income_low: rule.income_low,
        income_medium: rule.income_medium,
        income_high: rule.income_high,
        health_or_disability: rule.health_or_disability,
        per_month_waiting: rule.per_month_waiting,
        max_months_waiting: rule.max_months_waiting,
    })
    .map_err(Error::internal)
}

async fn audit_score(
    tx: &Tx,
    ctx: &Context,
    application: Uuid,
    cause: ScoreCause,
    before: Option<u32>,
    after: u32,
    rule_version: i32,
) -> Result<()> {
    score_change::ActiveModel {
        tenant_id: Set(tx.tenant()?.uuid()),
        id: Set(Uuid::now_v7()),
        application_id: Set(application),
        cause: Set(cause.as_str().to_owned()),
        before_score: Set(before.map(|s| s as i32)),
        after_score: Set(after as i32),
        rule_version: Set(rule_version),
        by_user: Set(ctx.actor.user_id.map(|u| u.uuid())),
        at: Set(ctx.now()),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// Seals the health-or-disability fact under a fresh data key wrapped with the tenant's
/// current key: `(sealed, wrapped key, key version)`.
fn seal_health(
    keys: &TenantKeys,
    application: Uuid,
    value: bool,
) -> Result<(Vec<u8>, Vec<u8>, u32)> {
    let key = Key::random();
    let (version, wrapped) = keys.wrap(application, &key)?;
    let sealed = crypto::seal(&key, &health_aad(application), &[u8::from(value)])?;
    Ok((sealed, wrapped, version))
}

fn open_health(keys: &TenantKeys, m: &application::Model) -> Result<bool> {
    let key = keys.unwrap(m.id, m.key_version.max(0) as u32, &m.wrapped_key)?;
    let plain = crypto::open(&key, &health_aad(m.id), &m.health_sealed)?;
    Ok(plain.first() == Some(&1))
}

fn health_aad(application: Uuid) -> Vec<u8> {
    let mut aad = b"sportello/housing/health/v1\0".to_vec();
    aad.extend_from_slice(application.as_bytes());
    aad
}
