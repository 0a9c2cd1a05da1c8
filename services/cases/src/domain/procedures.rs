//! Long administrative procedures (pratiche): the seeded Italian procedure types with their steps,
//! documents, offices and time limits, a tenant's own types, and the deadlines of a person's
//! procedure computed from the dates recorded on it.
//!
//! Every time limit of a seeded type names its source (a law and article, or "customary" when
//! only practice sets it); `docs/procedures.md` lists them. Dates are the tenant's local dates.
//! Rules applied to the arithmetic:
//! - days are calendar days; a month added to the 31st ends on the last day of a shorter month
//!   (31 January + 1 month = 28 or 29 February);
//! - working days skip Saturdays, Sundays and the national public holidays
//!   ([`is_public_holiday`]);
//! - a deadline falling on a holiday is **not** moved to the next working day (art. 155 c.p.c.
//!   would move some of them): the deadline shown is never later than the legal one.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The office a procedure or step is handled by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Office {
    /// Police headquarters (permits of stay).
    Questura,
    /// Prefecture and its Sportello Unico per l'Immigrazione (citizenship, nulla osta).
    Prefettura,
    /// The municipality (registry office, civil status).
    Comune,
    /// The local health authority.
    Asl,
    /// The territorial commission for international protection.
    CommissioneTerritoriale,
    /// An Italian consulate or embassy abroad (entry visas).
    Consolato,
    /// A court (appeals).
    Tribunale,
    /// Any other office (a tenant's own types).
    Other,
}

/// What a step's time limit counts from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum Due {
    /// No time limit.
    None,
    /// `amount` units before the procedure's reference date (a permit's expiry).
    BeforeReference { amount: u32, unit: Unit },
    /// `amount` units after the procedure's reference date (the day of moving, of entry).
    AfterReference { amount: u32, unit: Unit },
    /// `amount` units after the day the procedure started.
    AfterStart { amount: u32, unit: Unit },
    /// `amount` units after the day step `step` was done.
    AfterStep {
        step: String,
        amount: u32,
        unit: Unit,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    WorkingDays,
    Months,
}

/// Whether a time limit is set by law or by practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitKind {
    Statutory,
    Customary,
}

/// One step of a procedure type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDef {
    /// Lower-case letters, digits and underscores, unique in the type.
    pub code: String,
    /// Italian label.
    pub label: String,
    pub office: Office,
    pub due: Due,
    pub limit_kind: LimitKind,
    /// The rule the time limit comes from ("art. 5 c. 4 D.Lgs. 286/1998"), empty without one.
    pub source: String,
}

/// A document of a procedure type's checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDef {
    pub code: String,
    /// Italian label.
    pub label: String,
}

/// A procedure type: seeded ([`seeded`]) or a tenant's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDef {
    pub code: String,
    /// Italian label.
    pub label: String,
    pub office: Office,
    /// What the procedure's reference date is, when its steps count from one ("scadenza del
    /// permesso", "data del trasferimento"); `None` when none does.
    pub reference: Option<String>,
    pub steps: Vec<StepDef>,
    pub documents: Vec<DocumentDef>,
}

impl TypeDef {
    pub fn step(&self, code: &str) -> Option<&StepDef> {
        self.steps.iter().find(|s| s.code == code)
    }

    pub fn document(&self, code: &str) -> Option<&DocumentDef> {
        self.documents.iter().find(|d| d.code == code)
    }

    /// Whether a step counts from the reference date, which a procedure of this type then needs.
    pub fn needs_reference(&self) -> bool {
        self.steps.iter().any(|s| {
            matches!(
                s.due,
                Due::BeforeReference { .. } | Due::AfterReference { .. }
            )
        })
    }
}

/// A step of a person's procedure: when it is due and when it was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    pub code: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

/// The due date of every step of a procedure of type `def`, started on `started_on`, with its
/// reference date and the days its steps were done (`done(code)`). A step counting from a step
/// not done yet has no due date yet.
pub fn schedule(
    def: &TypeDef,
    started_on: NaiveDate,
    reference: Option<NaiveDate>,
    done: impl Fn(&str) -> Option<NaiveDate>,
) -> Vec<Scheduled> {
    def.steps
        .iter()
        .map(|s| {
            let due_on = match &s.due {
                Due::None => None,
                Due::BeforeReference { amount, unit } => {
                    reference.and_then(|r| shift(r, *amount, *unit, false))
                }
                Due::AfterReference { amount, unit } => {
                    reference.and_then(|r| shift(r, *amount, *unit, true))
                }
                Due::AfterStart { amount, unit } => shift(started_on, *amount, *unit, true),
                Due::AfterStep { step, amount, unit } => {
                    done(step).and_then(|d| shift(d, *amount, *unit, true))
                }
            };
            Scheduled {
                code: s.code.clone(),
                due_on,
                done_on: done(&s.code),
            }
        })
        .collect()
}

