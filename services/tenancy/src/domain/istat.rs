//! Municipality (ISTAT) codes, checked against ISTAT's lists bundled in
//! `services/tenancy/data/istat_municipalities.tsv` (source, version and regeneration in
//! docs/reference-data.md).

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use sportello_kernel::{Error, Result};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A municipality's 6-digit ISTAT code: 3 digits for the province, 3 for the municipality within
/// it. Only codes of municipalities in force are accepted: codes of suppressed (merged) or
/// renumbered municipalities are refused naming their successor, and are never reused.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IstatCode(String);

/// The highest province code in use (Sardinian provinces of the 2016–2025 reforms reach 111).
const MAX_PROVINCE: u32 = 111;

/// Successors followed at most when a retired code merged into another retired code.
const MAX_CHAIN: usize = 8;

/// One line of the bundled list, borrowed from the compiled-in text.
#[derive(Debug)]
enum Entry {
    /// In force: the official name (both languages, as ISTAT writes it), the Italian name and
    /// the name in the other official language (empty when there is none).
    InForce {
        name: &'static str,
        italian: &'static str,
        other: &'static str,
    },
    /// Suppressed on `date` (ISO), its territory going to the successors (code, name then).
    Suppressed {
        name: &'static str,
        date: &'static str,
        successors: Vec<(&'static str, &'static str)>,
    },
    /// Renumbered when its province changed: the code it has now.
    Renumbered { current: &'static str },
    /// Named as a successor, no longer in force, suppression not in the bundled list.
    Retired { name: &'static str },
}

static LIST: LazyLock<HashMap<&'static str, Entry>> =
    LazyLock::new(|| parse_list(include_str!("../../data/istat_municipalities.tsv")));

/// The municipalities in force in the bundled list (ISTAT, docs/reference-data.md), by code:
/// `(istat_code, official_name)`, the name as ISTAT writes it (both languages where there are
/// two, e.g. `Bolzano/Bozen`). 7,896 entries in the list of 2024-12-04.
pub fn in_force() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = LIST
        .iter()
        .filter_map(|(code, entry)| match entry {
            Entry::InForce { name, .. } => Some((*code, *name)),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out
}

fn parse_list(text: &'static str) -> HashMap<&'static str, Entry> {
    let mut out = HashMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&'static str> = line.split('\t').collect();
        let at = |i: usize| cols.get(i).copied().unwrap_or_default();
        let entry = match at(0) {
            "M" => Entry::InForce {
                name: at(2),
                italian: at(3),
                other: at(4),
            },
            "S" => Entry::Suppressed {
                name: at(2),
                date: at(3),
                successors: cols
                    .get(4..)
                    .unwrap_or_default()
                    .chunks(2)
                    .map(|pair| (pair[0], pair.get(1).copied().unwrap_or_default()))
                    .collect(),
            },
            "R" => Entry::Renumbered { current: at(2) },
            "X" => Entry::Retired { name: at(2) },
            // The file is generated and tested (`the_bundled_list_is_complete_and_consistent`).
            _ => continue,
        };
        out.insert(at(1), entry);
    }
    out
}

impl IstatCode {
    /// The code of a municipality in force. Refuses, on `field`: malformed codes, codes of no
    /// municipality, and retired codes (the message names the successor).
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        let code = input.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::on(field, sportello_kernel::Reason::IstatMalformed));
        }
        let province: u32 = code[..3]
            .parse()
            .map_err(|_| Error::on(field, sportello_kernel::Reason::IstatMalformed))?;
        let municipality: u32 = code[3..]
            .parse()
            .map_err(|_| Error::on(field, sportello_kernel::Reason::IstatMalformed))?;
        if province == 0 || province > MAX_PROVINCE {
            return Err(Error::on(field, sportello_kernel::Reason::IstatMalformed)
                .saying("the first 3 digits must be a province code between 001 and 111"));
        }
        if municipality == 0 {
            return Err(Error::on(field, sportello_kernel::Reason::IstatMalformed)
                .saying("the last 3 digits must be a municipality number, not 000"));
        }
        match LIST.get(code) {
            Some(Entry::InForce { .. }) => Ok(Self(code.to_owned())),
            Some(_) => Err(Error::on(
                field,
                sportello_kernel::Reason::IstatRetired {
                    successors: successors_in_force(code).join(","),
                },
            )
            .saying(retired(code))),
            None => Err(Error::on(field, sportello_kernel::Reason::IstatUnknown)
                .saying(format!("{code} is not the ISTAT code of any municipality"))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The official name, both languages as ISTAT writes it ("Bolzano/Bozen").
    pub fn official_name(&self) -> &'static str {
        match LIST.get(self.0.as_str()) {
            Some(Entry::InForce { name, .. }) => name,
            _ => "",
        }
    }

    /// Checks a name given for this municipality: it must be the official name or, for a
    /// bilingual one, either language's name, compared ignoring case, accents and whitespace.
    /// Returns the name matched as ISTAT spells it ("bozen" gives "Bozen"); refused on `field`
    /// with a message naming the official name.
    pub fn check_name(&self, field: &str, input: &str) -> Result<&'static str> {
        let Some(Entry::InForce {
            name,
            italian,
            other,
        }) = LIST.get(self.0.as_str())
        else {
            return Err(Error::on(field, sportello_kernel::Reason::IstatUnknown));
        };
        let given = fold(input);
        if let Some(found) = [name, italian, other]
            .into_iter()
            .find(|n| !n.is_empty() && fold(n) == given)
        {
            return Ok(found);
        }
        let message = if other.is_empty() {
            format!("the official name of {} is {name}", self.0)
        } else {
            format!(
                "the official name of {} is {name} ({italian} or {other})",
                self.0
            )
        };
        Err(Error::on(
            field,
            sportello_kernel::Reason::IstatNameMismatch {
                code: self.0.clone(),
            },
        )
        .saying(message))
    }
}

/// Why a retired code is refused, following merged-into-retired successors to those in force:
/// "041032 is a former municipality (Monteciccardo), merged into 041044 (Pesaro) on 2020-07-01".
fn retired(code: &str) -> String {
    let mut out = String::new();
    let mut next = vec![code];
    for depth in 0..MAX_CHAIN {
        let mut later = Vec::new();
        for (i, code) in next.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            } else if depth > 0 {
                out.push_str(", which ");
            }
            match LIST.get(code) {
                Some(Entry::Suppressed {
                    name,
                    date,
                    successors,
                }) => {
                    let into = successors
                        .iter()
                        .map(|(s, then)| format!("{s} ({})", current_name(s).unwrap_or(then)))
                        .collect::<Vec<_>>()
                        .join(" and ");
                    if depth == 0 {
                        out.push_str(&format!(
                            "{code} is a former municipality ({name}), merged into {into} on {date}"
                        ));
                    } else {
                        out.push_str(&format!("was merged into {into} on {date}"));
                    }
                    later.extend(
                        successors
                            .iter()
                            .map(|(s, _)| *s)
                            .filter(|s| current_name(s).is_none()),
                    );
                }
                Some(Entry::Renumbered { current }) => {
                    let name = current_name(current).unwrap_or_default();
                    if depth == 0 {
                        out.push_str(&format!(
                            "{code} is a former code of {name}: ISTAT renumbered it {current} when its province changed"
                        ));
                    } else {
                        out.push_str(&format!(
                            "ISTAT renumbered {current} ({name}) when its province changed"
                        ));
                    }
                }
                Some(Entry::Retired { name }) if depth == 0 => out.push_str(&format!(
                    "{code} is a former municipality ({name}), retired; its successor is not in the bundled ISTAT lists"
                )),
                Some(Entry::Retired { .. }) => out.push_str(
                    "is no longer in force either; its successor is not in the bundled ISTAT lists",
                ),
                Some(Entry::InForce { .. }) | None => {}
            }
        }
        if later.is_empty() {
            break;
        }
        next = later;
    }
    out
}

