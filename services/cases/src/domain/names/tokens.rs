//! From a name as typed to its canonical tokens: words, scripts, particles, folding.

use super::fold::{collapse_doubles, fold_latin, plain};
use super::{Token, arabic, bengali, clean, ethiopic, other};

/// Maximum number of tokens considered per name. Longer inputs are truncated; it bounds the
/// brute-force alignment (6! permutations at most).
const MAX_TOKENS: usize = 6;

/// Apostrophe-like characters are deleted rather than treated as separators: they mark elision
/// or the Arabic ʿayn/hamza (`N'Diaye`, `Ma'moun`, `Saʿid`), and documents write the same name
/// with or without them.
pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}'
            | '\u{2018}'
            | '\u{02BC}'
            | '\u{02BB}'
            | '\u{02BF}'
            | '\u{02BE}'
            | '`'
            | '\u{00B4}'
    )
}

/// Combining marks (any script): kept inside a word, never separators.
fn is_mark(c: char) -> bool {
    use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
    c.general_category_group() == GeneralCategoryGroup::Mark || c == '\u{0640}'
}

/// Arabic-script (and Hebrew) code points: scripts in which short vowels are not written.
pub(super) fn is_abjad_char(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x05FF | 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF
        | 0xFB1D..=0xFB4F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Splits the input into words: apostrophes are removed (see [`is_apostrophe`]); every other
/// non-letter (space, hyphen, dot, comma, slash, the Persian non-joiner) separates words, so
/// `Abd al-Rahman` = `Abd al Rahman` and `Jean-Pierre` = `Jean Pierre`.
pub(super) fn split_words(input: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in input.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if c.is_alphanumeric() || is_mark(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The writing system of a word, from its first letter.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Script {
    Abjad,
    Ethiopic,
    Bengali,
    Cyrillic,
    Hangul,
    /// Latin, and everything `deunicode` romanises (Greek, Chinese, …).
    Other,
}

pub(super) fn script(word: &str) -> Script {
    match word.chars().find(|c| c.is_alphabetic()) {
        Some(c) if is_abjad_char(c) => Script::Abjad,
        Some(c) if ethiopic::is_ethiopic(c) => Script::Ethiopic,
        Some(c) if bengali::is_bengali(c) => Script::Bengali,
        Some(c) if other::is_cyrillic(c) => Script::Cyrillic,
        Some(c) if other::is_hangul(c) => Script::Hangul,
        _ => Script::Other,
    }
}

/// Full pipeline from raw input to canonical tokens.
///
/// Particle rules, and why:
/// * **Arabic article** (`al`, `el`, `ul`, `il`, `ol`, `ال`, and the sun-letter assimilated
///   forms `ar-R…`, `ad-D…`, `as-S…`, `en-N…`, …) standing as its own word before another word
///   is dropped: `El Amine`, `Al-Masri`, `Ar-Rashid` are routinely written without it.
/// * **Abd** (`abd`, `abdel`, `abdul`, `abdoul`, `abdal`, `عبد`, …) followed by a word is glued
///   to it as `abd…`, skipping an article in between, and a single word starting with such a
///   prefix is normalised the same way (`Abdelkader`, `Abdul Kader`, `Abd al-Qadir`;
///   `Abderrahmane` with the assimilated article). `Abd` ("servant of") never stands alone.
/// * **Ben/Bin/Ibn/بن**, **Bint/Bent/بنت**, **Abu/Abou/ابو**, **Ould/ولد**, Berber **Ait**:
///   patronymic particles,
///   glued to the next word in one normalised spelling (`Ben Ali` = `Bin Ali` = `Benali`). The
///   token remembers the particle, so that it can also be compared without it (`Abdulaziz bin
///   Khalid` = `Abdulaziz Khalid`).
/// * **`-eddine`/`-uddin`/`-addin`** (`Nour ed-Dine`, `Noureddine`, `Nooruddin`): the compound
///   is split into stem + `din`, because it is written both joined and separated.
pub(super) fn canonical_tokens(input: &str) -> Vec<Token> {
    let input = clean::clean(input);
    let ukrainian = other::has_ukrainian_letters(&input);
    let flavour = arabic::flavour(&input);
    // (raw form, abjad): lower-case ASCII for every script but Arabic, whose raw form is
    // already its matching form.
    let mut raw: Vec<(String, bool)> = Vec::new();
    for word in split_words(&input) {
        let latin = match script(&word) {
            Script::Abjad => {
                let t = arabic::matching(&word, flavour);
                if t.chars().any(|c| c.is_ascii_alphabetic()) {
                    raw.push((t, true));
                }
                continue;
            }
            Script::Ethiopic => ethiopic::romanise(&word, '*'),
            Script::Bengali => bengali::romanise(&word),
            Script::Cyrillic => other::cyrillic(&word, ukrainian),
            Script::Hangul => other::hangul(&word),
            Script::Other => {
                let mut out = deunicode::deunicode(&word).to_lowercase();
                out.retain(|c| !matches!(c, '\'' | '`' | '"'));
                out
            }
        };
        // Chinese characters romanise to one syllable each.
        for part in latin.split(|c: char| !c.is_ascii_alphabetic() && c != '*') {
            if !part.is_empty() {
                raw.push((part.to_string(), false));
            }
        }
    }

    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let (w, abjad) = (&raw[i].0, raw[i].1);
        let next = raw.get(i + 1);
        if let Some((n, _)) = next
            && is_article(w, abjad, n)
        {
            i += 1;
            continue;
        }
        if is_abd(w, abjad)
            && let Some((n, nab)) = next
        {
            let mut j = i + 1;
            let (mut target, mut tab) = (n, *nab);
            if let Some((n2, nab2)) = raw.get(i + 2)
                && is_article(n, *nab, n2)
            {
                j = i + 2;
                (target, tab) = (n2, *nab2);
            }
            let abd = if tab { "*bd" } else { "abd" };
            // `Abd Allah` as `Abdallah`/`Abdullah` write it: the article of Allah goes.
            let target = match target.as_str() {
                "allah" | "alah" | "ullah" | "ulah" | "ellah" | "elah" | "ollah" | "illah" => "lah",
                t => t,
            };
            push_glued(&mut out, abd, target, tab, 0);
            i = j + 1;
            continue;
        }
        if let Some((latin, script)) = patronymic(w, abjad)
            && let Some((n, nab)) = next
        {
            // An article between the particle and the name goes (`Ould El Hadj`).
            let (mut j, mut target, mut tab) = (i + 1, n, *nab);
            if let Some((n2, nab2)) = raw.get(i + 2)
                && is_article(n, *nab, n2)
            {
                (j, target, tab) = (i + 2, n2, *nab2);
            }
            let p = if tab { script } else { latin };
            push_glued(&mut out, p, target, tab, p.len());
            i = j + 1;
            continue;
        }
        push_token(&mut out, w.clone(), abjad, 0);
        i += 1;
    }
    out.truncate(MAX_TOKENS);
    if flavour == arabic::Flavour::Persian {
        for t in out.iter_mut().filter(|t| t.abjad) {
            t.persian = true;
        }
    }
    out
}

/// Appends a particle (already in its canonical form) glued to the word after it, folded on
/// its own so that no digraph forms across the join (`Ould` + `Hadj` is not `…dh…`).
fn push_glued(out: &mut Vec<Token>, particle: &str, target: &str, abjad: bool, len: usize) {
    let start = out.len();
    push_token(out, target.to_string(), abjad, 0);
    if let Some(first) = out.get_mut(start) {
        let text = collapse_doubles(&format!("{particle}{}", first.text));
        let alternative = first
            .alternative
            .as_ref()
            .map(|a| collapse_doubles(&format!("{particle}{a}")));
        *first = Token::new(text, abjad, len);
        first.alternative = alternative;
    }
}

/// Folds a raw token and appends it (or its stem + `din`) to `out`.
fn push_token(out: &mut Vec<Token>, raw: String, abjad: bool, particle: usize) {
    if abjad {
        out.push(Token::new(collapse_doubles(&raw), true, particle));
        return;
    }
    let raw = normalise_abd_prefix(&raw);
    for suffix in [
        "eddine", "eddin", "uddine", "uddin", "uddeen", "addine", "addin", "iddin", "oddin",
    ] {
        if let Some(stem) = raw.strip_suffix(suffix) {
            if stem.is_empty() {
                push_folded(out, "din", 0);
                return;
            }
            if stem.len() >= 2 {
                push_folded(out, stem, particle);
                push_folded(out, "din", 0);
                return;
            }
        }
    }
    push_folded(out, &raw, particle);
}

fn push_folded(out: &mut Vec<Token>, raw: &str, particle: usize) {
    let folded = fold_latin(raw);
    let text = match equivalent_form(&plain(&folded)) {
        Some(e) => e.to_string(),
        None => folded,
    };
    if !text.is_empty() {
        // The canonical particles (`ben`, `abu`, `uld`, `ait`) fold to themselves.
        let mut token = Token::new(text, false, particle);
        // `ch` is `sh` in French and English spellings but `k` in Italian, German and
        // Greek-derived ones (`Michael`, `Chiara`, `Zemichael` = `ዘሚካኤል`): both are tried.
        if raw.contains("ch") && !raw.contains("sch") && !raw.contains("tch") {
            token.alternative = Some(fold_latin(&raw.replace("ch", "k")));
        }
        out.push(token);
    }
}

/// Standalone Arabic article, given the word that follows it. Plain forms are always
/// articles; assimilated forms (`ar`, `ed`, `es`, `en`, …) only when the next word starts with
/// the assimilated consonant, so that e.g. the Vietnamese given name `An` is not dropped.
fn is_article(w: &str, abjad: bool, next: &str) -> bool {
    if abjad {
        return w == "*l";
    }
    if matches!(w, "al" | "el" | "ul" | "il" | "ol") {
        return true;
    }
    let b = w.as_bytes();
    if b.len() == 2 && matches!(b[0], b'a' | b'e' | b'u') && b"tdrszn".contains(&b[1]) {
        return next.as_bytes().first() == Some(&b[1]);
    }
    false
}

/// Name forms that no spelling rule can reach, mapped to a reference form. Keys and values are
/// *plain folded* forms, so every spelling that folds the same way is covered.
///
/// Kept deliberately tiny:
/// * `md`, `mohd`, `muhd`, `mhd`: standard abbreviations of Muhammad on South Asian and
///   Malaysian documents (`Md Rafiqul Islam`).
/// * `ibrahima`, `idrissa`: West African (Fula/Mande) forms of Ibrahim and Idris with an
///   epenthetic final vowel. A general "ignore a final -a" rule is not possible because in
///   Arabic and Slavic names final `-a` marks the feminine (`Karim`/`Karima`).
fn equivalent_form(w: &str) -> Option<&'static str> {
    match w {
        "md" | "mohd" | "muhd" | "mhd" => Some("muhamad"),
        "ibrahima" => Some("ibrahim"),
        "idrisa" => Some("idris"),
        _ => None,
    }
}

/// Standalone `Abd` particle in its usual spellings.
fn is_abd(w: &str, abjad: bool) -> bool {
    if abjad {
        return w == "*bd";
    }
    matches!(
        w,
        "abd" | "abdel" | "abdal" | "abdul" | "abdoul" | "abdol" | "abdil" | "abdu" | "abdou"
    )
}

/// Patronymic particles: their canonical Latin spelling and Arabic-script matching form.
fn patronymic(w: &str, abjad: bool) -> Option<(&'static str, &'static str)> {
    let ben = ("ben", "bn");
    let abu = ("abu", "*bU");
    let uld = ("uld", "Uld");
    let bint = ("bnt", "bnt");
    if abjad {
        return match w {
            "bn" | "*bn" => Some(ben),
            "bnt" => Some(bint),
            "*bU" => Some(abu),
            "Uld" => Some(uld),
            _ => None,
        };
    }
    match w {
        "ben" | "bin" | "ibn" | "bn" | "abn" | "ebn" => Some(ben),
        "abu" | "abou" | "abo" => Some(abu),
        "ould" | "uld" | "wuld" => Some(uld),
        "bint" | "bent" | "bnt" => Some(bint),
        "ait" => Some(("ait", "*It")),
        _ => None,
    }
}

/// Normalises a single word starting with an `Abd` prefix to `abd` + name:
/// `abdelkader`/`abdulkader`/`abdoulkader` → `abdkader`; with the assimilated article,
/// `abderrahmane`/`abdourrahmane` → `abdrahmane`, `abdessalam` → `abdsalam`.
fn normalise_abd_prefix(w: &str) -> String {
    let Some(rest) = w.strip_prefix("abd") else {
        return w.to_string();
    };
    for p in ["oul", "ul", "el", "al", "ol", "il"] {
        if let Some(r) = rest.strip_prefix(p)
            && r.len() >= 2
        {
            return format!("abd{r}");
        }
    }
    // Vowel(s) followed by a doubled consonant: assimilated article.
    let b = rest.as_bytes();
    let is_vowel = |c: &u8| b"aeiouy".contains(c);
    let nv = b.iter().take_while(|c| is_vowel(c)).count();
    if (1..=2).contains(&nv) && b.len() >= nv + 4 && b[nv] == b[nv + 1] && !is_vowel(&b[nv]) {
        return format!("abd{}", &rest[nv + 1..]);
    }
    w.to_string()
}
