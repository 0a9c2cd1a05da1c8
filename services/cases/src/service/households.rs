//! Households and their members.

use super::*;

impl CasesService {
    pub(super) async fn create_household(
        &self,
        ctx: &Context,
        req: CreateHousehold,
    ) -> Result<Household> {
        let tenant = ctx.tenant()?;
        let label = domain::title("label", &req.label)?;
        let territory = self
            .check_territory(ctx, "territoryCode", &req.territory_code)
            .await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = household::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(HouseholdId::new().uuid()),
            label: Set(label),
            territory_code: Set(territory),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "household",
            model.id,
            &["label", "territory"],
        )
        .await?;
        tx.commit().await?;
        domain::to_household(model, Vec::new(), ctx.today())
    }

    pub(super) async fn add_household_member(
        &self,
        ctx: &Context,
        req: AddHouseholdMember,
    ) -> Result<Household> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let h = self
            .visible_household(&tx, ctx, req.household_id.uuid())
            .await?;
        let p = self
            .visible_person(&tx, ctx, req.person_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "personId",
                    sportello_kernel::Reason::NoSuch {
                        object: sportello_kernel::error::Object::Person,
                    },
                )
            })?;
        let (person_id, left) = (p.id, p.household_id);
        let mut model = p.into_active_model();
        model.household_id = Set(Some(h.id));
        model.household_role = Set(Some(codes::household_role(req.role).to_owned()));
        let p = tx
            .update_versioned::<person::Entity>(person_id, None, model)
            .await?;
        // Both households' versions go up: their members changed.
        if let Some(left) = left.filter(|left| *left != h.id) {
            tx.update_versioned::<household::Entity>(left, None, Default::default())
                .await?;
        }
        let h = tx
            .update_versioned::<household::Entity>(h.id, None, Default::default())
            .await?;
        self.audit(&tx, ctx, "update", "person", p.id, &["household"])
            .await?;
        let members = self.members(&tx, ctx, h.id).await?;
        tx.commit().await?;
        domain::to_household(h, members, ctx.today())
    }

    pub(super) async fn remove_household_member(&self, ctx: &Context, req: PersonId) -> Result<()> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let p = self.visible_person(&tx, ctx, req.uuid()).await?;
        if p.household_id.is_none() {
            return Err(Error::new(sportello_kernel::Reason::NoHousehold));
        }
        let (person_id, left) = (p.id, p.household_id);
        let mut model = p.into_active_model();
        model.household_id = Set(None);
        model.household_role = Set(None);
        let p = tx
            .update_versioned::<person::Entity>(person_id, None, model)
            .await?;
        if let Some(left) = left {
            tx.update_versioned::<household::Entity>(left, None, Default::default())
                .await?;
        }
        self.audit(&tx, ctx, "update", "person", p.id, &["household"])
            .await?;
        tx.commit().await
    }

    pub(super) async fn get_household(&self, ctx: &Context, req: HouseholdId) -> Result<Household> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let h = self.visible_household(&tx, ctx, req.uuid()).await?;
        let members = self.members(&tx, ctx, h.id).await?;
        // Who lives together, in which role, and which of them are minors.
        self.audit(&tx, ctx, "read", "household", h.id, &["members"])
            .await?;
        tx.commit().await?;
        domain::to_household(h, members, ctx.today())
    }
}
