//! Comparison of canonical tokens and of whole names.

use std::cmp::Ordering;

use super::Token;

/// Penalty per token of the longer name left without a partner: small, because a missing
/// middle name or second family name is routine (`Mamadou Aliou Diallo` vs `Mamadou Diallo`),
/// yet non-zero so that an exact match ranks above a partial one.
const UNMATCHED_TOKEN_PENALTY: f64 = 0.02;
/// Factor applied when a one-token name is compared with a longer one: one shared token (often
/// a very common given name) is weak evidence.
const SINGLE_TOKEN_FACTOR: f64 = 0.85;
/// Weight of the mean token score in the name score; the rest goes to the worst aligned token.
/// The minimum dominates so that shared common tokens (`Mohamed`, `Nguyen Thi`) cannot carry a
/// pair whose distinguishing token differs.
const MEAN_WEIGHT: f64 = 0.3;
/// See [`token_similarity`].
const GENDER_ENDING_FACTOR: f64 = 0.8;

/// Score of two token lists under the best one-to-one alignment.
pub(super) fn name_score(a: &[Token], b: &[Token]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0.0;
    }
    let best = aligned(short, long);
    if short.len() == 1 && long.len() > 1 {
        best * SINGLE_TOKEN_FACTOR
    } else {
        best - UNMATCHED_TOKEN_PENALTY * (long.len() - short.len()) as f64
    }
}

/// Score of a name field searched for alone (`query`) against the same field of a person
/// (`field`) that has at least as many tokens: every token searched for must find a partner,
/// and each token of the field left over costs the small [`UNMATCHED_TOKEN_PENALTY`] — with no
/// discount for a single token, since the operator chose to search by that field alone (`Fatima`
/// finds the given names `Fatima Zahra`, as `Benali` finds the family name `Benali`).
pub(super) fn field_score(query: &[Token], field: &[Token]) -> f64 {
    if query.is_empty() || field.len() < query.len() {
        return 0.0;
    }
    aligned(query, field) - UNMATCHED_TOKEN_PENALTY * (field.len() - query.len()) as f64
}

/// The best aggregate score of an injective alignment of `short` into `long`.
fn aligned(short: &[Token], long: &[Token]) -> f64 {
    let sims: Vec<Vec<f64>> = short
        .iter()
        .map(|s| long.iter().map(|l| token_similarity(s, l)).collect())
        .collect();
    let mut used = vec![false; long.len()];
    let mut chosen = Vec::with_capacity(short.len());
    let mut best = 0.0;
    best_alignment(&sims, 0, &mut used, &mut chosen, &mut best);
    best
}

/// Exhaustive search over injective alignments of `short` into `long` (at most 6! = 720
/// leaves), keeping the best aggregate score.
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

/// Similarity of two canonical tokens: the best over their spelling variants (see
/// `Token::variants`), each variant's discount applied.
///
/// * Latin vs Latin: vowel-tolerant edit distance on the plain forms.
/// * Arabic script vs Latin: the Arabic side writes consonants and long vowels only, so a Latin
///   short vowel may be missing at little cost, while a written long vowel must be matched by a
///   vowel of its quality (see [`abjad_costs`]).
/// * If exactly one of the two tokens ends in a vowel, the score is scaled by
///   [`GENDER_ENDING_FACTOR`]: in Arabic and Slavic names a final vowel is typically the
///   feminine ending (`Karim`/`Karima`, `Nour`/`Noura`, `Ivanov`/`Ivanova`). A final `h` after
///   a vowel leaves the ending undecided (`Saleh`, Persian `Fatemeh`).
pub(super) fn token_similarity(a: &Token, b: &Token) -> f64 {
    if a.plain == b.plain && a.abjad == b.abjad {
        return 1.0;
    }
    let mut best: f64 = 0.0;
    let vb = b.variants();
    for (va, da) in a.variants() {
        for (vb, db) in &vb {
            let s = pair_similarity(&va, vb, a, b) * da * db;
            best = best.max(s);
        }
    }
    if let (Some(ea), Some(eb)) = (ending(&a.text), ending(&b.text)) {
        if ea.is_some() != eb.is_some() {
            best *= GENDER_ENDING_FACTOR;
        } else if !a.abjad && !b.abjad && masculine_and_feminine(ea, eb) {
            best *= MASCULINE_FEMININE_FACTOR;
        }
    }
    best
}

