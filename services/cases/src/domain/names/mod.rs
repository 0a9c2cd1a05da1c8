//! Person-name matching for duplicate detection, and the readable Latin form of a name.
//!
//! Help-desk operators register third-country nationals whose names reach us through many
//! hands: a passport in Latin script transliterated by a French, English or Italian clerk, a
//! handwritten form in Arabic or Persian, a Tigrinya or Bengali document, a Ukrainian ID card in
//! Cyrillic, a permit that swaps given and family name. Before a new person record is created
//! the operator must be shown existing records that may be the same person. This module
//! provides:
//!
//! * [`clean`]: the Unicode hygiene every name goes through before it is stored or compared;
//! * [`name_key`]: a canonical, order-insensitive Latin key, and [`stored_skeleton`], the
//!   consonant skeletons a duplicate search pre-selects candidates with;
//! * [`similarity`] and [`duplicate_score`]: a score in `[0, 1]` between two names, aware of
//!   tokens, scripts and transliteration noise, and [`DUPLICATE_THRESHOLD`];
//! * [`transliterate`]: the readable Latin form shown to colleagues, which is not the key.
//!
//! Everything here is pure: no I/O, no global state, no panics on any input.
//!
//! # Pipeline
//!
//! 1. **Clean** ([`clean::clean`]): NFC, no invisible format characters, single spaces.
//! 2. **Split** into words (`tokens.rs`): apostrophes are removed (`N'Diaye` = `Ndiaye`), every
//!    other non-letter separates words.
//! 3. **Transliterate** each word by its script, with the letter values of its language:
//!    Arabic, Persian/Dari, Urdu and Pashto (`arabic.rs`: long vowels kept as markers, short
//!    vowels unwritten), Ge'ez (`ethiopic.rs`: the syllabary's vowel orders), Bengali
//!    (`bengali.rs`: conjuncts, inherent vowel and virama), Cyrillic (Ukrainian national system
//!    or BGN/PCGN) and Hangul (Revised Romanization) in `other.rs`; everything else, with Latin
//!    diacritics and Chinese (pinyin), through `deunicode`.
//! 4. **Particles** (`tokens.rs`): articles dropped, `Abd`/`Ben`/`Abu`/`Ould`/`Ait` glued to
//!    the next word, `-eddine` split off.
//! 5. **Phonetic folding** of Latin tokens (`fold.rs`): spelling conventions mapped to one form
//!    (`ou`→`u`, `ch`→`sh`, `kh`→`h`, `q`→`k`, doubled letters, silent final `e`, …).
//! 6. **Compare** (`compare.rs`): tokens are aligned one-to-one in the best possible way (order
//!    does not matter), each pair is scored with a vowel-tolerant edit distance whose costs
//!    depend on the scripts compared, and the name score mixes the mean and the worst aligned
//!    token so that one clearly different family name is enough to reject a pair.

pub mod clean;

mod arabic;
mod bengali;
mod compare;
mod display;
mod ethiopic;
mod fold;
mod other;
mod tokens;

pub use display::{is_latin, transliterate};

use display::capitalise;
use fold::collapse_doubles;

/// Score from which [`similarity`] reports a pair as a duplicate candidate.
///
/// Chosen on `tests/data/name_pairs.tsv`: genuine variants of one person's name score from
/// about 0.88 upwards, while hard negatives sharing all but one token (`Hassan`/`Hussein`,
/// `Karim`/`Karima`, `Mahmoudi`/`Mohammadi`) score at most about 0.84. The threshold sits in
/// that gap, slightly closer to the negatives because a missed duplicate costs more than one
/// extra candidate shown to the operator.
pub const DUPLICATE_THRESHOLD: f64 = 0.86;

/// Version of the derivation of the stored keys ([`name_key`], [`stored_skeleton`]). Stored
/// rows of an older version are derived again by the cases service (`rekey`).
pub const KEYS_VERSION: i32 = 1;

/// One canonical name token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Folded form: lower-case ASCII letters; upper case marks a long vowel (`U` for Latin
    /// `ou`/`oo`, or a written long vowel of an Arabic-script token) and `*` a vowel carrier.
    text: String,
    /// `text` with the marks read as plain vowels, for Latin-to-Latin comparison and keys.
    plain: String,
    /// From an abjad script (Arabic, Hebrew), whose short vowels are not written.
    abjad: bool,
    /// From Persian (or Dari) writing, whose Latin spellings write `u` only for و (short u is
    /// `o`: `Mohammadi`, `Hossein`), so a Latin `ou` must be a written و (`Mahmoudi` ≠ `محمدی`).
    persian: bool,
    /// Length of a glued particle at the start of `text` (`ben` of `benkhalid`), 0 if none.
    particle: usize,
    /// Another reading of the same spelling (`ch` read `k`), compared with a small discount.
    alternative: Option<String>,
}

