//! The readable export: an A4 PDF in Italian, labels also in the person's language where the
//! table has it, drawn with `krilla` (docs/adr/0005-subject-access-pdf.md) in DejaVu Sans,
//! embedded and subset, so that accented, Cyrillic and Arabic-script names show as written.
//!
//! Text is laid out first (lines, wrapping, page breaks), then drawn. Widths are estimated
//! from the font size (see [`CHAR_WIDTH`]); a line of one script is shaped by `krilla` (Arabic
//! letters join and run right to left); a line mixing scripts keeps its logical order.

use chrono::{DateTime, NaiveDate, Utc};
use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use serde::Serialize;
use sportello_cases::{BirthDate, CaseRecord, PersonRecord};
use sportello_kernel::time::Zone;
use sportello_kernel::{Error, Result};

use super::SubjectExport;
use super::labels::{Lang, label, labels, object, part, value};

/// DejaVu Sans (Bitstream Vera licence with public-domain changes, assets/fonts): Latin,
/// Greek, Cyrillic, Arabic, Hebrew, Armenian, Georgian.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
/// Where a field's value starts.
const VALUE_X: f32 = MARGIN + 175.0;
/// Estimated advance of one character, as a share of the font size (DejaVu Sans averages
/// about 0.55 em on running text; capitals are wider).
pub(crate) const CHAR_WIDTH: f32 = 0.6;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;

/// The export as a PDF file.
pub fn to_pdf(export: &SubjectExport) -> Result<Vec<u8>> {
    let langs = export.languages();
    let mut layout = Layout::new();
    write(&mut layout, export, &langs);
    render(layout, &langs)
}

/// One line of text at its place on a page.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

/// Lines placed on pages, top to bottom.
struct Layout {
    pages: Vec<Vec<Line>>,
    /// The baseline of the next line on the last page.
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    /// Room for `height` points on the current page, or a new page; the baseline to use.
    fn take(&mut self, height: f32) -> f32 {
        if self.y + height > PAGE_HEIGHT - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
        self.y += height;
        self.y
    }

    fn put(&mut self, x: f32, y: f32, size: f32, text: &str) {
        if let Some(page) = self.pages.last_mut() {
            page.push(Line {
                x,
                y,
                size,
                text: text.to_owned(),
            });
        }
    }

    fn gap(&mut self, height: f32) {
        self.y += height;
    }

    fn title(&mut self, text: &str) {
        let y = self.take(20.0);
        self.put(MARGIN, y, 16.0, text);
    }

    fn heading(&mut self, text: &str) {
        self.gap(10.0);
        let y = self.take(16.0);
        self.put(MARGIN, y, 12.5, text);
        self.gap(2.0);
    }

    fn subheading(&mut self, text: &str) {
        self.gap(4.0);
        let y = self.take(13.0);
        self.put(MARGIN, y, 10.5, text);
    }

    /// A paragraph starting at `x`, wrapped to the right margin.
    fn paragraph(&mut self, x: f32, size: f32, text: &str) {
        for line in wrap(text, PAGE_WIDTH - MARGIN - x, size) {
            let y = self.take(size * 1.35);
            self.put(x, y, size, &line);
        }
    }

    /// A label and its value side by side, each wrapped in its column.
    fn field(&mut self, label: &str, value: &str) {
        let left = wrap(label, VALUE_X - MARGIN - 8.0, SMALL);
        let right = wrap(value, PAGE_WIDTH - MARGIN - VALUE_X, BODY);
        for i in 0..left.len().max(right.len()) {
            let y = self.take(BODY * 1.35);
            if let Some(l) = left.get(i) {
                self.put(MARGIN, y, SMALL, l);
            }
            if let Some(r) = right.get(i) {
                self.put(VALUE_X, y, BODY, r);
            }
        }
    }

