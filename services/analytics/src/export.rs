//! The indicator table as CSV or XLSX.

use base64::Engine;
use rust_xlsxwriter::{Format, Workbook};
use sportello_kernel::{Error, Result};

use crate::interface::{ExportFile, ExportFormat, Indicator};

/// Each indicator's Italian label and what it counts, as the console shows them (its `it`
/// locale, `indicator` and `indicatorHelp`) and as docs/indicators.md defines them: the export's
/// `indicatore` and `come_si_calcola` columns. One row per code of [`INDICATORS`].
///
/// [`INDICATORS`]: crate::INDICATORS
pub const DEFINITIONS: [(&str, &str, &str); 30] = [
    (
        "PEOPLE_REACHED",
        "Persone con attività registrate",
        "Persone diverse con almeno un fatto registrato nel periodo: presa in carico aperta, \
         cambiata di stato, chiusa o riaperta, bisogno, intervento o invio. Un colloquio da solo \
         non conta.",
    ),
    (
        "IN_INTEGRATION_PATH",
        "Persone passate a presa in carico attiva",
        "Persone diverse la cui presa in carico è passata allo stato «Attiva» nel periodo.",
    ),
    (
        "NEW_CASES",
        "Nuove prese in carico",
        "Prese in carico aperte nel periodo. Le riaperture non contano.",
    ),
    (
        "ACTIVE_CASES",
        "Prese in carico aperte a fine periodo",
        "Prese in carico non chiuse alla fine del periodo, in qualunque stato (accoglienza, \
         attiva, monitoraggio), comprese quelle aperte prima del periodo.",
    ),
    (
        "NEEDS_RECORDED",
        "Bisogni registrati (espressi e rilevati)",
        "Bisogni registrati nel periodo, sia espressi dalla persona sia rilevati \
         dall’operatore: ogni registrazione conta una volta.",
    ),
    (
        "INTERVENTIONS",
        "Interventi svolti",
        "Interventi svolti nel periodo, nel mese della loro data.",
    ),
    (
        "REFERRALS_COMPLETED",
        "Invii conclusi",
        "Invii passati allo stato «Concluso» nel periodo.",
    ),
    (
        "ACTIVE_VOLUNTEERS",
        "Cittadini attivi (volontari attivi)",
        "Volontari dell’albo il cui ultimo stato alla fine del periodo è «Attivo».",
    ),
    (
        "VOLUNTEER_HOURS",
        "Ore di volontariato approvate",
        "Ore registrate dai volontari e approvate nel periodo, arrotondate all’ora.",
    ),
    (
        "OPERATORS_TRAINED",
        "Operatori formati",
        "Operatori diversi che nel periodo hanno completato un corso secondo la regola di \
         frequenza del corso.",
    ),
    (
        "CODESIGN_WORKSHOPS",
        "Laboratori di co-progettazione svolti",
        "Sessioni di laboratorio di co-progettazione con presenze registrate nel periodo.",
    ),
    (
        "ACTIVE_PACTS",
        "Patti di collaborazione in vigore",
        "Patti di collaborazione attivi o rinnovati alla fine del periodo.",
    ),
    (
        "FAMILIES_HOUSED",
        "Famiglie accolte in alloggio",
        "Nuclei familiari diversi il cui inserimento in un alloggio è iniziato nel periodo.",
    ),
    (
        "FAMILIES_SUPPORTED",
        "Famiglie accompagnate nel percorso abitativo",
        "Nuclei familiari in lista d’attesa o inseriti entro la fine del periodo, il cui \
         inserimento non era concluso prima del suo inizio.",
    ),
    (
        "OCCUPIED_BEDS",
        "Posti letto occupati",
        "Posti letto di inserimenti iniziati e non conclusi alla fine del periodo.",
    ),
    (
        "VACANT_BEDS",
        "Posti letto liberi",
        "Posti letto degli alloggi disponibili alla fine del periodo, meno quelli occupati.",
    ),
    (
        "OCCUPANCY_RATE",
        "Tasso di occupazione (%)",
        "Posti letto occupati su posti letto degli alloggi disponibili alla fine del periodo.",
    ),
    (
        "AVERAGE_STAY_DAYS",
        "Durata media della permanenza (giorni)",
        "Media dei giorni di permanenza degli inserimenti conclusi nel periodo.",
    ),
    (
        "AUTONOMY_AT_EXIT",
        "Autonomia abitativa all’uscita (%)",
        "Quota degli inserimenti conclusi nel periodo con autonomia abitativa raggiunta.",
    ),
    (
        "HOUSED_AT_6_MONTHS",
        "Ancora alloggiati a 6 mesi (%)",
        "Quota dei follow-up a 6 mesi registrati nel periodo con il nucleo ancora alloggiato.",
    ),
    (
        "HOUSED_AT_12_MONTHS",
        "Ancora alloggiati a 12 mesi (%)",
        "Quota dei follow-up a 12 mesi registrati nel periodo con il nucleo ancora alloggiato.",
    ),
    (
        "MEDIATION_REQUESTS",
        "Richieste di mediazione",
        "Richieste di mediazione linguistico-culturale fatte nel periodo, da scuole, servizi e operatori.",
    ),
    (
        "MEDIATION_ACTIVATION_MEDIAN_MINUTES",
        "Tempo di attivazione della mediazione, mediana (minuti)",
        "Delle richieste confermate nel periodo, la mediana dei minuti dalla richiesta alla conferma del mediatore.",
    ),
    (
        "MEDIATION_ACTIVATION_P90_MINUTES",
        "Tempo di attivazione della mediazione, 90° percentile (minuti)",
        "Delle richieste confermate nel periodo, il 90° percentile (rango più vicino) dei minuti dalla richiesta alla conferma.",
    ),
    (
        "MEDIATION_WITHIN_TARGET",
        "Mediazioni attivate entro l'obiettivo (%)",
        "Delle richieste confermate nel periodo, la quota confermata entro l'obiettivo dell'ente per la sua urgenza.",
    ),
    (
        "LEGAL_CONSULTATIONS",
        "Consulenze legali richieste",
        "Domande di consulenza legale fatte dagli operatori nel periodo.",
    ),
    (
        "LEGAL_RESPONSE_MEDIAN_MINUTES",
        "Tempo di risposta legale, mediana (minuti)",
        "Delle consulenze che hanno avuto la prima risposta nel periodo, la mediana dei minuti dalla domanda alla risposta.",
    ),
    (
        "LEGAL_RESPONSE_WITHIN_TARGET",
        "Risposte legali entro l'obiettivo (%)",
        "Delle consulenze che hanno avuto la prima risposta nel periodo, la quota entro l'obiettivo dell'ente.",
    ),
    (
        "PROCEDURES_STARTED",
        "Pratiche avviate",
        "Pratiche delle persone avviate nel periodo, di ogni tipo.",
    ),
    (
        "PROCEDURES_COMPLETED",
        "Pratiche concluse",
        "Pratiche chiuse come concluse nel periodo; quelle abbandonate non contano.",
    ),
];

