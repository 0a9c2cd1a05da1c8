//! Tenants: creation, listing, names, and the pseudonym key each tenant owns.

use super::*;

impl TenancyService {
    pub(super) async fn create_tenant(
        &self,
        ctx: &Context,
        req: CreateTenant,
    ) -> Result<CreatedTenant> {
        let admin = ctx.user()?;
        let name = Name::parse("name", &req.name)?;
        let email = Email::parse("adminEmail", &req.admin_email)?;
        let mut tx = self.db.begin(Scope::Global).await?;
        let model = tenant::ActiveModel {
            id: Set(TenantId::new().uuid()),
            name: Set(name.into_string()),
            kind: Set(kind_code(req.kind).to_owned()),
            created_at: Set(Utc::now()),
            time_zone: Set(Zone::DEFAULT_NAME.to_owned()),
            retention_fact_months: Set(Retention::DEFAULT.analytics_fact_months as i32),
            retention_outbox_days: Set(Retention::DEFAULT.outbox_days as i32),
            retention_closed_case_years: Set(Retention::DEFAULT.closed_case_years as i32),
            reminder_hours_before: Set(AppointmentSettings::DEFAULT.reminder_hours_before),
        }
        .insert(tx.conn())
        .await?;
        tx.enter_tenant(TenantId(model.id)).await?;
        let admin_invitation = issue_invitation(
            &tx,
            email,
            vec![Role::TenantAdmin],
            vec![],
            Some(admin),
            &self.invitation_mail(None, Zone::default()),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(tenant = %model.id, "tenant created");
        Ok(CreatedTenant {
            tenant: to_tenant(model)?,
            admin_invitation,
        })
    }

    pub(super) async fn set_time_zone(&self, ctx: &Context, req: SetTimeZone) -> Result<Tenant> {
        let tenant = ctx.tenant()?;
        let zone = Zone::parse("timeZone", &req.time_zone)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tenant_row(&tx, tenant).await?;
        let mut model = found.into_active_model();
        model.time_zone = Set(zone.name().to_owned());
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, zone = zone.name(), "tenant time zone set");
        to_tenant(model)
    }