impl Token {
    fn new(text: String, abjad: bool, particle: usize) -> Self {
        let plain = fold::plain(&text);
        Self {
            text,
            plain,
            abjad,
            persian: false,
            particle,
            alternative: None,
        }
    }

    /// The token and the spellings it may also stand for, each with its discount:
    /// * without its patronymic particle (`bin Khalid` = `Khalid`);
    /// * without a leading article glued to it (`Elmehdi` = `Mehdi`);
    /// * without an article inside it (`Nourelhouda` = `Nour Houda`, `نورالهدى`);
    /// * without an initial `l` elided from the article (`Lamine` = `El Amine`);
    /// * its other reading, if any.
    fn variants(&self) -> Vec<(String, f64)> {
        let t = self.text.as_str();
        let mut out = vec![(t.to_string(), 1.0)];
        if let Some(alt) = &self.alternative {
            out.push((alt.clone(), 0.97));
        }
        if self.particle > 0 && t.len() >= self.particle + 3 {
            out.push((t[self.particle..].to_string(), 0.97));
        }
        let min = if self.abjad { 2 } else { 3 };
        let articles: &[&str] = if self.abjad {
            &["Al"]
        } else {
            &["el", "al", "ul", "ol"]
        };
        // Latin `Abd…` compounds are already normalised (`Abdelkader` → `abdkader`).
        let compound = self.abjad || !t.starts_with("abd");
        if let Some(inner) = (min..t.len().saturating_sub(min + 1)).find_map(|i| {
            articles
                .iter()
                .find(|a| compound && t[i..].starts_with(**a))
                .map(|a| format!("{}{}", &t[..i], &t[i + a.len()..]))
        }) {
            out.push((inner, 0.97));
        }
        if self.abjad {
            return out;
        }
        if let Some(rest) = t.strip_prefix("al").or_else(|| t.strip_prefix("el"))
            && rest.len() >= 4
        {
            out.push((rest.to_string(), 0.97));
        }
        if t.len() >= 5 && t.starts_with('l') && t[1..].starts_with(compare::is_vowel) {
            out.push((t[1..].to_string(), 0.95));
        }
        out
    }
}

/// Canonical, order-insensitive key of a full name.
///
/// The key is the list of canonical tokens (see the module documentation) in their plain form,
/// sorted and joined by single spaces. Sorting is there because documents and operators
/// disagree on given-name/family-name order (`Diallo Mamadou` vs `Mamadou Diallo`).
pub fn name_key(input: &str) -> String {
    let mut texts: Vec<String> = tokens::canonical_tokens(input)
        .into_iter()
        .map(|t| t.plain.replace('*', ""))
        .collect();
    texts.sort();
    texts.join(" ")
}

/// Similarity of two full names in `[0, 1]`; `1.0` means same canonical tokens.
///
/// * Tokens are aligned one-to-one, choosing the alignment that maximises the score, so
///   given/family-name order does not matter.
/// * The shorter name may have fewer tokens (a missing middle name or second family name);
///   each unmatched token costs a small penalty. A single-token name against a multi-token one
///   is penalised more, because matching one common given name says little.
/// * Two adjacent tokens of the name with more tokens may be glued (`Xiao Ming` vs `Xiaoming`,
///   `De Souza` vs `Desouza`), since spacing varies between documents.
pub fn similarity(a: &str, b: &str) -> f64 {
    token_similarity(&tokens::canonical_tokens(a), &tokens::canonical_tokens(b))
}

fn token_similarity(ta: &[Token], tb: &[Token]) -> f64 {
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    // Glue adjacent tokens only on the side that has more tokens: that side may have split a
    // name the other side writes as one word. Gluing both sides (or the shorter one) would let
    // whole names be compared as one string, hiding a differing token.
    let (short, long) = if ta.len() <= tb.len() {
        (ta, tb)
    } else {
        (tb, ta)
    };
    let mut best = compare::name_score(short, long);
    if long.len() > short.len() {
        for v in glue_variants(long) {
            best = best.max(compare::name_score(short, &v));
        }
    }
    best.clamp(0.0, 1.0)
}

/// All versions of a token list with exactly one pair of adjacent tokens glued together.
fn glue_variants(tokens: &[Token]) -> Vec<Vec<Token>> {
    let mut out = Vec::new();
    for i in 0..tokens.len().saturating_sub(1) {
        let mut v = tokens.to_vec();
        let second = v.remove(i + 1);
        let abjad = v[i].abjad || second.abjad;
        v[i] = Token::new(
            collapse_doubles(&format!("{}{}", v[i].text, second.text)),
            abjad,
            v[i].particle,
        );
        out.push(v);
    }
    out
}