/// In Romanian, Slavic and Italian names a final `a` against a final `o`, `u` or `i` is the
/// feminine and the masculine of one name (`Alexandra`/`Alexandru`, `Andreea`/`Andrei`).
const MASCULINE_FEMININE_FACTOR: f64 = 0.9;

fn masculine_and_feminine(a: Option<char>, b: Option<char>) -> bool {
    let pair = |x, y| a == Some(x) && b == Some(y) || a == Some(y) && b == Some(x);
    pair('a', 'o') || pair('a', 'u') || pair('a', 'i')
}

/// How a token ends: `Some(None)` in a consonant, `Some(Some(vowel))` in a vowel (lower case),
/// `None` when undecided (a final `h` after a vowel).
fn ending(text: &str) -> Option<Option<char>> {
    let mut rev = text.chars().rev();
    let last = rev.next()?;
    if last == 'h' && rev.next().is_some_and(is_vowel) {
        return None;
    }
    Some(is_vowel(last).then(|| last.to_ascii_lowercase()))
}

fn pair_similarity(a: &str, b: &str, x: &Token, y: &Token) -> f64 {
    let (a_abjad, b_abjad, a_persian, b_persian) = (x.abjad, y.abjad, x.persian, y.persian);
    match (a_abjad, b_abjad) {
        (false, false) => weighted(
            &chars(&super::fold::plain(a)),
            &chars(&super::fold::plain(b)),
            &LATIN,
        ),
        (true, true) => weighted(
            &chars(&super::fold::plain(a)),
            &chars(&super::fold::plain(b)),
            &ABJAD_PAIR,
        ),
        (true, false) => weighted(&chars(a), &chars(b), abjad_latin(a_persian)),
        (false, true) => weighted(&chars(b), &chars(a), abjad_latin(b_persian)),
    }
}

fn abjad_latin(persian: bool) -> &'static Costs {
    if persian {
        &PERSIAN_LATIN
    } else {
        &ABJAD_LATIN
    }
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// A vowel, in a plain form, a Latin long-vowel mark or an Arabic-script marker.
pub(super) fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y' | 'H' | '*'
    )
}

/// Weight of a vowel in the length normaliser; consonants weigh 1. Vowels count less because
/// they are the least reliable part of a transliteration, so a name is "long" mostly by its
/// consonants.
const VOWEL_WEIGHT: f64 = 0.35;
/// Substituting one vowel for another (`Mohamed`/`Muhammad`, `Omar`/`Umar`,
/// `Hussein`/`Hossein`): the commonest transliteration difference.
const VOWEL_SUB: f64 = 0.25;
/// Inserting or deleting an inner vowel (`Fatma`/`Fatima`, `Aleksandr`/`Aleksander`). Dearer
/// than a substitution because it changes the syllable structure (`Mohamed` vs `Mahmoud`).
const VOWEL_INDEL: f64 = 0.5;
/// Inserting or deleting `i`/`u` right after another vowel, i.e. creating a diphthong. These
/// usually transcribe the Arabic consonants ي/و, so they distinguish names: `Hassan`/`Hussein`,
/// `Saad`/`Said`.
const GLIDE_INDEL: f64 = 0.8;
/// Inserting or deleting a *final* vowel in Latin-vs-Latin comparison (`Ali`/`Alia`); see also
/// [`GENDER_ENDING_FACTOR`].
const FINAL_VOWEL_INDEL: f64 = 0.7;
/// Inserting or deleting the `h` of `sh`/`zh`: Slavic `š`/`ž` are written `s`/`z` when
/// diacritics are lost (`Milos`) but `sh`/`zh` when transliterated from Cyrillic (`Milosh`);
/// and a final `h` after a vowel, which some conventions write and others do not (Persian
/// `Fatemeh`/`Fateme`, `Tesfai`/`Tesfaye`).
const SOFT_H_INDEL: f64 = 0.5;
/// Inserting or deleting an `h` between vowels, which many spellings leave out
/// (`Zabiullah`/`Zabihullah`).
const INTERVOCALIC_H_INDEL: f64 = 0.6;
/// A diphthong `ai`/`ei` against a single `e` (`Hossain`/`Hossen`, Bengali `হোসেন`; `Zainab`/
/// `Zenab`): how Urdu and Bengali pronounce and often spell it.
const DIPHTHONG_SUB: f64 = 0.45;

