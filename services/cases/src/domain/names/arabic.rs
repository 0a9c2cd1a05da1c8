//! Arabic-script names: Arabic, Persian (Farsi and Dari), Urdu and Pashto.
//!
//! Letter values follow the language, as the romanisation tables do (ALA-LC for Arabic,
//! Persian, Urdu and Pashto; BGN/PCGN for Persian and Pashto): the same letter is `dh` or `d` in
//! Arabic and `z` in Persian and Urdu (ذ), `th`/`t` in Arabic and `s` in Persian (ث). The
//! language is told from the letters it alone uses (see [`flavour`]).
//!
//! Short vowels are not written, long vowels are (ا و ی/ي as *matres lectionis*). The matching
//! form keeps that information: consonants in lower case, long vowels as upper-case markers
//! (`A`, `I`, `U`, `E`, `Y` for `ى` read `a` or `i`, `H` for a final vowel written with `ه`/`ة`
//! read `a` or `e`) and `*` for a vowel carrier (initial alef, ʿayn, hamza) that stands for any
//! vowel. The comparison in `compare.rs` lets a Latin short vowel go missing cheaply, but not a
//! written long vowel: `محمدی` (Mohammadi) is not `Mahmoudi`, whose `ou` would be written `و`.

/// Which language's letter values to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavour {
    Arabic,
    Persian,
    Urdu,
    Pashto,
}

impl Flavour {
    /// Persian, Urdu and Pashto share the Persian values of the Arabic letters.
    fn persianate(self) -> bool {
        self != Flavour::Arabic
    }
}

/// The language of an Arabic-script name, from the letters that only some languages use:
/// Pashto `ځ څ ډ ړ ږ ښ ګ ڼ ۍ ې ټ`, Urdu `ٹ ڈ ڑ ں ے ہ ھ ۃ`, Persian (and Dari) `پ چ ژ گ` and
/// the Persian forms of yeh and kaf (`ی`, `ک`), which Persian, Dari, Urdu and Pashto keyboards
/// type and Arabic ones do not.
pub(super) fn flavour(input: &str) -> Flavour {
    if input.chars().any(|c| "ځڅډړږښګڼۍېټ".contains(c)) {
        Flavour::Pashto
    } else if input.chars().any(|c| "ٹڈڑںےہھۃ".contains(c)) {
        Flavour::Urdu
    } else if input.chars().any(|c| "پچژگیک".contains(c)) {
        Flavour::Persian
    } else {
        Flavour::Arabic
    }
}

/// Harakat, shadda, sukun, tatweel and other marks: optional, ignored.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x0640 | 0x06D6..=0x06ED)
}

/// Consonant value of a letter in the language, as the folded Latin alphabet writes it
/// (`kh` → `x`, `q` → `k`, `gh` → `g`, `ch` → `sh`, as `fold_latin` does on Latin input).
fn consonant(c: char, f: Flavour) -> Option<&'static str> {
    let p = f.persianate();
    Some(match c {
        'ب' => "b",
        'پ' => "p",
        'ت' | 'ط' | 'ٹ' | 'ټ' => "t",
        'ث' => {
            if p {
                "s"
            } else {
                "t"
            }
        }
        'ج' => "j",
        'چ' => "sh",
        'ح' => "h",
        'خ' => "x",
        'د' | 'ڈ' | 'ډ' => "d",
        'ذ' | 'ض' => {
            if p {
                "z"
            } else {
                "d"
            }
        }
        'ر' | 'ڑ' | 'ړ' => "r",
        'ز' | 'ظ' | 'ځ' => "z",
        'ژ' | 'ږ' => "zh",
        'س' | 'ص' | 'څ' => "s",
        'ش' | 'ښ' => "sh",
        'غ' | 'گ' | 'ګ' => "g",
        'ف' => "f",
        'ڤ' => "v",
        // Written `q`, `k` or, in Persian, `gh` (`قاسمی` Ghasemi, `صادقی` Sadeghi): its own
        // letter, close to both `k` and `g`.
        'ق' => "q",
        'ك' | 'ک' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' | 'ں' | 'ڼ' => "n",
        _ => return None,
    })
}

