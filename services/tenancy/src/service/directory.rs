//! The directory: organizations and the services they offer.

use super::*;

impl TenancyService {
    pub(super) async fn add_organization(
        &self,
        ctx: &Context,
        req: AddOrganization,
    ) -> Result<Organization> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = organization::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(OrganizationId::new().uuid()),
            name: Set(name.into_string()),
            description: Set(optional_text("description", req.description)?),
            website: Set(optional_text("website", req.website)?),
            email: Set(req
                .email
                .as_deref()
                .map(|e| Email::parse("email", e).map(Email::into_string))
                .transpose()?),
            phone: Set(optional_phone("phone", req.phone)?),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_organization(model))
    }

    pub(super) async fn list_organizations(
        &self,
        ctx: &Context,
        req: Page,
    ) -> Result<Paged<Organization>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let select = tx.scoped::<organization::Entity>()?;
        let rows = tx.page(select, organization::Column::Id, &req).await?;
        tx.finish().await?;
        rows.try_map(|row| Ok(to_organization(row)))
    }

    pub(super) async fn add_directory_service(
        &self,
        ctx: &Context,
        req: AddDirectoryService,
    ) -> Result<DirectoryService> {
        let tenant = ctx.tenant()?;
        let name = Name::parse("name", &req.name)?;
        let languages = parse_languages(&req.languages)?;
        let mut categories: Vec<String> = Vec::new();
        for c in &req.categories {
            let c = c.trim().to_lowercase();
            if c.is_empty()
                || c.len() > 40
                || !c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            {
                return Err(Error::on(
                    "categories",
                    Reason::NotInList {
                        list: sportello_kernel::error::List::NeedCategories,
                    },
                ));
            }
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let org = tx
            .find::<organization::Entity>(organization::Column::Id, req.organization_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "organizationId",
                    Reason::NoSuch {
                        object: sportello_kernel::error::Object::Organisation,
                    },
                )
            })?;
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
        let model = directory_service::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(ServiceId::new().uuid()),
            organization_id: Set(org.id),
            name: Set(name.into_string()),
            description: Set(optional_text("description", req.description)?),
            categories: Set(join_list(&categories)),
            territory_id: Set(territory.id),
            address: Set(optional_text("address", req.address)?),
            languages: Set(join_list(&languages)),
            email: Set(req
                .email
                .as_deref()
                .map(|e| Email::parse("email", e).map(Email::into_string))
                .transpose()?),
            phone: Set(optional_phone("phone", req.phone)?),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(to_directory_service(model))
    }

    pub(super) async fn get_directory_service(
        &self,
        ctx: &Context,
        req: ServiceId,
    ) -> Result<DirectoryService> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<directory_service::Entity>(directory_service::Column::Id, req.uuid())
            .await?;
        tx.finish().await?;
        Ok(to_directory_service(found))
    }

    pub(super) async fn list_directory_services(
        &self,
        ctx: &Context,
        req: ListDirectoryServices,
    ) -> Result<Paged<DirectoryService>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut select = tx.scoped::<directory_service::Entity>()?;
        if let Some(t) = req.territory_id {
            select = select.filter(directory_service::Column::TerritoryId.eq(t.uuid()));
        }
        let rows = tx
            .page(select, directory_service::Column::Id, &req.page)
            .await?;
        tx.finish().await?;
        let mut page = rows.try_map(|row| Ok(to_directory_service(row)))?;
        if let Some(category) = req.category.as_deref().map(|c| c.trim().to_lowercase()) {
            page.items.retain(|s| s.categories.contains(&category));
        }
        Ok(page)
    }
}
