//! Encounters of a case.

use super::*;

impl CasesService {
    pub(super) async fn add_encounter(
        &self,
        ctx: &Context,
        req: AddEncounter,
    ) -> Result<Encounter> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let valid = domain::ValidEncounter::parse(&req, ctx.now())?;
        let c = self
            .locked_case(&tx, ctx, req.case_id.uuid())
            .await
            .map_err(no_such_case)?;
        open_or_conflict(&c)?;
        let key = self.vault.key(&tx, c.person_id).await?;
        let mut model = encounter::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(EncounterId::new().uuid()),
            case_id: Set(c.id),
            occurred_at: Set(req.occurred_at),
            channel: Set(codes::channel(req.channel).to_owned()),
            language: Set(valid.language),
            mediator_present: Set(req.mediator_present),
            duration_minutes: Set(req.duration_minutes.map(|d| d as i32)),
            notes: Set(valid.notes),
            created_by: Set(user.uuid()),
            created_at: Set(ctx.now()),
            sealed: Set(0),
        };
        model.seal(&key)?;
        let model = model.insert(tx.conn()).await?.open(Some(&key))?;
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

    pub(super) async fn update_encounter(
        &self,
        ctx: &Context,
        req: UpdateEncounter,
    ) -> Result<Encounter> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let found = tx
            .find::<encounter::Entity>(encounter::Column::Id, req.id.uuid())
            .await?;
        let c = self.locked_case(&tx, ctx, found.case_id).await?;
        let key = self.vault.key(&tx, c.person_id).await?;
        let found = found.open(Some(&key))?;
        // The notes of a closed case may still be rectified or cleared (GDPR art. 16, and
        // minimisation): they feed no figure. Anything else needs the case reopened.
        let only_notes = req.occurred_at.is_none_or(|at| at == found.occurred_at)
            && req
                .channel
                .is_none_or(|ch| codes::channel(ch) == found.channel)
            && req.language.as_deref().is_none_or(|l| {
                sportello_kernel::iso::language("language", l)
                    .ok()
                    .as_deref()
                    == found.language.as_deref()
            })
            && req
                .mediator_present
                .is_none_or(|m| m == found.mediator_present)
            && req
                .duration_minutes
                .is_none_or(|d| Some(d as i32) == found.duration_minutes);
        if !only_notes {
            open_or_conflict(&c)?;
        }
        // A stored language is checked again only when the update gives one: a row written
        // before languages were checked stays as it is until someone corrects it.
        let language_given = req.language.is_some();
        let merged = AddEncounter {
            case_id: CaseId(found.case_id),
            occurred_at: req.occurred_at.unwrap_or(found.occurred_at),
            channel: req
                .channel
                .map_or_else(|| codes::parse_channel(&found.channel), Ok)?,
            language: req.language,
            mediator_present: req.mediator_present.unwrap_or(found.mediator_present),
            duration_minutes: req
                .duration_minutes
                .or(found.duration_minutes.map(|d| d as u32)),
            notes: req.notes.or_else(|| found.notes.clone()),
        };
        let valid = domain::ValidEncounter::parse(&merged, ctx.now())?;
        let moved = merged.occurred_at != found.occurred_at;
        let mut model = found.into_active_model();
        model.occurred_at = Set(merged.occurred_at);
        model.channel = Set(codes::channel(merged.channel).to_owned());
        if language_given {
            model.language = Set(valid.language);
        }
        model.mediator_present = Set(merged.mediator_present);
        model.duration_minutes = Set(merged.duration_minutes.map(|d| d as i32));
        model.notes = Set(valid.notes);
        model.seal(&key)?;
        let model = tx
            .update_versioned::<encounter::Entity>(req.id.uuid(), Some(req.expected_version), model)
            .await?
            .open(Some(&key))?;
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
        if moved {
            self.move_needs_of_encounter(&tx, ctx, &c, &model).await?;
        }
        tx.commit().await?;
        domain::to_encounter(model)
    }

    /// The needs noted at an encounter happened on its day: when the encounter's date is
    /// corrected, each of them gets its correcting event.
    async fn move_needs_of_encounter(
        &self,
        tx: &Tx,
        ctx: &Context,
        c: &case::Model,
        encounter: &encounter::Model,
    ) -> Result<()> {
        let needs = tx
            .scoped::<need::Entity>()?
            .filter(need::Column::EncounterId.eq(encounter.id))
            .order_by_asc(need::Column::Id)
            .all(tx.conn())
            .await?;
        if needs.is_empty() {
            return Ok(());
        }
        let person = tx
            .find::<person::Entity>(person::Column::Id, c.person_id)
            .await?;
        for n in needs {
            let noted = events::Happened::fact_of("need", n.id, encounter.occurred_at);
            events::emit(tx, &self.pseudonyms, ctx, &person, noted, |_| {
                Event::NeedRecorded {
                    need: n.code.clone(),
                    source: n.source.clone(),
                }
            })
            .await?;
        }
        Ok(())
    }
}
