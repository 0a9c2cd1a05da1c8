//! Interventions on the needs of a case.

use super::*;

impl CasesService {
    pub(super) async fn record_intervention(
        &self,
        ctx: &Context,
        req: RecordIntervention,
    ) -> Result<Intervention> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let outcome = match req.outcome.as_deref().filter(|o| !o.trim().is_empty()) {
            Some(o) => {
                Some(outcomes::offered_outcome(&tx, OutcomeList::Intervention, "outcome", o).await?)
            }
            None => None,
        };
        let c = self
            .locked_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(no_such_case)?;
        open_or_conflict(&c)?;
        let need_ids = self.needs_of_case(&tx, c.id, &req.need_ids).await?;
        let now = ctx.now();
        let done_at = dates::happened("doneAt", req.done_at.unwrap_or(now), now)?;
        let model = intervention::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(InterventionId::new().uuid()),
            case_id: Set(c.id),
            kind: Set(codes::intervention(req.kind).to_owned()),
            need_ids: Set(need_ids
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",")),
            outcome: Set(outcome),
            done_at: Set(done_at),
            done_by: Set(user.uuid()),
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
            "intervention",
            model.id,
            &["case", "kind", "needs", "outcome"],
        )
        .await?;
        let done = events::Happened::fact_of("intervention", model.id, model.done_at);
        events::emit(&tx, &self.pseudonyms, ctx, &person, done, |_| {
            Event::InterventionDone {
                intervention: model.kind.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_intervention(model)
    }

    pub(super) async fn update_intervention(
        &self,
        ctx: &Context,
        req: UpdateIntervention,
    ) -> Result<Intervention> {
        let (_, tx) = self.staff_tx(ctx).await?;
        // Absent: unchanged; empty: cleared (an outcome recorded by mistake); else a code the
        // tenant offers.
        let outcome = match req.outcome.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(o) => Some(Some(
                outcomes::offered_outcome(&tx, OutcomeList::Intervention, "outcome", o).await?,
            )),
        };
        if let Some(done_at) = req.done_at {
            dates::happened("doneAt", done_at, ctx.now())?;
        }
        let found = tx
            .find::<intervention::Entity>(intervention::Column::Id, req.id.uuid())
            .await?;
        let c = self.locked_case(&tx, ctx, found.case_id).await?;
        open_or_conflict(&c)?;
        let moved = req.done_at.is_some_and(|d| d != found.done_at);
        let mut model = found.into_active_model();
        if let Some(outcome) = outcome {
            model.outcome = Set(outcome);
        }
        if let Some(done_at) = req.done_at {
            model.done_at = Set(done_at);
        }
        let model = tx
            .update_versioned::<intervention::Entity>(
                req.id.uuid(),
                Some(req.expected_version),
                model,
            )
            .await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "intervention",
            model.id,
            &["outcome", "doneAt"],
        )
        .await?;
        if moved {
            // The correcting event: the same fact, on the day it really happened.
            let person = tx
                .find::<person::Entity>(person::Column::Id, c.person_id)
                .await?;
            let done = events::Happened::fact_of("intervention", model.id, model.done_at);
            events::emit(&tx, &self.pseudonyms, ctx, &person, done, |_| {
                Event::InterventionDone {
                    intervention: model.kind.clone(),
                }
            })
            .await?;
        }
        tx.commit().await?;
        domain::to_intervention(model)
    }
}
