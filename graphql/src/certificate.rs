//! The certificate of attendance of a training course as an A4 PDF in Italian: the tenant, the
//! participant, the course, the hours attended, the dates, the verification code and the public
//! page that checks it (`/verifica/<code>`).
//!
//! Drawn like the subject access export (docs/adr/0005-subject-access-pdf.md): `krilla`, DejaVu
//! Sans embedded and subset (names in Latin with accents, Cyrillic and Arabic script show as
//! written; text can be extracted), widths estimated from the font size. The data comes from
//! the volunteers service (`Volunteers::get_certificate`), which derives the code again on every
//! read; this module only presents it.

use crate::subject_access::pdf::{CHAR_WIDTH, wrap};
use chrono::NaiveDate;
use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use sportello_kernel::{Error, Result};
use sportello_volunteers::{Certificate, CourseKind};

/// DejaVu Sans, the font of the subject access export (assets/fonts, Bitstream Vera licence).
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 60.0;

/// The public page that checks a code, relative to the installation's address.
pub fn verification_path(code: &str) -> String {
    format!("/verifica/{code}")
}

/// The whole address of the page that checks a code when the installation's public address is
/// known (`https://sportello.example.it/verifica/<code>`), else its path.
pub fn verification_url(code: &str, public_url: Option<&str>) -> String {
    format!(
        "{}{}",
        public_url.unwrap_or_default(),
        verification_path(code)
    )
}

/// A file name without personal data: `attestato-<day of issue>.pdf`.
pub fn filename(certificate: &Certificate) -> String {
    format!("attestato-{}.pdf", certificate.issued_on)
}