/// The next deadline of a scheduled procedure: the earliest due date of a step not done, with
/// that step's code (the first in the type's order among equal dates).
pub fn next_due(steps: &[Scheduled]) -> Option<(NaiveDate, &str)> {
    steps
        .iter()
        .filter(|s| s.done_on.is_none())
        .filter_map(|s| s.due_on.map(|d| (d, s.code.as_str())))
        .min_by_key(|(d, _)| *d)
}

fn shift(from: NaiveDate, amount: u32, unit: Unit, forward: bool) -> Option<NaiveDate> {
    match (unit, forward) {
        (Unit::Days, true) => from.checked_add_days(Days::new(amount.into())),
        (Unit::Days, false) => from.checked_sub_days(Days::new(amount.into())),
        (Unit::Months, true) => from.checked_add_months(Months::new(amount)),
        (Unit::Months, false) => from.checked_sub_months(Months::new(amount)),
        (Unit::WorkingDays, forward) => {
            let mut day = from;
            let mut left = amount;
            while left > 0 {
                day = if forward {
                    day.succ_opt()?
                } else {
                    day.pred_opt()?
                };
                if is_working_day(day) {
                    left -= 1;
                }
            }
            Some(day)
        }
    }
}

/// Neither a Saturday, a Sunday nor a public holiday.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(day)
}

/// The national public holidays of Italy: L. 260/1949 art. 2 as amended (1 and 6 January,
/// Easter Monday, 25 April, 1 May, 2 June, 15 August, 1 November, 8, 25 and 26 December) and,
/// from 2026, 4 October (L. 151/2025). Local patron saints' days are not counted.
pub fn is_public_holiday(day: NaiveDate) -> bool {
    let fixed = matches!(
        (day.month(), day.day()),
        (1, 1)
            | (1, 6)
            | (4, 25)
            | (5, 1)
            | (6, 2)
            | (8, 15)
            | (11, 1)
            | (12, 8)
            | (12, 25)
            | (12, 26)
    );
    let francis = day.year() >= 2026 && (day.month(), day.day()) == (10, 4);
    fixed || francis || easter_sunday(day.year()).and_then(|e| e.succ_opt()) == Some(day)
}

/// Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus, "Meeus/Jones/
/// Butcher").
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

// --- the seeded catalogue ----------------------------------------------------------------------

const TUI: &str = "D.Lgs. 286/1998";

fn step(code: &str, label: &str, office: Office, due: Due, source: &str) -> StepDef {
    StepDef {
        code: code.into(),
        label: label.into(),
        office,
        limit_kind: if source.is_empty() || source.starts_with("prassi") {
            LimitKind::Customary
        } else {
            LimitKind::Statutory
        },
        due,
        source: source.into(),
    }
}

fn docs(list: &[(&str, &str)]) -> Vec<DocumentDef> {
    list.iter()
        .map(|(code, label)| DocumentDef {
            code: (*code).into(),
            label: (*label).into(),
        })
        .collect()
}

fn after(step: &str, amount: u32, unit: Unit) -> Due {
    Due::AfterStep {
        step: step.into(),
        amount,
        unit,
    }
}

const IDENTITY: (&str, &str) = ("passport", "Passaporto o documento equivalente");
const PHOTOS: (&str, &str) = ("photos", "Fotografie formato tessera");
const TAX_STAMP: (&str, &str) = ("revenue_stamp", "Marca da bollo da 16 euro");
const CF: (&str, &str) = ("codice_fiscale", "Codice fiscale");