    /// A list item: a first line, and optional free text below it, indented.
    fn item(&mut self, head: &str, text: Option<&str>) {
        self.paragraph(MARGIN + 10.0, BODY, &format!("• {head}"));
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            self.paragraph(MARGIN + 22.0, BODY, text);
        }
    }
}

/// Splits `text` into lines of at most `width` points at `size`, at spaces where it can, and
/// keeps its line breaks.
pub(crate) fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let max = ((width / (size * CHAR_WIDTH)).floor() as usize).max(1);
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            // A word longer than a line is cut.
            while word.len() > max {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(word.drain(..max).collect());
            }
            let word: String = word.into_iter().collect();
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > max {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn render(layout: Layout, langs: &[Lang]) -> Result<Vec<u8>> {
    let font = Font::new(FONT.to_vec().into(), 0).ok_or_else(|| Error::internal("pdf font"))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(label(Lang::It, "title").to_owned())
            .language("it".to_owned())
            .creator("Sportello".to_owned()),
    );
    let size = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| Error::internal("pdf page size"))?;
    let total = layout.pages.len();
    for (n, lines) in layout.pages.into_iter().enumerate() {
        let mut page = document.start_page_with(size.clone());
        let mut surface = page.surface();
        for line in lines.iter().filter(|l| !l.text.is_empty()) {
            surface.draw_text(
                Point::from_xy(line.x, line.y),
                font.clone(),
                line.size,
                &line.text,
                false,
                TextDirection::Auto,
            );
        }
        let footer = format!("{} — {}/{}", labels(langs, "title"), n + 1, total);
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_HEIGHT - MARGIN / 2.0),
            font.clone(),
            SMALL,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| Error::internal(format!("pdf: {e:?}")))
}

/// The document's content, section by section.
fn write(out: &mut Layout, export: &SubjectExport, langs: &[Lang]) {
    let l = |key: &str| labels(langs, key);
    let zone = &export.zone;
    let r = &export.record;
    out.title(&l("title"));
    out.paragraph(MARGIN, BODY, &l("intro"));
    out.field(&l("generatedAt"), &local_time(zone, export.generated_at));
    if !r.limited_to_territories.is_empty() {
        out.field(&l("limited"), &r.limited_to_territories.join(", "));
    }
    person(out, r, langs);

    out.heading(&l("consents"));
    if r.consents.is_empty() {
        out.item(&l("none"), None);
    }
    for c in &r.consents {
        let given = if c.given { "yes" } else { "no" };
        let head = format!(
            "{} — {}: {}",
            local_time(zone, c.recorded_at),
            value(&code(c.purpose)),
            label(Lang::It, given)
        );
        out.item(&head, None);
    }

    out.heading(&l("cases"));
    if r.cases.is_empty() {
        out.item(&l("none"), None);
    }
    for c in &r.cases {
        case(out, zone, c, langs);
    }

    out.heading(&l("appointments"));
    if r.appointments.is_empty() {
        out.item(&l("none"), None);
    }
    for a in &r.appointments {
        let head = format!(
            "{} – {} — {}",
            local_time(zone, a.starts_at),
            zone.local(a.ends_at).format("%H:%M"),
            value(&code(a.status))
        );
        out.item(&head, None);
    }

    out.heading(&l("accessLog"));
    if r.audit.is_empty() {
        out.item(&l("none"), None);
    }
    for e in &r.audit {
        // The user's id as the API and the JSON export give it.
        let actor = e
            .actor
            .map(|a| crate::schema::ids::encode(crate::schema::ids::Kind::User, a.uuid()).0)
            .unwrap_or_else(|| "sistema".to_owned());
        let fields: Vec<&str> = e.fields.iter().map(|f| part(f)).collect();
        let head = format!(
            "{} — {} ({}): {} — operatore {}",
            local_time(zone, e.at),
            value(&e.action),
            object(&e.object_type),
            fields.join(", "),
            actor
        );
        out.item(&head, None);
    }

    out.heading(&l("statistics"));
    out.paragraph(MARGIN, SMALL, &l("statisticsNote"));
    if let Some(given) = export.facts.statistics_consent {
        let given = if given { "yes" } else { "no" };
        out.field(value("ANONYMISED_STATISTICS"), label(Lang::It, given));
    }
    if export.facts.rows.is_empty() {
        out.item(&l("none"), None);
    }
    for f in &export.facts.rows {
        out.item(&format!("{} — {}: {}", f.month, f.kind, f.count), None);
    }
}

