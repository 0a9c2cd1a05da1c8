//! The tenant's territories (ISTAT codes).

use super::*;

impl TenancyService {
    pub(super) async fn add_territory(
        &self,
        ctx: &Context,
        req: AddTerritory,
    ) -> Result<Territory> {
        let tenant = ctx.tenant()?;
        let code = IstatCode::parse("istatCode", &req.istat_code)?;
        let name = match req.name.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(given) => {
                let given = Name::parse("name", given)?.into_string();
                code.check_name("name", &given)?.to_owned()
            }
            None => code.official_name().to_owned(),
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let taken = tx
            .scoped::<territory::Entity>()?
            .filter(territory::Column::IstatCode.eq(code.as_str()))
            .one(tx.conn())
            .await?
            .is_some();
        if taken {
            return Err(Error::on("istatCode", Reason::AlreadyExists)
                .saying("this municipality is already part of the tenant"));
        }
        let model = territory::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(TerritoryId::new().uuid()),
            istat_code: Set(code.into_string()),
            name: Set(name),
            created_at: Set(Utc::now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_territory(model))
    }

    pub(super) async fn update_territory(
        &self,
        ctx: &Context,
        req: UpdateTerritory,
    ) -> Result<Territory> {
        let tenant = ctx.tenant()?;
        let mut name = Name::parse("name", &req.name)?.into_string();
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<territory::Entity>(territory::Column::Id, req.id.uuid())
            .await?;
        // Territories added before codes were checked may carry a code no longer in force:
        // their name cannot be checked, and changing it stays possible.
        if let Ok(code) = IstatCode::parse("istatCode", &found.istat_code) {
            let given = name.clone();
            code.check_name("name", &given)?.clone_into(&mut name);
        }
        let mut model = found.into_active_model();
        model.name = Set(name);
        let model = tx
            .update_versioned::<territory::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        tx.commit().await?;
        Ok(to_territory(model))
    }

    pub(super) async fn remove_territory(&self, ctx: &Context, req: TerritoryId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        // Named before the store's own refusal, so that the console can say what to do first.
        let desks = tx
            .scoped::<desk::Entity>()?
            .filter(desk::Column::TerritoryId.eq(req.uuid()))
            .count(tx.conn())
            .await?;
        if desks > 0 {
            return Err(Error::new(Reason::TerritoryHasDesks {
                count: u32::try_from(desks).unwrap_or(u32::MAX),
            }));
        }
        tx.delete::<territory::Entity>(territory::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    pub(super) async fn get_territory(&self, ctx: &Context, req: TerritoryId) -> Result<Territory> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<territory::Entity>(territory::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        Ok(to_territory(found))
    }

    pub(super) async fn list_territories(
        &self,
        ctx: &Context,
        req: ListTerritories,
    ) -> Result<Paged<Territory>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<territory::Entity>()?;
        if let Some(code) = req.istat_code.as_deref().filter(|c| !c.trim().is_empty()) {
            select = select.filter(territory::Column::IstatCode.eq(code.trim()));
        }
        if let Some(text) = req
            .name_contains
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            let pattern = format!("%{}%", escape_like(&text.trim().to_lowercase()));
            select = select.filter(
                Expr::expr(Func::lower(Expr::col((
                    territory::Entity,
                    territory::Column::Name,
                ))))
                .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
            );
        }
        let rows = tx.page(select, territory::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(|row| Ok(to_territory(row)))
    }
}
