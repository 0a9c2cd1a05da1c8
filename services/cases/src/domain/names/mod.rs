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
//! * [`name_key`]: a canonical, order-insensitive Latin key, [`stored_skeleton`], the
//!   consonant skeletons of a person's names, and [`person_name_keys`], the blocking keys a
//!   duplicate search selects and ranks its candidates by ([`CandidateKeys`],
//!   [`rank_candidates`]);
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
mod conventional;
mod display;
mod ethiopic;
mod fold;
mod other;
mod tokens;

pub use display::{is_latin, transliterate, transliterate_within};

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

/// Version of the derivation of the stored keys ([`name_key`], [`stored_skeleton`],
/// [`person_name_keys`]). Stored rows of an older version are derived again by the cases service
/// (`rekey`). 1: name key and skeleton; 2: also the blocking keys.
pub const KEYS_VERSION: i32 = 2;

/// Most persons a duplicate search loads and scores: the best ranked of those sharing a key with
/// the search (see [`rank_candidates`]).
///
/// Chosen on the benchmark's million persons (20 tenants of 50,000 built from 6,000 name
/// pairs): the searched person ranks within the first few dozen even for a variant spelling,
/// while loading and scoring 200 persons costs a few milliseconds (docs/benchmarks.md). On
/// `tests/data/name_pairs.tsv` every registered name ranks far above it.
pub const MAX_CANDIDATES: usize = 200;

/// Longest exact-name key (`=` and the [`name_key`]) stored, in bytes; longer name keys are
/// cut there (they only break ties).
const EXACT_KEY_MAX: usize = 160;

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
/// `Fatima Zahra Benali` and `givenNames: "Fatima"` alone finds `Fatima Zahra El Amrani`: each
/// token searched for must match a token of the field, or of the whole name, since documents
/// disagree on which field a name belongs to (see `compare::field_score`).
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
    /// The [`name_key`] of the names searched for, in their readable Latin form.
    exact: String,
}

impl DuplicateQuery {
    pub fn new(query: Names) -> Self {
        let (given, family) = (clean::clean(query.given), clean::clean(query.family));
        let only_given = match (given.is_empty(), family.is_empty()) {
            (false, true) => Some(true),
            (true, false) => Some(false),
            _ => None,
        };
        // The exact key a person stores is that of its Latin form, by default the readable
        // transliteration of what was written.
        let whole = format!("{given} {family}");
        let latin = (
            transliterate_within(&given, &whole),
            transliterate_within(&family, &whole),
        );
        let exact = name_key(
            &Names {
                given: &latin.0,
                family: &latin.1,
            }
            .full(),
        );
        Self {
            tokens: tokens::canonical_tokens(&query.full()),
            only_given,
            exact,
        }
    }

    /// The keys that select and rank the candidates of this search among the persons'
    /// [`person_name_keys`]:
    /// * `select`: the [`DuplicateQuery::prefixes`]: a two-letter one is a person's key exactly
    ///   when a token of its skeleton contains it (as `LIKE '%xx%'` found it); a one-letter one
    ///   (`Jie`, `Li`) is the key of a person's token of that one consonant (`Jie-Lun Zhou` for
    ///   `Jielun Zhou`, whose `zh` folds to `j`); for names without any consonant, whose tokens
    ///   have no skeleton, the exact name (`=` and its name key);
    /// * `rank`: the search's own keys, derived as a person's are (every consonant bigram of its
    ///   tokens and the exact name), and `select`.
    ///
    /// Empty `select` when nothing can be searched for (no letter at all).
    pub fn candidate_keys(&self) -> CandidateKeys {
        let mut select = self.prefixes();
        if select.is_empty() {
            select = person_name_keys(&self.exact, "");
        }
        select.sort();
        select.dedup();
        let skeleton = self
            .tokens
            .iter()
            .map(|t| skeleton(&t.plain))
            .collect::<Vec<_>>()
            .join(" ");
        let mut rank = person_name_keys(&self.exact, &skeleton);
        rank.extend(select.iter().cloned());
        rank.sort();
        rank.dedup();
        CandidateKeys { select, rank }
    }

    /// The start (two letters) of the skeleton of each token searched for (one letter for a
    /// token of one consonant): see [`DuplicateQuery::candidate_keys`].
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
            || (latin.given == transliterate_within(original.given, &written)
                && latin.family == transliterate_within(original.family, &written));
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
                // The field searched for, and the whole name: documents and operators disagree
                // on which field a name belongs to (`Zahra` given, or part of the family name).
                let field = tokens::canonical_tokens(if given { n.given } else { n.family });
                best = best
                    .max(token_similarity(&self.tokens, &field))
                    .max(compare::field_score(&self.tokens, &field).clamp(0.0, 1.0))
                    .max(compare::field_score(&self.tokens, &full).clamp(0.0, 1.0));
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

/// The skeletons stored with a person, from the names as written and in Latin (deduplicated),
/// space-separated: the source of its blocking keys ([`person_name_keys`]).
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

/// The blocking keys of a person (its rows of `person_name_keys`), from its [`name_key`] and
/// [`stored_skeleton`], sorted and distinct:
/// * every consonant bigram of each token of the skeleton (`mhmd hd` → `hd`, `hm`, `md`, `mh`),
///   so that having a two-letter key is what `LIKE '%xx%'` on the skeleton meant;
/// * a token of one consonant as itself (`l` for `Li`);
/// * `=` and the name key (`=haddad mohamed`, cut at 160 bytes), so that the same name ranks
///   first among persons sharing as many bigrams.
///
/// A search derives its own keys with the same function ([`DuplicateQuery::candidate_keys`]).
pub fn person_name_keys(name_key: &str, skeleton: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for token in skeleton.split_whitespace() {
        let letters: Vec<char> = token.chars().collect();
        if letters.len() == 1 {
            keys.push(token.to_string());
        }
        keys.extend(letters.windows(2).map(|w| w.iter().collect::<String>()));
    }
    let name_key = name_key.trim();
    if !name_key.is_empty() {
        let mut exact = String::from("=");
        for c in name_key.chars() {
            if exact.len() + c.len_utf8() > EXACT_KEY_MAX {
                break;
            }
            exact.push(c);
        }
        keys.push(exact);
    }
    keys.sort();
    keys.dedup();
    keys
}

/// What a duplicate search looks for among the persons' [`person_name_keys`] (see
/// [`DuplicateQuery::candidate_keys`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateKeys {
    /// A person is a candidate when it has at least one of these.
    pub select: Vec<String>,
    /// Candidates rank by how many of these they have, most first; contains `select`.
    pub rank: Vec<String>,
}

/// The candidates of a search, as the store selects them: the persons with at least one of
/// `keys.select`, by the number of `keys.rank` they have (most first), then by id, at most
/// `cap`. The store runs the same rule in SQL on `person_name_keys`; this is its statement in
/// Rust, for tests and for the measures of recall.
pub fn rank_candidates<'a, Id: Ord + Copy>(
    keys: &CandidateKeys,
    persons: impl IntoIterator<Item = (Id, &'a [String])>,
    cap: usize,
) -> Vec<Id> {
    let mut ranked: Vec<(usize, Id)> = persons
        .into_iter()
        .filter(|(_, stored)| keys.select.iter().any(|k| stored.contains(k)))
        .map(|(id, stored)| (keys.rank.iter().filter(|k| stored.contains(k)).count(), id))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(cap).map(|(_, id)| id).collect()
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