/// The seeded procedure types, every tenant's. Their codes are reserved: a tenant's own types
/// take other codes.
pub fn seeded() -> Vec<TypeDef> {
    use Office::*;
    use Unit::*;
    let citizenship = |code: &str, label: &str, article: &str| TypeDef {
        code: code.into(),
        label: label.into(),
        office: Prefettura,
        reference: None,
        steps: vec![
            step(
                "application_submitted",
                "Domanda presentata online",
                Prefettura,
                Due::None,
                "",
            ),
            step(
                "decree_notified",
                "Decreto notificato",
                Prefettura,
                after("application_submitted", 24, Months),
                "art. 9-ter c. 1 L. 91/1992 (24 mesi, prorogabili fino a 36)",
            ),
            step(
                "oath_sworn",
                "Giuramento prestato",
                Comune,
                after("decree_notified", 6, Months),
                "art. 10 L. 91/1992",
            ),
            step(
                "civil_status_registered",
                "Trascrizione nei registri di stato civile",
                Comune,
                Due::None,
                "",
            ),
        ],
        documents: docs(&[
            (
                "birth_certificate",
                "Atto di nascita legalizzato e tradotto",
            ),
            (
                "criminal_records",
                "Certificati penali del Paese d'origine e dei Paesi di residenza",
            ),
            (
                "language_certificate",
                "Certificazione di lingua italiana almeno B1",
            ),
            ("application_fee", "Ricevuta del contributo di 250 euro"),
            IDENTITY,
            TAX_STAMP,
        ])
        .into_iter()
        .chain(if article.contains("art. 5") {
            docs(&[("marriage_certificate", "Estratto dell'atto di matrimonio")])
        } else {
            docs(&[(
                "income_records",
                "Dichiarazioni dei redditi degli ultimi tre anni",
            )])
        })
        .collect(),
    };
    vec![
        TypeDef {
            code: "permit_renewal".into(),
            label: "Rinnovo del permesso di soggiorno".into(),
            office: Questura,
            reference: Some("Scadenza del permesso in corso".into()),
            steps: vec![
                step(
                    "documents_collected",
                    "Documenti raccolti",
                    Questura,
                    Due::None,
                    "",
                ),
                step(
                    "application_sent",
                    "Kit postale spedito",
                    Questura,
                    Due::BeforeReference {
                        amount: 60,
                        unit: Days,
                    },
                    &format!("art. 5 c. 4 {TUI}"),
                ),
                step(
                    "fingerprints_taken",
                    "Rilievi fotodattiloscopici in Questura",
                    Questura,
                    Due::None,
                    "",
                ),
                step(
                    "permit_issued",
                    "Permesso rilasciato",
                    Questura,
                    after("application_sent", 60, Days),
                    &format!("art. 5 c. 9 {TUI}"),
                ),
                step(
                    "permit_collected",
                    "Permesso ritirato",
                    Questura,
                    Due::None,
                    "",
                ),
            ],
            documents: docs(&[
                IDENTITY,
                ("current_permit", "Permesso di soggiorno in corso"),
                PHOTOS,
                CF,
                ("income_proof", "Contratto di lavoro o prova del reddito"),
                (
                    "housing_proof",
                    "Dichiarazione di ospitalità o contratto d'affitto",
                ),
                TAX_STAMP,
                ("fee_receipt", "Ricevuta del bollettino"),
            ]),
        },
        TypeDef {
            code: "permit_conversion".into(),
            label: "Conversione del permesso di soggiorno".into(),
            office: Prefettura,
            reference: Some("Scadenza del permesso in corso".into()),
            steps: vec![
                step(
                    "application_sent",
                    "Domanda di conversione inviata",
                    Prefettura,
                    Due::BeforeReference {
                        amount: 0,
                        unit: Days,
                    },
                    "prassi: prima della scadenza del permesso da convertire",
                ),
                step(
                    "sui_appointment",
                    "Convocazione allo Sportello Unico",
                    Prefettura,
                    Due::None,
                    "",
                ),
                step(
                    "permit_issued",
                    "Permesso rilasciato",
                    Questura,
                    after("application_sent", 60, Days),
                    &format!("art. 5 c. 9 {TUI}"),
                ),
            ],
            documents: docs(&[
                IDENTITY,
                ("current_permit", "Permesso di soggiorno in corso"),
                (
                    "work_contract",
                    "Contratto di lavoro o proposta di contratto",
                ),
                TAX_STAMP,
            ]),
        },
        TypeDef {
            code: "eu_long_term_permit".into(),
            label: "Permesso UE per soggiornanti di lungo periodo".into(),
            office: Questura,
            reference: None,
            steps: vec![
                step(
                    "application_sent",
                    "Kit postale spedito",
                    Questura,
                    Due::None,
                    "",
                ),
                step(
                    "permit_issued",
                    "Permesso rilasciato",
                    Questura,
                    after("application_sent", 90, Days),
                    &format!("art. 9 c. 2 {TUI}"),
                ),
                step(
                    "permit_collected",
                    "Permesso ritirato",
                    Questura,
                    Due::None,
                    "",
                ),
            ],
            documents: docs(&[
                IDENTITY,
                (
                    "current_permit",
                    "Permesso di soggiorno in corso (almeno 5 anni di soggiorno)",
                ),
                ("income_proof", "Reddito non inferiore all'assegno sociale"),
                ("housing_proof", "Idoneità dell'alloggio"),
                (
                    "language_certificate",
                    "Test di lingua italiana A2 (D.M. 4 giugno 2010)",
                ),
                PHOTOS,
                TAX_STAMP,
            ]),
        },
        citizenship(
            "citizenship_residence",
            "Cittadinanza per residenza",
            "art. 9 L. 91/1992",
        ),
        citizenship(
            "citizenship_marriage",
            "Cittadinanza per matrimonio",
            "art. 5 L. 91/1992",
        ),
        TypeDef {
            code: "family_reunification".into(),
            label: "Ricongiungimento familiare (nulla osta)".into(),
            office: Prefettura,
            reference: None,
            steps: vec![
                step(
                    "application_submitted",
                    "Domanda di nulla osta presentata",
                    Prefettura,
                    Due::None,
                    "",
                ),
                step(
                    "nulla_osta_issued",
                    "Nulla osta rilasciato",
                    Prefettura,
                    after("application_submitted", 90, Days),
                    &format!("art. 29 c. 8 {TUI}"),
                ),
                step(
                    "visa_requested",
                    "Visto richiesto al consolato",
                    Consolato,
                    after("nulla_osta_issued", 6, Months),
                    "prassi: validità di sei mesi del nulla osta",
                ),
                step(
                    "family_arrived",
                    "Familiari entrati in Italia",
                    Questura,
                    Due::None,
                    "",
                ),
                step(
                    "permit_requested",
                    "Permesso per motivi familiari richiesto",
                    Questura,
                    after("family_arrived", 8, WorkingDays),
                    &format!("art. 5 c. 2 {TUI}"),
                ),
            ],
            documents: docs(&[
                IDENTITY,
                ("current_permit", "Permesso di soggiorno del richiedente"),
                (
                    "housing_suitability",
                    "Certificato di idoneità alloggiativa",
                ),
                ("income_proof", "Prova del reddito minimo"),
                (
                    "family_documents",
                    "Atti di stato civile dei familiari, legalizzati e tradotti",
                ),
                TAX_STAMP,
            ]),
        },
        TypeDef {
            code: "residence_registration".into(),
            label: "Iscrizione anagrafica".into(),
            office: Comune,
            reference: Some("Data del trasferimento".into()),
            steps: vec![
                step(
                    "declaration_made",
                    "Dichiarazione di residenza resa",
                    Comune,
                    Due::AfterReference {
                        amount: 20,
                        unit: Days,
                    },
                    "art. 13 c. 2 D.P.R. 223/1989",
                ),
                step(
                    "registration_effective",
                    "Iscrizione registrata",
                    Comune,
                    after("declaration_made", 2, WorkingDays),
                    "art. 5 c. 1 D.L. 5/2012",
                ),
                step(
                    "checks_completed",
                    "Accertamenti conclusi",
                    Comune,
                    after("declaration_made", 45, Days),
                    "art. 5 c. 3 D.L. 5/2012",
                ),
            ],
            documents: docs(&[
                IDENTITY,
                ("current_permit", "Permesso di soggiorno o ricevuta"),
                CF,
                ("housing_title", "Titolo di occupazione dell'alloggio"),
            ]),
        },
        TypeDef {
            code: "health_service_registration".into(),
            label: "Iscrizione al Servizio sanitario nazionale".into(),
            office: Asl,
            reference: None,
            steps: vec![
                step("application_made", "Richiesta all'ASL", Asl, Due::None, ""),
                step("doctor_chosen", "Medico di base scelto", Asl, Due::None, ""),
                step(
                    "card_received",
                    "Tessera sanitaria ricevuta",
                    Asl,
                    Due::None,
                    "",
                ),
            ],
            documents: docs(&[
                IDENTITY,
                ("current_permit", "Permesso di soggiorno o ricevuta"),
                CF,
                ("residence_proof", "Residenza o dichiarazione di domicilio"),
            ]),
        },
        TypeDef {
            code: "asylum".into(),
            label: "Protezione internazionale".into(),
            office: Questura,
            reference: None,
            steps: vec![
                step(
                    "intention_expressed",
                    "Volontà di chiedere protezione manifestata",
                    Questura,
                    Due::None,
                    "",
                ),
                step(
                    "application_formalised",
                    "Domanda verbalizzata (modello C3)",
                    Questura,
                    after("intention_expressed", 3, WorkingDays),
                    "art. 26 c. 2-bis D.Lgs. 25/2008",
                ),
                step(
                    "interview_held",
                    "Audizione in Commissione territoriale",
                    CommissioneTerritoriale,
                    after("application_formalised", 30, Days),
                    "art. 27 c. 2 D.Lgs. 25/2008",
                ),
                step(
                    "decision_notified",
                    "Decisione notificata",
                    CommissioneTerritoriale,
                    after("interview_held", 3, WorkingDays),
                    "art. 27 c. 2 D.Lgs. 25/2008",
                ),
                step(
                    "appeal_filed",
                    "Ricorso presentato (se la domanda è respinta)",
                    Tribunale,
                    after("decision_notified", 30, Days),
                    "art. 35-bis c. 2 D.Lgs. 25/2008",
                ),
            ],
            documents: docs(&[
                IDENTITY,
                ("c3_form", "Copia del modello C3"),
                ("personal_statement", "Memoria personale"),
                ("medical_records", "Documentazione sanitaria, se presente"),
            ]),
        },
    ]
}