/// One letter of a word, classified for both the matching and the display forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    /// A consonant (its Latin value).
    C(&'static str),
    /// A written long vowel: `a`, `i`, `u`, `e`, or `y` (alef maqsura, `a` or `i`) or `h`
    /// (final `ه`/`ة`, `a` or `e`).
    V(char),
    /// A vowel carrier (the letter): initial alef, ʿayn, hamza. Any vowel, or none.
    Carrier(char),
}

/// Reads a word (marks removed, the article and `الله` handled by the caller) into units, each
/// with the letter it comes from.
fn units(chars: &[char], f: Flavour) -> Vec<(Unit, char)> {
    let mut out = Vec::with_capacity(chars.len());
    let n = chars.len();
    let is_vowel_letter = |c: Option<&char>| c.is_some_and(|c| "اآأإیيىۍېے".contains(*c));
    for (i, &c) in chars.iter().enumerate() {
        let last = i + 1 == n;
        let prev_consonant = i > 0 && consonant(chars[i - 1], f).is_some();
        let _ = prev_consonant;
        let u = match c {
            'آ' => Unit::V('a'),
            'ا' | 'أ' | 'إ' | 'ٱ' if i == 0 => Unit::Carrier(c),
            'ا' | 'ٱ' => Unit::V('a'),
            'أ' | 'إ' | 'ء' | 'ع' => Unit::Carrier(c),
            'ئ' => Unit::V('i'),
            'ؤ' => Unit::V('u'),
            'ى' => Unit::V('y'),
            'ة' | 'ۃ' => Unit::V('h'),
            // Final he after anything but a long a or u is a vowel in Persian, Urdu and Pashto
            // (`زهره` Zohreh, `شازیہ` Shazia); after them a consonant (`شاه` Shah).
            'ه' | 'ہ' if last && i > 0 && !"اآو".contains(chars[i - 1]) => Unit::V('h'),
            'ه' | 'ہ' => Unit::C("h"),
            // Do-chashmi he marks the aspirate of the consonant before it (`بھ` bh, `ٹھ` th),
            // which the Latin folding does not keep either.
            'ھ' => continue,
            'ے' | 'ې' => Unit::V('e'),
            // A final ی after a consonant is `i` or, in Arabic words, the alef maqsura `a`
            // (`مرتضی` Morteza, `موسی` Musa).
            'ی' if last && prev_consonant => Unit::V('y'),
            'ی' | 'ي' | 'ۍ' => Unit::V('i'),
            // Persian و is the consonant v at the start of a word, before a vowel letter and
            // after alef (`وحید` Vahid, `پروین` Parvin, `داوود` Davood); elsewhere, and in the
            // other languages (whose w the Latin folding writes u), the vowel u.
            'و' => {
                let consonantal = i == 0
                    || is_vowel_letter(chars.get(i + 1))
                    || (i > 0 && "اآ".contains(chars[i - 1]));
                if consonantal && f == Flavour::Persian {
                    Unit::C("v")
                } else {
                    Unit::V('u')
                }
            }
            other => match consonant(other, f) {
                Some(v) => Unit::C(v),
                // Hebrew or rare letters: their generic romanisation.
                None => match deunicode::deunicode_char(other) {
                    Some(s) if s.chars().any(|c| c.is_ascii_alphabetic()) => {
                        out.extend(s.chars().filter(char::is_ascii_alphabetic).map(|c| {
                            let c = c.to_ascii_lowercase();
                            let u = if "aeiou".contains(c) {
                                Unit::V(c)
                            } else {
                                Unit::C(leak_consonant(c))
                            };
                            (u, other)
                        }));
                        continue;
                    }
                    _ => continue,
                },
            },
        };
        out.push((u, c));
    }
    out
}

/// How the readable form writes a consonant where it differs from the matching value: the
/// digraphs of the romanisation tables, not their folded forms.
fn display_consonant(c: char, f: Flavour) -> Option<&'static str> {
    let p = f.persianate();
    Some(match c {
        'خ' => "kh",
        'غ' => "gh",
        'ق' => "q",
        'چ' => "ch",
        'ث' if !p => "th",
        'ذ' if !p => "dh",
        _ => return None,
    })
}

