//! Person-name matching for duplicate detection.
//!
//! Help-desk operators register third-country nationals whose names reach us
//! through many hands: a passport in Latin script transliterated by a French,
//! English or Italian clerk, a handwritten form in Arabic, a Ukrainian ID card
//! in Cyrillic, a permit that swaps given and family name. Before a new person
//! record is created the operator must be shown existing records that may be
//! the same person. This module provides:
//!
//! * [`name_key`]: a canonical, order-insensitive Latin key (useful for
//!   blocking/indexing and for exact "same key" hits);
//! * [`similarity`]: a score in `[0, 1]` between two full names, aware of
//!   tokens, scripts and transliteration noise;
//! * [`DUPLICATE_THRESHOLD`]: the score from which a pair is shown to the
//!   operator as a duplicate candidate.
//!
//! Everything here is pure: no I/O, no global state, no panics on any input.
//!
//! # Pipeline
//!
//! 1. **Split** the input into words. Apostrophe-like characters are removed
//!    (so `N'Diaye` = `Ndiaye`, `Ma'moun` = `Mamoun`); every other
//!    non-letter (hyphen, dot, comma, slash) separates words, so
//!    `Abd al-Rahman` = `Abd al Rahman` and `Jean-Pierre` = `Jean Pierre`.
//! 2. **Transliterate** each word to lowercase ASCII:
//!    * Arabic-script words go through a small hand-written table (see
//!      [`arabic_to_latin`]) because generic transliteration drops alef and
//!      uses case to mark emphatic consonants, which is useless for matching.
//!      Such words are flagged *abjad*: short vowels are not written, so they
//!      are later compared on consonants only.
//!    * Cyrillic gets a few pre-mappings (Ukrainian `г` = `h`, Serbian `ћ`),
//!      then everything else goes through the `deunicode` crate, which also
//!      strips Latin diacritics (`Ştefan` → `Stefan`, `Nguyễn` → `Nguyen`),
//!      handles Greek, and romanises Chinese characters to pinyin syllables.
//! 3. **Particles** (see [`canonical_tokens`]): Arabic articles are dropped,
//!    `Abd`/`Ben`/`Abu`/`Ould` are glued to the following name, and the
//!    `-eddine`/`-uddin` compound is split off as its own `din` token.
//! 4. **Phonetic folding** of each token (see [`fold_latin`]): spelling
//!    variants that come from different transliteration conventions are
//!    mapped to one form (`ou`→`u`, `ch`→`sh`, `kh`→`h`, `q`→`k`, doubled
//!    letters, silent final `e`/`h`, ...).
//! 5. **Compare** (see [`similarity`]): tokens are aligned one-to-one in the
//!    best possible way (order does not matter), each pair is scored with a
//!    vowel-tolerant edit distance, and the name score mixes the mean and the
//!    worst aligned token so that one clearly different family name is enough
//!    to reject a pair.

use std::cmp::Ordering;

/// Score from which [`similarity`] reports a pair as a duplicate candidate.
///
/// Chosen on `tests/data/name_pairs.csv`: genuine variants of one person's
/// name score from about 0.88 upwards (vowel-only differences such as
/// `Mohamed`/`Muhammad` ≈ 0.92), while hard negatives sharing all but one
/// token (`Hassan`/`Hussein`, `Karim`/`Karima`, `Mohamed`/`Mahmoud`) score at
/// most about 0.84. The threshold sits in that gap, slightly closer to the
/// negatives because a missed duplicate costs more than one extra candidate
/// shown to the operator.
pub const DUPLICATE_THRESHOLD: f64 = 0.86;

/// Maximum number of tokens considered per name. Longer inputs are truncated;
/// it bounds the brute-force alignment (6! permutations at most).
const MAX_TOKENS: usize = 6;

/// One canonical name token.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// Folded lowercase ASCII form.
    text: String,
    /// True when the token came from an abjad script (Arabic, Hebrew) in
    /// which short vowels are normally not written. Such tokens can only be
    /// compared reliably on their consonants.
    abjad: bool,
}

/// Canonical, order-insensitive key of a full name.
///
/// The key is the list of canonical tokens (see the module documentation for
/// the pipeline) sorted alphabetically and joined by single spaces. Sorting is
/// there because documents and operators disagree on given-name/family-name
/// order (`Diallo Mamadou` vs `Mamadou Diallo`), and the product treats both
/// orders as the same name.
///
/// Keys of Latin-script inputs that differ only by transliteration convention
/// are usually identical (`Mohammed Abdel-Rahman` and `Muhammad Abd al Rahman`
/// differ only in vowels, which [`similarity`] tolerates). Keys of Arabic-script
/// input contain only the letters actually written (mostly consonants), so
/// cross-script pairs should be compared with [`similarity`], not by key
/// equality.
pub fn name_key(input: &str) -> String {
    let mut texts: Vec<String> = canonical_tokens(input)
        .into_iter()
        .map(|t| t.text)
        .collect();
    texts.sort();
    texts.join(" ")
}

