//! The cases service: authorisation (staff roles, territory limits), transaction boundaries,
//! the case life cycle, the audit trail and the outbox.

use async_trait::async_trait;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sportello_kernel::db::{Db, Paged, Scope, StoreConfig, TenantOwned, Tx};
use sportello_kernel::pseudonym::Pseudonyms;
use sportello_kernel::{Context, Error, ErrorCode, Result, Role, TenantId, dates};
use sportello_tenancy::{ListTerritories, TenancyClient};
use uuid::Uuid;

use crate::audit::{self, Audit};
use crate::domain::{self, codes};
use crate::events::{self, Event};
use crate::interface::*;
use crate::store::{
    Migrator, appointment, case, consent, encounter, household, intervention, need, need_type,
    person, plan_goal, plan_step, referral,
};

/// Most persons scored in one duplicate search.
const MAX_CANDIDATES: u64 = 5000;

/// The fields of a person's record, as named in the audit log.
const PERSON_FIELDS: [&str; 14] = [
    "names",
    "latinNames",
    "birth",
    "sex",
    "gender",
    "countryOfBirth",
    "citizenships",
    "languages",
    "phone",
    "email",
    "codiceFiscale",
    "legalStatus",
    "territory",
    "household",
];

#[derive(Clone)]
pub struct CasesService {
    db: Db,
    tenancy: TenancyClient,
    pseudonyms: Pseudonyms,
}

impl CasesService {
    pub async fn open(config: &StoreConfig, migrate: bool, tenancy: TenancyClient) -> Result<Self> {
        Ok(Self {
            db: Db::open::<Migrator>(config, migrate).await?,
            pseudonyms: Pseudonyms::new(std::sync::Arc::new(tenancy.clone()), events::PRODUCER),
            tenancy,
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The request's transaction in its tenant. Who may call each operation is declared in the
    /// interface and checked before the call reaches this service's methods.
    async fn staff_tx(&self, ctx: &Context) -> Result<(TenantId, Tx)> {
        let tenant = ctx.tenant()?;
        Ok((tenant, self.db.begin(Scope::Tenant(tenant)).await?))
    }

    async fn audit(
        &self,
        tx: &Tx,
        ctx: &Context,
        action: &str,
        object_type: &str,
        id: Uuid,
        fields: &[&str],
    ) -> Result<()> {
        let entry = Audit {
            action,
            object_type,
            object_id: id,
            fields,
        };
        audit::append(tx, self.db.backend(), ctx.actor.user_id, entry).await
    }

    /// The territory must exist in the tenant (asked of the tenancy service) and be within the
    /// actor's territory limits.
    async fn check_territory(&self, ctx: &Context, field: &str, code: &str) -> Result<String> {
        let code = code.trim().to_owned();
        if !ctx.covers_territory(&code) {
            return Err(Error::invalid(
                field,
                "this territory is outside your territories",
            ));
        }
        let req = ListTerritories {
            istat_code: Some(code.clone()),
            ..ListTerritories::default()
        };
        let found = self.tenancy.list_territories(ctx, req).await?;
        if found.items.is_empty() {
            return Err(Error::invalid(field, "no such territory in this tenant"));
        }
        Ok(code)
    }

    /// A person of the tenant within the actor's territories, or `NOT_FOUND`.
    async fn visible_person(&self, tx: &Tx, ctx: &Context, id: Uuid) -> Result<person::Model> {
        let found = tx.find::<person::Entity>(person::Column::Id, id).await?;
        if ctx.covers_territory(&found.territory_code) {
            Ok(found)
        } else {
            Err(Error::not_found())
        }
    }

    /// A household of the tenant registered in one of the actor's territories or with at least
    /// one member the actor may see, or `NOT_FOUND`.
    async fn visible_household(
        &self,
        tx: &Tx,
        ctx: &Context,
        id: Uuid,
    ) -> Result<household::Model> {
        let found = tx
            .find::<household::Entity>(household::Column::Id, id)
            .await?;
        if ctx.covers_territory(&found.territory_code) {
            return Ok(found);
        }
        let member = tx
            .scoped::<person::Entity>()?
            .select_only()
            .column(person::Column::Id)
            .filter(person::Column::HouseholdId.eq(found.id))
            .filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()))
            .into_tuple::<Uuid>()
            .one(tx.conn())
            .await?;
        match member {
            Some(_) => Ok(found),
            None => Err(Error::not_found()),
        }
    }

    /// The members of a household the actor may see: those followed in the actor's territories.
    /// The others (and so the minors among them) do not exist for a limited actor.
    async fn members(&self, tx: &Tx, ctx: &Context, household: Uuid) -> Result<Vec<person::Model>> {
        let mut select = tx
            .scoped::<person::Entity>()?
            .filter(person::Column::HouseholdId.eq(household));
        if !ctx.actor.territories.is_empty() {
            select =
                select.filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
        }
        Ok(select
            .order_by_asc(person::Column::Id)
            .all(tx.conn())
            .await?)
    }

    async fn visible_case(&self, tx: &Tx, ctx: &Context, id: Uuid) -> Result<case::Model> {
        let found = tx.find::<case::Entity>(case::Column::Id, id).await?;
        if ctx.covers_territory(&found.territory_code) {
            Ok(found)
        } else {
            Err(Error::not_found())
        }
    }

    async fn person_model(&self, ctx: &Context, input: PersonInput) -> Result<domain::ValidPerson> {
        let valid = domain::ValidPerson::parse(input)?;
        let territory = self
            .check_territory(ctx, "territoryCode", &valid.territory_code)
            .await?;
        Ok(domain::ValidPerson {
            territory_code: territory,
            ..valid
        })
    }

    /// One page of the items of a visible case, oldest first; the read is audited as the case's
    /// `field`.
    async fn of_case<E: TenantOwned, T>(
        &self,
        ctx: &Context,
        req: &OfCase,
        field: &str,
        case_column: E::Column,
        id_column: E::Column,
        map: fn(E::Model) -> Result<T>,
    ) -> Result<Paged<T>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let c = self.visible_case(&tx, ctx, req.case_id.uuid()).await?;
        let select = tx.scoped::<E>()?.filter(case_column.eq(c.id));
        let (rows, has_next_page) = tx.page(select, id_column, &req.page).await?;
        self.audit(&tx, ctx, "read", "case", c.id, &[field]).await?;
        tx.commit().await?;
        Paged {
            items: rows,
            has_next_page,
        }
        .try_map(map)
    }