/// Voiced/voiceless pairs and `s`/`z` (`Zeinab`/`Seinab`), `k`/`h` and `g`/`h` (Russian
/// renderings of foreign `h`: `Ибрагим` = Ibragim, `Oleh`/`Oleg`; `kh` written `k`:
/// `Akhter`/`Akter`), `j`/`g` (Egyptian `Gamal` = `Jamal`), `v`/`u` (Persian `و` is `v`, Arabic
/// `w`, folded `u`: `Vahid`/`Wahid`), `j`/`z` (Bengali `জ` is `j` or `z`: `Zakir`/`Jakir`).
/// `x` (folded `kh`) is close to both `h` and `k`; `g`/`h` closer still (Ukrainian `г` is `h`,
/// Russian `g`: `Oleh`/`Oleg`, `Hanna`/`Ganna`); `j`/`i` (Albanian, Romanian and German `j` is
/// the glide written `y` or `i` elsewhere: `Bajrami`/`Bayrami`, `Jordache`/`Iordache`).
fn close_consonant_cost(a: char, b: char) -> Option<f64> {
    let pair = |x, y| (a == x && b == y) || (a == y && b == x);
    if pair('x', 'h') || pair('x', 'k') {
        Some(0.2)
    } else if pair('g', 'h') || pair('j', 'i') {
        Some(0.3)
    } else if pair('x', 'g') || pair('j', 'g') {
        Some(0.4)
    } else if pair('s', 'z')
        || pair('d', 't')
        || pair('b', 'p')
        || pair('k', 'g')
        || pair('f', 'v')
        || pair('k', 'h')
        || pair('v', 'u')
        || pair('j', 'z')
        || pair('b', 'v')
    {
        Some(0.5)
    } else {
        None
    }
}

/// The cost model of one kind of comparison.
struct Costs {
    /// Deleting a character of the first string at `i`.
    del_a: fn(&[char], usize) -> f64,
    /// Deleting a character of the second string at `i`.
    del_b: fn(&[char], usize) -> f64,
    sub: fn(char, char) -> f64,
    /// Whether `ai`/`ei` may stand for `e` (see [`DIPHTHONG_SUB`]).
    diphthongs: bool,
}

const LATIN: Costs = Costs {
    del_a: latin_indel_strict,
    del_b: latin_indel_strict,
    sub: plain_sub,
    diphthongs: true,
};
const ABJAD_PAIR: Costs = Costs {
    del_a: latin_indel,
    del_b: latin_indel,
    sub: plain_sub,
    diphthongs: true,
};
const ABJAD_LATIN: Costs = Costs {
    del_a: abjad_del,
    del_b: latin_del_against_abjad,
    sub: abjad_sub,
    diphthongs: false,
};
const PERSIAN_LATIN: Costs = Costs {
    del_a: abjad_del,
    del_b: latin_del_against_persian,
    sub: abjad_sub,
    diphthongs: false,
};

fn latin_indel_strict(s: &[char], i: usize) -> f64 {
    indel(s, i, true)
}

fn latin_indel(s: &[char], i: usize) -> f64 {
    indel(s, i, false)
}

