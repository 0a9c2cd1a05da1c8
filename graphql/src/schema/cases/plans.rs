//! The plan of a case: goals and steps.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "GoalStatus", remote = "sportello_cases::GoalStatus")]
pub enum GoalStatus {
    Open,
    Achieved,
    Dropped,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "StepOwner", remote = "sportello_cases::StepOwner")]
pub enum StepOwner {
    Operator,
    Person,
    Volunteer,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "StepStatus", remote = "sportello_cases::StepStatus")]
pub enum StepStatus {
    Todo,
    Done,
    Cancelled,
}

/// A goal of the personalised autonomy plan, with its steps.
pub struct PlanGoal(pub cases::PlanGoal);

#[Object]
impl PlanGoal {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Goal, self.0.id.uuid())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn need_ids(&self) -> Vec<ID> {
        self.0
            .need_ids
            .iter()
            .map(|n| encode(Kind::Need, n.uuid()))
            .collect()
    }
    async fn status(&self) -> GoalStatus {
        self.0.status.into()
    }
    async fn review_on(&self) -> Option<NaiveDate> {
        self.0.review_on
    }
    #[graphql(complexity = "crate::cost::list(child_complexity)")]
    async fn steps(&self) -> Vec<PlanStep> {
        self.0.steps.iter().cloned().map(PlanStep).collect()
    }
}

/// A step towards a goal, with its owner and due date.
pub struct PlanStep(pub cases::PlanStep);

#[Object]
impl PlanStep {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn id(&self) -> ID {
        encode(Kind::Step, self.0.id.uuid())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn owner(&self) -> StepOwner {
        self.0.owner.into()
    }
    async fn due_on(&self) -> Option<NaiveDate> {
        self.0.due_on
    }
    async fn status(&self) -> StepStatus {
        self.0.status.into()
    }
}

#[derive(InputObject)]
pub struct AddGoalInput {
    pub case_id: ID,
    pub title: String,
    #[graphql(default)]
    pub need_ids: Vec<ID>,
    /// From the tenant's today (its local date) to five years ahead; an earlier day is
    /// `INVALID_INPUT` on `reviewOn`.
    pub review_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct AddStepInput {
    pub goal_id: ID,
    pub title: String,
    pub owner: StepOwner,
    /// From the tenant's today (its local date) to five years ahead; an earlier day is
    /// `INVALID_INPUT` on `dueOn`.
    pub due_on: Option<NaiveDate>,
}
