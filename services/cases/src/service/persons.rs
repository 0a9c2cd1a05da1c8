//! Persons: their records, duplicate search and consent.

use super::*;
use sea_orm::Condition;

use crate::domain::codice_fiscale::TaxCode;
use crate::seal;
use crate::store::name_keys;

impl CasesService {
    pub(super) async fn create_person(&self, ctx: &Context, req: PersonInput) -> Result<Person> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let valid = self.person_model(ctx, req).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(cf) = &valid.codice_fiscale
            && let Some(taken) = self.holder_of(&tx, cf, None).await?
        {
            return Err(self.refuse_duplicate(tx, ctx, taken).await);
        }
        let now = Utc::now();
        let id = PersonId::new().uuid();
        let key = self.vault.key(&tx, id).await?;
        let mut model = valid.into_model(tenant.uuid(), id, user.uuid(), now, now);
        model.seal(&key)?;
        let model = model
            .insert(tx.conn())
            .await
            .map_err(|e| code_taken_meanwhile(e.into()))?
            .open(Some(&key))?;
        name_keys::write(&tx, &model).await?;
        self.audit(&tx, ctx, "create", "person", model.id, &PERSON_FIELDS)
            .await?;
        let others = self.possibly_same(&tx, ctx, &model).await?;
        tx.commit().await?;
        let mut person = domain::to_person(model)?;
        person.warnings.extend(others);
        Ok(person)
    }

    pub(super) async fn update_person(&self, ctx: &Context, req: UpdatePerson) -> Result<Person> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let existing = self.visible_person(&tx, ctx, req.id.uuid()).await?;
        let existing = self.vault.open_one(&tx, existing.id, existing).await?;
        tx.finish().await?;
        let valid = self.person_model(ctx, req.input).await?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        if let Some(cf) = &valid.codice_fiscale
            && let Some(taken) = self.holder_of(&tx, cf, Some(existing.id)).await?
        {
            return Err(self.refuse_duplicate(tx, ctx, taken).await);
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
        let mut model = model.reset_all();
        // Raised by the versioned update itself.
        model.version = NotSet;
        // A record written before field encryption gets its key now.
        let key = self.vault.key(&tx, existing.id).await?;
        model.seal(&key)?;
        let model = tx
            .update_versioned::<person::Entity>(existing.id, Some(req.expected_version), model)
            .await
            .map_err(code_taken_meanwhile)?
            .open(Some(&key))?;
        // Names or territory may have changed: the blocking keys follow.
        name_keys::write(&tx, &model).await?;
        self.audit(&tx, ctx, "update", "person", model.id, &changed)
            .await?;
        let others = self.possibly_same(&tx, ctx, &model).await?;
        tx.commit().await?;
        let mut person = domain::to_person(model)?;
        person.warnings.extend(others);
        Ok(person)
    }

    pub(super) async fn list_persons(
        &self,
        ctx: &Context,
        req: ListPersons,
    ) -> Result<Paged<Person>> {
        // Either form of a code finds the persons holding any form of it.
        let key = req
            .codice_fiscale
            .as_deref()
            .map(|code| {
                TaxCode::parse(code)
                    .map(|code| code.key())
                    .map_err(|e| e.refusal("codiceFiscale"))
            })
            .transpose()?;
        let (_, tx) = self.staff_tx(ctx).await?;
        let mut select = tx.scoped::<person::Entity>()?;
        if let Some(code) = &req.territory_code {
            select = select.filter(person::Column::TerritoryCode.eq(code.trim()));
        }
        let by_code = key.is_some();
        if let Some(key) = key {
            // Sealed rows hold the key's blind index, rows not yet sealed the key itself.
            let index = self.vault.blind_index(&tx, seal::CF_KEY, &key).await?;
            select = select.filter(person::Column::CodiceFiscaleKey.is_in([index, key]));
        }
        if !ctx.actor.territories.is_empty() {
            select =
                select.filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
        }
        let mut rows = tx.page(select, person::Column::Id, &req.page).await?;
        rows.items = self
            .vault
            .open_persons(&tx, std::mem::take(&mut rows.items))
            .await?;
        for row in &rows.items {
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
        let codes: Vec<(Uuid, Option<String>)> = rows
            .items
            .iter()
            .map(|p| (p.id, p.codice_fiscale.clone()))
            .collect();
        let mut persons = rows.try_map(domain::to_person)?;
        if by_code {
            // The persons found share the key; those with another code as issued may be the
            // same person (or two the Agenzia told apart).
            for person in &mut persons.items {
                let mine = codes
                    .iter()
                    .find(|(id, _)| *id == person.id.uuid())
                    .and_then(|(_, code)| code.clone());
                person.warnings.extend(
                    codes
                        .iter()
                        .filter(|(id, code)| *id != person.id.uuid() && *code != mine)
                        .map(|(id, _)| same_person_warning(*id)),
                );
            }
        }
        Ok(persons)
    }

    pub(super) async fn find_duplicates(
        &self,
        ctx: &Context,
        req: FindDuplicates,
    ) -> Result<Vec<PersonMatch>> {
        use domain::names::{DuplicateQuery, Names, clean};
        for (field, value) in [
            ("givenNames", &req.given_names),
            ("familyNames", &req.family_names),
        ] {
            if clean::graphemes(value) > clean::MAX_GRAPHEMES {
                return Err(Error::on(field, clean::Refusal::TooLong.reason()));
            }
        }
        let query = DuplicateQuery::new(Names {
            given: &req.given_names,
            family: &req.family_names,
        });
        let keys = query.candidate_keys();
        if keys.select.is_empty() {
            return Err(Error::on("familyNames", sportello_kernel::Reason::Required));
        }
        let (_, tx) = self.staff_tx(ctx).await?;
        let limit = req.limit.unwrap_or(10).clamp(1, 50) as usize;
        // Candidates share the start of a token's consonant skeleton with the query (vowels and
        // scripts vary, consonants much less), ranked by the blocking keys they share, within
        // the actor's territories before the cap; the matcher then scores them.
        let ids = name_keys::candidates(
            &tx,
            &keys,
            &ctx.actor.territories,
            domain::names::MAX_CANDIDATES,
        )
        .await?;
        let candidates = if ids.is_empty() {
            Vec::new()
        } else {
            let rows = tx
                .scoped::<person::Entity>()?
                .filter(person::Column::Id.is_in(ids.clone()))
                .all(tx.conn())
                .await?;
            self.vault.open_persons(&tx, rows).await?
        };
        // Equal scores keep the order of the ranking.
        let rank = |p: &person::Model| ids.iter().position(|id| *id == p.id);
        let mut matches = candidates
            .into_iter()
            .map(|p| {
                let (original, latin) = p.names();
                (query.score(original, latin), p)
            })
            .filter(|(score, _)| *score >= domain::names::DUPLICATE_THRESHOLD)
            .collect::<Vec<_>>();
        matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(rank(&a.1).cmp(&rank(&b.1))));
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

    pub(super) async fn record_consent(
        &self,
        ctx: &Context,
        req: RecordConsent,
    ) -> Result<Consent> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let p = self.visible_person(&tx, ctx, req.person_id.uuid()).await?;
        let model = consent::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            id: Set(ConsentId::new().uuid()),
            person_id: Set(p.id),
            purpose: Set(codes::consent(req.purpose).to_owned()),
            given: Set(req.given),
            recorded_at: Set(ctx.now()),
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
        if req.purpose == ConsentPurpose::AnonymisedStatistics {
            events::emit_statistics_consent(&tx, &self.pseudonyms, ctx, p.id, req.given).await?;
        }
        tx.commit().await?;
        domain::to_consent(model)
    }

    /// Refuses a codice fiscale (as issued) another person of the tenant holds: nobody is
    /// registered twice. `CONFLICT` on `codiceFiscale`, with the same message whether or not the
    /// actor may see that person, naming nobody and no territory; it points to the person
    /// (`ErrorDetail::Existing`, `extensions.existingId`) only when the actor may see them.
    /// When the person lies outside the actor's territories, the refused
    /// attempt is written to the audit log on that person (the field's name only) and kept
    /// although the change is not, so a coordinator can see someone probing for people
    /// followed elsewhere.
    async fn refuse_duplicate(&self, tx: Tx, ctx: &Context, taken: person::Model) -> Error {
        let refusal = Error::on(
            "codiceFiscale",
            sportello_kernel::Reason::CodiceFiscaleInUse,
        );
        let visible = ctx.covers_territory(&taken.territory_code);
        let refusal = if visible {
            refusal.with_detail(ErrorDetail::Existing {
                object: "Person".to_owned(),
                id: taken.id,
            })
        } else {
            refusal
        };
        let ended = if visible {
            tx.finish().await
        } else {
            match self
                .audit(
                    &tx,
                    ctx,
                    "refused_duplicate",
                    "person",
                    taken.id,
                    &["codiceFiscale"],
                )
                .await
            {
                Ok(()) => tx.commit().await,
                Err(e) => Err(e),
            }
        };
        match ended {
            Ok(()) => refusal,
            Err(e) => e,
        }
    }
}