/// The seeded type of `code`, if any.
pub fn seeded_type(code: &str) -> Option<TypeDef> {
    seeded().into_iter().find(|t| t.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn easter_and_holidays_are_those_of_the_calendar() {
        for (year, easter) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
        ] {
            assert_eq!(easter_sunday(year), Some(d(easter)));
        }
        assert!(is_public_holiday(d("2027-03-29")), "Easter Monday");
        assert!(is_public_holiday(d("2026-10-04")));
        assert!(
            !is_public_holiday(d("2025-10-04")),
            "4 October is a holiday from 2026"
        );
        assert!(!is_working_day(d("2026-12-26")));
        assert!(is_working_day(d("2026-12-28")));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Thursday 24 December 2026 + 3 working days: 25, 26 (holidays), 27 (Sunday) skipped.
        assert_eq!(
            shift(d("2026-12-24"), 3, Unit::WorkingDays, true),
            Some(d("2026-12-30"))
        );
        // Friday + 8 working days.
        assert_eq!(
            shift(d("2027-01-08"), 8, Unit::WorkingDays, true),
            Some(d("2027-01-20"))
        );
        assert_eq!(
            shift(d("2027-01-31"), 1, Unit::Months, true),
            Some(d("2027-02-28"))
        );
        assert_eq!(
            shift(d("2027-05-10"), 60, Unit::Days, false),
            Some(d("2027-03-11"))
        );
    }

    #[test]
    fn every_seeded_type_is_consistent() {
        let types = seeded();
        assert_eq!(types.len(), 9);
        for t in &types {
            assert!(!t.steps.is_empty() && !t.documents.is_empty(), "{}", t.code);
            for (i, s) in t.steps.iter().enumerate() {
                if let Due::AfterStep { step, .. } = &s.due {
                    let at = t.steps.iter().position(|x| &x.code == step);
                    assert!(
                        at.is_some_and(|at| at < i),
                        "{}: {} counts from a later step",
                        t.code,
                        s.code
                    );
                }
                let timed = s.due != Due::None;
                assert_eq!(
                    timed,
                    !s.source.is_empty(),
                    "{}: {} has a limit without source",
                    t.code,
                    s.code
                );
            }
            assert_eq!(t.needs_reference(), t.reference.is_some(), "{}", t.code);
            let mut codes: Vec<&str> = t.documents.iter().map(|x| x.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(
                codes.len(),
                t.documents.len(),
                "{}: a document twice",
                t.code
            );
        }
    }

    #[test]
    fn a_renewal_is_due_sixty_days_before_expiry_and_the_permit_sixty_days_after_sending() {
        let t = seeded_type("permit_renewal").expect("seeded");
        let s = schedule(&t, d("2027-01-10"), Some(d("2027-05-10")), |_| None);
        assert_eq!(next_due(&s), Some((d("2027-03-11"), "application_sent")));
        let s = schedule(&t, d("2027-01-10"), Some(d("2027-05-10")), |c| {
            (c == "application_sent").then(|| d("2027-03-01"))
        });
        assert_eq!(next_due(&s), Some((d("2027-04-30"), "permit_issued")));
    }
}