/// The Italian label of an indicator (empty for an unknown code).
pub fn label(code: &str) -> &'static str {
    definition(code).0
}

/// The Italian label and definition of an indicator (empty for an unknown code).
fn definition(code: &str) -> (&'static str, &'static str) {
    DEFINITIONS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(("", ""), |(_, label, counts)| (*label, *counts))
}

const HEADER: [&str; 6] = [
    "codice",
    "indicatore",
    "valore",
    "obiettivo",
    "avanzamento_%",
    "come_si_calcola",
];

pub fn indicators(
    format: ExportFormat,
    from: &str,
    to: &str,
    indicators: &[Indicator],
) -> Result<ExportFile> {
    let stem = format!("indicatori_{from}_{to}");
    let (filename, content_type, bytes) = match format {
        ExportFormat::Csv => (
            format!("{stem}.csv"),
            "text/csv; charset=utf-8",
            csv_bytes(indicators)?,
        ),
        ExportFormat::Xlsx => (
            format!("{stem}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx_bytes(from, to, indicators)?,
        ),
    };
    Ok(ExportFile {
        filename,
        content_type: content_type.to_owned(),
        content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

fn progress(i: &Indicator) -> Option<f64> {
    i.progress().map(|p| (p * 1000.0).round() / 10.0)
}

fn csv_bytes(indicators: &[Indicator]) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER).map_err(Error::internal)?;
    for i in indicators {
        writer
            .write_record([
                i.code.clone(),
                label(&i.code).to_owned(),
                i.value.to_string(),
                i.target.map(|t| t.to_string()).unwrap_or_default(),
                progress(i).map(|p| p.to_string()).unwrap_or_default(),
                definition(&i.code).1.to_owned(),
            ])
            .map_err(Error::internal)?;
    }
    writer.into_inner().map_err(Error::internal)
}

fn xlsx_bytes(from: &str, to: &str, indicators: &[Indicator]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Indicatori").map_err(Error::internal)?;
    let bold = Format::new().set_bold();
    for (col, title) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(Error::internal)?;
    }
    for (n, i) in indicators.iter().enumerate() {
        let row = n as u32 + 1;
        sheet
            .write_string(row, 0, &i.code)
            .map_err(Error::internal)?;
        sheet
            .write_string(row, 1, label(&i.code))
            .map_err(Error::internal)?;
        sheet
            .write_number(row, 2, i.value as f64)
            .map_err(Error::internal)?;
        if let Some(target) = i.target {
            sheet
                .write_number(row, 3, target as f64)
                .map_err(Error::internal)?;
        }
        if let Some(p) = progress(i) {
            sheet.write_number(row, 4, p).map_err(Error::internal)?;
        }
        sheet
            .write_string(row, 5, definition(&i.code).1)
            .map_err(Error::internal)?;
    }
    let note_row = indicators.len() as u32 + 2;
    sheet
        .write_string(note_row, 0, format!("Periodo {from} – {to}"))
        .map_err(Error::internal)?;
    sheet.set_column_width(1, 40).map_err(Error::internal)?;
    sheet.set_column_width(5, 80).map_err(Error::internal)?;
    book.save_to_buffer().map_err(Error::internal)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use base64::Engine;
    use calamine::{Data, Reader, Xlsx};

    use super::*;

    fn sample() -> Vec<Indicator> {
        vec![
            Indicator {
                code: "PEOPLE_REACHED".into(),
                value: 42,
                target: Some(150),
            },
            Indicator {
                code: "NEW_CASES".into(),
                value: 7,
                target: None,
            },
        ]
    }

    fn decode(file: &ExportFile) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(&file.content_base64)
            .expect("base64")
    }

    #[test]
    fn csv_reads_back() {
        let file = indicators(ExportFormat::Csv, "2026-01", "2026-06", &sample()).expect("csv");
        assert_eq!(file.filename, "indicatori_2026-01_2026-06.csv");
        let bytes = decode(&file);
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "PEOPLE_REACHED");
        assert_eq!(&rows[0][2], "42");
        assert_eq!(&rows[0][4], "28");
        assert_eq!(&rows[1][3], "");
        assert_eq!(
            &rows[1][5],
            "Prese in carico aperte nel periodo. Le riaperture non contano."
        );
    }

    #[test]
    fn every_indicator_has_a_label_and_a_definition() {
        let codes: Vec<&str> = crate::INDICATORS.iter().map(|(c, _)| *c).collect();
        let defined: Vec<&str> = DEFINITIONS.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(codes, defined);
        for (code, label, counts) in DEFINITIONS {
            assert!(!label.is_empty() && counts.ends_with('.'), "{code}");
            assert!(!counts.contains("  "), "{code}: {counts}");
        }
    }

    #[test]
    fn xlsx_reads_back() {
        let file = indicators(ExportFormat::Xlsx, "2026-01", "2026-06", &sample()).expect("xlsx");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(decode(&file))).expect("a valid XLSX file");
        let range = book.worksheet_range("Indicatori").expect("sheet");
        assert_eq!(
            range.get_value((0, 1)),
            Some(&Data::String("indicatore".into()))
        );
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("PEOPLE_REACHED".into()))
        );
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(42.0)));
        assert_eq!(range.get_value((1, 3)), Some(&Data::Float(150.0)));
        assert_eq!(
            range.get_value((2, 1)),
            Some(&Data::String("Nuove prese in carico".into()))
        );
    }
}