fn person(out: &mut Layout, r: &PersonRecord, langs: &[Lang]) {
    let l = |key: &str| labels(langs, key);
    let p = &r.person;
    let dash = || "—".to_owned();
    out.heading(&l("person"));
    out.field(
        &l("names"),
        &format!("{} {}", p.given_names, p.family_names),
    );
    out.field(
        &l("latinNames"),
        &format!("{} {}", p.latin_given_names, p.latin_family_names),
    );
    out.field(&l("birth"), &p.birth.map(birth).unwrap_or_else(dash));
    out.field(
        &l("sex"),
        &p.sex
            .map(|s| value(&code(s)).to_owned())
            .unwrap_or_else(dash),
    );
    out.field(&l("gender"), p.gender.as_deref().unwrap_or("—"));
    out.field(
        &l("countryOfBirth"),
        &p.country_of_birth
            .as_deref()
            .map_or_else(|| "—".to_owned(), country_name),
    );
    let citizenships: Vec<String> = p.citizenships.iter().map(|c| country_name(c)).collect();
    out.field(&l("citizenships"), &or_dash(citizenships.join(", ")));
    let languages: Vec<String> = p
        .languages
        .iter()
        .map(|s| {
            let name = sportello_kernel::iso::language_named(&s.code).map_or("", |l| l.name);
            let level = if s.level == "NATIVE" {
                "madrelingua"
            } else {
                s.level.as_str()
            };
            format!("{name} ({}, {level})", s.code)
        })
        .collect();
    out.field(&l("languages"), &or_dash(languages.join(", ")));
    out.field(&l("phone"), p.phone.as_deref().unwrap_or("—"));
    out.field(&l("email"), p.email.as_deref().unwrap_or("—"));
    out.field(
        &l("codiceFiscale"),
        p.codice_fiscale.as_deref().unwrap_or("—"),
    );
    let permit = p.legal_status.as_ref().map(|s| {
        let mut text = s.permit_type.clone();
        if let Some(n) = &s.permit_number {
            text.push_str(&format!(", n. {n}"));
        }
        if let Some(e) = s.expiry {
            text.push_str(&format!(", scadenza {}", day(e)));
        }
        text
    });
    out.field(&l("legalStatus"), &permit.unwrap_or_else(dash));
    out.field(&l("territory"), &p.territory_code);
    if let Some(h) = &r.household {
        out.field(
            &l("household"),
            &format!(
                "{} ({}: {}; {})",
                h.label,
                label(Lang::It, "role"),
                value(&code(h.role)),
                h.territory_code
            ),
        );
    }
}

