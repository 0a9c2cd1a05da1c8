//! Persons' long procedures (pratiche): types (seeded and the tenant's own), steps, documents,
//! deadlines, alerts and the back office's workload. The rules live in
//! `domain::procedures`; this file stores, checks and audits.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use sportello_kernel::Reason;
use sportello_kernel::error::Object;

use super::*;
use crate::domain::procedures::{self as rules, DocumentDef, StepDef};
use crate::store::{procedure, procedure_type};

/// Days before a deadline from which a procedure alerts, unless its start says otherwise.
pub const DEFAULT_ALERT_DAYS: u32 = 14;
/// How far back a procedure may have started, and how far either side a reference date may lie.
const YEARS_SPAN: u32 = 10;

type Done = BTreeMap<String, NaiveDate>;
type Documents = BTreeMap<String, DocumentStatus>;

fn status_code(s: ProcedureStatus) -> &'static str {
    match s {
        ProcedureStatus::Open => "OPEN",
        ProcedureStatus::Completed => "COMPLETED",
        ProcedureStatus::Abandoned => "ABANDONED",
    }
}

fn parse_status(s: &str) -> Result<ProcedureStatus> {
    match s {
        "OPEN" => Ok(ProcedureStatus::Open),
        "COMPLETED" => Ok(ProcedureStatus::Completed),
        "ABANDONED" => Ok(ProcedureStatus::Abandoned),
        _ => Err(Error::internal("a stored procedure status is unknown")),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::internal)
}

fn parsed<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T> {
    serde_json::from_str(raw).map_err(|_| Error::internal("a stored procedure field is unreadable"))
}

fn years(today: NaiveDate, forward: bool) -> NaiveDate {
    let span = Months::new(12 * YEARS_SPAN);
    let shifted = if forward {
        today.checked_add_months(span)
    } else {
        today.checked_sub_months(span)
    };
    shifted.unwrap_or(today)
}

/// The row's type: a seeded one, or one of the tenant's own (retired ones included).
async fn type_of(tx: &Tx, code: &str) -> Result<Option<(TypeDef, Option<procedure_type::Model>)>> {
    if let Some(def) = rules::seeded_type(code) {
        return Ok(Some((def, None)));
    }
    let own = tx
        .scoped::<procedure_type::Entity>()?
        .filter(procedure_type::Column::Code.eq(code))
        .one(tx.conn())
        .await?;
    own.map(|m| Ok((parsed::<TypeDef>(&m.definition)?, Some(m))))
        .transpose()
}

fn to_type(def: TypeDef, own: Option<procedure_type::Model>) -> ProcedureType {
    match own {
        Some(m) => ProcedureType {
            id: Some(ProcedureTypeId(m.id)),
            definition: def,
            seeded: false,
            retired: m.retired,
            version: m.version,
        },
        None => ProcedureType {
            id: None,
            definition: def,
            seeded: true,
            retired: false,
            version: 1,
        },
    }
}

/// The procedure of a row, with its schedule computed from its type and `today`.
fn to_procedure(m: procedure::Model, def: &TypeDef, today: NaiveDate) -> Result<Procedure> {
    let done: Done = parsed(&m.steps_done)?;
    let documents: Documents = parsed(&m.documents)?;
    let scheduled = rules::schedule(def, m.started_on, m.reference_on, |c| done.get(c).copied());
    let status = parse_status(&m.status)?;
    let open = status == ProcedureStatus::Open;
    let alert_days = u32::try_from(m.alert_days).unwrap_or(DEFAULT_ALERT_DAYS);
    let steps = def
        .steps
        .iter()
        .zip(scheduled)
        .map(|(s, at)| ProcedureStep {
            code: s.code.clone(),
            label: s.label.clone(),
            office: s.office,
            due_on: at.due_on,
            done_on: at.done_on,
            limit_kind: s.limit_kind,
            source: s.source.clone(),
        })
        .collect();
    let documents = def
        .documents
        .iter()
        .map(|d| ProcedureDocument {
            code: d.code.clone(),
            label: d.label.clone(),
            status: documents
                .get(&d.code)
                .copied()
                .unwrap_or(DocumentStatus::Missing),
        })
        .collect();
    let overdue = open && m.next_due_on.is_some_and(|d| d < today);
    let alerting = open && m.alert_on.is_some_and(|d| d <= today);
    Ok(Procedure {
        id: ProcedureId(m.id),
        version: m.version,
        person_id: PersonId(m.person_id),
        case_id: m.case_id.map(CaseId),
        type_code: def.code.clone(),
        type_label: def.label.clone(),
        office: def.office,
        responsible_id: sportello_kernel::UserId(m.responsible_id),
        started_on: m.started_on,
        reference_on: m.reference_on,
        status,
        closed_on: m.closed_on,
        alert_days,
        steps,
        documents,
        next_due_on: m.next_due_on,
        next_step: m.next_step,
        overdue,
        alerting,
    })
}

