//! The tenant's choice among the closed list of case outcomes.

use super::*;

impl CasesService {
    pub(super) async fn case_outcomes(&self, ctx: &Context) -> Result<Vec<CaseOutcome>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let withdrawn = withdrawn_outcomes(&tx).await?;
        tx.finish().await?;
        Ok(offer(&withdrawn))
    }

    pub(super) async fn set_case_outcome(
        &self,
        ctx: &Context,
        req: SetCaseOutcome,
    ) -> Result<Vec<CaseOutcome>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let code = domain::outcome_of_list("code", &req.code)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let existing = tx
            .scoped::<case_outcome::Entity>()?
            .filter(case_outcome::Column::Code.eq(code.as_str()))
            .one(tx.conn())
            .await?;
        let mut withdrawn = withdrawn_outcomes(&tx).await?;
        withdrawn.retain(|c| *c != code);
        if !req.offered {
            withdrawn.push(code.clone());
        }
        if withdrawn.len() >= domain::CASE_OUTCOMES.len() {
            return Err(Error::on("offered", sportello_kernel::Reason::LastOutcome));
        }
        let row = match existing {
            Some(row) => {
                let mut model = row.into_active_model();
                model.offered = Set(req.offered);
                model.changed_by = Set(user.uuid());
                model.changed_at = Set(ctx.now());
                model.update(tx.conn()).await?
            }
            None => {
                case_outcome::ActiveModel {
                    tenant_id: Set(tenant.uuid()),
                    id: Set(Uuid::now_v7()),
                    code: Set(code),
                    offered: Set(req.offered),
                    changed_by: Set(user.uuid()),
                    changed_at: Set(ctx.now()),
                }
                .insert(tx.conn())
                .await?
            }
        };
        self.audit(&tx, ctx, "update", "case_outcome", row.id, &["offered"])
            .await?;
        tx.commit().await?;
        Ok(offer(&withdrawn))
    }
}

/// The codes the tenant no longer offers.
pub(super) async fn withdrawn_outcomes(tx: &Tx) -> Result<Vec<String>> {
    Ok(tx
        .scoped::<case_outcome::Entity>()?
        .filter(case_outcome::Column::Offered.eq(false))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| row.code)
        .collect())
}

/// The closed list, in order, with the tenant's choice.
fn offer(withdrawn: &[String]) -> Vec<CaseOutcome> {
    domain::CASE_OUTCOMES
        .iter()
        .map(|code| CaseOutcome {
            code: (*code).to_owned(),
            offered: !withdrawn.iter().any(|w| w == code),
        })
        .collect()
}