fn case(out: &mut Layout, zone: &Zone, r: &CaseRecord, langs: &[Lang]) {
    let l = |key: &str| labels(langs, key);
    let c = &r.case;
    out.subheading(&format!(
        "{} — {} {}",
        l("case"),
        label(Lang::It, "openedAt").to_lowercase(),
        local_time(zone, c.opened_at)
    ));
    out.field(&l("status"), value(&code(c.status)));
    out.field(&l("territory"), &c.territory_code);
    if let Some(outcome) = &c.outcome {
        out.field(&l("outcome"), outcome);
    }
    if let Some(closed) = c.closed_at {
        out.field(&l("closedAt"), &local_time(zone, closed));
    }
    if let Some(reason) = &c.reopen_reason {
        out.field(&l("reopenReason"), reason);
    }

    out.subheading(&l("encounters"));
    for e in &r.encounters {
        let mut head = format!(
            "{} — {}",
            local_time(zone, e.occurred_at),
            value(&code(e.channel))
        );
        if let Some(lang) = &e.language {
            head.push_str(&format!(", lingua {lang}"));
        }
        if e.mediator_present {
            head.push_str(", con mediatore");
        }
        if let Some(m) = e.duration_minutes {
            head.push_str(&format!(", {m} min"));
        }
        out.item(&head, e.notes.as_deref());
    }

    out.subheading(&l("needs"));
    for n in &r.needs {
        let mut head = value(&code(n.code)).to_owned();
        if let Some(t) = &n.type_code {
            head.push_str(&format!(" ({t})"));
        }
        head.push_str(&format!(
            " — {}, {}, {}",
            value(&code(n.source)),
            value(&code(n.status)),
            local_time(zone, n.noted_at)
        ));
        out.item(&head, None);
    }

    out.subheading(&l("interventions"));
    for i in &r.interventions {
        let head = format!("{} — {}", value(&code(i.kind)), local_time(zone, i.done_at));
        out.item(&head, i.outcome.as_deref());
    }

    out.subheading(&l("referrals"));
    for f in &r.referrals {
        let head = format!(
            "{} — {} (aggiornato {})",
            local_time(zone, f.sent_at),
            value(&code(f.status)),
            local_time(zone, f.updated_at)
        );
        let mut text = Vec::new();
        if let Some(feedback) = &f.feedback {
            text.push(format!("{}: {feedback}", label(Lang::It, "feedback")));
        }
        if let Some(reason) = &f.override_reason {
            text.push(format!(
                "inviato senza consenso alla condivisione: {reason}"
            ));
        }
        out.item(&head, Some(&text.join("\n")));
    }

    out.subheading(&l("plan"));
    for g in &r.plan {
        let mut head = format!("{} — {}", g.title, value(&code(g.status)));
        if let Some(review) = g.review_on {
            head.push_str(&format!(", verifica {}", day(review)));
        }
        let steps: Vec<String> = g
            .steps
            .iter()
            .map(|s| {
                let due = s.due_on.map(|d| format!(", entro {}", day(d)));
                format!(
                    "– {} ({}, {}{})",
                    s.title,
                    value(&code(s.owner)),
                    value(&code(s.status)),
                    due.unwrap_or_default()
                )
            })
            .collect();
        out.item(&head, Some(&steps.join("\n")));
    }
}

fn or_dash(text: String) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text
    }
}