/// Cost of inserting/deleting `s[i]` of a plain token.
fn indel(s: &[char], i: usize, strict_final: bool) -> f64 {
    let c = s[i];
    let prev = i.checked_sub(1).map(|k| s[k]);
    let last = i + 1 == s.len();
    let next = s.get(i + 1).copied();
    if c == '*' {
        0.1
    } else if c == 'h' && prev.is_some_and(is_vowel) && next.is_some_and(is_vowel) {
        INTERVOCALIC_H_INDEL
    } else if c == 'h' && (matches!(prev, Some('s' | 'z')) || (last && prev.is_some_and(is_vowel)))
    {
        SOFT_H_INDEL
    } else if !is_vowel(c) {
        1.0
    } else if strict_final && last {
        FINAL_VOWEL_INDEL
    } else if matches!(c, 'i' | 'u') && prev.is_some_and(is_vowel) {
        GLIDE_INDEL
    } else {
        VOWEL_INDEL
    }
}

fn plain_sub(a: char, b: char) -> f64 {
    if a == b {
        0.0
    } else if (a == '*' || b == '*') && is_vowel(a) && is_vowel(b) {
        0.05
    } else if is_vowel(a) && is_vowel(b) {
        VOWEL_SUB
    } else {
        close_consonant_cost(a, b).unwrap_or(1.0)
    }
}

/// Deleting a character of the Arabic-script side: a vowel carrier costs little, a written
/// long vowel much (Latin spellings write long vowels), a final vowel written `ه`/`ة` half.
fn abjad_del(s: &[char], i: usize) -> f64 {
    match s[i] {
        '*' => 0.1,
        'H' => 0.5,
        'A' | 'I' | 'U' | 'E' | 'Y' => 0.8,
        'h' if i > 0 && matches!(s[i - 1], 's' | 'z') => SOFT_H_INDEL,
        _ => 1.0,
    }
}

/// Deleting a character of the Latin side against an Arabic-script one: short vowels are not
/// written in the script, so a Latin `a`, `e` or `o` may be missing there (`i` and `u` a little
/// dearer: they are more often long), but not the second vowel of a diphthong (`Hussein`: the
/// `y` of حسين), nor, much, a vowel the Latin spelling marks long (`ee`, `aa`; `ou` and `oo`
/// also write the short u in French and English spellings: `Soufiane` = سفيان).
fn latin_del_against_abjad(s: &[char], i: usize) -> f64 {
    latin_del(s, i, 0.4)
}

/// As [`latin_del_against_abjad`], against Persian writing, whose Latin `ou`/`oo` is always و.
fn latin_del_against_persian(s: &[char], i: usize) -> f64 {
    latin_del(s, i, 0.9)
}

fn latin_del(s: &[char], i: usize, long_u: f64) -> f64 {
    // The second half of a diphthong (`ay`, `ey`, `aw`, `ow`); after `u`, an `i` is rather the
    // vowel after a `w` (`Mehwish`).
    let glide = i > 0
        && match s[i] {
            'i' => matches!(s[i - 1], 'a' | 'e' | 'A' | 'E'),
            'u' => matches!(s[i - 1], 'a' | 'o' | 'A'),
            _ => false,
        };
    // A long-marked vowel in the last syllable is long in Arabic names (`Mahmoud`, `Daoud`).
    let last_syllable = s[i + 1..].iter().all(|c| !is_vowel(*c));
    match s[i] {
        'i' | 'u' if glide => GLIDE_INDEL,
        'a' | 'e' | 'o' => 0.1,
        'i' | 'u' => 0.15,
        'U' if last_syllable => 0.9,
        'U' => long_u,
        'A' | 'I' => 0.9,
        '*' => 0.1,
        // The h of `sh`/`zh`, of an aspirate the script marks apart or not at all (`bh`, `dh`:
        // `Bhatti`), and a final h after a vowel.
        'h' if i > 0 && (!is_vowel(s[i - 1]) || i + 1 == s.len()) => SOFT_H_INDEL,
        _ => 1.0,
    }
}

