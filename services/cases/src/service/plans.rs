//! The plan of a case: goals and steps.

use super::*;

impl CasesService {
    pub(super) async fn add_goal(&self, ctx: &Context, req: AddGoal) -> Result<PlanGoal> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let title = domain::title("title", &req.title)?;
        if let Some(review_on) = req.review_on {
            dates::planned_date("reviewOn", review_on, ctx.today())?;
        }
        let c = self
            .locked_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(no_such_case)?;
        open_or_conflict(&c)?;
        let need_ids = self.needs_of_case(&tx, c.id, &req.need_ids).await?;
        let key = self.vault.key(&tx, c.person_id).await?;
        let mut model = plan_goal::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(GoalId::new().uuid()),
            case_id: Set(c.id),
            title: Set(title),
            need_ids: Set(need_ids
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",")),
            status: Set(codes::goal_status(GoalStatus::Open).to_owned()),
            review_on: Set(req.review_on),
            created_at: Set(Utc::now()),
            sealed: Set(0),
        };
        model.seal(&key)?;
        let model = model.insert(tx.conn()).await?.open(Some(&key))?;
        self.audit(
            &tx,
            ctx,
            "create",
            "plan_goal",
            model.id,
            &["case", "title", "needs", "reviewOn"],
        )
        .await?;
        tx.commit().await?;
        domain::to_goal(model, Vec::new())
    }

    pub(super) async fn update_goal(&self, ctx: &Context, req: UpdateGoal) -> Result<PlanGoal> {
        if let Some(review_on) = req.review_on {
            dates::planned_date("reviewOn", review_on, ctx.today())?;
        }
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<plan_goal::Entity>(plan_goal::Column::Id, req.id.uuid())
            .await?;
        let c = self.visible_case(&tx, ctx, found.case_id).await?;
        let mut model = found.into_active_model();
        if let Some(status) = req.status {
            model.status = Set(codes::goal_status(status).to_owned());
        }
        if let Some(review_on) = req.review_on {
            model.review_on = Set(Some(review_on));
        }
        let model = tx
            .update_versioned::<plan_goal::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        let model = self.vault.open_one(&tx, c.person_id, model).await?;
        let steps = tx
            .scoped::<plan_step::Entity>()?
            .filter(plan_step::Column::GoalId.eq(model.id))
            .order_by_asc(plan_step::Column::Id)
            .all(tx.conn())
            .await?;
        let steps = self.vault.open_all(&tx, c.person_id, steps).await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "plan_goal",
            model.id,
            &["status", "reviewOn"],
        )
        .await?;
        tx.commit().await?;
        domain::to_goal(model, steps)
    }

    pub(super) async fn add_step(&self, ctx: &Context, req: AddStep) -> Result<PlanStep> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let title = domain::title("title", &req.title)?;
        if let Some(due_on) = req.due_on {
            dates::planned_date("dueOn", due_on, ctx.today())?;
        }
        let goal = tx
            .find::<plan_goal::Entity>(plan_goal::Column::Id, req.goal_id.uuid())
            .await
            .map_err(|_| {
                Error::on(
                    "goalId",
                    sportello_kernel::Reason::NoSuch {
                        object: sportello_kernel::error::Object::Goal,
                    },
                )
            })?;
        let c = self
            .locked_case(&tx, ctx, goal.case_id)
            .await
            .map_err(|_| {
                Error::on(
                    "goalId",
                    sportello_kernel::Reason::NoSuch {
                        object: sportello_kernel::error::Object::Goal,
                    },
                )
            })?;
        open_or_conflict(&c)?;
        let key = self.vault.key(&tx, c.person_id).await?;
        let mut model = plan_step::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(StepId::new().uuid()),
            goal_id: Set(goal.id),
            title: Set(title),
            owner: Set(codes::step_owner(req.owner).to_owned()),
            due_on: Set(req.due_on),
            status: Set(codes::step_status(StepStatus::Todo).to_owned()),
            created_at: Set(Utc::now()),
            sealed: Set(0),
        };
        model.seal(&key)?;
        let model = model.insert(tx.conn()).await?.open(Some(&key))?;
        self.audit(
            &tx,
            ctx,
            "create",
            "plan_step",
            model.id,
            &["goal", "title", "owner", "dueOn"],
        )
        .await?;
        tx.commit().await?;
        domain::to_step(model)
    }

    pub(super) async fn change_step_status(
        &self,
        ctx: &Context,
        req: ChangeStepStatus,
    ) -> Result<PlanStep> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<plan_step::Entity>(plan_step::Column::Id, req.id.uuid())
            .await?;
        let goal = tx
            .find::<plan_goal::Entity>(plan_goal::Column::Id, found.goal_id)
            .await?;
        let c = self.visible_case(&tx, ctx, goal.case_id).await?;
        let mut model = found.into_active_model();
        model.status = Set(codes::step_status(req.status).to_owned());
        let model = tx
            .update_versioned::<plan_step::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?;
        let model = self.vault.open_one(&tx, c.person_id, model).await?;
        self.audit(&tx, ctx, "update", "plan_step", model.id, &["status"])
            .await?;
        tx.commit().await?;
        domain::to_step(model)
    }
}
