//! Conventional Latin spellings of Arabic-script name units, for the readable form shown to
//! colleagues. Arabic script leaves short vowels out, so a spelling built letter by letter can
//! only guess them (`محمد` would read `Mahmad`); for the names people actually carry, the
//! spelling their own documents use is known. `data/arabic_script_names.tsv` lists, for about
//! 8,500 units (a word, or a compound such as `عبد الله`), the spelling found most often on
//! Wikidata (CC0) for people of Persian- and Dari-speaking countries, of Pakistan, and of the
//! Arabic-speaking countries, as counted by the package `arabic-name-romanizer` 0.2.0 (see
//! `scripts/arabic_script_names.py` and docs/reference-data.md).
//!
//! The matching keys do not use this table: a person is found from the letters written, the
//! same way whichever spelling is shown.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::arabic::Flavour;

/// Spellings of one unit: all countries, Arabic-speaking, Persian/Dari, Urdu (empty when a
/// group has too few items).
type Spellings = [&'static str; 4];

static UNITS: LazyLock<HashMap<&'static str, Spellings>> = LazyLock::new(|| {
    include_str!("../../../data/arabic_script_names.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let unit = cols.next()?;
            let mut spellings = [""; 4];
            for slot in &mut spellings {
                *slot = cols.next().unwrap_or("");
            }
            (!spellings[0].is_empty()).then_some((unit, spellings))
        })
        .collect()
});

/// The table's lookup form of what was typed: marks, tatweel and invisible characters dropped;
/// the Persian and Urdu forms of kaf, yeh and heh, alef wasla, the alef carrying a hamza or a
/// madda, alef maqsura and ta marbuta written as the plain letters the table is keyed by.
pub(super) fn lookup_form(unit: &str) -> String {
    unit.chars()
        .filter_map(|c| match c {
            '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            '\u{06D6}'..='\u{06ED}' | '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{FEFF}' => None,
            'ک' => Some('ك'),
            'ی' | 'ى' | 'ې' | 'ۍ' | 'ے' => Some('ي'),
            'ہ' | 'ۀ' | 'ة' | 'ۃ' | 'ە' => Some('ه'),
            'ٱ' | 'أ' | 'إ' | 'آ' => Some('ا'),
            c => Some(c),
        })
        .collect()
}

/// The conventional spelling of a unit as written in a name of the given language, if the unit
/// is known: the spelling of that language's countries, else (when they have too few items)
/// that of all countries. A spelling
/// the duplicate search would not take for the letters written (below
/// [`super::DUPLICATE_THRESHOLD`]: the table's alignment of a name's words on Wikidata can pair a
/// word with its neighbour's spelling, `امیر` with `Amirreza`) is not used.
pub(super) fn spelling(unit: &str, flavour: Flavour) -> Option<&'static str> {
    let spellings = UNITS.get(lookup_form(unit).as_str())?;
    let group = match flavour {
        Flavour::Arabic => 1,
        Flavour::Persian | Flavour::Pashto => 2,
        Flavour::Urdu => 3,
    };
    // The language's own spelling; the one of all countries only when the language has none.
    let chosen = match spellings[group] {
        "" => spellings[0],
        s => s,
    };
    (super::similarity(unit, chosen) >= super::DUPLICATE_THRESHOLD).then_some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_is_spelt_as_its_language_spells_it() {
        assert_eq!(spelling("محمد", Flavour::Arabic), Some("Mohamed"));
        assert_eq!(spelling("محمد", Flavour::Persian), Some("Mohammad"));
        assert_eq!(spelling("محمد", Flavour::Urdu), Some("Muhammad"));
        // Typed with the Persian yeh and heh goal, read with the table's letters.
        assert_eq!(spelling("علیرضا", Flavour::Persian), Some("Alireza"));
        assert_eq!(spelling("فاطمة", Flavour::Arabic), Some("Fatima"));
        assert_eq!(spelling("عبد الله", Flavour::Arabic), Some("Abdullah"));
        assert_eq!(spelling("قزقزقز", Flavour::Arabic), None);
        // A spelling that is not the word's own is not used.
        assert_eq!(spelling("امیر", Flavour::Persian), None);
        assert_eq!(spelling("امیر", Flavour::Arabic), Some("Ameer"));
    }

    #[test]
    fn the_table_is_loaded_whole() {
        // Every data line of the file is an entry (no line lost to a parsing slip).
        let lines = include_str!("../../../data/arabic_script_names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .count();
        assert!(lines > 8000, "{lines}");
        assert_eq!(UNITS.len(), lines);
    }
}
