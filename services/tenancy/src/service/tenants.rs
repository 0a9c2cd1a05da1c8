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
        }
        .insert(tx.conn())
        .await?;
        tx.enter_tenant(TenantId(model.id)).await?;
        let admin_invitation =
            issue_invitation(&tx, email, vec![Role::TenantAdmin], vec![], Some(admin)).await?;
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
        let found = tx
            .global::<tenant::Entity>()
            .filter(tenant::Column::Id.eq(tenant.uuid()))
            .one(tx.conn())
            .await?
            .ok_or_else(Error::not_found)?;
        let mut model = found.into_active_model();
        model.time_zone = Set(zone.name().to_owned());
        let model = model.update(tx.conn()).await?;
        tx.commit().await?;
        tracing::info!(tenant = %tenant, zone = zone.name(), "tenant time zone set");
        to_tenant(model)
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
            return Err(Error::invalid("ids", "ask for at most 1000 tenants"));
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
