//! Households and their members.

use super::*;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "HouseholdRole", remote = "sportello_cases::HouseholdRole")]
pub enum HouseholdRole {
    Head,
    Partner,
    Child,
    Parent,
    Sibling,
    Other,
}

/// A household ("nucleo familiare") and its members.
pub struct Household(pub cases::Household);

#[Object]
impl Household {
    /// Raised by one on every change; an update sends back the version it was based on
    /// (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    pub async fn id(&self) -> ID {
        encode(Kind::Household, self.0.id.uuid())
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn territory_code(&self) -> &str {
        &self.0.territory_code
    }
    #[graphql(complexity = "crate::cost::list(child_complexity)")]
    async fn members(&self) -> Vec<HouseholdMember> {
        self.0
            .members
            .iter()
            .cloned()
            .map(HouseholdMember)
            .collect()
    }
    /// How many members are under 18.
    async fn minors(&self) -> usize {
        self.0.members.iter().filter(|m| m.minor).count()
    }
}

/// A member of a household.
pub struct HouseholdMember(pub cases::HouseholdMember);

#[Object]
impl HouseholdMember {
    #[graphql(complexity = "crate::cost::audited(child_complexity)")]
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        let read = cases::Read::Person(self.0.person_id);
        reads(ctx)?.person(read).await.gql().map(Person)
    }
    async fn role(&self) -> HouseholdRole {
        self.0.role.into()
    }
    /// Under 18 today (the tenant's day), from the birth date as known; a part not known counts
    /// as its latest possible value (a year alone: a minor until the end of the year they turn
    /// 18), so no minor is shown as an adult.
    async fn minor(&self) -> bool {
        self.0.minor
    }
}
