//! Cases: opening, the status life cycle, reading and listing.

use super::*;
use sea_orm::{EntityTrait, QueryTrait};

impl CasesService {
    pub(super) async fn open_case(&self, ctx: &Context, req: OpenCase) -> Result<Case> {
        let user = ctx.user()?;
        // What the tenancy service must confirm comes first, so that the person's row is not
        // locked across a call to another service.
        let territory = match &req.territory_code {
            Some(code) => Some(self.check_territory(ctx, "territoryCode", code).await?),
            None => None,
        };
        if let Some(desk) = req.desk_id {
            self.tenancy.get_desk(ctx, desk).await.map_err(|_| {
                Error::on(
                    "deskId",
                    sportello_kernel::Reason::NoSuch {
                        object: sportello_kernel::error::Object::Desk,
                    },
                )
            })?;
        }
        // One transaction: the person's row stays locked until the case is stored, so two
        // openings for one person are decided one after the other.
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let no_such_person = || {
            Error::on(
                "personId",
                sportello_kernel::Reason::NoSuch {
                    object: sportello_kernel::error::Object::Person,
                },
            )
        };
        let p = match tx
            .find_for_update::<person::Entity>(person::Column::Id, req.person_id.uuid())
            .await
        {
            Ok(p) if ctx.covers_territory(&p.territory_code) => p,
            Ok(_) => return Err(no_such_person()),
            Err(err) if err.code == ErrorCode::NotFound => return Err(no_such_person()),
            Err(err) => return Err(err),
        };
        let territory = territory.unwrap_or_else(|| p.territory_code.clone());
        // The open case and both consent decisions in one statement: case management is
        // required, a withdrawal from statistics keeps the opening out of the analytics events.
        let (open, [case_management, statistics]) = self.opening_state(&tx, p.id).await?;
        open_case_conflict(ctx, open, "personId")?;
        if case_management != Some(true) {
            return Err(Error::on(
                "personId",
                sportello_kernel::Reason::ConsentMissing {
                    purpose: sportello_kernel::error::Purpose::CaseManagement,
                },
            ));
        }
        let now = ctx.now();
        let model = case::Model {
            tenant_id: tenant.uuid(),
            version: 1,
            id: CaseId::new().uuid(),
            person_id: p.id,
            status: codes::status(CaseStatus::Intake).to_owned(),
            outcome: None,
            territory_code: territory,
            desk_id: req.desk_id.map(|d| d.uuid()),
            primary_operator: user.uuid(),
            opened_at: now,
            closed_at: None,
            reopen_reason: None,
            updated_at: now,
            // Nothing to seal yet: a reopening reason is sealed when one is given.
            sealed: 1,
        };
        // Written with the audit entry and the event when the transaction commits: the person's
        // lock and the check above leave nothing that could refuse it but the database itself.
        tx.defer(
            case::Entity::insert(model.clone().into_active_model()).build(tx.backend()),
            None,
        );
        self.audit(
            &tx,
            ctx,
            "create",
            "case",
            model.id,
            &["person", "status", "territory", "desk", "operator"],
        )
        .await?;
        let opened = events::Happened::at(model.opened_at);
        let counted = statistics != Some(false);
        events::emit_if_counted(&tx, &self.pseudonyms, ctx, &p, counted, opened, |keys| {
            Event::CaseOpened {
                case: keys.case(model.id),
                case_territory: model.territory_code.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_case(model)
    }

    pub(super) async fn change_case_status(
        &self,
        ctx: &Context,
        req: ChangeCaseStatus,
    ) -> Result<Case> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = self.locked_case(&tx, ctx, req.id.uuid()).await?;
        // A change based on an older reading is stale before it is an illegal transition: the
        // user must first see what changed.
        if found.version != req.expected_version {
            return Err(Error::stale(found.version));
        }
        let from = codes::parse_status(&found.status)?;
        let change =
            domain::transition(from, req.to, req.outcome.as_deref(), req.reason.as_deref())?;
        if let domain::Transition::Close { outcome } = &change {
            outcomes::offered_outcome(&tx, OutcomeList::Case, "outcome", outcome).await?;
        }
        let person = tx
            .find_for_update::<person::Entity>(person::Column::Id, found.person_id)
            .await?;
        if let domain::Transition::Reopen { .. } = change {
            self.no_other_open_case(&tx, ctx, person.id, Some(found.id), "to")
                .await?;
        }
        let key = self.vault.key(&tx, person.id).await?;
        let mut model = found.open(Some(&key))?.into_active_model();
        let now = ctx.now();
        model.status = Set(codes::status(req.to).to_owned());
        model.updated_at = Set(now);
        match &change {
            domain::Transition::Close { outcome } => {
                model.outcome = Set(Some(outcome.clone()));
                model.closed_at = Set(Some(now));
            }
            domain::Transition::Reopen { reason } => {
                model.outcome = Set(None);
                model.closed_at = Set(None);
                model.reopen_reason = Set(Some(reason.clone()));
            }
            domain::Transition::Move => {}
        }
        model.seal(&key)?;
        let model = tx
            .update_versioned::<case::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?
            .open(Some(&key))?;
        self.audit(&tx, ctx, "update", "case", model.id, &["status"])
            .await?;
        let changed = events::Happened::at(now);
        events::emit(&tx, &self.pseudonyms, ctx, &person, changed, |keys| {
            let case = keys.case(model.id);
            match &change {
                domain::Transition::Close { outcome } => Event::CaseClosed {
                    case,
                    outcome: outcome.clone(),
                },
                domain::Transition::Reopen { .. } => Event::CaseReopened { case },
                domain::Transition::Move => Event::CaseStatusChanged {
                    case,
                    status: codes::status(req.to).to_owned(),
                },
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_case(model)
    }

    pub(super) async fn list_cases(&self, ctx: &Context, req: ListCases) -> Result<Paged<Case>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let mut select = tx.scoped::<case::Entity>()?;
        if let Some(status) = req.status {
            select = select.filter(case::Column::Status.eq(codes::status(status)));
        }
        if let Some(code) = &req.territory_code {
            select = select.filter(case::Column::TerritoryCode.eq(code.trim()));
        }
        if !ctx.actor.territories.is_empty() {
            select =
                select.filter(case::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
        }
        if let Some(operator) = req.primary_operator {
            select = select.filter(case::Column::PrimaryOperator.eq(operator.uuid()));
        }
        if let Some(from) = req.opened_from {
            let from = dates::filter("openedFrom", from)?;
            select = select.filter(case::Column::OpenedAt.gte(from));
        }
        if let Some(to) = req.opened_to {
            let to = dates::filter("openedTo", to)?;
            select = select.filter(case::Column::OpenedAt.lt(to));
        }
        if let Some(person) = req.person_id {
            select = select.filter(case::Column::PersonId.eq(person.uuid()));
        }
        if let Some(code) = req.need_code {
            let with_need: Vec<Uuid> = tx
                .scoped::<need::Entity>()?
                .select_only()
                .column(need::Column::CaseId)
                .filter(need::Column::Code.eq(codes::need(code)))
                .distinct()
                .into_tuple()
                .all(tx.conn())
                .await?;
            select = select.filter(case::Column::Id.is_in(with_need));
        }
        let mut rows = tx.page(select, case::Column::Id, &req.page).await?;
        rows.items = self
            .vault
            .open_rows(&tx, std::mem::take(&mut rows.items), |c| c.person_id)
            .await?;
        tx.finish().await?;
        rows.try_map(domain::to_case)
    }
}