/// The next deadline of a procedure with these dates, its step, and the day it starts
/// alerting (`alert_days` before), for the row.
struct Next {
    due_on: Option<NaiveDate>,
    step: Option<String>,
    alert_on: Option<NaiveDate>,
}

fn next(def: &TypeDef, row: &procedure::Model) -> Result<Next> {
    let done: Done = parsed(&row.steps_done)?;
    let scheduled = rules::schedule(def, row.started_on, row.reference_on, |c| {
        done.get(c).copied()
    });
    let days = chrono::Days::new(u64::try_from(row.alert_days).unwrap_or(0));
    Ok(match rules::next_due(&scheduled) {
        Some((d, step)) => Next {
            due_on: Some(d),
            step: Some(step.to_owned()),
            alert_on: Some(d.checked_sub_days(days).unwrap_or(NaiveDate::MIN)),
        },
        None => Next {
            due_on: None,
            step: None,
            alert_on: None,
        },
    })
}

fn alert_days(value: Option<u32>) -> Result<u32> {
    match value {
        None => Ok(DEFAULT_ALERT_DAYS),
        Some(d) if (1..=90).contains(&d) => Ok(d),
        Some(_) => Err(Error::on(
            "alertDays",
            Reason::OutOfRange { min: 1, max: 90 },
        )),
    }
}

fn label(field: &str, value: &str, max: u32) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::on(field, Reason::Required));
    }
    if value.chars().count() > max as usize {
        return Err(Error::on(field, Reason::TooLong { max }));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::on(field, Reason::ControlCharacters));
    }
    Ok(value.to_owned())
}

impl CasesService {
    /// The staff member `user` of the context's tenant (an operator, coordinator or
    /// administrator), or `NOT_FOUND` on `field`.
    async fn staff_member(
        &self,
        ctx: &Context,
        field: &str,
        user: sportello_kernel::UserId,
    ) -> Result<()> {
        let no_such = || {
            Error::on(
                field,
                Reason::NoSuch {
                    object: Object::StaffMember,
                },
            )
        };
        let roles = self.member_roles(ctx, user).await.ok_or_else(no_such)?;
        let staff = [Role::Operator, Role::Coordinator, Role::TenantAdmin];
        if roles.iter().any(|r| staff.contains(r)) {
            Ok(())
        } else {
            Err(no_such())
        }
    }