/// Substituting an Arabic-script character (`x`) for a Latin one (`y`). A written long vowel
/// matches a Latin vowel of its quality; a vowel carrier matches any vowel.
fn abjad_sub(x: char, y: char) -> f64 {
    let yl = y.to_ascii_lowercase();
    let vowel_y = is_vowel(y);
    if x == yl {
        return 0.0;
    }
    match x {
        '*' => {
            if vowel_y {
                0.05
            } else {
                1.0
            }
        }
        'A' | 'I' | 'U' | 'E' | 'Y' | 'H' => {
            if !vowel_y {
                return if x == 'U' && yl == 'v' { 0.3 } else { 1.0 };
            }
            let table: &[(char, f64)] = match x {
                'A' => &[('a', 0.0), ('o', 0.4), ('e', 0.5)],
                'I' => &[('i', 0.0), ('e', 0.2)],
                'U' => &[('u', 0.0), ('o', 0.1)],
                'E' => &[('e', 0.0), ('i', 0.2), ('a', 0.4)],
                'Y' => &[('a', 0.1), ('i', 0.1), ('e', 0.3)],
                _ => &[('a', 0.0), ('e', 0.0), ('i', 0.6), ('o', 0.6), ('u', 0.6)],
            };
            table
                .iter()
                .find(|(v, _)| *v == yl)
                .map_or(0.9, |(_, c)| *c)
        }
        'a' | 'e' | 'i' | 'o' | 'u' => plain_sub(x, yl),
        _ if vowel_y => {
            if x == 'v' && yl == 'u' {
                0.3
            } else {
                1.0
            }
        }
        'q' => match yl {
            'k' => 0.1,
            'g' => 0.3,
            _ => plain_sub('k', yl),
        },
        _ => plain_sub(x, y),
    }
}

/// `1 - cost / max_weighted_length`, where `cost` is a weighted Levenshtein distance under
/// `costs`. No crate offers per-character, context-dependent edit costs, hence this small DP.
fn weighted(a: &[char], b: &[char], costs: &Costs) -> f64 {
    if a == b {
        return 1.0;
    }
    let (n, m) = (a.len(), b.len());
    // Whether s[k-2..k] is a diphthong that may stand for an `e`.
    let diphthong = |s: &[char], k: usize| {
        costs.diphthongs && k >= 2 && matches!(s[k - 2], 'a' | 'e') && s[k - 1] == 'i'
    };
    let mut before: Vec<f64> = Vec::new();
    let mut prev: Vec<f64> = Vec::with_capacity(m + 1);
    prev.push(0.0);
    for j in 1..=m {
        prev.push(prev[j - 1] + (costs.del_b)(b, j - 1));
    }
    for i in 1..=n {
        let mut cur = Vec::with_capacity(m + 1);
        cur.push(prev[0] + (costs.del_a)(a, i - 1));
        for j in 1..=m {
            let del = prev[j] + (costs.del_a)(a, i - 1);
            let ins = cur[j - 1] + (costs.del_b)(b, j - 1);
            let sub = prev[j - 1] + (costs.sub)(a[i - 1], b[j - 1]);
            let mut best = del.min(ins).min(sub);
            if diphthong(a, i) && b[j - 1] == 'e' {
                best = best.min(before[j - 1] + DIPHTHONG_SUB);
            }
            if diphthong(b, j) && a[i - 1] == 'e' {
                best = best.min(prev[j - 2] + DIPHTHONG_SUB);
            }
            cur.push(best);
        }
        before = std::mem::replace(&mut prev, cur);
    }
    let cost = prev[m];
    let weight = |s: &[char]| -> f64 {
        s.iter()
            .map(|c| match c {
                '*' => 0.0,
                c if is_vowel(*c) => VOWEL_WEIGHT,
                _ => 1.0,
            })
            .sum()
    };
    let norm = weight(a).max(weight(b));
    if norm <= 0.0 {
        return 0.0;
    }
    (1.0 - cost / norm).max(0.0)
}
