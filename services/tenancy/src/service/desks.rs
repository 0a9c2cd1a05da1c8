//! Desks and the places they serve in.

use super::*;

impl TenancyService {
    pub(super) async fn add_desk(&self, ctx: &Context, req: AddDesk) -> Result<Desk> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let address = optional_text("address", req.address)?;
        let opening_hours = optional_text("openingHours", req.opening_hours)?;
        let languages = parse_languages(&req.languages)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let territory = tx
            .find::<territory::Entity>(territory::Column::Id, req.territory_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "territoryId",
                    Reason::NoSuch {
                        object: sportello_kernel::error::Object::Territory,
                    },
                )
            })?;
        require_territory(ctx, &territory.istat_code)?;
        let model = desk::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(DeskId::new().uuid()),
            territory_id: Set(territory.id),
            name: Set(name.into_string()),
            kind: Set(desk_kind_code(req.kind).to_owned()),
            address: Set(address),
            opening_hours: Set(opening_hours),
            languages: Set(join_list(&languages)),
            created_at: Set(Utc::now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_desk(model)
    }

    pub(super) async fn update_desk(&self, ctx: &Context, req: UpdateDesk) -> Result<Desk> {
        let tenant = ctx.tenant()?;
        let name = req
            .name
            .as_deref()
            .map(|n| Name::parse("name", n))
            .transpose()?;
        let languages = req.languages.as_deref().map(parse_languages).transpose()?;
        let address = req
            .address
            .map(|a| optional_text("address", Some(a)))
            .transpose()?;
        let hours = req
            .opening_hours
            .map(|h| optional_text("openingHours", Some(h)))
            .transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<desk::Entity>(desk::Column::Id, req.id.uuid())
            .await?;
        require_desk_territory(ctx, &tx, found.territory_id).await?;
        let mut model = found.into_active_model();
        if let Some(name) = name {
            model.name = Set(name.into_string());
        }
        if let Some(languages) = languages {
            model.languages = Set(join_list(&languages));
        }
        if let Some(address) = address {
            model.address = Set(address);
        }
        if let Some(hours) = hours {
            model.opening_hours = Set(hours);
        }
        let model = tx
            .update_versioned::<desk::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        tx.commit().await?;
        to_desk(model)
    }

    pub(super) async fn remove_desk(&self, ctx: &Context, req: DeskId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<desk::Entity>(desk::Column::Id, req.uuid())
            .await?;
        require_desk_territory(ctx, &tx, found.territory_id).await?;
        let places = tx
            .scoped::<place::Entity>()?
            .filter(place::Column::DeskId.eq(req.uuid()))
            .count(tx.conn())
            .await?;
        if places > 0 {
            return Err(Error::new(Reason::DeskHasPlaces {
                count: u32::try_from(places).unwrap_or(u32::MAX),
            }));
        }
        tx.delete::<desk::Entity>(desk::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    pub(super) async fn get_desk(&self, ctx: &Context, req: DeskId) -> Result<Desk> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<desk::Entity>(desk::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        to_desk(found)
    }

    pub(super) async fn desks_by_id(&self, ctx: &Context, req: Vec<DeskId>) -> Result<Vec<Desk>> {
        let tenant = ctx.require_internal()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .scoped::<desk::Entity>()?
            .filter(desk::Column::Id.is_in(req.iter().map(|d| d.uuid())))
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        found.into_iter().map(to_desk).collect()
    }

    pub(super) async fn list_desks(&self, ctx: &Context, req: ListDesks) -> Result<Paged<Desk>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<desk::Entity>()?;
        if let Some(territory) = req.territory_id {
            select = select.filter(desk::Column::TerritoryId.eq(territory.uuid()));
        }
        let rows = tx.page(select, desk::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(to_desk)
    }

    pub(super) async fn add_place(&self, ctx: &Context, req: AddPlace) -> Result<Place> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let address = optional_text("address", req.address)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let desk = tx
            .find::<desk::Entity>(desk::Column::Id, req.desk_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "deskId",
                    Reason::NoSuch {
                        object: sportello_kernel::error::Object::Desk,
                    },
                )
            })?;
        require_desk_territory(ctx, &tx, desk.territory_id).await?;
        let model = place::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(PlaceId::new().uuid()),
            desk_id: Set(desk.id),
            name: Set(name.into_string()),
            kind: Set(place_kind_code(req.kind).to_owned()),
            address: Set(address),
            created_at: Set(Utc::now()),
            version: Set(1),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        to_place(model)
    }

    pub(super) async fn update_place(&self, ctx: &Context, req: UpdatePlace) -> Result<Place> {
        let tenant = ctx.tenant()?;
        let name = req
            .name
            .as_deref()
            .map(|n| Name::parse("name", n))
            .transpose()?;
        let address = req
            .address
            .map(|a| optional_text("address", Some(a)))
            .transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<place::Entity>(place::Column::Id, req.id.uuid())
            .await?;
        let desk = tx
            .find::<desk::Entity>(desk::Column::Id, found.desk_id)
            .await?;
        require_desk_territory(ctx, &tx, desk.territory_id).await?;
        let mut model = found.into_active_model();
        if let Some(name) = name {
            model.name = Set(name.into_string());
        }
        if let Some(kind) = req.kind {
            model.kind = Set(place_kind_code(kind).to_owned());
        }
        if let Some(address) = address {
            model.address = Set(address);
        }
        let model = tx
            .update_versioned::<place::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        tx.commit().await?;
        to_place(model)
    }

    pub(super) async fn remove_place(&self, ctx: &Context, req: PlaceId) -> Result<()> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<place::Entity>(place::Column::Id, req.uuid())
            .await?;
        let desk = tx
            .find::<desk::Entity>(desk::Column::Id, found.desk_id)
            .await?;
        require_desk_territory(ctx, &tx, desk.territory_id).await?;
        tx.delete::<place::Entity>(place::Column::Id, req.uuid())
            .await?;
        tx.commit().await
    }

    pub(super) async fn get_place(&self, ctx: &Context, req: PlaceId) -> Result<Place> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<place::Entity>(place::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        to_place(found)
    }

    pub(super) async fn list_places(&self, ctx: &Context, req: ListPlaces) -> Result<Paged<Place>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<place::Entity>()?;
        if let Some(desk) = req.desk_id {
            select = select.filter(place::Column::DeskId.eq(desk.uuid()));
        }
        let rows = tx.page(select, place::Column::Id, &req.page).await?;
        tx.finish().await?;
        rows.try_map(to_place)
    }
}