/// Similarity of two full names in `[0, 1]`; `1.0` means same canonical
/// tokens.
///
/// * Tokens are aligned one-to-one, choosing the alignment that maximises the
///   score, so given/family-name order does not matter.
/// * The shorter name may have fewer tokens (a missing middle name or second
///   family name); each unmatched token costs a small penalty. A single-token
///   name against a multi-token one is penalised more, because matching one
///   common given name says little.
/// * Two adjacent tokens of the name with more tokens may be glued
///   (`Xiao Ming` vs `Xiaoming`, `De Souza` vs `Desouza`), since spacing
///   varies between documents.
/// * The name score mixes the mean and the minimum aligned token score
///   (see [`MEAN_WEIGHT`]): the mean rewards overall agreement, the minimum
///   makes sure a genuinely different family name (`Mohamed Ali` vs
///   `Mohamed Salah`) pulls the pair below the threshold.
pub fn similarity(a: &str, b: &str) -> f64 {
    let ta = canonical_tokens(a);
    let tb = canonical_tokens(b);
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    // Glue adjacent tokens only on the side that has more tokens: that side
    // may have split a name the other side writes as one word. Gluing both
    // sides (or the shorter one) would let whole names be compared as one
    // string, hiding a differing token.
    let (short, long) = if ta.len() <= tb.len() {
        (&ta, &tb)
    } else {
        (&tb, &ta)
    };
    let mut best = name_score(short, long);
    if long.len() > short.len() {
        for v in glue_variants(long) {
            best = best.max(name_score(short, &v));
        }
    }
    best.clamp(0.0, 1.0)
}

// ---------------------------------------------------------------------------
// Tokenisation and transliteration
// ---------------------------------------------------------------------------

/// Apostrophe-like characters are deleted rather than treated as separators:
/// they mark elision or the Arabic ʿayn/hamza (`N'Diaye`, `Ma'moun`, `Saʿid`),
/// and documents write the same name with or without them.
fn is_apostrophe(c: char) -> bool {
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

/// Combining marks and Arabic vowel signs/tatweel: kept inside a word (they
/// are dropped later), never treated as separators.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x0640
        | 0x06D6..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE20..=0xFE2F)
}