/// The codes in force that a retired code's territory went to, following the chain of
/// mergers and renumberings (empty when the bundled lists do not know the successor).
fn successors_in_force(code: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut next: Vec<&str> = vec![code];
    for _ in 0..MAX_CHAIN {
        let mut later = Vec::new();
        for code in next {
            let found: Vec<&'static str> = match LIST.get(code) {
                Some(Entry::Suppressed { successors, .. }) => {
                    successors.iter().map(|(s, _)| *s).collect()
                }
                Some(Entry::Renumbered { current }) => vec![*current],
                _ => Vec::new(),
            };
            for s in found {
                if current_name(s).is_some() {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                } else {
                    later.push(s);
                }
            }
        }
        if later.is_empty() {
            break;
        }
        next = later;
    }
    out
}

fn current_name(code: &str) -> Option<&'static str> {
    match LIST.get(code) {
        Some(Entry::InForce { name, .. }) => Some(name),
        _ => None,
    }
}

/// Lowercase, without accents or whitespace, typographic apostrophes made plain.
fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c) && !c.is_whitespace())
        .map(|c| {
            if matches!(c, '\u{2019}' | '\u{2018}' | '`') {
                '\''
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

impl fmt::Display for IstatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_municipalities_in_force_are_listed_without_retired_ones() {
        let all = in_force();
        assert_eq!(all.len(), 7_896);
        assert!(
            all.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted by code, once each"
        );
        assert!(all.contains(&("041044", "Pesaro")));
        assert!(all.contains(&("021008", "Bolzano/Bozen")));
        assert!(
            !all.iter().any(|(code, _)| *code == "041032"),
            "Monteciccardo was merged"
        );
    }
    use sportello_kernel::ErrorCode;

    fn refusal(code: &str) -> Error {
        let err = IstatCode::parse("istatCode", code).expect_err(code);
        assert_eq!(err.field.as_deref(), Some("istatCode"));
        assert_eq!(err.code, ErrorCode::InvalidInput);
        err
    }

    #[test]
    fn codes_of_municipalities_in_force_are_accepted() {
        for (code, name) in [
            ("052022", "Poggibonsi"),
            ("058091", "Roma"),
            ("015146", "Milano"),
            ("021008", "Bolzano/Bozen"),
            ("111107", "Villaspeciosa"),
            (" 048017 ", "Firenze"),
        ] {
            let parsed = IstatCode::parse("istatCode", code).expect(code);
            assert_eq!(parsed.as_str(), code.trim());
            assert_eq!(parsed.official_name(), name);
        }
    }

    #[test]
    fn malformed_codes_are_rejected_with_the_field_named() {
        for code in [
            "", "52022", "0520221", "05202A", "000123", "112001", "052000", "05 022",
        ] {
            refusal(code);
        }
    }

    #[test]
    fn codes_that_never_existed_are_refused() {
        for code in ["098753", "052999", "111999"] {
            assert_eq!(
                refusal(code).message,
                format!("{code} is not the ISTAT code of any municipality")
            );
        }
    }

    #[test]
    fn a_suppressed_code_is_refused_naming_its_successor_and_date() {
        assert_eq!(
            refusal("041032").message,
            "041032 is a former municipality (Monteciccardo), merged into 041044 (Pesaro) on 2020-07-01"
        );
        assert_eq!(
            refusal("048003").message,
            "048003 is a former municipality (Barberino Val d'Elsa), merged into 048054 (Barberino Tavarnelle) on 2019-01-01"
        );
    }

    #[test]
    fn a_successor_that_was_suppressed_too_is_followed_to_the_municipality_in_force() {
        assert_eq!(
            refusal("096036").message,
            "096036 is a former municipality (Mosso Santa Maria), merged into 096084 (Mosso) on 1999-01-01, \
             which was merged into 096088 (Valdilana) on 2019-01-01"
        );
    }

    #[test]
    fn a_code_retired_without_a_known_successor_says_so() {
        assert_eq!(
            refusal("025070").message,
            "025070 is a former municipality (Quero Vas), retired; its successor is not in the bundled ISTAT lists"
        );
        assert_eq!(
            refusal("025042").message,
            "025042 is a former municipality (Quero), merged into 025070 (Quero Vas) on 2013-12-28, \
             which is no longer in force either; its successor is not in the bundled ISTAT lists"
        );
    }

    #[test]
    fn a_code_renumbered_when_its_province_changed_names_the_current_code() {
        assert_eq!(
            refusal("104001").message,
            "104001 is a former code of Aggius: ISTAT renumbered it 090001 when its province changed"
        );
    }

    #[test]
    fn a_name_that_is_not_the_official_one_is_refused_naming_it() {
        let rome = IstatCode::parse("istatCode", "058091").expect("Rome");
        let err = rome.check_name("name", "Ottiglio").expect_err("not Rome");
        assert_eq!(err.field.as_deref(), Some("name"));
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert_eq!(err.message, "the official name of 058091 is Roma");
    }

    #[test]
    fn names_match_ignoring_case_accents_and_whitespace() {
        let code = IstatCode::parse("istatCode", "001001").expect("Agliè");
        for name in ["Agliè", "aglie", " AGLIE ", "Ag lie"] {
            assert_eq!(code.check_name("name", name).expect(name), "Agliè");
        }
        let colle = IstatCode::parse("istatCode", "052012").expect("Colle");
        assert_eq!(
            colle
                .check_name("name", "colle di val d’elsa")
                .expect("typographic apostrophe"),
            "Colle di Val d'Elsa"
        );
        colle
            .check_name("name", "Colle")
            .expect_err("a part of the name");
    }

    #[test]
    fn either_language_of_a_bilingual_name_is_accepted() {
        let bolzano = IstatCode::parse("istatCode", "021008").expect("Bolzano");
        for (name, spelled) in [
            ("Bolzano/Bozen", "Bolzano/Bozen"),
            ("bolzano", "Bolzano"),
            ("BOZEN", "Bozen"),
        ] {
            assert_eq!(bolzano.check_name("name", name).expect(name), spelled);
        }
        let err = bolzano.check_name("name", "Merano").expect_err("Merano");
        assert_eq!(
            err.message,
            "the official name of 021008 is Bolzano/Bozen (Bolzano or Bozen)"
        );
        let fassa = IstatCode::parse("istatCode", "022250").expect("San Giovanni di Fassa");
        for (name, spelled) in [
            (
                "San Giovanni di Fassa-Sèn Jan",
                "San Giovanni di Fassa-Sèn Jan",
            ),
            ("Sen Jan", "Sèn Jan"),
            ("san giovanni di fassa", "San Giovanni di Fassa"),
        ] {
            assert_eq!(fassa.check_name("name", name).expect(name), spelled);
        }
    }

    #[test]
    fn the_bundled_list_is_complete_and_consistent() {
        let in_force = LIST
            .values()
            .filter(|e| matches!(e, Entry::InForce { .. }))
            .count();
        assert_eq!(in_force, 7_896, "municipalities in force since 2024-01-22");
        for (code, entry) in LIST.iter() {
            assert!(IstatCode::parse("c", code).is_ok() == matches!(entry, Entry::InForce { .. }));
            match entry {
                Entry::InForce { name, .. } => assert!(!name.is_empty(), "{code}"),
                Entry::Suppressed {
                    date, successors, ..
                } => {
                    assert_eq!(date.len(), 10, "{code}");
                    assert!(!successors.is_empty(), "{code}");
                    for (s, _) in successors {
                        assert!(LIST.contains_key(s), "{code} → {s}");
                    }
                }
                Entry::Renumbered { current } => {
                    assert!(current_name(current).is_some(), "{code} → {current}")
                }
                Entry::Retired { name } => assert!(!name.is_empty(), "{code}"),
            }
        }
    }
}
