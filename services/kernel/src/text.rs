//! Unicode hygiene of names as typed or pasted (persons, users, organisations, desks,
//! territories): one normal form, no invisible characters that
//! change how a name is displayed, limits counted in what a reader sees as characters.
//!
//! * **NFC**: a decomposed `é` (`e` + U+0301, as some keyboards and PDF copies give it) and a
//!   precomposed one are the same name, stored once in the composed form.
//! * **Invisible format characters** (general category Cf: bidi embeddings, overrides and
//!   isolates U+202A–U+202E and U+2066–U+2069, LRM/RLM/ALM, zero-width space, word joiner, BOM,
//!   soft hyphen, tag characters) are removed, and so are other default-ignorable characters
//!   (variation selectors, Hangul fillers, the combining grapheme joiner). An U+202E in a name
//!   makes it display reversed; a zero-width space makes two records of one name.
//!   The two joiners are kept only where the writing system needs them, as IDNA's contextual
//!   rules allow (RFC 5892, A.1 and A.2): ZWNJ after a virama or between two Arabic-script
//!   letters (Persian `ذبیح‌الله` keeps its non-joining break), ZWJ after a virama (Bengali
//!   ya-phala). Elsewhere they are removed.
//! * **Compatibility forms** that only draw Latin, Arabic or Katakana letters another way —
//!   full-width and half-width forms (U+FF01–U+FFEE: `Ｍｏｈａｍｅｄ`), mathematical letters
//!   (U+1D400–U+1D7FF: `𝐌𝐨𝐡𝐚𝐦𝐞𝐝`), Latin ligatures (U+FB00–U+FB06: `ﬁ`) and Arabic
//!   presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFC, as PDF copies give them) — are written
//!   in their ordinary form (their NFKC decomposition), so that one name is stored one way.
//!   Other compatibility characters are left as typed: NFKC of a whole name would also change
//!   letters that are meant (superscripts, `ſ`).
//! * **Stacked marks**: more than [`MAX_MARKS`] combining marks on one letter (a flood that
//!   draws over the lines around it) are refused; Vietnamese needs two, pointed Hebrew four.
//! * **White space** of any kind (no-break space, ideographic space, tabs) becomes one space.
//! * **Limits** count extended grapheme clusters (UAX #29), so 120 accented letters are 120
//!   whatever their encoding.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

/// Most grapheme clusters a name field may have.
pub const MAX_GRAPHEMES: usize = 200;

/// Most combining marks in a row on one letter.
pub const MAX_MARKS: usize = 4;

/// Why a cleaned name cannot be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing but spaces and invisible characters.
    Empty,
    /// More than [`MAX_GRAPHEMES`] grapheme clusters.
    TooLong,
    /// A control character (other than white space).
    Control,
    /// No letter at all: emoji, digits or punctuation only.
    NoLetters,
    /// Emoji, pictographs or other symbols among the letters.
    Symbols,
    /// More than [`MAX_MARKS`] combining marks on one letter.
    StackedMarks,
}

impl Refusal {
    /// The reason of the refusal, as the API names it.
    pub fn reason(self) -> crate::Reason {
        use crate::Reason;
        match self {
            Refusal::Empty => Reason::Required,
            Refusal::TooLong => Reason::TooLong {
                max: MAX_GRAPHEMES as u32,
            },
            Refusal::Control => Reason::ControlCharacters,
            Refusal::NoLetters => Reason::NoLetters,
            Refusal::Symbols => Reason::Symbols,
            Refusal::StackedMarks => Reason::StackedMarks {
                max: MAX_MARKS as u32,
            },
        }
    }

    /// The message shown to the operator.
    pub fn message(self) -> String {
        self.reason().message()
    }
}

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// A virama (canonical combining class 9): the sign that kills an Indic consonant's vowel.
fn is_virama(c: char) -> bool {
    canonical_combining_class(c) == 9
}

fn is_arabic_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Default-ignorable characters that are not of category Cf (which is removed as a whole).
fn is_other_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x034F | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFFA0 | 0xE0000..=0xE0FFF)
}

/// Whether the character at `i` is kept: everything but invisible format characters, and the
/// joiners only in their orthographic contexts.
fn keep(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|k| chars[k]);
    let next = chars.get(i + 1).copied();
    match c {
        ZWNJ => {
            prev.is_some_and(is_virama)
                || (prev.is_some_and(is_arabic_letter) && next.is_some_and(is_arabic_letter))
        }
        ZWJ => prev.is_some_and(is_virama),
        _ => c.general_category() != GeneralCategory::Format && !is_other_ignorable(c),
    }
}

/// A compatibility character that only draws an ordinary letter, digit or sign another way (see
/// the module documentation).
fn is_drawn_form(c: char) -> bool {
    matches!(c as u32,
        0xFF01..=0xFFEE | 0x1D400..=0x1D7FF | 0xFB00..=0xFB06 | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
}

/// The name in NFC, without invisible format characters, compatibility forms written in their
/// ordinary form, with white space collapsed to single spaces and trimmed.
pub fn clean(input: &str) -> String {
    let mut folded = String::with_capacity(input.len());
    for c in input.chars() {
        if is_drawn_form(c) {
            folded.extend(std::iter::once(c).nfkc());
        } else {
            folded.push(c);
        }
    }
    let chars: Vec<char> = folded.nfc().collect();
    let kept: String = (0..chars.len())
        .filter(|&i| keep(&chars, i))
        .map(|i| chars[i])
        .collect();
    // Removing a character may have put a base letter next to its combining mark.
    let composed: String = kept.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Number of extended grapheme clusters.
pub fn graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}

fn is_symbol(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::OtherSymbol
            | GeneralCategory::MathSymbol
            | GeneralCategory::CurrencySymbol
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
            | GeneralCategory::Unassigned
    ) || matches!(c as u32, 0x1F3FB..=0x1F3FF)
}