    pub(super) async fn procedure_types(&self, ctx: &Context, _: ()) -> Result<Vec<ProcedureType>> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let own = tx
            .scoped::<procedure_type::Entity>()?
            .order_by_asc(procedure_type::Column::Code)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        let mut types: Vec<ProcedureType> = rules::seeded()
            .into_iter()
            .map(|d| to_type(d, None))
            .collect();
        for m in own {
            let def = parsed::<TypeDef>(&m.definition)?;
            types.push(to_type(def, Some(m)));
        }
        Ok(types)
    }

    pub(super) async fn create_procedure_type(
        &self,
        ctx: &Context,
        req: CreateProcedureType,
    ) -> Result<ProcedureType> {
        let tenant = ctx.tenant()?;
        let user = ctx.user()?;
        let mut refusals = Refusals::default();
        let code = refusals.take(domain::need_type_code(&req.code));
        if code
            .as_deref()
            .is_some_and(|c| rules::seeded_type(c).is_some())
        {
            refusals.note(Error::on("code", Reason::AlreadyExists));
        }
        let type_label = refusals.take(label("label", &req.label, 200));
        if req.steps.is_empty() {
            refusals.note(Error::on("steps", Reason::Required));
        }
        if req.steps.len() > 20 {
            refusals.note(Error::on("steps", Reason::TooMany { max: 20 }));
        }
        if req.documents.len() > 30 {
            refusals.note(Error::on("documents", Reason::TooMany { max: 30 }));
        }
        let mut steps = Vec::new();
        for (i, s) in req.steps.iter().enumerate() {
            let step_label = refusals.take(label(&format!("steps.{i}.label"), &s.label, 200));
            if s.days_after_previous
                .is_some_and(|d| !(1..=3650).contains(&d))
            {
                refusals.note(Error::on(
                    &format!("steps.{i}.daysAfterPrevious"),
                    Reason::OutOfRange { min: 1, max: 3650 },
                ));
            }
            let code = format!("step_{}", i + 1);
            let due = match (s.days_after_previous, i) {
                (None, _) => Due::None,
                (Some(days), 0) => Due::AfterStart {
                    amount: days,
                    unit: Unit::Days,
                },
                (Some(days), _) => Due::AfterStep {
                    step: format!("step_{i}"),
                    amount: days,
                    unit: Unit::Days,
                },
            };
            steps.push(StepDef {
                code,
                label: step_label.unwrap_or_default(),
                office: s.office,
                due,
                limit_kind: LimitKind::Customary,
                source: if s.days_after_previous.is_some() {
                    "regola dell'ente".to_owned()
                } else {
                    String::new()
                },
            });
        }
        let mut documents = Vec::new();
        for (i, d) in req.documents.iter().enumerate() {
            if let Some(l) = refusals.take(label(&format!("documents.{i}"), d, 200)) {
                documents.push(DocumentDef {
                    code: format!("document_{}", i + 1),
                    label: l,
                });
            }
        }
        refusals.finish()?;
        let (code, type_label) = (code.unwrap_or_default(), type_label.unwrap_or_default());
        let def = TypeDef {
            code: code.clone(),
            label: type_label.clone(),
            office: req.office,
            reference: None,
            steps,
            documents,
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let model = procedure_type::ActiveModel {
            tenant_id: Set(tenant.uuid()),
            version: Set(1),
            id: Set(ProcedureTypeId::new().uuid()),
            code: Set(code),
            label: Set(type_label),
            definition: Set(json(&def)?),
            retired: Set(false),
            created_by: Set(user.uuid()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await
        .map_err(|err| match Error::from(err) {
            e if e.code == ErrorCode::Conflict => Error::on("code", Reason::AlreadyExists),
            e => e,
        })?;
        self.audit(
            &tx,
            ctx,
            "create",
            "procedure_type",
            model.id,
            &["code", "label", "steps", "documents"],
        )
        .await?;
        tx.commit().await?;
        Ok(to_type(def, Some(model)))
    }

    pub(super) async fn retire_procedure_type(
        &self,
        ctx: &Context,
        req: RetireProcedureType,
    ) -> Result<ProcedureType> {
        let tenant = ctx.tenant()?;
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let found = tx
            .find::<procedure_type::Entity>(procedure_type::Column::Id, req.id.uuid())
            .await?;
        let def = parsed::<TypeDef>(&found.definition)?;
        let mut model = found.into_active_model();
        model.retired = Set(req.retired);
        let model = tx
            .update_versioned::<procedure_type::Entity>(
                req.id.uuid(),
                Some(req.expected_version),
                model,
            )
            .await?;
        self.audit(&tx, ctx, "update", "procedure_type", model.id, &["retired"])
            .await?;
        tx.commit().await?;
        Ok(to_type(def, Some(model)))
    }

    pub(super) async fn start_procedure(
        &self,
        ctx: &Context,
        req: StartProcedure,
    ) -> Result<Procedure> {
        let (tenant, tx) = self.staff_tx(ctx).await?;
        let user = ctx.user()?;
        let today = ctx.today();
        let mut refusals = Refusals::default();
        let started_on = req.started_on.unwrap_or(today);
        refusals.take(dates::date_within(
            "startedOn",
            started_on,
            years(today, false),
            today,
        ));
        let alert = refusals.take(alert_days(req.alert_days));
        let def = match type_of(&tx, req.type_code.trim()).await? {
            Some((_, Some(own))) if own.retired => {
                refusals.note(Error::on(
                    "typeCode",
                    Reason::NoSuch {
                        object: Object::ProcedureType,
                    },
                ));
                None
            }
            Some((def, _)) => Some(def),
            None => {
                refusals.note(Error::on(
                    "typeCode",
                    Reason::NoSuch {
                        object: Object::ProcedureType,
                    },
                ));
                None
            }
        };
        if let Some(def) = &def {
            match (def.needs_reference(), req.reference_on) {
                (true, None) => refusals.note(Error::on("referenceOn", Reason::Required)),
                (false, Some(_)) => refusals.note(Error::on(
                    "referenceOn",
                    Reason::NoSuch {
                        object: Object::ProcedureStep,
                    },
                )),
                (true, Some(r)) => {
                    refusals.take(dates::date_within(
                        "referenceOn",
                        r,
                        years(today, false),
                        years(today, true),
                    ));
                }
                (false, None) => {}
            }
        }
        let person = match self.visible_person(&tx, ctx, req.person_id.uuid()).await {
            Ok(p) => Some(p),
            Err(_) => {
                refusals.note(Error::on(
                    "personId",
                    Reason::NoSuch {
                        object: Object::Person,
                    },
                ));
                None
            }
        };
        if let (Some(case_id), Some(p)) = (req.case_id, &person) {
            match self.visible_case(&tx, ctx, case_id.uuid()).await {
                Ok(c) if c.person_id == p.id => {}
                Ok(_) => refusals.note(Error::on("caseId", Reason::OtherPersonsCase)),
                Err(_) => refusals.note(Error::on(
                    "caseId",
                    Reason::NoSuch {
                        object: Object::Case,
                    },
                )),
            }
        }
        let responsible = req.responsible_id.unwrap_or(user);
        if responsible != user
            && let Err(e) = self.staff_member(ctx, "responsibleId", responsible).await
        {
            refusals.note(e);
        }
        refusals.finish()?;
        let (Some(def), Some(person), Some(alert)) = (def, person, alert) else {
            return Err(Error::internal("a checked start lost its values"));
        };
        let done = Done::new();
        let mut row = procedure::Model {
            tenant_id: tenant.uuid(),
            version: 1,
            id: ProcedureId::new().uuid(),
            person_id: person.id,
            case_id: req.case_id.map(|c| c.uuid()),
            type_code: def.code.clone(),
            responsible_id: responsible.uuid(),
            started_on,
            reference_on: req.reference_on,
            status: status_code(ProcedureStatus::Open).to_owned(),
            closed_on: None,
            alert_days: alert as i32,
            steps_done: json(&done)?,
            documents: json(&Documents::new())?,
            next_due_on: None,
            next_step: None,
            alert_on: None,
            notified_for: None,
            created_by: user.uuid(),
            created_at: ctx.now(),
        };
        let n = next(&def, &row)?;
        (row.next_due_on, row.next_step, row.alert_on) = (n.due_on, n.step, n.alert_on);
        let model = procedure::ActiveModel::from(row)
            .reset_all()
            .insert(tx.conn())
            .await?;
        self.audit(
            &tx,
            ctx,
            "create",
            "procedure",
            model.id,
            &["type", "dates", "responsible"],
        )
        .await?;
        self.emit_procedure(&tx, ctx, &model, |procedure| Event::ProcedureStarted {
            procedure,
            procedure_type: model.type_code.clone(),
        })
        .await?;
        tx.commit().await?;
        to_procedure(model, &def, today)
    }

    /// A procedure of a person the actor may see, locked for a change; its type.
    async fn visible_procedure(
        &self,
        tx: &Tx,
        ctx: &Context,
        id: ProcedureId,
    ) -> Result<(procedure::Model, TypeDef)> {
        let found = tx
            .find::<procedure::Entity>(procedure::Column::Id, id.uuid())
            .await?;
        self.visible_person(tx, ctx, found.person_id)
            .await
            .map_err(|_| Error::not_found())?;
        let (def, _) = type_of(tx, &found.type_code)
            .await?
            .ok_or_else(|| Error::internal("a procedure's type is gone"))?;
        Ok((found, def))
    }

    /// Applies `change` to a procedure (after the version check), recomputes its next deadline,
    /// audits `fields` and commits.
    async fn change_procedure(
        &self,
        ctx: &Context,
        id: ProcedureId,
        expected_version: i32,
        fields: &[&str],
        change: impl FnOnce(&mut procedure::Model, &TypeDef, NaiveDate) -> Result<()>,
    ) -> Result<Procedure> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let today = ctx.today();
        let (found, def) = self.visible_procedure(&tx, ctx, id).await?;
        if found.version != expected_version {
            return Err(Error::stale(found.version));
        }
        let was_open = found.status == status_code(ProcedureStatus::Open);
        let mut row = found.clone();
        change(&mut row, &def, today)?;
        let n = next(&def, &row)?;
        let closed = was_open && row.status != status_code(ProcedureStatus::Open);
        let mut model = found.into_active_model();
        model.responsible_id = Set(row.responsible_id);
        model.reference_on = Set(row.reference_on);
        model.status = Set(row.status.clone());
        model.closed_on = Set(row.closed_on);
        model.alert_days = Set(row.alert_days);
        model.steps_done = Set(row.steps_done.clone());
        model.documents = Set(row.documents.clone());
        model.next_due_on = Set(n.due_on);
        model.next_step = Set(n.step);
        model.alert_on = Set(n.alert_on);
        let model = tx
            .update_versioned::<procedure::Entity>(id.uuid(), Some(expected_version), model)
            .await?;
        self.audit(&tx, ctx, "update", "procedure", model.id, fields)
            .await?;
        if closed {
            self.emit_procedure(&tx, ctx, &model, |procedure| Event::ProcedureClosed {
                procedure,
                procedure_type: model.type_code.clone(),
                outcome: model.status.clone(),
            })
            .await?;
        }
        tx.commit().await?;
        to_procedure(model, &def, today)
    }

    /// Emits an event about a procedure (its pseudonym and the person's municipality, nothing
    /// about the person), unless the person withdrew their consent to anonymised statistics.
    async fn emit_procedure(
        &self,
        tx: &Tx,
        ctx: &Context,
        row: &procedure::Model,
        event: impl FnOnce(sportello_kernel::events::Pseudonym) -> Event,
    ) -> Result<()> {
        if !events::counted(tx, row.person_id).await? {
            return Ok(());
        }
        let person = tx
            .find::<crate::store::person::Entity>(crate::store::person::Column::Id, row.person_id)
            .await?;
        events::emit_activity(
            tx,
            &self.pseudonyms,
            ctx,
            ("procedure", row.id),
            &person.territory_code,
            ctx.now(),
            event,
        )
        .await
    }

    pub(super) async fn record_procedure_step(
        &self,
        ctx: &Context,
        req: RecordProcedureStep,
    ) -> Result<Procedure> {
        let step = req.step.trim().to_owned();
        self.change_procedure(
            ctx,
            req.id,
            req.expected_version,
            &["steps"],
            |row, def, today| {
                if def.step(&step).is_none() {
                    return Err(Error::on(
                        "step",
                        Reason::NoSuch {
                            object: Object::ProcedureStep,
                        },
                    ));
                }
                let mut done: Done = parsed(&row.steps_done)?;
                match req.done_on {
                    Some(day) => {
                        dates::date_within("doneOn", day, row.started_on, today)?;
                        done.insert(step, day);
                    }
                    None => {
                        done.remove(&step);
                    }
                }
                row.steps_done = json(&done)?;
                Ok(())
            },
        )
        .await
    }

    pub(super) async fn set_procedure_document(
        &self,
        ctx: &Context,
        req: SetProcedureDocument,
    ) -> Result<Procedure> {
        let document = req.document.trim().to_owned();
        self.change_procedure(
            ctx,
            req.id,
            req.expected_version,
            &["documents"],
            |row, def, _| {
                if def.document(&document).is_none() {
                    return Err(Error::on(
                        "document",
                        Reason::NoSuch {
                            object: Object::ProcedureDocument,
                        },
                    ));
                }
                let mut documents: Documents = parsed(&row.documents)?;
                documents.insert(document, req.status);
                row.documents = json(&documents)?;
                Ok(())
            },
        )
        .await
    }

    pub(super) async fn update_procedure(
        &self,
        ctx: &Context,
        req: UpdateProcedure,
    ) -> Result<Procedure> {
        let alert = req.alert_days.map(|d| alert_days(Some(d))).transpose()?;
        if let Some(r) = req.responsible_id {
            self.staff_member(ctx, "responsibleId", r).await?;
        }
        let mut fields = Vec::new();
        if req.responsible_id.is_some() {
            fields.push("responsible");
        }
        if req.alert_days.is_some() {
            fields.push("alertDays");
        }
        if req.reference_on.is_some() {
            fields.push("referenceOn");
        }
        if req.status.is_some() {
            fields.push("status");
        }
        self.change_procedure(
            ctx,
            req.id,
            req.expected_version,
            &fields,
            |row, def, today| {
                let mut refusals = Refusals::default();
                if let Some(r) = req.responsible_id {
                    row.responsible_id = r.uuid();
                }
                if let Some(a) = alert {
                    row.alert_days = a as i32;
                }
                if let Some(r) = req.reference_on {
                    if def.needs_reference() {
                        if refusals
                            .take(dates::date_within(
                                "referenceOn",
                                r,
                                years(today, false),
                                years(today, true),
                            ))
                            .is_some()
                        {
                            row.reference_on = Some(r);
                        }
                    } else {
                        refusals.note(Error::on(
                            "referenceOn",
                            Reason::NoSuch {
                                object: Object::ProcedureStep,
                            },
                        ));
                    }
                }
                match req.status {
                    Some(ProcedureStatus::Open) => {
                        row.status = status_code(ProcedureStatus::Open).to_owned();
                        row.closed_on = None;
                    }
                    Some(closed) => {
                        let on = req.closed_on.unwrap_or(today);
                        if refusals
                            .take(dates::date_within("closedOn", on, row.started_on, today))
                            .is_some()
                        {
                            row.status = status_code(closed).to_owned();
                            row.closed_on = Some(on);
                        }
                    }
                    None if req.closed_on.is_some() => {
                        refusals.note(Error::on("status", Reason::Required));
                    }
                    None => {}
                }
                refusals.finish()
            },
        )
        .await
    }

    pub(super) async fn get_procedure(&self, ctx: &Context, id: ProcedureId) -> Result<Procedure> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let (found, def) = self.visible_procedure(&tx, ctx, id).await?;
        self.audit(
            &tx,
            ctx,
            "read",
            "procedure",
            found.id,
            &["type", "steps", "documents"],
        )
        .await?;
        tx.commit().await?;
        to_procedure(found, &def, ctx.today())
    }

    /// The procedures' rows of a list request, within the actor's territories.
    fn procedures_select(
        &self,
        tx: &Tx,
        ctx: &Context,
        req: &ListProcedures,
        today: NaiveDate,
    ) -> Result<sea_orm::Select<procedure::Entity>> {
        let mut select = tx.scoped::<procedure::Entity>()?;
        if !ctx.actor.territories.is_empty() {
            let visible = tx
                .scoped_subquery::<person::Entity>()?
                .column(person::Column::Id)
                .and_where(person::Column::TerritoryCode.is_in(ctx.actor.territories.clone()))
                .to_owned();
            select = select.filter(procedure::Column::PersonId.in_subquery(visible));
        }
        if let Some(p) = req.person_id {
            select = select.filter(procedure::Column::PersonId.eq(p.uuid()));
        }
        if let Some(c) = req.case_id {
            select = select.filter(procedure::Column::CaseId.eq(c.uuid()));
        }
        if let Some(t) = &req.type_code {
            select = select.filter(procedure::Column::TypeCode.eq(t.trim()));
        }
        if let Some(r) = req.responsible_id {
            select = select.filter(procedure::Column::ResponsibleId.eq(r.uuid()));
        }
        if let Some(s) = req.status {
            select = select.filter(procedure::Column::Status.eq(status_code(s)));
        }
        if req.overdue || req.alerting {
            select = select
                .filter(procedure::Column::Status.eq(status_code(ProcedureStatus::Open)))
                .filter(procedure::Column::NextDueOn.is_not_null());
        }
        if req.overdue {
            select = select.filter(procedure::Column::NextDueOn.lt(today));
        }
        if req.alerting {
            select = select.filter(procedure::Column::AlertOn.lte(today));
        }
        Ok(select)
    }

    pub(super) async fn list_procedures(
        &self,
        ctx: &Context,
        req: ListProcedures,
    ) -> Result<Paged<Procedure>> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let today = ctx.today();
        if let Some(p) = req.person_id {
            self.visible_person(&tx, ctx, p.uuid()).await?;
        }
        let select = self.procedures_select(&tx, ctx, &req, today)?;
        let rows = tx.page(select, procedure::Column::Id, &req.page).await?;
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        let mut items = Vec::with_capacity(rows.items.len());
        for m in rows.items {
            if !types.contains_key(&m.type_code) {
                let (def, _) = type_of(&tx, &m.type_code)
                    .await?
                    .ok_or_else(|| Error::internal("a procedure's type is gone"))?;
                types.insert(m.type_code.clone(), def);
            }
            self.audit(&tx, ctx, "read", "procedure", m.id, &["type", "steps"])
                .await?;
            items.push(to_procedure(m.clone(), &types[&m.type_code], today)?);
        }
        tx.commit().await?;
        Ok(Paged {
            items,
            has_next_page: rows.has_next_page,
        })
    }

    pub(super) async fn procedure_workload(
        &self,
        ctx: &Context,
        _: (),
    ) -> Result<ProcedureWorkload> {
        let (_, tx) = self.staff_tx(ctx).await?;
        let today = ctx.today();
        let req = ListProcedures::default();
        let rows = self
            .procedures_select(&tx, ctx, &req, today)?
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        let mut by_type: BTreeMap<String, WorkloadByType> = BTreeMap::new();
        let mut by_step: BTreeMap<(String, String), WorkloadByStep> = BTreeMap::new();
        let mut by_responsible: BTreeMap<Uuid, WorkloadByResponsible> = BTreeMap::new();
        for m in rows {
            let status = parse_status(&m.status)?;
            let t = by_type
                .entry(m.type_code.clone())
                .or_insert_with(|| WorkloadByType {
                    type_code: m.type_code.clone(),
                    open: 0,
                    overdue: 0,
                    completed: 0,
                    abandoned: 0,
                });
            match status {
                ProcedureStatus::Completed => {
                    t.completed += 1;
                    continue;
                }
                ProcedureStatus::Abandoned => {
                    t.abandoned += 1;
                    continue;
                }
                ProcedureStatus::Open => t.open += 1,
            }
            let overdue = m.next_due_on.is_some_and(|d| d < today);
            let alerting = m.alert_on.is_some_and(|d| d <= today);
            t.overdue += u32::from(overdue);
            if let Some(step) = &m.next_step {
                let s = by_step
                    .entry((m.type_code.clone(), step.clone()))
                    .or_insert_with(|| WorkloadByStep {
                        type_code: m.type_code.clone(),
                        step: step.clone(),
                        open: 0,
                        overdue: 0,
                    });
                s.open += 1;
                s.overdue += u32::from(overdue);
            }
            let r =
                by_responsible
                    .entry(m.responsible_id)
                    .or_insert_with(|| WorkloadByResponsible {
                        responsible_id: sportello_kernel::UserId(m.responsible_id),
                        open: 0,
                        overdue: 0,
                        alerting: 0,
                    });
            r.open += 1;
            r.overdue += u32::from(overdue);
            r.alerting += u32::from(alerting);
        }
        Ok(ProcedureWorkload {
            by_type: by_type.into_values().collect(),
            by_step: by_step.into_values().collect(),
            by_responsible: by_responsible.into_values().collect(),
        })
    }
}