    /// Checks that every need belongs to the case; returns their ids.
    async fn needs_of_case(&self, tx: &Tx, case: Uuid, ids: &[NeedId]) -> Result<Vec<Uuid>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            // A need of another case (perhaps one the actor may not see) answers like a missing one.
            let n = tx
                .find::<need::Entity>(need::Column::Id, id.uuid())
                .await
                .ok()
                .filter(|n| n.case_id == case)
                .ok_or_else(|| Error::invalid("needIds", "no such need in this case"))?;
            out.push(n.id);
        }
        Ok(out)
    }

    async fn current_consent(
        &self,
        tx: &Tx,
        person: Uuid,
        purpose: ConsentPurpose,
    ) -> Result<bool> {
        let latest = tx
            .scoped::<consent::Entity>()?
            .filter(consent::Column::PersonId.eq(person))
            .filter(consent::Column::Purpose.eq(codes::consent(purpose)))
            .order_by_desc(consent::Column::Id)
            .one(tx.conn())
            .await?;
        Ok(latest.is_some_and(|c| c.given))
    }
}

#[async_trait]
impl Cases for CasesService {
    async fn ready(&self, _ctx: &Context, _req: ()) -> Result<()> {
        self.db.ping().await
    }

    async fn create_person(&self, ctx: &Context, req: PersonInput) -> Result<Person> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let valid = self.person_model(ctx, req).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(cf) = &valid.codice_fiscale {
            let taken = tx
                .scoped::<person::Entity>()?
                .filter(person::Column::CodiceFiscale.eq(cf))
                .one(tx.conn())
                .await?;
            if taken.is_some() {
                return Err(Error::invalid(
                    "codiceFiscale",
                    "a person with this codice fiscale is already registered",
                ));
            }
        }
        let now = Utc::now();
        let model = valid
            .into_model(tenant.uuid(), PersonId::new().uuid(), user.uuid(), now, now)
            .insert(tx.conn())
            .await?;
        self.audit(&tx, ctx, "create", "person", model.id, &PERSON_FIELDS)
            .await?;
        tx.commit().await?;
        domain::to_person(model)
    }

    async fn update_person(&self, ctx: &Context, req: UpdatePerson) -> Result<Person> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let existing = self.visible_person(&tx, ctx, req.id.uuid()).await?;
        tx.finish().await?;
        let valid = self.person_model(ctx, req.input).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(cf) = &valid.codice_fiscale {
            let taken = tx
                .scoped::<person::Entity>()?
                .filter(person::Column::CodiceFiscale.eq(cf))
                .filter(person::Column::Id.ne(existing.id))
                .one(tx.conn())
                .await?;
            if taken.is_some() {
                return Err(Error::invalid(
                    "codiceFiscale",
                    "a person with this codice fiscale is already registered",
                ));
            }
        }
        let changed = valid.changed_fields(&existing);
        let mut model = valid.into_model(
            tenant.uuid(),
            existing.id,
            existing.created_by,
            existing.created_at,
            Utc::now(),
        );
        model.household_id = Set(existing.household_id);
        model.household_role = Set(existing.household_role);
        let model = model.reset_all().update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "person", model.id, &changed)
            .await?;
        tx.commit().await?;
        domain::to_person(model)
    }

    async fn get_person(&self, ctx: &Context, req: PersonId) -> Result<Person> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = self.visible_person(&tx, ctx, req.uuid()).await?;
        self.audit(&tx, ctx, "read", "person", found.id, &PERSON_FIELDS)
            .await?;
        tx.commit().await?;
        domain::to_person(found)
    }

    async fn list_persons(&self, ctx: &Context, req: ListPersons) -> Result<Paged<Person>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let mut select = tx.scoped::<person::Entity>()?;
        if let Some(code) = &req.territory_code {
            select = select.filter(person::Column::TerritoryCode.eq(code.trim()));
        }
        if !ctx.actor.territories.is_empty() {
            select =
                select.filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
        }
        let (rows, has_next_page) = tx.page(select, person::Column::Id, &req.page).await?;
        for row in &rows {
            self.audit(
                &tx,
                ctx,
                "read",
                "person",
                row.id,
                &["names", "birth", "territory"],
            )
            .await?;
        }
        tx.commit().await?;
        Paged {
            items: rows,
            has_next_page,
        }
        .try_map(domain::to_person)
    }

    async fn find_duplicates(
        &self,
        ctx: &Context,
        req: FindDuplicates,
    ) -> Result<Vec<PersonMatch>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let full = format!("{} {}", req.given_names.trim(), req.family_names.trim());
        if full.trim().is_empty() {
            return Err(Error::invalid(
                "familyNames",
                "give at least one name to search for",
            ));
        }
        let skeleton = domain::names::name_skeleton(&domain::names::name_key(&full));
        let limit = req.limit.clamp(1, 50) as usize;
        // Candidates share the start of the tokens' consonant skeletons with the query (vowels
        // and scripts vary, consonants much less); the matcher then ranks them. First every token
        // must match (narrow, precise); only when that finds too few, any token may.
        let mut matches = Vec::new();
        for all_tokens in [true, false] {
            let mut condition = if all_tokens {
                sea_orm::Condition::all()
            } else {
                sea_orm::Condition::any()
            };
            for token in skeleton.split_whitespace() {
                let prefix: String = token.chars().take(2).collect();
                condition = condition.add(person::Column::NameSkeleton.contains(&prefix));
            }
            let mut select = tx
                .scoped::<person::Entity>()?
                .filter(condition)
                .limit(MAX_CANDIDATES);
            if !ctx.actor.territories.is_empty() {
                select = select
                    .filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
            }
            matches = select
                .all(tx.conn())
                .await?
                .into_iter()
                .map(|p| {
                    let theirs = format!("{} {}", p.latin_given_names, p.latin_family_names);
                    let original = format!("{} {}", p.given_names, p.family_names);
                    let score = domain::names::similarity(&full, &theirs)
                        .max(domain::names::similarity(&full, &original));
                    (score, p)
                })
                .filter(|(score, _)| *score >= domain::names::DUPLICATE_THRESHOLD)
                .collect::<Vec<_>>();
            if matches.len() >= limit {
                break;
            }
        }
        matches.sort_by(|a, b| b.0.total_cmp(&a.0));
        matches.truncate(limit);
        for (_, p) in &matches {
            self.audit(
                &tx,
                ctx,
                "read",
                "person",
                p.id,
                &["names", "birth", "territory"],
            )
            .await?;
        }
        tx.commit().await?;
        matches
            .into_iter()
            .map(|(score, p)| {
                Ok(PersonMatch {
                    person: domain::to_person(p)?,
                    score,
                })
            })
            .collect()
    }

    async fn record_consent(&self, ctx: &Context, req: RecordConsent) -> Result<Consent> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let p = self.visible_person(&tx, ctx, req.person_id.uuid()).await?;
        let model = consent::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(ConsentId::new().uuid()),
            person_id: Set(p.id),
            purpose: Set(codes::consent(req.purpose).to_owned()),
            given: Set(req.given),
            recorded_at: Set(Utc::now()),
            recorded_by: Set(user.uuid()),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            if req.given {
                "consent_given"
            } else {
                "consent_withdrawn"
            },
            "person",
            p.id,
            &["consent"],
        )
        .await?;
        tx.commit().await?;
        domain::to_consent(model)
    }

    async fn consents_of(&self, ctx: &Context, req: PersonId) -> Result<Vec<Consent>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let p = self.visible_person(&tx, ctx, req.uuid()).await?;
        let rows = tx
            .scoped::<consent::Entity>()?
            .filter(consent::Column::PersonId.eq(p.id))
            .order_by_asc(consent::Column::Id)
            .all(tx.conn())
            .await?;
        self.audit(&tx, ctx, "read", "person", p.id, &["consent"])
            .await?;
        tx.commit().await?;
        rows.into_iter().map(domain::to_consent).collect()
    }

    async fn open_case(&self, ctx: &Context, req: OpenCase) -> Result<Case> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let p = self
            .visible_person(&tx, ctx, req.person_id.uuid())
            .await
            .map_err(|_| Error::invalid("personId", "no such person"))?;
        tx.finish().await?;
        let territory = match &req.territory_code {
            Some(code) => self.check_territory(ctx, "territoryCode", code).await?,
            None => p.territory_code.clone(),
        };
        if let Some(desk) = req.desk_id {
            self.tenancy
                .get_desk(ctx, desk)
                .await
                .map_err(|_| Error::invalid("deskId", "no such desk in this tenant"))?;
        }
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if !self
            .current_consent(&tx, p.id, ConsentPurpose::CaseManagement)
            .await?
        {
            return Err(Error::invalid(
                "personId",
                "record the person's consent to case management first",
            ));
        }
        let now = Utc::now();
        let model = case::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(CaseId::new().uuid()),
            person_id: Set(p.id),
            status: Set(codes::status(CaseStatus::Intake).to_owned()),
            outcome: Set(None),
            territory_code: Set(territory),
            desk_id: Set(req.desk_id.map(|d| d.uuid())),
            primary_operator: Set(user.uuid()),
            opened_at: Set(now),
            closed_at: Set(None),
            reopen_reason: Set(None),
            updated_at: Set(now),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "case",
            model.id,
            &["person", "status", "territory", "desk", "operator"],
        )
        .await?;
        events::emit(&tx, &self.pseudonyms, ctx, &p, |keys| Event::CaseOpened {
            case: keys.case(model.id),
            case_territory: model.territory_code.clone(),
        })
        .await?;
        tx.commit().await?;
        domain::to_case(model)
    }

    async fn change_case_status(&self, ctx: &Context, req: ChangeCaseStatus) -> Result<Case> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = self.visible_case(&tx, ctx, req.id.uuid()).await?;
        let from = codes::parse_status(&found.status)?;
        let change =
            domain::transition(from, req.to, req.outcome.as_deref(), req.reason.as_deref())?;
        let person = tx
            .find::<person::Entity>(person::Column::Id, found.person_id)
            .await?;
        let mut model = found.into_active_model();
        let now = Utc::now();
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
        let model = model.update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "case", model.id, &["status"])
            .await?;
        events::emit(&tx, &self.pseudonyms, ctx, &person, |keys| {
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

    async fn get_case(&self, ctx: &Context, req: CaseId) -> Result<Case> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = self.visible_case(&tx, ctx, req.uuid()).await?;
        tx.finish().await?;
        domain::to_case(found)
    }

    async fn list_cases(&self, ctx: &Context, req: ListCases) -> Result<Paged<Case>> {
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
        let (rows, has_next_page) = tx.page(select, case::Column::Id, &req.page).await?;
        tx.finish().await?;
        Paged {
            items: rows,
            has_next_page,
        }
        .try_map(domain::to_case)
    }

    async fn add_encounter(&self, ctx: &Context, req: AddEncounter) -> Result<Encounter> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let valid = domain::ValidEncounter::parse(&req)?;
        let c = self
            .visible_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(|_| Error::invalid("caseId", "no such case"))?;
        open_or_conflict(&c)?;
        let model = encounter::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(EncounterId::new().uuid()),
            case_id: Set(c.id),
            occurred_at: Set(req.occurred_at),
            channel: Set(codes::channel(req.channel).to_owned()),
            language: Set(valid.language),
            mediator_present: Set(req.mediator_present),
            duration_minutes: Set(req.duration_minutes.map(|d| d as i32)),
            notes: Set(valid.notes),
            created_by: Set(user.uuid()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "encounter",
            model.id,
            &[
                "case",
                "occurredAt",
                "channel",
                "language",
                "mediator",
                "duration",
                "notes",
            ],
        )
        .await?;
        tx.commit().await?;
        domain::to_encounter(model)
    }

    async fn list_encounters(&self, ctx: &Context, req: OfCase) -> Result<Paged<Encounter>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let c = self.visible_case(&tx, ctx, req.case_id.uuid()).await?;
        let select = tx
            .scoped::<encounter::Entity>()?
            .filter(encounter::Column::CaseId.eq(c.id));
        let (rows, has_next_page) = tx
            .page_newest_first(select, encounter::Column::Id, &req.page)
            .await?;
        self.audit(&tx, ctx, "read", "case", c.id, &["encounters"])
            .await?;
        tx.commit().await?;
        Paged {
            items: rows,
            has_next_page,
        }
        .try_map(domain::to_encounter)
    }

    async fn record_need(&self, ctx: &Context, req: RecordNeed) -> Result<Need> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let c = self
            .visible_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(|_| Error::invalid("caseId", "no such case"))?;
        open_or_conflict(&c)?;
        if let Some(enc) = req.encounter_id {
            tx.find::<encounter::Entity>(encounter::Column::Id, enc.uuid())
                .await
                .ok()
                .filter(|e| e.case_id == c.id)
                .ok_or_else(|| Error::invalid("encounterId", "no such encounter in this case"))?;
        }
        let type_code = match req.type_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => {
                let found = tx
                    .scoped::<need_type::Entity>()?
                    .filter(need_type::Column::Code.eq(code))
                    .one(tx.conn())
                    .await?
                    .filter(|t| !t.retired)
                    .ok_or_else(|| Error::invalid("typeCode", "no such need type in use"))?;
                if found.category != codes::need(req.code) {
                    return Err(Error::invalid(
                        "typeCode",
                        "this need type belongs to another category",
                    ));
                }
                Some(found.code)
            }
        };
        let model = need::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(NeedId::new().uuid()),
            case_id: Set(c.id),
            type_code: Set(type_code),
            code: Set(codes::need(req.code).to_owned()),
            source: Set(codes::source(req.source).to_owned()),
            status: Set(codes::need_status(NeedStatus::Open).to_owned()),
            encounter_id: Set(req.encounter_id.map(|e| e.uuid())),
            noted_at: Set(Utc::now()),
            noted_by: Set(user.uuid()),
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
            "need",
            model.id,
            &["case", "code", "source"],
        )
        .await?;
        events::emit(&tx, &self.pseudonyms, ctx, &person, |_| {
            Event::NeedRecorded {
                need: model.code.clone(),
                source: model.source.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_need(model)
    }

    async fn change_need_status(&self, ctx: &Context, req: ChangeNeedStatus) -> Result<Need> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<need::Entity>(need::Column::Id, req.id.uuid())
            .await?;
        self.visible_case(&tx, ctx, found.case_id).await?;
        let mut model = found.into_active_model();
        model.status = Set(codes::need_status(req.status).to_owned());
        let model = model.update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "need", model.id, &["status"])
            .await?;
        tx.commit().await?;
        domain::to_need(model)
    }

    async fn list_needs(&self, ctx: &Context, req: OfCase) -> Result<Paged<Need>> {
        self.of_case::<need::Entity, _>(
            ctx,
            &req,
            "needs",
            need::Column::CaseId,
            need::Column::Id,
            domain::to_need,
        )
        .await
    }

    async fn list_need_types(&self, ctx: &Context, _: ()) -> Result<Vec<NeedType>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<need_type::Entity>()?
            .order_by_asc(need_type::Column::Category)
            .order_by_asc(need_type::Column::Code)
            .all(tx.conn())
            .await?;
        tx.commit().await?;
        rows.into_iter().map(domain::to_need_type).collect()
    }

    async fn create_need_type(&self, ctx: &Context, req: CreateNeedType) -> Result<NeedType> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let code = domain::need_type_code(&req.code)?;
        let label = domain::need_type_label(&req.label)?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = need_type::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(NeedTypeId::new().uuid()),
            code: Set(code),
            label: Set(label),
            category: Set(codes::need(req.category).to_owned()),
            retired: Set(false),
            created_by: Set(user.uuid()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await
        .map_err(|err| match Error::from(err) {
            e if e.code == ErrorCode::Conflict => {
                Error::conflict_on("code", "a need type with this code already exists")
            }
            e => e,
        })?;
        self.audit(
            &tx,
            ctx,
            "create",
            "need_type",
            model.id,
            &["code", "label", "category"],
        )
        .await?;
        tx.commit().await?;
        domain::to_need_type(model)
    }

    async fn update_need_type(&self, ctx: &Context, req: UpdateNeedType) -> Result<NeedType> {
        let tenant = ctx.tenant()?;
        let label = req
            .label
            .as_deref()
            .map(domain::need_type_label)
            .transpose()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<need_type::Entity>(need_type::Column::Id, req.id.uuid())
            .await?;
        if label.is_none() && req.retired.is_none() {
            tx.commit().await?;
            return domain::to_need_type(found);
        }
        let mut model = found.into_active_model();
        let mut fields = Vec::new();
        if let Some(label) = label {
            model.label = Set(label);
            fields.push("label");
        }
        if let Some(retired) = req.retired {
            model.retired = Set(retired);
            fields.push("retired");
        }
        let model = model.update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "need_type", model.id, &fields)
            .await?;
        tx.commit().await?;
        domain::to_need_type(model)
    }

    async fn record_intervention(
        &self,
        ctx: &Context,
        req: RecordIntervention,
    ) -> Result<Intervention> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let outcome = req
            .outcome
            .as_deref()
            .map(|o| domain::outcome_code("outcome", o))
            .transpose()?;
        let c = self
            .visible_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(|_| Error::invalid("caseId", "no such case"))?;
        open_or_conflict(&c)?;
        let need_ids = self.needs_of_case(&tx, c.id, &req.need_ids).await?;
        let done_at = dates::happened("doneAt", req.done_at.unwrap_or_else(Utc::now))?;
        let model = intervention::ActiveModel {
            tenant_id: Set(tenant.uuid()),
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
        events::emit(&tx, &self.pseudonyms, ctx, &person, |_| {
            Event::InterventionDone {
                intervention: model.kind.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_intervention(model)
    }

    async fn list_interventions(&self, ctx: &Context, req: OfCase) -> Result<Paged<Intervention>> {
        self.of_case::<intervention::Entity, _>(
            ctx,
            &req,
            "interventions",
            intervention::Column::CaseId,
            intervention::Column::Id,
            domain::to_intervention,
        )
        .await
    }

    async fn send_referral(&self, ctx: &Context, req: SendReferral) -> Result<Referral> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let override_reason = match req
            .override_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) if r.chars().count() > 500 => {
                return Err(Error::invalid("overrideReason", "at most 500 characters"));
            }
            Some(r) => Some(r.to_owned()),
            None => None,
        };
        let c = self
            .visible_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(|_| Error::invalid("caseId", "no such case"))?;
        open_or_conflict(&c)?;
        tx.finish().await?;
        self.tenancy
            .get_directory_service(ctx, req.service_id)
            .await
            .map_err(|_| Error::invalid("serviceId", "no such service in the directory"))?;
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
                return Err(Error::conflict(
                    "the person has not consented to sharing for referrals: record the consent, or ask a coordinator to override with a reason",
                ));
            }
        }
        let now = Utc::now();
        let model = referral::ActiveModel {
            tenant_id: Set(tenant.uuid()),
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
        }
        .insert(tx.conn())
        .await?;
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
        events::emit(&tx, &self.pseudonyms, ctx, &person, |_| {
            Event::ReferralChanged {
                status: model.status.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_referral(model)
    }

    async fn change_referral_status(
        &self,
        ctx: &Context,
        req: ChangeReferralStatus,
    ) -> Result<Referral> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<referral::Entity>(referral::Column::Id, req.id.uuid())
            .await?;
        let c = self.visible_case(&tx, ctx, found.case_id).await?;
        let from = codes::parse_referral_status(&found.status)?;
        domain::referral_transition(from, req.to)?;
        let feedback = match req
            .feedback
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            Some(f) if f.chars().count() > 2000 => {
                return Err(Error::invalid("feedback", "at most 2000 characters"));
            }
            Some(f) => Some(f.to_owned()),
            None => found.feedback.clone(),
        };
        let mut model = found.into_active_model();
        model.status = Set(codes::referral_status(req.to).to_owned());
        model.feedback = Set(feedback);
        model.updated_at = Set(Utc::now());
        let model = model.update(tx.conn()).await?;
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
        events::emit(&tx, &self.pseudonyms, ctx, &person, |_| {
            Event::ReferralChanged {
                status: model.status.clone(),
            }
        })
        .await?;
        tx.commit().await?;
        domain::to_referral(model)
    }

    async fn list_referrals(&self, ctx: &Context, req: OfCase) -> Result<Paged<Referral>> {
        self.of_case::<referral::Entity, _>(
            ctx,
            &req,
            "referrals",
            referral::Column::CaseId,
            referral::Column::Id,
            domain::to_referral,
        )
        .await
    }

    async fn add_goal(&self, ctx: &Context, req: AddGoal) -> Result<PlanGoal> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let title = domain::title("title", &req.title)?;
        if let Some(review_on) = req.review_on {
            dates::planned_date("reviewOn", review_on)?;
        }
        let c = self
            .visible_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(|_| Error::invalid("caseId", "no such case"))?;
        open_or_conflict(&c)?;
        let need_ids = self.needs_of_case(&tx, c.id, &req.need_ids).await?;
        let model = plan_goal::ActiveModel {
            tenant_id: Set(tenant.uuid()),
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
        }
        .insert(tx.conn())
        .await?;
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

    async fn update_goal(&self, ctx: &Context, req: UpdateGoal) -> Result<PlanGoal> {
        if let Some(review_on) = req.review_on {
            dates::planned_date("reviewOn", review_on)?;
        }
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<plan_goal::Entity>(plan_goal::Column::Id, req.id.uuid())
            .await?;
        self.visible_case(&tx, ctx, found.case_id).await?;
        let mut model = found.into_active_model();
        if let Some(status) = req.status {
            model.status = Set(codes::goal_status(status).to_owned());
        }
        if let Some(review_on) = req.review_on {
            model.review_on = Set(Some(review_on));
        }
        let model = model.update(tx.conn()).await?;
        let steps = tx
            .scoped::<plan_step::Entity>()?
            .filter(plan_step::Column::GoalId.eq(model.id))
            .order_by_asc(plan_step::Column::Id)
            .all(tx.conn())
            .await?;
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

    async fn add_step(&self, ctx: &Context, req: AddStep) -> Result<PlanStep> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let title = domain::title("title", &req.title)?;
        if let Some(due_on) = req.due_on {
            dates::planned_date("dueOn", due_on)?;
        }
        let goal = tx
            .find::<plan_goal::Entity>(plan_goal::Column::Id, req.goal_id.uuid())
            .await
            .map_err(|_| Error::invalid("goalId", "no such goal"))?;
        let c = self
            .visible_case(&tx, ctx, goal.case_id)
            .await
            .map_err(|_| Error::invalid("goalId", "no such goal"))?;
        open_or_conflict(&c)?;
        let model = plan_step::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(StepId::new().uuid()),
            goal_id: Set(goal.id),
            title: Set(title),
            owner: Set(codes::step_owner(req.owner).to_owned()),
            due_on: Set(req.due_on),
            status: Set(codes::step_status(StepStatus::Todo).to_owned()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
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

    async fn change_step_status(&self, ctx: &Context, req: ChangeStepStatus) -> Result<PlanStep> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<plan_step::Entity>(plan_step::Column::Id, req.id.uuid())
            .await?;
        let goal = tx
            .find::<plan_goal::Entity>(plan_goal::Column::Id, found.goal_id)
            .await?;
        self.visible_case(&tx, ctx, goal.case_id).await?;
        let mut model = found.into_active_model();
        model.status = Set(codes::step_status(req.status).to_owned());
        let model = model.update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "plan_step", model.id, &["status"])
            .await?;
        tx.commit().await?;
        domain::to_step(model)
    }

    async fn plan_of(&self, ctx: &Context, req: CaseId) -> Result<Vec<PlanGoal>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let c = self.visible_case(&tx, ctx, req.uuid()).await?;
        let goals = tx
            .scoped::<plan_goal::Entity>()?
            .filter(plan_goal::Column::CaseId.eq(c.id))
            .order_by_asc(plan_goal::Column::Id)
            .all(tx.conn())
            .await?;
        let ids: Vec<Uuid> = goals.iter().map(|g| g.id).collect();
        let mut steps = tx
            .scoped::<plan_step::Entity>()?
            .filter(plan_step::Column::GoalId.is_in(ids))
            .order_by_asc(plan_step::Column::Id)
            .all(tx.conn())
            .await?;
        self.audit(&tx, ctx, "read", "case", c.id, &["plan"])
            .await?;
        tx.commit().await?;
        goals
            .into_iter()
            .map(|g| {
                let mine: Vec<plan_step::Model> =
                    steps.extract_if(.., |s| s.goal_id == g.id).collect();
                domain::to_goal(g, mine)
            })
            .collect()
    }

    async fn book_appointment(
        &self,
        ctx: &Context,
        req: BookAppointment,
    ) -> Result<Vec<Appointment>> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        if !(5..=8 * 60).contains(&req.duration_minutes) {
            return Err(Error::invalid(
                "durationMinutes",
                "an appointment lasts between 5 minutes and 8 hours",
            ));
        }
        if !(1..=52).contains(&req.occurrences) {
            return Err(Error::invalid(
                "occurrences",
                "book between 1 and 52 weekly occurrences",
            ));
        }
        // Every occurrence, the last one included, must start within the booking window.
        dates::booking("startsAt", req.starts_at)?;
        let last = req.starts_at + chrono::Duration::weeks(i64::from(req.occurrences - 1));
        dates::booking("occurrences", last)?;
        if req
            .remind_hours_before
            .is_some_and(|h| h == 0 || h > 24 * 14)
        {
            return Err(Error::invalid(
                "remindHoursBefore",
                "between 1 hour and 14 days",
            ));
        }
        self.tenancy
            .get_desk(ctx, req.desk_id)
            .await
            .map_err(|_| Error::invalid("deskId", "no such desk in this tenant"))?;
        let operator = req.operator_id.unwrap_or(user);
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let p = self
            .visible_person(&tx, ctx, req.person_id.uuid())
            .await
            .map_err(|_| Error::invalid("personId", "no such person"))?;
        if let Some(case_id) = req.case_id {
            let c = self
                .visible_case(&tx, ctx, case_id.uuid())
                .await
                .map_err(|_| Error::invalid("caseId", "no such case"))?;
            if c.person_id != p.id {
                return Err(Error::invalid("caseId", "the case is another person's"));
            }
        }
        // Concurrent bookings of the same operator or desk wait for each other, so that the
        // overlap check below sees every committed booking.
        tx.lock_keys(&[
            format!("operator:{}", operator.uuid()),
            format!("desk:{}", req.desk_id.uuid()),
        ])
        .await?;
        let series = (req.occurrences > 1).then(Uuid::now_v7);
        let length = chrono::Duration::minutes(i64::from(req.duration_minutes));
        let booked = codes::appointment_status(AppointmentStatus::Booked);
        let mut out = Vec::with_capacity(req.occurrences as usize);
        for week in 0..req.occurrences {
            let starts_at = req.starts_at + chrono::Duration::weeks(i64::from(week));
            let ends_at = starts_at + length;
            // No operator in two places at once; the unique index guards the slot itself.
            let clash = tx
                .scoped::<appointment::Entity>()?
                .filter(appointment::Column::Status.eq(booked))
                .filter(
                    sea_orm::Condition::any()
                        .add(appointment::Column::OperatorId.eq(operator.uuid()))
                        .add(appointment::Column::DeskId.eq(req.desk_id.uuid())),
                )
                .filter(appointment::Column::StartsAt.lt(ends_at))
                .filter(appointment::Column::EndsAt.gt(starts_at))
                .one(tx.conn())
                .await?;
            if clash.is_some() {
                return Err(Error::conflict_on(
                    "startsAt",
                    format!(
                        "the slot of {} is already taken at this desk or by this operator",
                        starts_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                ));
            }
            let model = appointment::ActiveModel {
                tenant_id: Set(tenant.uuid()),
                id: Set(AppointmentId::new().uuid()),
                desk_id: Set(req.desk_id.uuid()),
                operator_id: Set(operator.uuid()),
                person_id: Set(p.id),
                case_id: Set(req.case_id.map(|c| c.uuid())),
                series_id: Set(series),
                starts_at: Set(starts_at),
                ends_at: Set(ends_at),
                status: Set(booked.to_owned()),
                remind_at: Set(req
                    .remind_hours_before
                    .map(|h| starts_at - chrono::Duration::hours(i64::from(h)))),
                reminder_sent_at: Set(None),
                created_by: Set(user.uuid()),
                created_at: Set(Utc::now()),
            }
            .insert(tx.conn())
            .await
            .map_err(|err| match Error::from(err) {
                e if e.code == ErrorCode::Conflict => {
                    Error::conflict_on("startsAt", "this slot is already taken")
                }
                e => e,
            })?;
            self.audit(
                &tx,
                ctx,
                "create",
                "appointment",
                model.id,
                &["desk", "operator", "person", "time"],
            )
            .await?;
            out.push(domain::to_appointment(model)?);
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn cancel_appointment(
        &self,
        ctx: &Context,
        req: CancelAppointment,
    ) -> Result<Vec<Appointment>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<appointment::Entity>(appointment::Column::Id, req.id.uuid())
            .await?;
        self.visible_person(&tx, ctx, found.person_id).await?;
        let booked = codes::appointment_status(AppointmentStatus::Booked);
        if found.status != booked {
            return Err(Error::conflict("this appointment is already cancelled"));
        }
        let mut targets = vec![found.clone()];
        if let (true, Some(series)) = (req.following, found.series_id) {
            targets = tx
                .scoped::<appointment::Entity>()?
                .filter(appointment::Column::SeriesId.eq(series))
                .filter(appointment::Column::StartsAt.gte(found.starts_at))
                .filter(appointment::Column::Status.eq(booked))
                .order_by_asc(appointment::Column::StartsAt)
                .all(tx.conn())
                .await?;
        }
        let mut out = Vec::with_capacity(targets.len());
        for target in targets {
            let mut model = target.into_active_model();
            model.status = Set(codes::appointment_status(AppointmentStatus::Cancelled).to_owned());
            let model = model.update(tx.conn()).await?;
            self.audit(&tx, ctx, "update", "appointment", model.id, &["status"])
                .await?;
            out.push(domain::to_appointment(model)?);
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn list_appointments(
        &self,
        ctx: &Context,
        req: ListAppointments,
    ) -> Result<Paged<Appointment>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let mut select = tx.scoped::<appointment::Entity>()?;
        if let Some(desk) = req.desk_id {
            select = select.filter(appointment::Column::DeskId.eq(desk.uuid()));
        }
        if let Some(person) = req.person_id {
            let p = self.visible_person(&tx, ctx, person.uuid()).await?;
            select = select.filter(appointment::Column::PersonId.eq(p.id));
        }
        if !ctx.actor.territories.is_empty() {
            // Only the appointments of persons followed in the actor's territories.
            let visible = sea_orm::sea_query::Query::select()
                .column(person::Column::Id)
                .from(person::Entity)
                .and_where(person::Column::TenantId.eq(tx.tenant()?.uuid()))
                .and_where(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()))
                .to_owned();
            select = select.filter(appointment::Column::PersonId.in_subquery(visible));
        }
        if let Some(from) = req.from {
            let from = dates::filter("from", from)?;
            select = select.filter(appointment::Column::StartsAt.gte(from));
        }
        if let Some(to) = req.to {
            let to = dates::filter("to", to)?;
            select = select.filter(appointment::Column::StartsAt.lt(to));
        }
        let (rows, has_next_page) = tx.page(select, appointment::Column::Id, &req.page).await?;
        tx.finish().await?;
        Paged {
            items: rows,
            has_next_page,
        }
        .try_map(domain::to_appointment)
    }

    async fn create_household(&self, ctx: &Context, req: CreateHousehold) -> Result<Household> {
        let tenant = ctx.tenant()?;
        let label = domain::title("label", &req.label)?;
        let territory = self
            .check_territory(ctx, "territoryCode", &req.territory_code)
            .await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = household::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(HouseholdId::new().uuid()),
            label: Set(label),
            territory_code: Set(territory),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "household",
            model.id,
            &["label", "territory"],
        )
        .await?;
        tx.commit().await?;
        domain::to_household(model, Vec::new())
    }

    async fn add_household_member(
        &self,
        ctx: &Context,
        req: AddHouseholdMember,
    ) -> Result<Household> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let h = self
            .visible_household(&tx, ctx, req.household_id.uuid())
            .await?;
        let p = self
            .visible_person(&tx, ctx, req.person_id.uuid())
            .await
            .map_err(|_| Error::invalid("personId", "no such person"))?;
        let mut model = p.into_active_model();
        model.household_id = Set(Some(h.id));
        model.household_role = Set(Some(codes::household_role(req.role).to_owned()));
        let p = model.update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "person", p.id, &["household"])
            .await?;
        let members = self.members(&tx, ctx, h.id).await?;
        tx.commit().await?;
        domain::to_household(h, members)
    }

    async fn remove_household_member(&self, ctx: &Context, req: PersonId) -> Result<()> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let p = self.visible_person(&tx, ctx, req.uuid()).await?;
        if p.household_id.is_none() {
            return Err(Error::conflict("this person is in no household"));
        }
        let mut model = p.into_active_model();
        model.household_id = Set(None);
        model.household_role = Set(None);
        let p = model.update(tx.conn()).await?;
        self.audit(&tx, ctx, "update", "person", p.id, &["household"])
            .await?;
        tx.commit().await
    }

    async fn get_household(&self, ctx: &Context, req: HouseholdId) -> Result<Household> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let h = self.visible_household(&tx, ctx, req.uuid()).await?;
        let members = self.members(&tx, ctx, h.id).await?;
        // Who lives together, in which role, and which of them are minors.
        self.audit(&tx, ctx, "read", "household", h.id, &["members"])
            .await?;
        tx.commit().await?;
        domain::to_household(h, members)
    }

    async fn update_encounter(&self, ctx: &Context, req: UpdateEncounter) -> Result<Encounter> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<encounter::Entity>(encounter::Column::Id, req.id.uuid())
            .await?;
        let c = self.visible_case(&tx, ctx, found.case_id).await?;
        open_or_conflict(&c)?;
        let merged = AddEncounter {
            case_id: CaseId(found.case_id),
            occurred_at: req.occurred_at.unwrap_or(found.occurred_at),
            channel: req
                .channel
                .map_or_else(|| codes::parse_channel(&found.channel), Ok)?,
            language: req.language.or_else(|| found.language.clone()),
            mediator_present: req.mediator_present.unwrap_or(found.mediator_present),
            duration_minutes: req
                .duration_minutes
                .or(found.duration_minutes.map(|d| d as u32)),
            notes: req.notes.or_else(|| found.notes.clone()),
        };
        let valid = domain::ValidEncounter::parse(&merged)?;
        let mut model = found.into_active_model();
        model.occurred_at = Set(merged.occurred_at);
        model.channel = Set(codes::channel(merged.channel).to_owned());
        model.language = Set(valid.language);
        model.mediator_present = Set(merged.mediator_present);
        model.duration_minutes = Set(merged.duration_minutes.map(|d| d as i32));
        model.notes = Set(valid.notes);
        let model = model.update(tx.conn()).await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "encounter",
            model.id,
            &[
                "occurredAt",
                "channel",
                "language",
                "mediator",
                "duration",
                "notes",
            ],
        )
        .await?;
        tx.commit().await?;
        domain::to_encounter(model)
    }

    async fn update_intervention(
        &self,
        ctx: &Context,
        req: UpdateIntervention,
    ) -> Result<Intervention> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let outcome = req
            .outcome
            .as_deref()
            .map(|o| domain::outcome_code("outcome", o))
            .transpose()?;
        if let Some(done_at) = req.done_at {
            dates::happened("doneAt", done_at)?;
        }
        let found = tx
            .find::<intervention::Entity>(intervention::Column::Id, req.id.uuid())
            .await?;
        let c = self.visible_case(&tx, ctx, found.case_id).await?;
        open_or_conflict(&c)?;
        let mut model = found.into_active_model();
        if let Some(outcome) = outcome {
            model.outcome = Set(Some(outcome));
        }
        if let Some(done_at) = req.done_at {
            model.done_at = Set(done_at);
        }
        let model = model.update(tx.conn()).await?;
        self.audit(
            &tx,
            ctx,
            "update",
            "intervention",
            model.id,
            &["outcome", "doneAt"],
        )
        .await?;
        tx.commit().await?;
        domain::to_intervention(model)
    }
}

fn open_or_conflict(c: &case::Model) -> Result<()> {
    if c.status == codes::status(CaseStatus::Closed) {
        Err(Error::new(
            ErrorCode::Conflict,
            "the case is closed: reopen it first",
        ))
    } else {
        Ok(())
    }
}