/// An API code as a string (`LEGAL_ADVICE`).
fn code<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `dd/mm/yyyy hh:mm` in the tenant's zone.
fn local_time(zone: &Zone, at: DateTime<Utc>) -> String {
    zone.local(at).format("%d/%m/%Y %H:%M").to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A birth date as known: `dd/mm/yyyy`, `mm/yyyy` or the year.
fn birth(b: BirthDate) -> String {
    match (b.day, b.month) {
        (Some(d), Some(m)) => format!("{d:02}/{m:02}/{}", b.year),
        (None, Some(m)) => format!("{m:02}/{}", b.year),
        _ => b.year.to_string(),
    }
}

/// A country by its ISO code and name (`MA (Morocco)`): the bundled ISO list names countries in
/// English (docs/reference-data.md); `XXA`/`XXX` are the ICAO stateless and unknown codes.
fn country_name(code: &str) -> String {
    match code {
        "XXA" => "XXA (apolide)".to_owned(),
        "XXX" => "XXX (cittadinanza non nota)".to_owned(),
        _ => match sportello_kernel::iso::country_named(code) {
            Some(c) => format!("{code} ({})", c.name),
            None => code.to_owned(),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_within_the_width_and_in_order() {
        let text = "Accompagnata all'ufficio anagrafe per la residenza; documenti completi.";
        let lines = wrap(text, 120.0, 10.0);
        let max = (120.0_f32 / (10.0 * CHAR_WIDTH)).floor() as usize;
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= max), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_and_line_breaks_are_kept() {
        let lines = wrap("abcdefghijklmnopqrstuvwxyz\nfine", 30.0, 10.0);
        assert_eq!(
            lines,
            ["abcde", "fghij", "klmno", "pqrst", "uvwxy", "z", "fine"]
        );
    }

    #[test]
    fn a_long_document_breaks_into_pages_within_the_margins() {
        let mut layout = Layout::new();
        for i in 0..200 {
            layout.field("Note", &format!("riga {i}"));
        }
        assert!(layout.pages.len() >= 3);
        for page in &layout.pages {
            assert!(
                page.iter()
                    .all(|l| l.y > MARGIN && l.y <= PAGE_HEIGHT - MARGIN)
            );
        }
        // A label and a value on each line.
        let count: usize = layout.pages.iter().map(Vec::len).sum();
        assert_eq!(count, 400);
    }

    /// An export of a person with Cyrillic names, one case with an encounter, a need, a
    /// referral and a plan.
    pub(crate) fn sample() -> SubjectExport {
        use sportello_analytics::{FactCount, PersonFacts};
        use sportello_cases::*;
        use sportello_kernel::UserId;
        use uuid::Uuid;

        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .expect("instant")
        };
        let operator = UserId::new();
        let person = PersonId(Uuid::now_v7());
        let case = CaseId(Uuid::now_v7());
        let need = NeedId(Uuid::now_v7());
        let record = PersonRecord {
            person: Person {
                id: person,
                given_names: "Олена".into(),
                family_names: "Коваленко".into(),
                latin_given_names: "Olena".into(),
                latin_family_names: "Kovalenko".into(),
                birth: Some(BirthDate {
                    year: 1988,
                    month: Some(4),
                    day: None,
                }),
                sex: Some(Sex::Female),
                gender: None,
                country_of_birth: Some("UA".into()),
                citizenships: vec!["UA".into()],
                languages: vec![LanguageSkill {
                    code: "en".into(),
                    level: "B2".into(),
                }],
                phone: Some("+39 333 7654321".into()),
                email: None,
                codice_fiscale: Some("KVLLNO88D45Z138X".into()),
                legal_status: Some(LegalStatus {
                    permit_type: "protezione temporanea".into(),
                    permit_number: Some("IT123456".into()),
                    expiry: NaiveDate::from_ymd_opt(2027, 3, 4),
                }),
                territory_code: "052022".into(),
                household_id: None,
                created_at: at("2026-10-01T08:00:00Z"),
                updated_at: at("2026-10-01T08:00:00Z"),
                version: 1,
                warnings: Vec::new(),
            },
            household: None,
            consents: vec![Consent {
                id: ConsentId(Uuid::now_v7()),
                person_id: person,
                purpose: ConsentPurpose::CaseManagement,
                given: true,
                recorded_at: at("2026-10-01T08:01:00Z"),
                recorded_by: operator,
            }],
            cases: vec![CaseRecord {
                case: Case {
                    id: case,
                    person_id: person,
                    status: CaseStatus::Active,
                    outcome: None,
                    territory_code: "052022".into(),
                    desk_id: None,
                    primary_operator: operator,
                    opened_at: at("2026-10-01T08:02:00Z"),
                    closed_at: None,
                    reopen_reason: None,
                    version: 2,
                },
                encounters: vec![Encounter {
                    id: EncounterId(Uuid::now_v7()),
                    case_id: case,
                    occurred_at: at("2026-10-02T09:30:00Z"),
                    channel: Channel::Desk,
                    language: Some("uk".into()),
                    mediator_present: true,
                    duration_minutes: Some(40),
                    notes: Some("Cerca un corso di italiano serale vicino a Poggibonsi".into()),
                    created_by: operator,
                    version: 1,
                }],
                needs: vec![Need {
                    id: need,
                    case_id: case,
                    code: NeedCode::ItalianLanguage,
                    source: NeedSource::Expressed,
                    status: NeedStatus::Open,
                    encounter_id: None,
                    noted_at: at("2026-10-02T09:40:00Z"),
                    type_code: None,
                    version: 1,
                }],
                interventions: Vec::new(),
                referrals: Vec::new(),
                plan: vec![PlanGoal {
                    id: GoalId(Uuid::now_v7()),
                    case_id: case,
                    title: "Livello A2 entro l'estate".into(),
                    need_ids: vec![need],
                    status: GoalStatus::Open,
                    review_on: None,
                    steps: Vec::new(),
                    version: 1,
                }],
            }],
            appointments: Vec::new(),
            audit: vec![AuditRecord {
                at: at("2026-10-01T08:00:00Z"),
                actor: Some(operator),
                action: "create".into(),
                object_type: "person".into(),
                object_id: person.uuid(),
                fields: vec!["names".into(), "codiceFiscale".into()],
            }],
            limited_to_territories: Vec::new(),
            statistics_pseudonym: "not-shown".into(),
        };
        SubjectExport {
            record,
            facts: PersonFacts {
                statistics_consent: None,
                rows: vec![FactCount {
                    kind: "need_recorded".into(),
                    month: "2026-10".into(),
                    count: 1,
                }],
            },
            generated_at: at("2026-12-06T14:00:00Z"),
            zone: Zone::default(),
        }
    }

    fn text_of(pdf: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF opens");
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn the_pdf_opens_and_holds_the_names_as_written_and_the_record() {
        let export = sample();
        let pdf = to_pdf(&export).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = text_of(&pdf);
        for expected in [
            "ОленаКоваленко",
            "OlenaKovalenko",
            "KVLLNO88D45Z138X",
            "protezionetemporanea",
            "linguaitaliana",
            "CercauncorsodiitalianoseralevicinoaPoggibonsi",
            "LivelloA2entrol'estate",
            "06/12/202615:00",
            "04/1988",
            "need_recorded:1",
            // Countries and languages by name, the access log in Italian.
            "UA(Ukraine)",
            "English(en,B2)",
            "creazione(persona):nomi,codicefiscale",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
        assert!(!text.contains("not-shown"), "the pseudonym is printed");
    }

    #[test]
    fn labels_follow_the_persons_language_after_italian() {
        let export = sample();
        assert_eq!(export.languages(), [Lang::It, Lang::En]);
        let text = text_of(&to_pdf(&export).expect("pdf"));
        assert!(text.contains("Codicefiscale/Taxcode"), "{text}");
        let mut italian = sample();
        italian.record.person.languages.clear();
        let text = text_of(&to_pdf(&italian).expect("pdf"));
        assert!(text.contains("Codicefiscale") && !text.contains("Taxcode"));
    }

    #[test]
    fn arabic_script_names_are_drawn_from_the_embedded_font() {
        let mut export = sample();
        export.record.person.given_names = "خديجة".into();
        export.record.person.family_names = "الوزاني".into();
        let pdf = to_pdf(&export).expect("pdf");
        let text = pdf_extract::extract_text_from_mem(&pdf).expect("the PDF opens");
        // Shaped Arabic letters map back to Arabic characters (whatever their order).
        assert!(
            text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)
                || ('\u{FE70}'..='\u{FEFF}').contains(&c)),
            "{text}"
        );
    }

    #[test]
    fn partial_birth_dates_show_what_is_known() {
        let b = |month, day| BirthDate {
            year: 1990,
            month,
            day,
        };
        assert_eq!(birth(b(Some(3), Some(7))), "07/03/1990");
        assert_eq!(birth(b(Some(3), None)), "03/1990");
        assert_eq!(birth(b(None, None)), "1990");
    }
}