impl CasesService {
    /// Open procedures of `tenant` alerting on `today` (the tenant's local date) whose next
    /// deadline was not notified yet, oldest deadline first.
    pub(crate) async fn due_procedure_notices(
        &self,
        tenant: sportello_kernel::TenantId,
        today: NaiveDate,
        limit: u64,
    ) -> Result<Vec<procedure::Model>> {
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let rows = tx
            .scoped::<procedure::Entity>()?
            .filter(procedure::Column::Status.eq(status_code(ProcedureStatus::Open)))
            .filter(procedure::Column::AlertOn.lte(today))
            .filter(procedure::Column::NextDueOn.is_not_null())
            .filter(
                sea_orm::Condition::any()
                    .add(procedure::Column::NotifiedFor.is_null())
                    .add(sea_orm::ExprTrait::ne(
                        sea_orm::sea_query::Expr::col(procedure::Column::NotifiedFor),
                        sea_orm::sea_query::Expr::col(procedure::Column::NextDueOn),
                    )),
            )
            .order_by_asc(procedure::Column::NextDueOn)
            .limit(limit)
            .all(tx.conn())
            .await?;
        tx.finish().await?;
        Ok(rows)
    }

    /// Notifies the coming deadlines of the procedures `ids` of `tenant`: the person, in their
    /// language, by e-mail or else SMS, only with their consent to be contacted by message; the
    /// staff member following it by e-mail (`staff`: their addresses), with no personal data.
    /// Records the deadline notified on each procedure in the same transaction, so that each
    /// deadline is notified once. Returns how many messages were queued.
    pub(crate) async fn send_procedure_notices(
        &self,
        tenant: sportello_kernel::TenantId,
        now: chrono::DateTime<Utc>,
        ids: &[Uuid],
        staff: &std::collections::HashMap<Uuid, String>,
    ) -> Result<usize> {
        use sportello_kernel::messages::{
            self, Channel as MessageChannel, MessageKind, MessageLanguage, Outgoing, Template,
        };
        let tx = self.db.begin(Scope::Tenant(tenant)).await?;
        let mut queued = 0;
        for id in ids {
            let Ok(row) = tx
                .find_for_update::<procedure::Entity>(procedure::Column::Id, *id)
                .await
            else {
                continue;
            };
            let Some(due) = row.next_due_on else {
                continue;
            };
            if row.notified_for == Some(due) {
                continue;
            }
            let due_text = due.format("%d/%m/%Y").to_string();
            let office = match type_of(&tx, &row.type_code).await? {
                Some((def, _)) => office_name(def.office),
                None => office_name(Office::Other),
            };
            let consented = tx
                .scoped::<crate::store::consent::Entity>()?
                .filter(crate::store::consent::Column::PersonId.eq(row.person_id))
                .filter(
                    crate::store::consent::Column::Purpose
                        .eq(codes::consent(ConsentPurpose::ContactByMessage)),
                )
                .order_by_desc(crate::store::consent::Column::RecordedAt)
                .order_by_desc(crate::store::consent::Column::Id)
                .one(tx.conn())
                .await?
                .is_some_and(|c| c.given);
            if consented {
                let p = tx
                    .find::<crate::store::person::Entity>(
                        crate::store::person::Column::Id,
                        row.person_id,
                    )
                    .await?;
                let language = MessageLanguage::first_of(
                    p.languages.split(',').filter_map(|l| l.split(':').next()),
                );
                let template = Template::ProcedureReminder {
                    office,
                    due: &due_text,
                };
                let contact = match (&p.email, &p.phone) {
                    (Some(email), _) if !email.is_empty() => Some((
                        MessageChannel::Email,
                        email.clone(),
                        template.email(language),
                    )),
                    (_, Some(phone)) if !phone.is_empty() => {
                        Some((MessageChannel::Sms, phone.clone(), template.sms(language)))
                    }
                    _ => None,
                };
                if let Some((channel, recipient, content)) = contact {
                    messages::queue(
                        &tx,
                        now,
                        Outgoing {
                            kind: MessageKind::ProcedureReminder,
                            channel,
                            language,
                            reference: Some(row.id),
                            recipient,
                            content,
                        },
                    )?;
                    queued += 1;
                }
            }
            if let Some(email) = staff.get(&row.responsible_id) {
                let reference: String = row.id.simple().to_string().chars().take(8).collect();
                let template = Template::ProcedureAlert {
                    due: &due_text,
                    reference: &reference,
                };
                messages::queue(
                    &tx,
                    now,
                    Outgoing {
                        kind: MessageKind::ProcedureAlert,
                        channel: MessageChannel::Email,
                        language: MessageLanguage::It,
                        reference: Some(row.id),
                        recipient: email.clone(),
                        content: template.email(MessageLanguage::It),
                    },
                )?;
                queued += 1;
            }
            // Not a change of the procedure: its version stays.
            tx.scoped_update::<procedure::Entity>()?
                .col_expr(
                    procedure::Column::NotifiedFor,
                    sea_orm::sea_query::Expr::value(due),
                )
                .filter(procedure::Column::Id.eq(row.id))
                .exec(tx.conn())
                .await?;
        }
        tx.commit().await?;
        Ok(queued)
    }
}

/// The office as the messages name it (Italian proper names of the offices).
fn office_name(office: Office) -> &'static str {
    match office {
        Office::Questura => "Questura",
        Office::Prefettura => "Prefettura",
        Office::Comune => "Comune",
        Office::Asl => "ASL",
        Office::CommissioneTerritoriale => "Commissione territoriale",
        Office::Consolato => "Consolato",
        Office::Tribunale => "Tribunale",
        Office::Other => "ufficio competente",
    }
}