/// The given and family names of a person or of a search, either of which may be empty.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    pub given: &'a str,
    pub family: &'a str,
}

impl Names<'_> {
    /// Given and family names in one string (either may be empty).
    pub fn full(&self) -> String {
        format!("{} {}", self.given.trim(), self.family.trim())
            .trim()
            .to_string()
    }
}

/// How a duplicate search scores a stored person, as written (`original`) and in Latin
/// (`latin`), against the names searched for: the best of [`similarity`] over both forms.
/// When only one of the two fields is searched for, that field is compared with the same
/// field of the person (and with the whole name), so `familyNames: "Benali"` alone finds
/// `Fatima Zahra Benali`.
///
/// A Latin form that is only the derived [`transliterate`] of a name in another script adds
/// nothing but guessed vowels, so it is compared only when the operator gave it.
pub fn duplicate_score(query: Names, original: Names, latin: Names) -> f64 {
    DuplicateQuery::new(query).score(original, latin)
}

/// A duplicate search's names, tokenised once for all the candidates it scores.
pub struct DuplicateQuery {
    tokens: Vec<Token>,
    /// Which field alone was searched for: `Some(true)` the given names, `Some(false)` the
    /// family names, `None` both.
    only_given: Option<bool>,
}

impl DuplicateQuery {
    pub fn new(query: Names) -> Self {
        let (given, family) = (clean::clean(query.given), clean::clean(query.family));
        let only_given = match (given.is_empty(), family.is_empty()) {
            (false, true) => Some(true),
            (true, false) => Some(false),
            _ => None,
        };
        Self {
            tokens: tokens::canonical_tokens(&query.full()),
            only_given,
        }
    }

    /// The start (two letters) of the skeleton of each token searched for: a candidate is
    /// pre-selected when its stored skeleton contains them (see [`preselected`]).
    pub fn prefixes(&self) -> Vec<String> {
        self.tokens
            .iter()
            .map(|t| skeleton(&t.plain).chars().take(2).collect::<String>())
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// See [`duplicate_score`].
    pub fn score(&self, original: Names, latin: Names) -> f64 {
        let written = original.full();
        let latin_full = latin.full();
        let derived = latin_full == written
            || (latin.given == transliterate(original.given)
                && latin.family == transliterate(original.family));
        let forms: &[Names] = if derived {
            &[original]
        } else {
            &[original, latin]
        };
        let mut best: f64 = 0.0;
        for n in forms {
            let full = tokens::canonical_tokens(&n.full());
            best = best.max(token_similarity(&self.tokens, &full));
            if let Some(given) = self.only_given {
                let field = if given { n.given } else { n.family };
                best = best.max(token_similarity(
                    &self.tokens,
                    &tokens::canonical_tokens(field),
                ));
            }
        }
        best
    }
}

/// The consonant skeleton of each token of a [`name_key`], space-separated: the part of a name
/// that survives vowel variation and abjad scripts (`mohamed`, `muhamad` and `محمد` all give
/// `mhmd`).
pub fn name_skeleton(key: &str) -> String {
    key.split_whitespace()
        .map(skeleton)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The skeletons stored with a person, from the names as written and in Latin (deduplicated):
/// a search pre-selects candidates whose stored skeleton contains the start of each of its own
/// (see [`search_prefixes`]), then ranks them with [`duplicate_score`].
pub fn stored_skeleton(original: Names, latin: Names) -> String {
    let mut out: Vec<String> = Vec::new();
    for full in [latin.full(), original.full()] {
        for t in tokens::canonical_tokens(&full) {
            let s = skeleton(&t.plain);
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out.join(" ")
}

/// The start (two letters) of the skeleton of each token searched for (see
/// [`DuplicateQuery::prefixes`]).
pub fn search_prefixes(query: Names) -> Vec<String> {
    DuplicateQuery::new(query).prefixes()
}

/// Whether a stored skeleton is pre-selected for the prefixes of a search: all of them
/// (`all`) or any, each found anywhere in it (SQL `LIKE '%…%'`, which the store runs).
pub fn preselected(prefixes: &[String], stored: &str, all: bool) -> bool {
    if all {
        prefixes.iter().all(|p| stored.contains(p.as_str()))
    } else {
        prefixes.iter().any(|p| stored.contains(p.as_str()))
    }
}

/// Consonants only, doubled letters collapsed.
fn skeleton(s: &str) -> String {
    collapse_doubles(
        &s.chars()
            .filter(|c| c.is_ascii_alphabetic() && !compare::is_vowel(*c))
            .collect::<String>(),
    )
}

#[cfg(test)]
mod tests;