/// Arabic-script (and Hebrew) code points: scripts in which short vowels are
/// not written, which changes how tokens must be compared.
fn is_abjad_char(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x05FF | 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF
        | 0xFB1D..=0xFB4F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Splits the raw input into words (see module docs, step 1).
fn split_words(input: &str) -> Vec<String> {
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

/// Transliterates one Arabic-script word to the folded Latin alphabet used by
/// [`fold_latin`] (so no digraph rules need to run on it afterwards).
///
/// Why a custom table instead of `deunicode`: the generic table drops alef,
/// writes emphatic consonants in upper case (`S`, `T`, `H`) and ta marbuta as
/// `@`. Here we want the letters a Latin clerk would write:
/// * the joined article `ال` is removed (Latin records drop or detach it);
/// * `ا`/`آ`/`أ`/`ى`/`ة` → `a`, `إ`/`ئ`/`ي` → `i`, `و`/`ؤ` → `u` (long vowels
///   and matres lectionis; they are vowels for comparison purposes);
/// * `ع` → `a` at the start of a word (`Omar`, `Ali`, `Abd` start with a vowel
///   in Latin), otherwise dropped like hamza;
/// * emphatic and plain consonants merge (`ص`/`س` → `s`, `ط`/`ت` → `t`, ...),
///   and `خ` → `h`, `ق` → `k`, `ث` → `t`, `ذ` → `d` follow the Latin folding of
///   `kh`, `q`, `th`, `dh`;
/// * harakat (optional vowel signs), shadda and tatweel are ignored.
fn arabic_to_latin(word: &str) -> String {
    // `الله` would lose its first lam with the article rule; it is only ever
    // the second half of `عبد الله` (Abdullah) in names.
    if word == "الله" {
        return "lah".to_string();
    }
    let chars: Vec<char> = word.chars().filter(|c| !is_mark(*c)).collect();
    let body: &[char] = if chars.len() > 3 && chars[0] == 'ا' && chars[1] == 'ل' {
        &chars[2..]
    } else {
        &chars
    };
    let mut out = String::new();
    for (i, &c) in body.iter().enumerate() {
        let s = match c {
            'ا' | 'آ' | 'أ' | 'ٱ' | 'ى' | 'ة' => "a",
            'إ' | 'ئ' | 'ي' | 'ی' => "i",
            'و' | 'ؤ' => "u",
            'ع' if i == 0 => "a",
            'ع' | 'ء' => "",
            'ب' => "b",
            'ت' | 'ط' | 'ث' => "t",
            'ج' => "j",
            'ح' | 'خ' | 'ه' => "h",
            'د' | 'ض' | 'ذ' => "d",
            'ر' => "r",
            'ز' | 'ظ' | 'ژ' => "z",
            'س' | 'ص' => "s",
            'ش' => "sh",
            'غ' | 'گ' => "g",
            'ف' => "f",
            'ق' | 'ك' | 'ک' => "k",
            'ل' => "l",
            'م' => "m",
            'ن' => "n",
            'پ' => "p",
            'چ' => "sh",
            other => {
                // Hebrew or rare Arabic-script letters: best effort.
                out.push_str(
                    &deunicode::deunicode_char(other)
                        .unwrap_or("")
                        .to_lowercase(),
                );
                continue;
            }
        };
        out.push_str(s);
    }
    out.retain(|c| c.is_ascii_lowercase());
    collapse_doubles(&strip_final_h(&out))
}

/// Ukrainian-only letters. Their presence anywhere in the name tells us the
/// Cyrillic is Ukrainian, where `г` is pronounced and officially romanised
/// `h` (`Сергій` = `Serhii`), while the generic table gives Russian `g`.
fn has_ukrainian_letters(input: &str) -> bool {
    input.chars().any(|c| "іїєґІЇЄҐ".contains(c))
}

/// Transliterates a non-Arabic word to lowercase ASCII (possibly several
/// space-separated parts, e.g. one per Chinese character).
fn other_to_latin(word: &str, ukrainian: bool) -> String {
    let mut pre = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'г' | 'Г' if ukrainian => pre.push('h'),
            // Serbian: Latin records write ć/đ, which deunicode folds to c/d,
            // while it renders Cyrillic ћ as "tsh".
            'ћ' | 'Ћ' => pre.push('c'),
            'ђ' | 'Ђ' => pre.push('d'),
            _ => pre.push(c),
        }
    }
    let mut out = deunicode::deunicode(&pre).to_lowercase();
    // deunicode renders the Cyrillic soft/hard signs as apostrophes
    // (`Татьяна` → `Tat'iana`); they must not split the word.
    out.retain(|c| !matches!(c, '\'' | '`' | '"'));
    out
}

/// Full pipeline from raw input to canonical tokens.
///
/// Particle rules, and why:
/// * **Arabic article** (`al`, `el`, `ul`, `il`, `ol`, and the sun-letter
///   assimilated forms `ar-R…`, `ad-D…`, `as-S…`, `en-N…`, …) standing as its
///   own word before another word is dropped: `El Amine`, `Al-Masri`,
///   `Ar-Rashid` are routinely written without it.
/// * **Abd** (`abd`, `abdel`, `abdul`, `abdoul`, `abdal`, …) followed by a word
///   is glued to it as `abd…`, skipping an article in between, and a single
///   word starting with such a prefix is normalised the same way
///   (`Abdelkader`, `Abdul Kader`, `Abd al-Qadir`; `Abderrahmane` with the
///   assimilated article). `Abd` ("servant of") never stands alone.
/// * **Ben/Bin/Ibn**, **Abu/Abou**, **Ould**: patronymic particles, glued to
///   the next word in one normalised spelling (`Ben Ali` = `Bin Ali` =
///   `Benali` once glued).
/// * **`-eddine`/`-uddin`/`-addin`** (`Nour ed-Dine`, `Noureddine`,
///   `Nooruddin`): the compound is split into stem + `din`, because it is
///   written both joined and separated.
fn canonical_tokens(input: &str) -> Vec<Token> {
    let ukrainian = has_ukrainian_letters(input);
    // (raw lowercase ascii, abjad)
    let mut raw: Vec<(String, bool)> = Vec::new();
    for word in split_words(input) {
        if word.chars().any(is_abjad_char) {
            let t = arabic_to_latin(&word);
            if !t.is_empty() {
                raw.push((t, true));
            }
        } else {
            for part in other_to_latin(&word, ukrainian).split(|c: char| !c.is_ascii_alphabetic()) {
                if !part.is_empty() {
                    raw.push((part.to_string(), false));
                }
            }
        }
    }

    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let (w, abjad) = (&raw[i].0, raw[i].1);
        let next = raw.get(i + 1);
        // Standalone article before another word: drop it.
        if let Some((n, _)) = next
            && is_article(w, n)
        {
            i += 1;
            continue;
        }
        // Abd + (article) + name.
        if is_abd(w)
            && let Some((n, nab)) = next
        {
            let mut j = i + 1;
            let mut target = n;
            let mut tab = *nab;
            if let Some((n2, nab2)) = raw.get(i + 2)
                && is_article(n, n2)
            {
                j = i + 2;
                target = n2;
                tab = *nab2;
            }
            push_token(&mut out, format!("abd{target}"), abjad || tab);
            i = j + 1;
            continue;
        }
        // Patronymic particles glued to the next word.
        if let Some(p) = patronymic(w)
            && let Some((n, nab)) = next
        {
            push_token(&mut out, format!("{p}{n}"), abjad || *nab);
            i += 2;
            continue;
        }
        push_token(&mut out, w.clone(), abjad);
        i += 1;
    }
    out.truncate(MAX_TOKENS);
    out
}