/// Minutes as Italian prose: `6 ore`, `1 ora e 30 minuti`, `45 minuti`.
pub fn duration_it(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        1 => "1 ora".to_owned(),
        n => format!("{n} ore"),
    };
    let mins = match m {
        1 => "1 minuto".to_owned(),
        n => format!("{n} minuti"),
    };
    match (h, m) {
        (0, _) => mins,
        (_, 0) => hours,
        _ => format!("{hours} e {mins}"),
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The lines of the certificate, top to bottom: (font size, text, centred).
fn lines(c: &Certificate, tenant_name: &str, public_url: Option<&str>) -> Vec<(f32, String, bool)> {
    let what = match c.course_kind {
        CourseKind::Course => "ha partecipato al corso di formazione",
        CourseKind::Workshop => "ha partecipato al laboratorio di co-progettazione",
    };
    let dates = if c.first_day == c.last_day {
        format!("svoltosi il {}", day(c.first_day))
    } else {
        format!("svoltosi dal {} al {}", day(c.first_day), day(c.last_day))
    };
    let attended = attended_it(c.sessions_attended, c.sessions_held, c.minutes_attended);
    vec![
        (12.0, tenant_name.to_owned(), true),
        (0.0, String::new(), true),
        (24.0, "Attestato di partecipazione".to_owned(), true),
        (0.0, String::new(), true),
        (11.0, "Si attesta che".to_owned(), true),
        (18.0, c.participant_name.clone(), true),
        (11.0, what.to_owned(), true),
        (15.0, format!("«{}»", c.course_title), true),
        (11.0, dates, true),
        (11.0, attended, true),
        (0.0, String::new(), true),
        (
            10.0,
            format!("Rilasciato il {} da {}", day(c.issued_on), tenant_name),
            false,
        ),
        (0.0, String::new(), true),
        (10.0, "Codice di verifica:".to_owned(), false),
        (10.0, c.code.clone(), false),
        (
            10.0,
            "L'autenticità di questo attestato si verifica all'indirizzo:".to_owned(),
            false,
        ),
        (10.0, verification_url(&c.code, public_url), false),
    ]
}

/// Hours with a decimal comma, as Italian writes them: `6`, `7,5`, `1,25`.
/// The attendance sentence: `frequentando 1 incontro su 1, per un totale di 1 ora`; hours with
/// minutes add their decimal form (`7 ore e 30 minuti (7,5 ore)`).
fn attended_it(sessions_attended: u32, sessions_held: u32, minutes: u32) -> String {
    let meetings = if sessions_attended == 1 {
        "incontro"
    } else {
        "incontri"
    };
    let decimal = if minutes >= 60 && !minutes.is_multiple_of(60) {
        format!(" ({} ore)", hours_decimal(minutes))
    } else {
        String::new()
    };
    format!(
        "frequentando {sessions_attended} {meetings} su {sessions_held}, per un totale di {}{decimal}",
        duration_it(minutes)
    )
}

fn hours_decimal(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    let (whole, part) = (hundredths / 100, hundredths % 100);
    match part {
        0 => whole.to_string(),
        p if p % 10 == 0 => format!("{whole},{}", p / 10),
        p => format!("{whole},{p:02}"),
    }
}

/// The certificate as a one-page PDF; `public_url` (no trailing `/`) makes the verification
/// address a whole one.
pub fn to_pdf(
    certificate: &Certificate,
    tenant_name: &str,
    public_url: Option<&str>,
) -> Result<Vec<u8>> {
    let font = Font::new(FONT.to_vec().into(), 0).ok_or_else(|| Error::internal("pdf font"))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title("Attestato di partecipazione".to_owned())
            .language("it".to_owned())
            .creator("Sportello".to_owned()),
    );
    let size = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| Error::internal("pdf page size"))?;
    let mut page = document.start_page_with(size);
    let mut surface = page.surface();
    let mut y = MARGIN + 40.0;
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    for (font_size, text, centred) in lines(certificate, tenant_name, public_url) {
        if text.is_empty() {
            y += 24.0;
            continue;
        }
        for line in wrap(&text, width, font_size) {
            y += font_size * 1.5;
            let estimated = line.chars().count() as f32 * font_size * CHAR_WIDTH;
            let x = if centred {
                MARGIN + ((width - estimated) / 2.0).max(0.0)
            } else {
                MARGIN
            };
            surface.draw_text(
                Point::from_xy(x, y),
                font.clone(),
                font_size,
                &line,
                false,
                TextDirection::Auto,
            );
        }
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| Error::internal(format!("pdf: {e:?}")))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sportello_volunteers::{CertificateId, EnrolmentId};

    use super::*;

    fn sample() -> Certificate {
        Certificate {
            id: CertificateId::new(),
            enrolment_id: EnrolmentId::new(),
            participant_name: "Amina Haddad".into(),
            course_title: "Accoglienza e mediazione linguistico-culturale".into(),
            course_kind: CourseKind::Course,
            minutes_attended: 450,
            sessions_attended: 3,
            sessions_held: 4,
            first_day: NaiveDate::from_ymd_opt(2026, 11, 2).expect("day"),
            last_day: NaiveDate::from_ymd_opt(2026, 11, 23).expect("day"),
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 6).expect("day"),
            issued_at: Utc::now(),
            code: "01ARZ3NDEKTSV4RRFFQ69G5FAV-7ZZZZZZZZZZZZZZZZZZZZZZZ".into(),
        }
    }

    fn text_of(pdf: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF opens");
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn the_certificate_opens_and_holds_what_it_certifies_in_italian() {
        let pdf = to_pdf(&sample(), "Consorzio Alta Valdelsa", None).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = text_of(&pdf);
        for expected in [
            "ConsorzioAltaValdelsa",
            "Attestatodipartecipazione",
            "AminaHaddad",
            "Accoglienzaemediazionelinguistico-culturale",
            "7oree30minuti(7,5ore)",
            "dal02/11/2026al23/11/2026",
            "3incontrisu4",
            "Rilasciatoil06/12/2026",
            "01ARZ3NDEKTSV4RRFFQ69G5FAV-7ZZZZZZZZZZZZZZZZZZZZZZZ",
            "/verifica/01ARZ3NDEKTSV4RRFFQ69G5FAV-7ZZZZZZZZZZZZZZZZZZZZZZZ",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
    }

    #[test]
    fn the_verification_address_is_whole_when_the_installation_knows_its_own() {
        let pdf = to_pdf(
            &sample(),
            "Consorzio Alta Valdelsa",
            Some("https://sportello.altavaldelsa.example.it"),
        )
        .expect("pdf");
        let text = text_of(&pdf);
        assert!(
            text.contains("https://sportello.altavaldelsa.example.it/verifica/01ARZ3NDEKTSV4RRFFQ69G5FAV-7ZZZZZZZZZZZZZZZZZZZZZZZ"),
            "{text}"
        );
        assert_eq!(
            verification_url("ABC", Some("https://s.example.it/console")),
            "https://s.example.it/console/verifica/ABC"
        );
        assert_eq!(verification_url("ABC", None), "/verifica/ABC");
    }

    #[test]
    fn durations_read_as_italian() {
        assert_eq!(duration_it(360), "6 ore");
        assert_eq!(duration_it(90), "1 ora e 30 minuti");
        assert_eq!(duration_it(45), "45 minuti");
        assert_eq!(hours_decimal(360), "6");
        assert_eq!(hours_decimal(450), "7,5");
        assert_eq!(hours_decimal(75), "1,25");
        assert_eq!(
            attended_it(1, 1, 60),
            "frequentando 1 incontro su 1, per un totale di 1 ora"
        );
        assert_eq!(
            attended_it(3, 4, 450),
            "frequentando 3 incontri su 4, per un totale di 7 ore e 30 minuti (7,5 ore)"
        );
        assert_eq!(
            attended_it(0, 2, 0),
            "frequentando 0 incontri su 2, per un totale di 0 minuti"
        );
    }

    #[test]
    fn the_file_name_carries_no_personal_data() {
        assert_eq!(filename(&sample()), "attestato-2026-12-06.pdf");
    }
}
