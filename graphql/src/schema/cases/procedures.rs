//! Long administrative procedures (pratiche): types, a person's procedure with its steps,
//! documents and deadlines, alerts and the back office's workload.

use async_graphql::{Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use sportello_cases as cases;

use super::{Kind, encode};

/// The office that handles a procedure or one of its steps.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::Office")]
pub enum Office {
    /// Police headquarters (permits of stay).
    Questura,
    /// Prefecture and its Sportello Unico per l'Immigrazione.
    Prefettura,
    /// The municipality (registry office, civil status).
    Comune,
    /// The local health authority.
    Asl,
    /// The territorial commission for international protection.
    CommissioneTerritoriale,
    /// An Italian consulate or embassy abroad.
    Consolato,
    /// A court.
    Tribunale,
    Other,
}

/// Whether a time limit is set by law (`source` names it) or by practice.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::LimitKind")]
pub enum LimitKind {
    Statutory,
    Customary,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::ProcedureStatus")]
pub enum ProcedureStatus {
    Open,
    Completed,
    Abandoned,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "sportello_cases::DocumentStatus")]
pub enum DocumentStatus {
    Missing,
    Requested,
    Received,
    NotNeeded,
}

/// How a step's time limit is counted.
#[derive(SimpleObject)]
pub struct StepRule {
    pub code: String,
    /// Italian label (the console shows its own translation of seeded steps by code).
    pub label: String,
    pub office: Office,
    /// `BEFORE_REFERENCE`, `AFTER_REFERENCE`, `AFTER_START`, `AFTER_STEP` or none.
    pub counted_from: Option<String>,
    /// The step it counts from, for `AFTER_STEP`.
    pub after_step: Option<String>,
    pub amount: Option<i32>,
    /// `DAYS` (calendar days), `WORKING_DAYS` (no Saturdays, Sundays or national holidays) or
    /// `MONTHS`.
    pub unit: Option<String>,
    pub limit_kind: LimitKind,
    /// The law and article of the time limit, or the practice it follows; empty without one.
    pub source: String,
}

/// A document of a type's checklist.
#[derive(SimpleObject)]
pub struct DocumentRule {
    pub code: String,
    pub label: String,
}

/// A procedure type: one of the seeded Italian procedures (docs/procedures.md) or one of the
/// tenant's own.
pub struct ProcedureType(pub cases::ProcedureType);

#[Object]
impl ProcedureType {
    /// The tenant's own types only (seeded types have none).
    async fn id(&self) -> Option<ID> {
        self.0.id.map(|id| encode(Kind::ProcedureType, id.uuid()))
    }
    async fn code(&self) -> &str {
        &self.0.definition.code
    }
    async fn label(&self) -> &str {
        &self.0.definition.label
    }
    async fn office(&self) -> Office {
        self.0.definition.office.into()
    }
    /// What the reference date is (the permit's expiry, the day of moving), when steps count
    /// from one: a procedure of this type then needs `referenceOn`.
    async fn reference(&self) -> Option<&str> {
        self.0.definition.reference.as_deref()
    }
    async fn seeded(&self) -> bool {
        self.0.seeded
    }
    async fn retired(&self) -> bool {
        self.0.retired
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn steps(&self) -> Vec<StepRule> {
        self.0
            .definition
            .steps
            .iter()
            .map(|s| {
                let (from, after, amount, unit) = match &s.due {
                    cases::Due::None => (None, None, None, None),
                    cases::Due::BeforeReference { amount, unit } => {
                        (Some("BEFORE_REFERENCE"), None, Some(*amount), Some(*unit))
                    }
                    cases::Due::AfterReference { amount, unit } => {
                        (Some("AFTER_REFERENCE"), None, Some(*amount), Some(*unit))
                    }
                    cases::Due::AfterStart { amount, unit } => {
                        (Some("AFTER_START"), None, Some(*amount), Some(*unit))
                    }
                    cases::Due::AfterStep { step, amount, unit } => (
                        Some("AFTER_STEP"),
                        Some(step.clone()),
                        Some(*amount),
                        Some(*unit),
                    ),
                };
                StepRule {
                    code: s.code.clone(),
                    label: s.label.clone(),
                    office: s.office.into(),
                    counted_from: from.map(str::to_owned),
                    after_step: after,
                    amount: amount.map(|a| i32::try_from(a).unwrap_or(i32::MAX)),
                    unit: unit.map(|u| {
                        match u {
                            cases::Unit::Days => "DAYS",
                            cases::Unit::WorkingDays => "WORKING_DAYS",
                            cases::Unit::Months => "MONTHS",
                        }
                        .to_owned()
                    }),
                    limit_kind: s.limit_kind.into(),
                    source: s.source.clone(),
                }
            })
            .collect()
    }
    async fn documents(&self) -> Vec<DocumentRule> {
        self.0
            .definition
            .documents
            .iter()
            .map(|d| DocumentRule {
                code: d.code.clone(),
                label: d.label.clone(),
            })
            .collect()
    }
}

/// A step of a person's procedure. Dates are the tenant's local dates.
#[derive(SimpleObject)]
pub struct ProcedureStep {
    pub code: String,
    pub label: String,
    pub office: Office,
    /// When it is due under the type's rule; none without a limit, or while the step it counts
    /// from is not done.
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub limit_kind: LimitKind,
    pub source: String,
}

#[derive(SimpleObject)]
pub struct ProcedureDocument {
    pub code: String,
    pub label: String,
    pub status: DocumentStatus,
}

/// A person's long procedure (pratica): its steps with due and done dates, its documents, its
/// next deadline. Reading it is audited.
pub struct Procedure(pub cases::Procedure);

#[Object]
impl Procedure {
    pub async fn id(&self) -> ID {
        encode(Kind::Procedure, self.0.id.uuid())
    }
    /// Raised by one on every change; an update sends back the version it was based on.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn person_id(&self) -> ID {
        encode(Kind::Person, self.0.person_id.uuid())
    }
    async fn case_id(&self) -> Option<ID> {
        self.0.case_id.map(|c| encode(Kind::Case, c.uuid()))
    }
    async fn type_code(&self) -> &str {
        &self.0.type_code
    }
    async fn type_label(&self) -> &str {
        &self.0.type_label
    }
    async fn office(&self) -> Office {
        self.0.office.into()
    }
    /// The staff member who follows it and sees its alerts.
    async fn responsible_id(&self) -> ID {
        encode(Kind::User, self.0.responsible_id.uuid())
    }
    async fn started_on(&self) -> NaiveDate {
        self.0.started_on
    }
    /// The date the type's steps count from (a permit's expiry, the day of moving).
    async fn reference_on(&self) -> Option<NaiveDate> {
        self.0.reference_on
    }
    async fn status(&self) -> ProcedureStatus {
        self.0.status.into()
    }
    async fn closed_on(&self) -> Option<NaiveDate> {
        self.0.closed_on
    }
    /// Days before its next deadline from which the procedure alerts (1–90).
    async fn alert_days(&self) -> i32 {
        i32::try_from(self.0.alert_days).unwrap_or(i32::MAX)
    }
    async fn steps(&self) -> Vec<ProcedureStep> {
        self.0
            .steps
            .iter()
            .map(|s| ProcedureStep {
                code: s.code.clone(),
                label: s.label.clone(),
                office: s.office.into(),
                due_on: s.due_on,
                done_on: s.done_on,
                limit_kind: s.limit_kind.into(),
                source: s.source.clone(),
            })
            .collect()
    }
    async fn documents(&self) -> Vec<ProcedureDocument> {
        self.0
            .documents
            .iter()
            .map(|d| ProcedureDocument {
                code: d.code.clone(),
                label: d.label.clone(),
                status: d.status.into(),
            })
            .collect()
    }
    /// The earliest due date of a step not done.
    async fn next_due_on(&self) -> Option<NaiveDate> {
        self.0.next_due_on
    }
    /// The step of `nextDueOn`.
    async fn next_step(&self) -> Option<&str> {
        self.0.next_step.as_deref()
    }
    /// Open, and its next deadline is before today (tenant's date).
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// Open, and today is within `alertDays` of its next deadline (overdue included).
    async fn alerting(&self) -> bool {
        self.0.alerting
    }
}

/// A step of a tenant's own procedure type.
#[derive(InputObject)]
pub struct ProcedureStepInput {
    pub label: String,
    pub office: Office,
    /// Calendar days after the previous step (after the start, for the first) within which
    /// the step is due, 1–3650; none for no time limit.
    pub days_after_previous: Option<i32>,
}

/// A tenant's own procedure type: `code` 2–40 lower-case letters, digits or underscores, not a
/// seeded type's (`ALREADY_EXISTS`); `label` up to 200 characters; 1–20 steps (each field named
/// `steps.<n>.label` …); up to 30 documents (labels).
#[derive(InputObject)]
pub struct CreateProcedureTypeInput {
    pub code: String,
    pub label: String,
    pub office: Office,
    pub steps: Vec<ProcedureStepInput>,
    #[graphql(default)]
    pub documents: Vec<String>,
}

/// Starts a procedure for a person. `typeCode`: a type of `procedureTypes` not retired;
/// `startedOn`: up to 10 years back, today by default; `referenceOn`: required by the types that
/// have a reference (and refused by the others), within 10 years of today; `alertDays` 1–90
/// (14 by default); `responsibleId`: a staff member of the tenant (the viewer by default);
/// `caseId`: one of the person's cases.
#[derive(InputObject)]
pub struct StartProcedureInput {
    pub person_id: ID,
    pub case_id: Option<ID>,
    pub type_code: String,
    pub started_on: Option<NaiveDate>,
    pub reference_on: Option<NaiveDate>,
    pub responsible_id: Option<ID>,
    pub alert_days: Option<i32>,
}

/// The day a step was done (between the start and today), or null to clear it.
#[derive(InputObject)]
pub struct RecordProcedureStepInput {
    pub id: ID,
    pub step: String,
    pub done_on: Option<NaiveDate>,
    pub expected_version: i32,
}

#[derive(InputObject)]
pub struct SetProcedureDocumentInput {
    pub id: ID,
    pub document: String,
    pub status: DocumentStatus,
    pub expected_version: i32,
}

/// Changes who follows a procedure, its alert days or reference date; closes it (`COMPLETED`,
/// `ABANDONED`, on `closedOn`, today by default, not before the start) or opens it again.
#[derive(InputObject)]
pub struct UpdateProcedureInput {
    pub id: ID,
    pub responsible_id: Option<ID>,
    pub alert_days: Option<i32>,
    pub reference_on: Option<NaiveDate>,
    pub status: Option<ProcedureStatus>,
    pub closed_on: Option<NaiveDate>,
    pub expected_version: i32,
}

#[derive(InputObject, Default)]
pub struct ProcedureFilter {
    pub person_id: Option<ID>,
    pub case_id: Option<ID>,
    pub type_code: Option<String>,
    pub responsible_id: Option<ID>,
    pub status: Option<ProcedureStatus>,
    /// Only open procedures past their next deadline.
    #[graphql(default)]
    pub overdue: bool,
    /// Only open procedures within their alert days of the next deadline (overdue included).
    #[graphql(default)]
    pub alerting: bool,
    /// Only the viewer's own (`responsibleId` is the viewer).
    #[graphql(default)]
    pub mine: bool,
}

#[derive(SimpleObject)]
pub struct WorkloadByType {
    pub type_code: String,
    pub open: i32,
    pub overdue: i32,
    pub completed: i32,
    pub abandoned: i32,
}

/// Open procedures whose next deadline is this step's.
#[derive(SimpleObject)]
pub struct WorkloadByStep {
    pub type_code: String,
    pub step: String,
    pub open: i32,
    pub overdue: i32,
}

#[derive(SimpleObject)]
pub struct WorkloadByResponsible {
    pub responsible_id: ID,
    pub open: i32,
    pub overdue: i32,
    pub alerting: i32,
}

/// The back office's workload over the procedures of the viewer's territories.
#[derive(SimpleObject)]
pub struct ProcedureWorkload {
    pub by_type: Vec<WorkloadByType>,
    pub by_step: Vec<WorkloadByStep>,
    pub by_responsible: Vec<WorkloadByResponsible>,
}

fn n(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

impl From<cases::ProcedureWorkload> for ProcedureWorkload {
    fn from(w: cases::ProcedureWorkload) -> Self {
        Self {
            by_type: w
                .by_type
                .into_iter()
                .map(|t| WorkloadByType {
                    type_code: t.type_code,
                    open: n(t.open),
                    overdue: n(t.overdue),
                    completed: n(t.completed),
                    abandoned: n(t.abandoned),
                })
                .collect(),
            by_step: w
                .by_step
                .into_iter()
                .map(|s| WorkloadByStep {
                    type_code: s.type_code,
                    step: s.step,
                    open: n(s.open),
                    overdue: n(s.overdue),
                })
                .collect(),
            by_responsible: w
                .by_responsible
                .into_iter()
                .map(|r| WorkloadByResponsible {
                    responsible_id: encode(Kind::User, r.responsible_id.uuid()),
                    open: n(r.open),
                    overdue: n(r.overdue),
                    alerting: n(r.alerting),
                })
                .collect(),
        }
    }
}