    /// The active tenant's appointment settings.
    pub(super) async fn appointment_settings(&self, ctx: &Context) -> Result<AppointmentSettings> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tenant_row(&tx, tenant).await?;
        tx.finish().await?;
        Ok(AppointmentSettings {
            reminder_hours_before: found.reminder_hours_before,
        })
    }

    pub(super) async fn set_appointment_settings(
        &self,
        ctx: &Context,
        req: AppointmentSettings,
    ) -> Result<AppointmentSettings> {
        let tenant = ctx.tenant()?;
        let (min, max) = AppointmentSettings::REMINDER_HOURS;
        if req
            .reminder_hours_before
            .is_some_and(|h| !(min..=max).contains(&h))
        {
            return Err(Error::on(
                "reminderHoursBefore",
                Reason::OutOfRange {
                    min: i64::from(min),
                    max: i64::from(max),
                },
            ));
        }
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tenant_row(&tx, tenant).await?;
        let mut model = found.into_active_model();
        model.reminder_hours_before = Set(req.reminder_hours_before);
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, "tenant appointment settings set");
        Ok(AppointmentSettings {
            reminder_hours_before: model.reminder_hours_before,
        })
    }

    /// The active tenant's retention schedule and time zone.
    pub(super) async fn retention_of(&self, ctx: &Context) -> Result<RetentionSchedule> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tenant_row(&tx, tenant).await?;
        tx.finish().await?;
        schedule_of(&found)
    }

    /// The context's tenant as the public sees it: name, zone and municipalities by ISTAT code.
    pub(super) async fn public_profile(&self, ctx: &Context) -> Result<PublicProfile> {
        let tenant = ctx.require_internal()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tenant_row(&tx, tenant).await?;
        let territories = tx
            .scoped::<territory::Entity>()?
            .order_by_asc(territory::Column::IstatCode)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(PublicProfile {
            time_zone: to_tenant(found.clone())?.time_zone,
            name: found.name,
            territories: territories
                .into_iter()
                .map(|t| PublicTerritory {
                    istat_code: t.istat_code,
                    name: t.name,
                })
                .collect(),
        })
    }

    pub(super) async fn set_retention(
        &self,
        ctx: &Context,
        req: SetRetention,
    ) -> Result<Retention> {
        let tenant = ctx.tenant()?;
        let months = bounded(
            "analyticsFactMonths",
            req.analytics_fact_months,
            Retention::FACT_MONTHS,
            "months of facts are",
        )?;
        let days = bounded(
            "outboxDays",
            req.outbox_days,
            Retention::OUTBOX_DAYS,
            "days of published events are",
        )?;
        let years = bounded(
            "closedCaseYears",
            req.closed_case_years,
            Retention::CLOSED_CASE_YEARS,
            "years after the last closed case are",
        )?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tenant_row(&tx, tenant).await?;
        let mut model = found.into_active_model();
        if let Some(months) = months {
            model.retention_fact_months = Set(months as i32);
        }
        if let Some(days) = days {
            model.retention_outbox_days = Set(days as i32);
        }
        if let Some(years) = years {
            model.retention_closed_case_years = Set(years as i32);
        }
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        let schedule = schedule_of(&model)?;
        tracing::info!(
            tenant = %tenant,
            fact_months = schedule.retention.analytics_fact_months,
            outbox_days = schedule.retention.outbox_days,
            closed_case_years = schedule.retention.closed_case_years,
            "retention schedule set"
        );
        Ok(schedule.retention)
    }

    pub(super) async fn list_tenants(&self, _ctx: &Context, req: Page) -> Result<Paged<Tenant>> {
        let tx = self.db.begin(Scope::Global).await?;
        let rows = tx
            .page(tx.global::<tenant::Entity>(), tenant::Column::Id, &req)
            .await?;
        tx.finish().await?;
        rows.try_map(to_tenant)
    }

    pub(super) async fn tenant_names(
        &self,
        _ctx: &Context,
        req: Vec<TenantId>,
    ) -> Result<Vec<Tenant>> {
        if req.len() > 1000 {
            return Err(Error::on("ids", Reason::TooMany { max: 1000 }));
        }
        let tx = self.db.begin(Scope::Global).await?;
        let rows = tx
            .global::<tenant::Entity>()
            .filter(tenant::Column::Id.is_in(req.iter().map(|t| t.uuid())))
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        rows.into_iter().map(to_tenant).collect()
    }

    pub(super) async fn pseudonym_key(
        &self,
        ctx: &Context,
        req: KeyRequest,
    ) -> Result<PseudonymKey> {
        let tenant = ctx.require_internal()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(key) = tx.scoped::<pseudonym_key::Entity>()?.one(tx.conn()).await? {
            tx.finish().await?;
            return Ok(PseudonymKey { secret: key.secret });
        }
        // The first request creates the key, or adopts the one a producer used before keys had
        // an owner; of two first requests at once, the first insert wins and both read it.
        let adopting = req.adopt.as_deref().is_some_and(|k| k.len() >= 32);
        let offered = match req.adopt {
            Some(key) if adopting => key,
            _ => random_token(),
        };
        pseudonym_key::Entity::insert(pseudonym_key::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            secret: Set(offered),
            created_at: Set(Utc::now()),
        })
        .on_conflict_do_nothing_on([pseudonym_key::Column::TenantId])
        .exec(tx.conn())
        .await?;
        let key = tx
            .scoped::<pseudonym_key::Entity>()?
            .one(tx.conn())
            .await?
            .ok_or_else(|| Error::internal("pseudonym key missing"))?;
        tx.commit().await?;
        tracing::info!(
            tenant = %tenant,
            service = ctx.actor.service.as_deref().unwrap_or_default(),
            adopted = adopting,
            "pseudonym key issued"
        );
        Ok(PseudonymKey { secret: key.secret })
    }
}

/// A value of the retention schedule, when given, within its bounds (`INVALID_INPUT` on `field`).
fn bounded(
    field: &str,
    value: Option<i64>,
    bounds: std::ops::RangeInclusive<u32>,
    what: &str,
) -> Result<Option<u32>> {
    let Some(value) = value else {
        return Ok(None);
    };
    match u32::try_from(value) {
        Ok(v) if bounds.contains(&v) => Ok(Some(v)),
        _ => Err(Error::on(
            field,
            Reason::OutOfRange {
                min: i64::from(*bounds.start()),
                max: i64::from(*bounds.end()),
            },
        )
        .saying(format!(
            "{what} from {} to {}",
            bounds.start(),
            bounds.end()
        ))),
    }
}

fn schedule_of(model: &tenant::Model) -> Result<RetentionSchedule> {
    let stored = |v: i32| u32::try_from(v).map_err(|_| Error::internal("bad retention stored"));
    Ok(RetentionSchedule {
        retention: Retention {
            analytics_fact_months: stored(model.retention_fact_months)?,
            outbox_days: stored(model.retention_outbox_days)?,
            closed_case_years: stored(model.retention_closed_case_years)?,
        },
        time_zone: Zone::parse("timeZone", &model.time_zone)?,
    })
}

/// The row of the scope's own tenant, or `NOT_FOUND`.
pub(super) async fn tenant_row(tx: &Tx, tenant: TenantId) -> Result<tenant::Model> {
    tx.global::<tenant::Entity>()
        .filter(tenant::Column::Id.eq(tenant.uuid()))
        .one(tx.conn())
        .await?
        .ok_or_else(Error::not_found)
}
