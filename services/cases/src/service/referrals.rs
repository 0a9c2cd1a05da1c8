//! Referrals to other services and their status.

use super::*;

impl CasesService {
    pub(super) async fn send_referral(&self, ctx: &Context, req: SendReferral) -> Result<Referral> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let override_reason = match req
            .override_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) if r.chars().count() > 500 => {
                return Err(Error::on(
                    "overrideReason",
                    sportello_kernel::Reason::TooLong { max: 500 },
                ));
            }
            Some(r) => Some(r.to_owned()),
            None => None,
        };
        let c = self
            .locked_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(no_such_case)?;
        // The refusal names the input that caused it, so that a form can show it next to that field.
        open_or_conflict(&c)
            .map_err(|_| Error::on("caseId", sportello_kernel::Reason::CaseClosed))?;
        tx.finish().await?;
        self.tenancy
            .get_directory_service(ctx, req.service_id)
            .await
            .map_err(|_| {
                Error::on(
                    "serviceId",
                    sportello_kernel::Reason::NoSuch {
                        object: sportello_kernel::error::Object::Service,
                    },
                )
            })?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let need_ids = self.needs_of_case(&tx, c.id, &req.need_ids).await?;
        let consented = self
            .current_consent(&tx, c.person_id, ConsentPurpose::ReferralSharing)
            .await?;
        match (&override_reason, consented) {
            (_, true) => {}
            (Some(_), false) if ctx.has_role(Role::Coordinator) => {}
            (Some(_), false) => return Err(Error::forbidden()),
            (None, false) => {
                return Err(Error::on(
                    "overrideReason",
                    sportello_kernel::Reason::ConsentMissing {
                        purpose: sportello_kernel::error::Purpose::ReferralSharing,
                    },
                ));
            }
        }
        let now = ctx.now();
        let key = self.vault.key(&tx, c.person_id).await?;
        let mut model = referral::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(ReferralId::new().uuid()),
            case_id: Set(c.id),
            service_id: Set(req.service_id.uuid()),
            need_ids: Set(need_ids
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",")),
            status: Set(codes::referral_status(ReferralStatus::Sent).to_owned()),
            override_reason: Set(if consented { None } else { override_reason }),
            feedback: Set(None),
            sent_by: Set(user.uuid()),
            sent_at: Set(now),
            updated_at: Set(now),
            sealed: Set(0),
        };
        model.seal(&key)?;
        let model = model.insert(tx.conn()).await?.open(Some(&key))?;
        if model.override_reason.is_some() {
            self.audit(
                &tx,
                ctx,
                "consent_override",
                "person",
                c.person_id,
                &["referralSharing"],
            )
            .await?;
        }
        self.audit(
            &tx,
            ctx,
            "create",
            "referral",
            model.id,
            &["case", "service", "needs"],
        )
        .await?;
        let person = tx
            .find::<person::Entity>(person::Column::Id, c.person_id)
            .await?;
        let sent = events::Happened::at(now);
        events::emit(&tx, &self.pseudonyms, ctx, &person, sent, |_| {
            Event::ReferralChanged {
                status: model.status.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_referral(model)
    }

    pub(super) async fn change_referral_status(
        &self,
        ctx: &Context,
        req: ChangeReferralStatus,
    ) -> Result<Referral> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<referral::Entity>(referral::Column::Id, req.id.uuid())
            .await?;
        let c = self.visible_case(&tx, ctx, found.case_id).await?;
        let key = self.vault.key(&tx, c.person_id).await?;
        let found = found.open(Some(&key))?;
        // Stale before illegal: the user must first see what changed.
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        let from = codes::parse_referral_status(&found.status)?;
        domain::referral_transition(from, req.to)?;
        let feedback = match req
            .feedback
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            Some(f) if f.chars().count() > 2000 => {
                return Err(Error::on(
                    "feedback",
                    sportello_kernel::Reason::TooLong { max: 2000 },
                ));
            }
            Some(f) => Some(f.to_owned()),
            None => found.feedback.clone(),
        };
        let mut model = found.into_active_model();
        model.status = Set(codes::referral_status(req.to).to_owned());
        model.feedback = Set(feedback);
        model.updated_at = Set(ctx.now());
        model.seal(&key)?;
        let model = tx
            .update_versioned::<referral::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?
            .open(Some(&key))?;
        self.audit(
            &tx,
            ctx,
            "update",
            "referral",
            model.id,
            &["status", "feedback"],
        )
        .await?;
        let person = tx
            .find::<person::Entity>(person::Column::Id, c.person_id)
            .await?;
        let changed = events::Happened::at(model.updated_at);
        events::emit(&tx, &self.pseudonyms, ctx, &person, changed, |_| {
            Event::ReferralChanged {
                status: model.status.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_referral(model)
    }
}