/// A static string for one ASCII consonant.
fn leak_consonant(c: char) -> &'static str {
    const ALL: [&str; 26] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
        "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    ALL.get((c as u8).wrapping_sub(b'a') as usize)
        .copied()
        .unwrap_or("")
}

/// A word split into its optional article, its letters and whether it ends in `الله`.
struct Parsed {
    article: bool,
    body: Vec<char>,
    allah: bool,
}

fn parse(word: &str, f: Flavour) -> Parsed {
    let mut chars: Vec<char> = word.chars().filter(|c| !is_mark(*c)).collect();
    let is_allah = |t: &[char]| {
        t.len() == 4 && t[0] == 'ا' && t[1] == 'ل' && t[2] == 'ل' && matches!(t[3], 'ه' | 'ہ')
    };
    let allah_at = (0..chars.len().saturating_sub(3)).find(|&i| is_allah(&chars[i..]));
    let allah = allah_at.is_some();
    if let Some(i) = allah_at {
        chars.truncate(i);
    } else if chars.len() == 3
        && chars[0] == 'ل'
        && chars[1] == 'ل'
        && matches!(chars[2], 'ه' | 'ہ')
    {
        // `الله` after a detached article or written `لله`.
        chars.clear();
        return Parsed {
            article: false,
            body: chars,
            allah: true,
        };
    }
    // Only Arabic names carry the article as a prefix; in Persian and Urdu `ال` starts names
    // (`الهام` Elham, `الناز` Elnaz).
    let article = f == Flavour::Arabic && chars.len() > 3 && chars[0] == 'ا' && chars[1] == 'ل';
    if article {
        chars.drain(..2);
    }
    Parsed {
        article,
        body: chars,
        allah,
    }
}

/// The matching form of one word (see the module documentation). The article is dropped
/// (Latin records drop or detach it); `الله` at the end of a word is `*la`, as Latin `-ullah`,
/// `-allah`, `-ollah` fold.
pub(super) fn matching(word: &str, f: Flavour) -> String {
    let p = parse(word, f);
    let mut out = String::new();
    for (u, _) in units(&p.body, f) {
        match u {
            Unit::C(c) => out.push_str(c),
            Unit::V(v) => out.push(v.to_ascii_uppercase()),
            Unit::Carrier(_) => out.push('*'),
        }
    }
    if p.allah {
        out.push_str("*la");
    }
    // A final h after a long a (`شاه` Shah) is dropped, as the Latin folding drops `-ah`.
    if out.len() > 2 && out.ends_with("Ah") {
        out.pop();
    }
    super::fold::collapse_doubles(&out)
}

