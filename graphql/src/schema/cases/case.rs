//! The case object and the filter of the case list.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CaseStatus", remote = "sportello_cases::CaseStatus")]
pub enum CaseStatus {
    Intake,
    Active,
    Monitoring,
    Closed,
}

/// A "presa in carico": a person's path from intake to closure.
pub struct Case(pub cases::Case);

#[Object]
impl Case {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    pub async fn id(&self) -> ID {
        encode(Kind::Case, self.0.id.uuid())
    }
    async fn status(&self) -> CaseStatus {
        self.0.status.into()
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    async fn reopen_reason(&self) -> Option<&str> {
        self.0.reopen_reason.as_deref()
    }
    /// The person; reading it is audited.
    #[graphql(complexity = "crate::cost::audited(child_complexity)")]
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        let read = cases::Read::PersonOfCase(self.0.id);
        reads(ctx)?.person(read).await.gql().map(Person)
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn encounters(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Encounter>> {
        let (reads, case_id) = (reads(ctx)?, self.0.id);
        let fetch = |page| reads.encounters(OfCase { case_id, page });
        paginate(first, after, fetch, |e| e.id.uuid(), Encounter).await
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Need>> {
        let (reads, case_id) = (reads(ctx)?, self.0.id);
        let fetch = |page| reads.needs(OfCase { case_id, page });
        paginate(first, after, fetch, |n| n.id.uuid(), Need).await
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn referrals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Referral>> {
        let (reads, case_id) = (reads(ctx)?, self.0.id);
        let fetch = |page| reads.referrals(OfCase { case_id, page });
        paginate(first, after, fetch, |r| r.id.uuid(), Referral).await
    }
    /// The personalised autonomy plan.
    #[graphql(complexity = "crate::cost::list(child_complexity)")]
    async fn plan(&self, ctx: &Context<'_>) -> GqlResult<Vec<PlanGoal>> {
        let plan = reads(ctx)?.plan(self.0.id).await.gql()?;
        Ok(plan.into_iter().map(PlanGoal).collect())
    }
    #[graphql(complexity = "crate::cost::page(first, child_complexity)")]
    async fn interventions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Intervention>> {
        let (reads, case_id) = (reads(ctx)?, self.0.id);
        let fetch = |page| reads.interventions(OfCase { case_id, page });
        paginate(first, after, fetch, |i| i.id.uuid(), Intervention).await
    }
}

#[derive(InputObject)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub territory_code: Option<String>,
    pub need: Option<NeedCode>,
    pub opened_from: Option<DateTime<Utc>>,
    pub opened_to: Option<DateTime<Utc>>,
    /// Only this person's cases.
    pub person_id: Option<ID>,
    /// Only the cases whose primary operator is the viewer.
    #[graphql(default)]
    pub mine: bool,
}
