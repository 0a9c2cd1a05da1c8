//! The tenant's catalogue of need types.

use super::*;

impl CasesService {
    pub(super) async fn list_need_types(&self, ctx: &Context, _: ()) -> Result<Vec<NeedType>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<need_type::Entity>()?
            .order_by_asc(need_type::Column::Category)
            .order_by_asc(need_type::Column::Code)
            .all(tx.conn())
            .await?;
        tx.commit().await?;
        rows.into_iter().map(domain::to_need_type).collect()
    }

    pub(super) async fn create_need_type(
        &self,
        ctx: &Context,
        req: CreateNeedType,
    ) -> Result<NeedType> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let code = domain::need_type_code(&req.code)?;
        let label = domain::need_type_label(&req.label)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = need_type::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(NeedTypeId::new().uuid()),
            code: Set(code),
            label: Set(label),
            category: Set(codes::need(req.category).to_owned()),
            retired: Set(false),
            created_by: Set(user.uuid()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await
        .map_err(|err| match Error::from(err) {
            e if e.code == ErrorCode::Conflict => {
                Error::on("code", sportello_kernel::Reason::AlreadyExists)
            }
            e => e,
        })?;
        self.audit(
            &tx,
            ctx,
            "create",
            "need_type",
            model.id,
            &["code", "label", "category"],
        )
        .await?;
        tx.commit().await?;
        domain::to_need_type(model)
    }

    pub(super) async fn update_need_type(
        &self,
        ctx: &Context,
        req: UpdateNeedType,
    ) -> Result<NeedType> {
        let tenant = ctx.tenant()?;
        let label = req
            .label
            .as_deref()
            .map(domain::need_type_label)
            .transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<need_type::Entity>(need_type::Column::Id, req.id.uuid())
            .await?;
        if label.is_none() && req.retired.is_none() {
            if found.version != req.expected_version {
                return Err(Error::stale(found.version));
            }
            tx.commit().await?;
            return domain::to_need_type(found);
        }
        let mut model = found.into_active_model();
        let mut fields = Vec::new();
        if let Some(label) = label {
            model.label = Set(label);
            fields.push("label");
        }
        if let Some(retired) = req.retired {
            model.retired = Set(retired);
            fields.push("retired");
        }
        let model = tx
            .update_versioned::<need_type::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        self.audit(&tx, ctx, "update", "need_type", model.id, &fields)
            .await?;
        tx.commit().await?;
        domain::to_need_type(model)
    }
}