/// A readable romanisation of one word, vowels supplied where the script leaves them out: no
/// word starts with two consonants and no three meet, so `a` is put in as the commonest short
/// vowel (`خديجة` → `Khadija`, `شبنم` → `Shabnam`, `الزهراء` → `Al-Zahra`). Persian and Dari
/// read a final `ه` after a consonant as `e` (`Zohre`), Urdu and Pashto as `a`.
pub(super) fn display(word: &str, f: Flavour) -> String {
    let p = parse(word, f);
    let units: Vec<(Unit, char)> = units(&p.body, f)
        .into_iter()
        .map(|(u, src)| match u {
            // و written as a consonant: at the start, or between vowels.
            Unit::V('u') if src == 'و' => (
                Unit::C(if matches!(f, Flavour::Persian | Flavour::Urdu) {
                    "v"
                } else {
                    "w"
                }),
                src,
            ),
            Unit::C("v") => (Unit::C("v"), src),
            Unit::C(c) => (Unit::C(display_consonant(src, f).unwrap_or(c)), src),
            u => (u, src),
        })
        .collect();
    let units: Vec<(Unit, char)> = units
        .iter()
        .enumerate()
        .map(|(i, &(u, src))| {
            let consonant_around = |k: Option<usize>| {
                k.and_then(|k| units.get(k))
                    .is_none_or(|(u, _)| matches!(u, Unit::C(_)))
            };
            // و between consonants (or after one at the end) is the long vowel u.
            if src == 'و' && i > 0 && consonant_around(Some(i - 1)) && consonant_around(Some(i + 1))
            {
                (Unit::V('u'), src)
            } else {
                (u, src)
            }
        })
        .collect();
    let units: Vec<Unit> = units.into_iter().map(|(u, _)| u).collect();
    let mut out = String::new();
    // Whether the last thing written was a vowel, and whether there was anything at all.
    let mut after_vowel = false;
    for (i, u) in units.iter().enumerate() {
        let next = units.get(i + 1);
        match *u {
            Unit::V(v) => {
                let v = match v {
                    'y' => {
                        if f.persianate() {
                            'i'
                        } else {
                            'a'
                        }
                    }
                    'h' => {
                        if f == Flavour::Persian {
                            'e'
                        } else {
                            'a'
                        }
                    }
                    v => v,
                };
                if !out.ends_with(v) {
                    out.push(v);
                }
                after_vowel = true;
            }
            Unit::Carrier(c) if i == 0 => {
                // Before a written vowel it adds nothing; otherwise it is the short vowel (`i`
                // under `إ`, else `a`).
                if !matches!(next, Some(Unit::V(_))) {
                    out.push(if c == 'إ' { 'i' } else { 'a' });
                    after_vowel = true;
                }
            }
            Unit::Carrier('ع') => {
                // Medial ʿayn is written as an apostrophe and closes a syllable like a consonant.
                out.push('\'');
                let needs_vowel = matches!(next, Some(Unit::C(_))) && !after_vowel;
                if needs_vowel {
                    out.push('a');
                }
                after_vowel = needs_vowel;
            }
            Unit::Carrier(_) => {}
            Unit::C(c) => {
                out.push_str(c);
                let needs_vowel = match next {
                    Some(Unit::C(_)) => i == 0 || !after_vowel,
                    _ => false,
                };
                if needs_vowel {
                    out.push('a');
                }
                after_vowel = needs_vowel;
            }
        }
    }
    if p.allah {
        out.push_str(if out.is_empty() { "allah" } else { "ullah" });
    }
    let word = super::capitalise(&out);
    if p.article {
        format!("Al-{word}")
    } else {
        word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_take_the_values_of_the_language() {
        assert_eq!(flavour("ذبیح‌الله نوری"), Flavour::Persian);
        assert_eq!(flavour("شازیہ پروین"), Flavour::Urdu);
        assert_eq!(flavour("ځدراڼ"), Flavour::Pashto);
        assert_eq!(flavour("محمد"), Flavour::Arabic);
        assert_eq!(matching("ذبیح", Flavour::Persian), "zbIh");
        assert_eq!(matching("ذيب", Flavour::Arabic), "dIb");
        assert_eq!(matching("ثریا", Flavour::Persian), "srIA");
        assert_eq!(matching("شازیہ", Flavour::Urdu), "shAzIH");
        assert_eq!(matching("الله", Flavour::Arabic), "*la");
    }

    #[test]
    fn display_supplies_the_unwritten_vowels() {
        assert_eq!(display("خديجة", Flavour::Arabic), "Khadija");
        assert_eq!(display("الوزاني", Flavour::Arabic), "Al-Wazani");
        assert_eq!(display("فاطمة", Flavour::Arabic), "Fatma");
        assert_eq!(display("الزهراء", Flavour::Arabic), "Al-Zahra");
        assert_eq!(display("علي", Flavour::Arabic), "Ali");
        assert_eq!(display("شبنم", Flavour::Persian), "Shabnam");
        assert_eq!(display("ذبیح‌الله", Flavour::Persian), "Zabihullah");
        assert_eq!(display("نوری", Flavour::Persian), "Nuri");
        assert_eq!(display("شازیہ", Flavour::Urdu), "Shazia");
        assert_eq!(display("پروین", Flavour::Urdu), "Parvin");
    }
}