/// A combining mark (general category Mn, Mc or Me).
fn is_mark(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::NonspacingMark
            | GeneralCategory::SpacingMark
            | GeneralCategory::EnclosingMark
    )
}

/// Checks a name already [`clean`]ed: not empty, at most [`MAX_GRAPHEMES`] grapheme clusters,
/// no control characters, at least one letter, no symbols.
pub fn check(cleaned: &str) -> Result<(), Refusal> {
    if cleaned.is_empty() {
        return Err(Refusal::Empty);
    }
    if graphemes(cleaned) > MAX_GRAPHEMES {
        return Err(Refusal::TooLong);
    }
    if cleaned.chars().any(char::is_control) {
        return Err(Refusal::Control);
    }
    if !cleaned.chars().any(char::is_alphabetic) {
        return Err(Refusal::NoLetters);
    }
    if cleaned.chars().any(is_symbol) {
        return Err(Refusal::Symbols);
    }
    let mut run = 0;
    for c in cleaned.chars() {
        run = if is_mark(c) { run + 1 } else { 0 };
        if run > MAX_MARKS {
            return Err(Refusal::StackedMarks);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_input_is_stored_composed() {
        let nfd = "Jose\u{301} Mu\u{308}ller";
        assert_eq!(clean(nfd), "José Müller");
        assert_eq!(clean(nfd).chars().count(), 11);
    }

    #[test]
    fn bidi_controls_and_zero_width_characters_are_removed() {
        assert_eq!(clean("\u{202E}Ahmed\u{202C} Ali"), "Ahmed Ali");
        assert_eq!(clean("\u{200F}فاطمة\u{200E}"), "فاطمة");
        assert_eq!(clean("Ah\u{200B}med\u{FEFF}\u{2060}"), "Ahmed");
        assert_eq!(clean("\u{2067}Ali\u{2069}\u{00AD}"), "Ali");
        assert_eq!(clean("A\u{200D}li\u{200C}"), "Ali");
        // Orthographic joiners stay: the Persian non-joiner between two letters, the Bengali
        // ya-phala after a virama.
        assert_eq!(clean("ذبیح\u{200C}الله"), "ذبیح\u{200C}الله");
        assert_eq!(clean("র\u{09CD}\u{200D}য"), "র\u{09CD}\u{200D}য");
    }

    #[test]
    fn compatibility_forms_are_written_in_their_ordinary_form() {
        assert_eq!(clean("Ｍｏｈａｍｅｄ　Ａｌｉ"), "Mohamed Ali");
        assert_eq!(clean("𝐌𝐨𝐡𝐚𝐦𝐞𝐝"), "Mohamed");
        assert_eq!(clean("Gioﬁ"), "Giofi");
        // Arabic presentation forms (isolated, initial, final) as a PDF copy gives them.
        assert_eq!(clean("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}"), "محمد");
        // Letters meant as written stay.
        assert_eq!(clean("Müller ſ ²"), "Müller ſ ²");
    }

    #[test]
    fn stacked_marks_are_refused() {
        let flood = format!("A{}li", "\u{0301}\u{0300}\u{0308}".repeat(4));
        assert_eq!(check(&clean(&flood)), Err(Refusal::StackedMarks));
        // Vietnamese (two marks on a letter) and pointed Hebrew (up to four) are names.
        assert_eq!(check(&clean("Nguye\u{0302}\u{0303}n Thi\u{0323}")), Ok(()));
        assert_eq!(check(&clean("שִׁ\u{05BC}\u{0591}מְעוֹן")), Ok(()));
        // Counted after composition: `A` and the first acute make `Á`.
        assert_eq!(check(&clean(&format!("A{}", "\u{0301}".repeat(5)))), Ok(()));
        assert_eq!(
            check(&clean(&format!("A{}", "\u{0301}".repeat(6)))),
            Err(Refusal::StackedMarks)
        );
        assert_eq!(
            check(&clean(&format!("Q{}", "\u{0301}".repeat(5)))),
            Err(Refusal::StackedMarks)
        );
    }

    #[test]
    fn spaces_of_every_kind_collapse() {
        assert_eq!(clean(" Mamadou\u{00A0}\u{3000}Diallo\t"), "Mamadou Diallo");
    }

    #[test]
    fn limits_count_grapheme_clusters() {
        let decomposed = "e\u{301}".repeat(120);
        assert_eq!(graphemes(&decomposed), 120);
        assert_eq!(check(&clean(&decomposed)), Ok(()));
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(graphemes(family), 1);
        assert_eq!(check(&"a".repeat(201)), Err(Refusal::TooLong));
        assert_eq!(check(&"é".repeat(200)), Ok(()));
    }

    #[test]
    fn emoji_and_symbols_are_refused() {
        assert_eq!(check(&clean("😀😀")), Err(Refusal::NoLetters));
        assert_eq!(check(&clean("123 --")), Err(Refusal::NoLetters));
        assert_eq!(check(&clean("Ali 😀")), Err(Refusal::Symbols));
        assert_eq!(check(&clean("Ali 👍🏽")), Err(Refusal::Symbols));
        assert_eq!(check(&clean("\u{200B}")), Err(Refusal::Empty));
        assert_eq!(check("Ali\u{7}"), Err(Refusal::Control));
        assert_eq!(check(&clean("N'Diaye-Sow")), Ok(()));
    }
}
