//! What one GraphQL request reads of the cases service, batched ([`crate::batch`]): at most one
//! cases transaction per pass of resolvers, and for a case asked for by id, the case and the
//! parts of it the query selects together, in one transaction.

use std::sync::Arc;

use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::{Name, Value};
use futures::FutureExt;
use sportello_cases::{CaseId, CasesClient, Found, MAX_READS, OfCase, Paged, PersonId, Read};
use sportello_kernel::{Error, Result};

use crate::batch::{Batch, Fetch};

/// The cases reads of one GraphQL request.
pub struct CaseReads(Batch<Read, Found>);

impl CaseReads {
    pub fn new(client: CasesClient, ctx: sportello_kernel::Context) -> Self {
        let fetch: Fetch<Read, Found> = Arc::new(move |reads| {
            let (client, ctx) = (client.clone(), ctx.clone());
            async move { client.read(&ctx, reads).await }.boxed()
        });
        Self(Batch::new(MAX_READS, fetch))
    }

    pub async fn case(&self, id: CaseId) -> Result<sportello_cases::Case> {
        match self.0.load(Read::Case(id)).await? {
            Found::Case(c) => Ok(c),
            _ => Err(mismatch()),
        }
    }

    /// A case and, in the same transaction, the parts of it that the current field (whose value
    /// is this case) selects.
    pub async fn case_with_parts(
        &self,
        ctx: &async_graphql::Context<'_>,
        id: CaseId,
    ) -> Result<sportello_cases::Case> {
        self.prime(ctx, Read::Case(id), "Case", |field, page| {
            Some(match field.name.node.as_str() {
                "person" => Read::PersonOfCase(id),
                "plan" => Read::Plan(id),
                "needs" => Read::Needs(page(id)?),
                "encounters" => Read::Encounters(page(id)?),
                "interventions" => Read::Interventions(page(id)?),
                "referrals" => Read::Referrals(page(id)?),
                _ => return None,
            })
        })
        .await?;
        self.case(id).await
    }

    /// A person and, in the same transaction, the parts of their record that the current field
    /// (whose value is this person) selects.
    pub async fn person_with_parts(
        &self,
        ctx: &async_graphql::Context<'_>,
        id: PersonId,
    ) -> Result<sportello_cases::Person> {
        self.prime(ctx, Read::Person(id), "Person", |field, _| {
            (field.name.node == "consents").then_some(Read::Consents(id))
        })
        .await?;
        self.person(Read::Person(id)).await
    }

    /// Reads `first` together with the reads `part` maps the current field's selection on type
    /// `on` to, when there are any, and keeps them for their resolvers.
    async fn prime(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Read,
        on: &str,
        part: impl Fn(&Field, &dyn Fn(CaseId) -> Option<OfCase>) -> Option<Read>,
    ) -> Result<()> {
        let mut fields = Vec::new();
        collect(ctx, &ctx.item.node.selection_set.node, on, &mut fields);
        let mut reads = vec![first];
        for field in fields.into_iter().filter(|f| f.directives.is_empty()) {
            let page = |case_id: CaseId| page_of(ctx, field, case_id);
            if let Some(read) = part(field, &page).filter(|r| !reads.contains(r)) {
                reads.push(read);
            }
        }
        if reads.len() > 1 {
            self.0.prime(reads).await?;
        }
        Ok(())
    }

    pub async fn person(&self, read: Read) -> Result<sportello_cases::Person> {
        match self.0.load(read).await? {
            Found::Person(p) => Ok(*p),
            _ => Err(mismatch()),
        }
    }

    pub async fn consents(&self, id: PersonId) -> Result<Vec<sportello_cases::Consent>> {
        match self.0.load(Read::Consents(id)).await? {
            Found::Consents(c) => Ok(c),
            _ => Err(mismatch()),
        }
    }

