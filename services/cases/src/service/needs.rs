//! Needs of a case.

use super::*;

impl CasesService {
    pub(super) async fn record_need(&self, ctx: &Context, req: RecordNeed) -> Result<Need> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let c = self
            .locked_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(no_such_case)?;
        open_or_conflict(&c)?;
        let now = ctx.now();
        // A need noted at an encounter happened on the encounter's day.
        let mut happened_at = now;
        if let Some(enc) = req.encounter_id {
            let found = tx
                .find::<encounter::Entity>(encounter::Column::Id, enc.uuid())
                .await
                .ok()
                .filter(|e| e.case_id == c.id)
                .ok_or_else(|| {
                    Error::on(
                        "encounterId",
                        sportello_kernel::Reason::NoSuch {
                            object: sportello_kernel::error::Object::Encounter,
                        },
                    )
                })?;
            happened_at = found.occurred_at;
        }
        let type_code = match req.type_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => {
                let found = tx
                    .scoped::<need_type::Entity>()?
                    .filter(need_type::Column::Code.eq(code))
                    .one(tx.conn())
                    .await?
                    .filter(|t| !t.retired)
                    .ok_or_else(|| {
                        Error::on(
                            "typeCode",
                            sportello_kernel::Reason::NoSuch {
                                object: sportello_kernel::error::Object::NeedType,
                            },
                        )
                    })?;
                if found.category != codes::need(req.code) {
                    return Err(Error::on(
                        "typeCode",
                        sportello_kernel::Reason::OtherCategory,
                    ));
                }
                Some(found.code)
            }
        };
        let model = need::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(NeedId::new().uuid()),
            case_id: Set(c.id),
            type_code: Set(type_code),
            code: Set(codes::need(req.code).to_owned()),
            source: Set(codes::source(req.source).to_owned()),
            status: Set(codes::need_status(NeedStatus::Open).to_owned()),
            encounter_id: Set(req.encounter_id.map(|e| e.uuid())),
            noted_at: Set(now),
            noted_by: Set(user.uuid()),
        }
        .insert(tx.conn())
        .await?;
        let person = tx
            .find::<person::Entity>(person::Column::Id, c.person_id)
            .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "need",
            model.id,
            &["case", "code", "source"],
        )
        .await?;
        let noted = events::Happened::fact_of("need", model.id, happened_at);
        events::emit(&tx, &self.pseudonyms, ctx, &person, noted, |_| {
            Event::NeedRecorded {
                need: model.code.clone(),
                source: model.source.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_need(model)
    }

    pub(super) async fn change_need_status(
        &self,
        ctx: &Context,
        req: ChangeNeedStatus,
    ) -> Result<Need> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<need::Entity>(need::Column::Id, req.id.uuid())
            .await?;
        self.visible_case(&tx, ctx, found.case_id).await?;
        let mut model = found.into_active_model();
        model.status = Set(codes::need_status(req.status).to_owned());
        let model = tx
            .update_versioned::<need::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        self.audit(&tx, ctx, "update", "need", model.id, &["status"])
            .await?;
        tx.commit().await?;
        domain::to_need(model)
    }
}