/// Folds a raw token and appends it (or its stem + `din`) to `out`.
fn push_token(out: &mut Vec<Token>, raw: String, abjad: bool) {
    if abjad {
        // Already folded by `arabic_to_latin`; only re-collapse after gluing.
        out.push(Token {
            text: collapse_doubles(&strip_final_h(&raw)),
            abjad,
        });
        return;
    }
    let raw = normalise_abd_prefix(&raw);
    for suffix in [
        "eddine", "eddin", "uddine", "uddin", "uddeen", "addine", "addin", "iddin", "oddin",
    ] {
        if let Some(stem) = raw.strip_suffix(suffix) {
            if stem.is_empty() {
                push_folded(out, "din", abjad);
                return;
            }
            if stem.len() >= 2 {
                push_folded(out, stem, abjad);
                push_folded(out, "din", abjad);
                return;
            }
        }
    }
    push_folded(out, &raw, abjad);
}

fn push_folded(out: &mut Vec<Token>, raw: &str, abjad: bool) {
    let folded = fold_latin(raw);
    let text = match equivalent_form(&folded) {
        Some(e) => e.to_string(),
        None => folded,
    };
    if !text.is_empty() {
        out.push(Token { text, abjad });
    }
}

const VOWELS: &[u8] = b"aeiouy";

fn is_vowel_byte(b: u8) -> bool {
    VOWELS.contains(&b)
}

/// Standalone Arabic article, given the word that follows it. Plain forms
/// are always articles; assimilated forms (`ar`, `ed`, `es`, `en`, …) only
/// when the next word starts with the assimilated consonant, so that e.g. the
/// Vietnamese given name `An` is not dropped.
fn is_article(w: &str, next: &str) -> bool {
    if matches!(w, "al" | "el" | "ul" | "il" | "ol") {
        return true;
    }
    let b = w.as_bytes();
    if b.len() == 2 && matches!(b[0], b'a' | b'e' | b'u') && b"tdrszn".contains(&b[1]) {
        return next.as_bytes().first() == Some(&b[1]);
    }
    false
}

/// Name forms that no spelling rule can reach, mapped to a reference form.
/// Keys and values are *folded* forms (output of [`fold_latin`]), so every
/// spelling that folds the same way is covered (`Idrissa`, `Idrisa`).
///
/// Kept deliberately tiny:
/// * `md`, `mohd`, `muhd`, `mhd`: standard abbreviations of Muhammad on
///   South Asian and Malaysian documents (`Md Rafiqul Islam`).
/// * `ibrahima`, `idrissa`: West African (Fula/Mande) forms of Ibrahim and
///   Idris with an epenthetic final vowel. A general "ignore a final -a" rule
///   is not possible because in Arabic and Slavic names final `-a` marks the
///   feminine (`Karim`/`Karima`, `Aleksandr`/`Aleksandra`).
fn equivalent_form(w: &str) -> Option<&'static str> {
    match w {
        "md" | "mohd" | "muhd" | "mhd" => Some("muhamad"),
        "ibrahima" => Some("ibrahim"),
        "idrisa" => Some("idris"),
        _ => None,
    }
}

/// Standalone `Abd` particle in its usual spellings.
fn is_abd(w: &str) -> bool {
    matches!(
        w,
        "abd" | "abdel" | "abdal" | "abdul" | "abdoul" | "abdol" | "abdil" | "abdu"
    )
}

/// Patronymic particles and their canonical spelling.
fn patronymic(w: &str) -> Option<&'static str> {
    match w {
        "ben" | "bin" | "ibn" | "bn" | "abn" | "ebn" => Some("ben"),
        "abu" | "abou" | "abo" => Some("abu"),
        "ould" | "uld" | "wuld" => Some("uld"),
        _ => None,
    }
}