    pub async fn needs(&self, of: OfCase) -> Result<Paged<sportello_cases::Need>> {
        match self.0.load(Read::Needs(of)).await? {
            Found::Needs(n) => Ok(n),
            _ => Err(mismatch()),
        }
    }

    pub async fn encounters(&self, of: OfCase) -> Result<Paged<sportello_cases::Encounter>> {
        match self.0.load(Read::Encounters(of)).await? {
            Found::Encounters(e) => Ok(e),
            _ => Err(mismatch()),
        }
    }

    pub async fn interventions(&self, of: OfCase) -> Result<Paged<sportello_cases::Intervention>> {
        match self.0.load(Read::Interventions(of)).await? {
            Found::Interventions(i) => Ok(i),
            _ => Err(mismatch()),
        }
    }

    pub async fn referrals(&self, of: OfCase) -> Result<Paged<sportello_cases::Referral>> {
        match self.0.load(Read::Referrals(of)).await? {
            Found::Referrals(r) => Ok(r),
            _ => Err(mismatch()),
        }
    }

    pub async fn plan(&self, id: CaseId) -> Result<Vec<sportello_cases::PlanGoal>> {
        match self.0.load(Read::Plan(id)).await? {
            Found::Plan(p) => Ok(p),
            _ => Err(mismatch()),
        }
    }
}

fn mismatch() -> Error {
    Error::internal("the cases service answered a read with another kind of result")
}

/// The page a list field asks for, as its resolver will (`first`, `after`), if its arguments are
/// those and valid; otherwise its resolver reads it (and reports what is wrong).
fn page_of(ctx: &async_graphql::Context<'_>, field: &Field, case_id: CaseId) -> Option<OfCase> {
    let only_paging = field
        .arguments
        .iter()
        .all(|(name, _)| matches!(name.node.as_str(), "first" | "after"));
    if !only_paging {
        return None;
    }
    let first = match argument(ctx, field, "first") {
        None => None,
        Some(Value::Number(n)) => Some(i32::try_from(n.as_i64()?).ok()?),
        Some(_) => return None,
    };
    let after = match argument(ctx, field, "after") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return None,
    };
    let page = super::super::page(first, after).ok()?;
    Some(OfCase { case_id, page })
}

/// The fields of a selection set that apply to an object of type `on`, through fragments;
/// fragments with a directive are left to their resolvers.
fn collect<'a>(
    ctx: &'a async_graphql::Context<'_>,
    set: &'a SelectionSet,
    on: &str,
    out: &mut Vec<&'a Field>,
) {
    let applies = |t: Option<&Name>| t.is_none_or(|t| t.as_str() == on || t.as_str() == "Node");
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => out.push(&field.node),
            Selection::InlineFragment(f) => {
                let t = f.node.type_condition.as_ref().map(|t| &t.node.on.node);
                if f.node.directives.is_empty() && applies(t) {
                    collect(ctx, &f.node.selection_set.node, on, out);
                }
            }
            Selection::FragmentSpread(spread) => {
                let fragments = &ctx.query_env.fragments;
                if let Some(f) = fragments.get(&spread.node.fragment_name.node) {
                    let t = &f.node.type_condition.node.on.node;
                    if spread.node.directives.is_empty() && applies(Some(t)) {
                        collect(ctx, &f.node.selection_set.node, on, out);
                    }
                }
            }
        }
    }
}

/// A field argument's value, with variables replaced (by their value, else their default).
fn argument(ctx: &async_graphql::Context<'_>, field: &Field, name: &str) -> Option<Value> {
    let env = &ctx.query_env;
    let raw = field.get_argument(name)?;
    raw.node
        .clone()
        .into_const_with(|var| {
            env.operation
                .node
                .variable_definitions
                .iter()
                .find(|def| def.node.name.node == var)
                .and_then(|def| env.variables.get(&var).or_else(|| def.node.default_value()))
                .cloned()
                .ok_or(())
        })
        .ok()
        .filter(|v| !matches!(v, Value::Null))
}