/// A write refused by the unique index on `(tenant_id, codice_fiscale_index)`, the only unique key of
/// `persons` besides the id: a concurrent request registered the code after the check. Named on
/// its field like the check's refusal (without the holder, unknown here).
fn code_taken_meanwhile(e: Error) -> Error {
    if e.code == ErrorCode::Conflict && e.field.is_none() {
        Error::on(
            "codiceFiscale",
            sportello_kernel::Reason::CodiceFiscaleInUse,
        )
    } else {
        e
    }
}

/// A warning that the person `other` may be the same person.
fn same_person_warning(other: Uuid) -> PersonWarning {
    PersonWarning {
        code: PersonWarningCode::PossiblySamePerson,
        field: "codiceFiscale".to_owned(),
        person_id: Some(PersonId(other)),
    }
}

impl CasesService {
    /// The persons the actor may see whose codice fiscale is another code with the same key as
    /// `person`'s (an omocodic variant of it, or its plain form): possibly the same person.
    /// Persons outside the actor's territories are left out, as everywhere. `person` is opened
    /// (its code in clear); the others are matched on their blind indexes, or on their clear
    /// columns while not yet sealed.
    async fn possibly_same(
        &self,
        tx: &Tx,
        ctx: &Context,
        person: &person::Model,
    ) -> Result<Vec<PersonWarning>> {
        let Some(code) = &person.codice_fiscale else {
            return Ok(Vec::new());
        };
        let Ok(key) = TaxCode::parse(code).map(|c| c.key()) else {
            return Ok(Vec::new());
        };
        let key_index = self.vault.blind_index(tx, seal::CF_KEY, &key).await?;
        let code_index = self.vault.blind_index(tx, seal::CF_ISSUED, code).await?;
        let same_key = Condition::any()
            .add(
                Condition::all()
                    .add(person::Column::Sealed.eq(1))
                    .add(person::Column::CodiceFiscaleKey.eq(key_index))
                    .add(person::Column::CodiceFiscaleIndex.ne(code_index)),
            )
            .add(
                Condition::all()
                    .add(person::Column::Sealed.eq(0))
                    .add(person::Column::CodiceFiscaleKey.eq(key.as_str()))
                    .add(person::Column::CodiceFiscale.ne(code.as_str())),
            );
        let mut select = tx
            .scoped::<person::Entity>()?
            .select_only()
            .column(person::Column::Id)
            .filter(same_key)
            .filter(person::Column::Id.ne(person.id));
        if !ctx.actor.territories.is_empty() {
            select =
                select.filter(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()));
        }
        let ids: Vec<Uuid> = select
            .order_by_asc(person::Column::Id)
            .limit(20)
            .into_tuple()
            .all(tx.conn())
            .await?;
        Ok(ids.into_iter().map(same_person_warning).collect())
    }

    /// The other person of the tenant holding this codice fiscale (as issued), if any: by its
    /// blind index, or in clear on a row not yet sealed. The row is returned as stored.
    async fn holder_of(
        &self,
        tx: &Tx,
        cf: &str,
        except: Option<Uuid>,
    ) -> Result<Option<person::Model>> {
        let index = self.vault.blind_index(tx, seal::CF_ISSUED, cf).await?;
        let mut query = tx.scoped::<person::Entity>()?.filter(
            Condition::any()
                .add(person::Column::CodiceFiscaleIndex.eq(index))
                .add(
                    Condition::all()
                        .add(person::Column::Sealed.eq(0))
                        .add(person::Column::CodiceFiscale.eq(cf)),
                ),
        );
        if let Some(id) = except {
            query = query.filter(person::Column::Id.ne(id));
        }
        Ok(query.one(tx.conn()).await?)
    }
}