/// Normalises a single word starting with an `Abd` prefix to `abd` + name:
/// `abdelkader`/`abdulkader`/`abdoulkader` → `abdkader`; with the assimilated
/// article, `abderrahmane`/`abdourrahmane` → `abdrahmane`,
/// `abdessalam` → `abdsalam`.
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
    let nv = b.iter().take_while(|c| is_vowel_byte(**c)).count();
    if (1..=2).contains(&nv) && b.len() >= nv + 4 && b[nv] == b[nv + 1] && !is_vowel_byte(b[nv]) {
        return format!("abd{}", &rest[nv + 1..]);
    }
    w.to_string()
}

/// Removes a word-final `h` after `a` (`Fatimah` = `Fatima`,
/// `Abdullah` ≈ `Abdulla`, `Bah` = `Ba`): it transcribes ta marbuta or a
/// weak final aspiration that many spellings omit. Only after `a`: a final
/// `-eh`/`-ih` is usually a real consonant (Ukrainian `Oleh` = Олег).
fn strip_final_h(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() > 2 && b[b.len() - 1] == b'h' && b[b.len() - 2] == b'a' {
        s[..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

/// Collapses runs of the same letter (`Mohammed` = `Mohamed`,
/// `Hussein` = `Husein`): gemination is written inconsistently and is never
/// what distinguishes two names in practice.
fn collapse_doubles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    for c in s.chars() {
        if prev != Some(c) {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// Phonetic folding of one lowercase ASCII Latin token. Rules, in order:
///
/// 1. Digraphs from competing transliteration conventions:
///    `dzh`/`dj` → `j` (Russian/French for English `j`: `Djibril`, `Dzhamal`),
///    `tch`/`sch`/`ch` → `sh` (French `Aicha`, `Rachid`, `Chérif` write Arabic
///    ش as `ch`; Russian ч becomes `sh` on both sides consistently),
///    `kh` → `h` (Russian х and Arabic خ appear as `kh` or `h`: `Mikhail`/
///    `Mihail`, `Akhmed`/`Ahmed`), `gh` → `g`, `ph` → `f`, `th` → `t`,
///    `dh` → `d` (English renderings of Arabic interdentals), `ck`/`q` → `k`
///    (`Iqbal`/`Ikbal`, `Qasim`/`Kasim`), `que`/`qui` → `k`/`ki`
///    (French `Shafique`/`Shafiq`), `c` → `s` before `e`/`i`/`y` and `k`
///    elsewhere (`Yacine`/`Yassine`, `Celik`/`Kelik`), `x` → `ks`
///    (`Alexander`/`Aleksandr`).
/// 2. Final `-ah` → `-a` (see [`strip_final_h`]).
/// 3. Final silent `e` dropped for words longer than 3 letters: French
///    transliteration adds it (`Amine`/`Amin`, `Ousmane`/`Usman`,
///    `Abderrahmane`/`Abdelrahman`).
/// 4. Vowel spellings (after `w` → `u` and `y` → `i`, so that `Dawood`
///    and `Sow` fold too): `oo`/`ou` → `u` (`Youssef`/`Yusuf`, `Oumar`/`Umar`,
///    `Mamadou`/`Mamadu`), `ee` → `i` (English long vowel: `Saeed`/`Said`,
///    `Rasheed`/`Rashid`, `Sandeep`/`Sandip`), `w` → `u` (`Oualid`/`Walid`,
///    `Daoud`/`Dawud`), `y` → `i` (`Yulia`/`Iuliia` from Cyrillic, `Andriy`/
///    `Andrii`, `Aysha`/`Aisha`).
/// 5. Word-initial `ie` → `e` (`Yevgeny`/`Evgenii`, `Yelena`/`Elena`): the
///    iotation of Cyrillic `Е` is written by some conventions only.
/// 6. Doubled letters collapsed (see [`collapse_doubles`]).
fn fold_latin(raw: &str) -> String {
    let mut s: String = raw.chars().filter(|c| c.is_ascii_lowercase()).collect();
    for (from, to) in [
        ("dzh", "j"),
        ("dj", "j"),
        ("tch", "sh"),
        ("sch", "sh"),
        ("ch", "sh"),
        ("kh", "h"),
        ("gh", "g"),
        ("ph", "f"),
        ("th", "t"),
        ("dh", "d"),
        ("ck", "k"),
        ("que", "k"),
        ("qui", "ki"),
        ("q", "k"),
        ("x", "ks"),
    ] {
        s = s.replace(from, to);
    }
    // c → s before front vowels, k elsewhere ("ch" is already gone).
    let bytes = s.as_bytes();
    let mut t = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'c' {
            let front = matches!(bytes.get(i + 1), Some(b'e' | b'i' | b'y'));
            t.push(if front { 's' } else { 'k' });
        } else {
            t.push(b as char);
        }
    }
    let mut s = strip_final_h(&t);
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    for (from, to) in [
        ("w", "u"),
        ("y", "i"),
        ("oo", "u"),
        ("ou", "u"),
        ("ee", "i"),
    ] {
        s = s.replace(from, to);
    }
    if s.len() > 3
        && let Some(rest) = s.strip_prefix("ie")
    {
        s = format!("e{rest}");
    }
    collapse_doubles(&s)
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

/// All versions of a token list with exactly one pair of adjacent tokens
/// glued together.
fn glue_variants(tokens: &[Token]) -> Vec<Vec<Token>> {
    let mut out = Vec::new();
    for i in 0..tokens.len().saturating_sub(1) {
        let mut v = tokens.to_vec();
        let second = v.remove(i + 1);
        v[i] = Token {
            text: collapse_doubles(&format!("{}{}", v[i].text, second.text)),
            abjad: v[i].abjad || second.abjad,
        };
        out.push(v);
    }
    out
}

/// Score of two token lists under the best one-to-one alignment.
fn name_score(a: &[Token], b: &[Token]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0.0;
    }
    let sims: Vec<Vec<f64>> = short
        .iter()
        .map(|s| long.iter().map(|l| token_similarity(s, l)).collect())
        .collect();
    let mut used = vec![false; long.len()];
    let mut chosen = Vec::with_capacity(short.len());
    let mut best = 0.0;
    best_alignment(&sims, 0, &mut used, &mut chosen, &mut best);

    let unmatched = (long.len() - short.len()) as f64;
    if short.len() == 1 && long.len() > 1 {
        best * SINGLE_TOKEN_FACTOR
    } else {
        best - UNMATCHED_TOKEN_PENALTY * unmatched
    }
}

/// Penalty per token of the longer name left without a partner: small,
/// because a missing middle name or second family name is routine
/// (`Mamadou Aliou Diallo` vs `Mamadou Diallo`), yet non-zero so that an
/// exact match ranks above a partial one.
const UNMATCHED_TOKEN_PENALTY: f64 = 0.02;
/// Factor applied when a one-token name is compared with a longer one: one
/// shared token (often a very common given name) is weak evidence.
const SINGLE_TOKEN_FACTOR: f64 = 0.85;

/// Weight of the mean token score in the name score; the rest goes to the
/// worst aligned token. The minimum dominates so that shared common tokens
/// (`Mohamed`, `Nguyen Thi`) cannot carry a pair whose distinguishing token
/// differs.
const MEAN_WEIGHT: f64 = 0.3;

/// Exhaustive search over injective alignments of `short` into `long`
/// (at most 6!/0! = 720 leaves), keeping the best aggregate score.
fn best_alignment(
    sims: &[Vec<f64>],
    row: usize,
    used: &mut [bool],
    chosen: &mut Vec<f64>,
    best: &mut f64,
) {
    if row == sims.len() {
        let n = chosen.len() as f64;
        let mean = chosen.iter().sum::<f64>() / n;
        let min = chosen
            .iter()
            .copied()
            .min_by(|x, y| x.partial_cmp(y).unwrap_or(Ordering::Equal))
            .unwrap_or(0.0);
        let score = MEAN_WEIGHT * mean + (1.0 - MEAN_WEIGHT) * min;
        if score > *best {
            *best = score;
        }
        return;
    }
    for j in 0..used.len() {
        if !used[j] {
            used[j] = true;
            chosen.push(sims[row][j]);
            best_alignment(sims, row + 1, used, chosen, best);
            chosen.pop();
            used[j] = false;
        }
    }
}

/// Similarity of two canonical tokens.
///
/// * Latin vs Latin: vowel-tolerant edit distance on the folded forms
///   ([`weighted_similarity`]).
/// * Either side from an abjad script: the Arabic side lacks short vowels,
///   so both are reduced to consonant skeletons first. This is less
///   discriminating (`حسن` Hasan and `Hussein` share `hsn`), which is the
///   price of cross-script matching.
/// * A leading `al`/`el` glued to a Latin word (`Elmasri`) is also tried
///   without it, with a small discount.
/// * If exactly one of the two tokens ends in a vowel, the score is scaled
///   by [`GENDER_ENDING_FACTOR`]: in Arabic and Slavic names a final vowel
///   is typically the feminine ending (`Karim`/`Karima`, `Nour`/`Noura`,
///   `Ivanov`/`Ivanova`), so such pairs are different names even though
///   they differ by one cheap letter. (French silent `-e` and the `-h` of
///   `Fatimah` are already gone at this point.)
fn token_similarity(a: &Token, b: &Token) -> f64 {
    if a.text == b.text {
        return 1.0;
    }
    let base = if a.abjad || b.abjad {
        let sa = skeleton(&a.text);
        let sb = skeleton(&b.text);
        if sa.is_empty() || sb.is_empty() {
            weighted_similarity(&a.text, &b.text, false)
        } else {
            weighted_similarity(&sa, &sb, false)
        }
    } else {
        weighted_similarity(&a.text, &b.text, true)
    };
    let stripped = |t: &Token| -> Option<String> {
        if t.abjad {
            return None;
        }
        let r = t
            .text
            .strip_prefix("al")
            .or_else(|| t.text.strip_prefix("el"))?;
        (r.len() >= 4).then(|| r.to_string())
    };
    let mut best = base;
    if let Some(sa) = stripped(a) {
        best = best.max(0.97 * weighted_similarity(&sa, &b.text, !b.abjad));
    }
    if let Some(sb) = stripped(b) {
        best = best.max(0.97 * weighted_similarity(&a.text, &sb, !a.abjad));
    }
    if ends_with_vowel(&a.text) != ends_with_vowel(&b.text) {
        best *= GENDER_ENDING_FACTOR;
    }
    best
}

/// See [`token_similarity`].
const GENDER_ENDING_FACTOR: f64 = 0.8;

fn ends_with_vowel(s: &str) -> bool {
    s.chars().last().is_some_and(is_vowel)
}

/// Consonants only, doubled letters collapsed.
fn skeleton(s: &str) -> String {
    collapse_doubles(&s.chars().filter(|c| !is_vowel(*c)).collect::<String>())
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Weight of a vowel in the length normaliser; consonants weigh 1. Vowels
/// count less because they are the least reliable part of a
/// transliteration, so a name is "long" mostly by its consonants.
const VOWEL_WEIGHT: f64 = 0.35;
/// Substituting one vowel for another (`Mohamed`/`Muhammad`, `Omar`/`Umar`,
/// `Hussein`/`Hossein`): the commonest transliteration difference.
const VOWEL_SUB: f64 = 0.25;
/// Inserting or deleting an inner vowel (`Fatma`/`Fatima`, `Aleksandr`/
/// `Aleksander`). Dearer than a substitution because it changes the syllable
/// structure (`Mohamed` vs `Mahmoud`).
const VOWEL_INDEL: f64 = 0.5;
/// Inserting or deleting `i`/`u` right after another vowel, i.e. creating a
/// diphthong. These usually transcribe the Arabic consonants ي/و, so they
/// distinguish names: `Hassan`/`Hussein`, `Saad`/`Said`.
const GLIDE_INDEL: f64 = 0.8;
/// Inserting or deleting a *final* vowel in Latin-vs-Latin comparison
/// (`Ali`/`Alia`); see also [`GENDER_ENDING_FACTOR`].
const FINAL_VOWEL_INDEL: f64 = 0.7;
/// Inserting or deleting the `h` of `sh`/`zh`: Slavic `š`/`ž` are written
/// `s`/`z` when diacritics are lost (`Milos`) but `sh`/`zh` when
/// transliterated from Cyrillic (`Милош` → `Milosh`).
const DIGRAPH_H_INDEL: f64 = 0.5;
/// Substituting phonetically close consonants: voiced/voiceless pairs and
/// `s`/`z` (`Zeinab`/`Seinab`), plus `k`/`h` and `g`/`h`, which come from
/// Russian renderings of foreign `h` (`Ибрагим` = Ibragim, `Oleh`/`Oleg`) and
/// from `kh` being written `k` (`Akhter`/`Akter`).
const CLOSE_CONSONANT_SUB: f64 = 0.5;

fn close_consonants(a: char, b: char) -> bool {
    let pair = |x, y| (a == x && b == y) || (a == y && b == x);
    pair('s', 'z')
        || pair('d', 't')
        || pair('b', 'p')
        || pair('k', 'g')
        || pair('f', 'v')
        || pair('k', 'h')
        || pair('g', 'h')
}

fn sub_cost(a: char, b: char) -> f64 {
    if a == b {
        0.0
    } else if is_vowel(a) && is_vowel(b) {
        VOWEL_SUB
    } else if close_consonants(a, b) {
        CLOSE_CONSONANT_SUB
    } else {
        1.0
    }
}

/// `1 - cost / max_weighted_length`, where `cost` is a weighted Levenshtein
/// distance in which vowel edits are cheap (see the constants above). No
/// crate offers per-character, context-dependent edit costs, hence this
/// small DP.
///
/// `strict_final` makes insertion/deletion of a word-final vowel dearer
/// (Latin vs Latin only; in abjad comparisons vowels are not compared).
fn weighted_similarity(a: &str, b: &str, strict_final: bool) -> f64 {
    if a == b {
        return 1.0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Cost of inserting/deleting s[i] (0-based) of a word of length len.
    let indel = |s: &[char], i: usize| -> f64 {
        let c = s[i];
        let prev = i.checked_sub(1).map(|k| s[k]);
        if c == 'h' && matches!(prev, Some('s' | 'z')) {
            DIGRAPH_H_INDEL
        } else if !is_vowel(c) {
            1.0
        } else if strict_final && i + 1 == s.len() {
            FINAL_VOWEL_INDEL
        } else if matches!(c, 'i' | 'u') && prev.is_some_and(is_vowel) {
            GLIDE_INDEL
        } else {
            VOWEL_INDEL
        }
    };
    let (n, m) = (a.len(), b.len());
    let mut prev: Vec<f64> = Vec::with_capacity(m + 1);
    prev.push(0.0);
    for j in 1..=m {
        prev.push(prev[j - 1] + indel(&b, j - 1));
    }
    for i in 1..=n {
        let mut cur = Vec::with_capacity(m + 1);
        cur.push(prev[0] + indel(&a, i - 1));
        for j in 1..=m {
            let del = prev[j] + indel(&a, i - 1);
            let ins = cur[j - 1] + indel(&b, j - 1);
            let sub = prev[j - 1] + sub_cost(a[i - 1], b[j - 1]);
            cur.push(del.min(ins).min(sub));
        }
        prev = cur;
    }
    let cost = prev[m];
    let weight = |s: &[char]| -> f64 {
        s.iter()
            .map(|c| if is_vowel(*c) { VOWEL_WEIGHT } else { 1.0 })
            .sum()
    };
    let norm = weight(&a).max(weight(&b));
    if norm <= 0.0 {
        return 0.0;
    }
    (1.0 - cost / norm).max(0.0)
}

/// The consonant skeleton of each token of a [`name_key`], space-separated: the part of a name
/// that survives vowel variation and abjad scripts (`mohamed`, `muhamad` and `mhmd` all give
/// `mhmd`). Stored beside the key so candidates can be pre-selected by an index-friendly match
/// before [`similarity`] ranks them.
pub fn name_skeleton(key: &str) -> String {
    key.split_whitespace()
        .map(skeleton)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A readable Latin transliteration of a name as written (any script), for records whose Latin
/// spelling was not given: Arabic through the table above, everything else through `deunicode`.
/// Words keep their order and get an initial capital.
pub fn transliterate(input: &str) -> String {
    let ukrainian = has_ukrainian_letters(input);
    split_words(input)
        .iter()
        .map(|word| {
            let latin = if word.chars().any(is_abjad_char) {
                arabic_to_latin(word)
            } else {
                other_to_latin(word, ukrainian)
            };
            let mut chars = latin.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_order_insensitive() {
        assert_eq!(name_key("Diallo Mamadou"), name_key("Mamadou Diallo"));
        assert_eq!(similarity("Diallo Mamadou", "Mamadou Diallo"), 1.0);
    }

    #[test]
    fn diacritics_removed() {
        assert_eq!(name_key("Ştefan Çelik"), name_key("Stefan Celik"));
        assert_eq!(name_key("Nguyễn Văn Ánh"), name_key("Nguyen Van Anh"));
        assert_eq!(name_key("Aïcha"), name_key("Aicha"));
    }

    #[test]
    fn arabic_transliterates_to_ascii() {
        let k = name_key("محمد علي");
        assert!(!k.is_empty());
        assert!(k.is_ascii());
        assert!(similarity("محمد علي", "Mohamed Ali") >= DUPLICATE_THRESHOLD);
    }

    #[test]
    fn cyrillic_transliterates() {
        assert!(similarity("Андрій Шевченко", "Andriy Shevchenko") >= DUPLICATE_THRESHOLD);
        assert_eq!(name_key("Сергій"), "serhi");
    }

    #[test]
    fn abd_variants_share_key() {
        let k = name_key("Abdel Rahman");
        assert_eq!(name_key("Abd al-Rahman"), k);
        assert_eq!(name_key("Abdul Rahman"), k);
        assert_eq!(name_key("Abderrahmane"), k);
        assert_eq!(name_key("Abdelrahman"), k);
    }

    #[test]
    fn mohamed_variants_are_similar() {
        for v in ["Muhammad", "Mohammed", "Mohammad", "Muhammed"] {
            let s = similarity("Mohamed Diallo", &format!("{v} Diallo"));
            assert!(s >= DUPLICATE_THRESHOLD, "{v}: {s}");
        }
    }

    #[test]
    fn different_family_name_rejected() {
        assert!(similarity("Mohamed Ali", "Mohamed Salah") < DUPLICATE_THRESHOLD);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(name_key(""), "");
        assert_eq!(similarity("", "Mohamed"), 0.0);
        assert_eq!(similarity("--- ''", "..."), 0.0);
        let s = similarity("😀 Ali", "Ali");
        assert!((0.0..=1.0).contains(&s));
    }
}
