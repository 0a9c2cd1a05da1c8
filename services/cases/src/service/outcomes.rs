//! The tenant's choice among the closed lists of outcomes (of cases, of interventions).

use super::*;

impl CasesService {
    /// The codes of `list`, in order, each with whether the tenant offers it.
    pub(super) async fn outcomes(
        &self,
        ctx: &Context,
        list: OutcomeList,
    ) -> Result<Vec<OfferedOutcome>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let withdrawn = withdrawn_outcomes(&tx, list).await?;
        tx.finish().await?;
        Ok(offer(list, &withdrawn))
    }

    /// Offers or withdraws one code of `list`; at least one code stays offered.
    pub(super) async fn set_outcome(
        &self,
        ctx: &Context,
        list: OutcomeList,
        req: SetOutcome,
    ) -> Result<Vec<OfferedOutcome>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let code = list.code("code", &req.code)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let existing = tx
            .scoped::<outcome_offer::Entity>()?
            .filter(outcome_offer::Column::List.eq(list.as_str()))
            .filter(outcome_offer::Column::Code.eq(code.as_str()))
            .one(tx.conn())
            .await?;
        let mut withdrawn = withdrawn_outcomes(&tx, list).await?;
        withdrawn.retain(|c| *c != code);
        if !req.offered {
            withdrawn.push(code.clone());
        }
        if withdrawn.len() >= list.codes().len() {
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
                outcome_offer::ActiveModel {
                    tenant_id: Set(tenant.uuid()),
                    id: Set(Uuid::now_v7()),
                    list: Set(list.as_str().to_owned()),
                    code: Set(code),
                    offered: Set(req.offered),
                    changed_by: Set(user.uuid()),
                    changed_at: Set(ctx.now()),
                }
                .insert(tx.conn())
                .await?
            }
        };
        let object = match list {
            OutcomeList::Case => "case_outcome",
            OutcomeList::Intervention => "intervention_outcome",
        };
        self.audit(&tx, ctx, "update", object, row.id, &["offered"])
            .await?;
        tx.commit().await?;
        Ok(offer(list, &withdrawn))
    }
}

/// The codes of `list` the tenant no longer offers.
pub(super) async fn withdrawn_outcomes(tx: &Tx, list: OutcomeList) -> Result<Vec<String>> {
    Ok(tx
        .scoped::<outcome_offer::Entity>()?
        .filter(outcome_offer::Column::List.eq(list.as_str()))
        .filter(outcome_offer::Column::Offered.eq(false))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| row.code)
        .collect())
}

/// `input` as a code of `list` the tenant offers, or `INVALID_INPUT` on `field`. Records already
/// carrying a withdrawn code keep it; only new choices are checked.
pub(super) async fn offered_outcome(
    tx: &Tx,
    list: OutcomeList,
    field: &str,
    input: &str,
) -> Result<String> {
    let code = list.code(field, input)?;
    if withdrawn_outcomes(tx, list).await?.contains(&code) {
        return Err(Error::on(
            field,
            sportello_kernel::Reason::NotInList {
                list: list.reason_list(),
            },
        )
        .saying(format!(
            "this outcome is not offered in this tenant; choose one of {}",
            list.query()
        )));
    }
    Ok(code)
}

/// The list, in order, with the tenant's choice.
fn offer(list: OutcomeList, withdrawn: &[String]) -> Vec<OfferedOutcome> {
    list.codes()
        .iter()
        .map(|code| OfferedOutcome {
            code: (*code).to_owned(),
            offered: !withdrawn.iter().any(|w| w == code),
        })
        .collect()
}
