//! Bengali script (Bangladesh, West Bengal).
//!
//! An abugida: a consonant carries the inherent vowel unless a vowel sign replaces it or the
//! virama (hasanta, `্`) kills it, which is also how conjuncts are written (`ব্দ` = `bd`). Letter
//! values follow ISO 15919 / the National Library at Kolkata romanisation, simplified as names
//! are written on Bangladeshi passports: the inherent vowel is `a`, `য` is `j` and `য়` is `y`,
//! `ং` is `ng`, `ভ` is `bh` at the start of a word and `v` inside it. The inherent vowel is not pronounced, so not written, at the end of a word nor
//! between a vowel and a consonant that has its own vowel sign (`রহমান` → `rahman`, `ইসলাম` →
//! `islam`, but `আলমগীর` → `alamgir`). A word is never split: `আব্দুল` is `abdul`.

pub(super) fn is_bengali(c: char) -> bool {
    matches!(c as u32, 0x0980..=0x09FF)
}

fn consonant(c: char) -> Option<&'static str> {
    Some(match c {
        'ক' => "k",
        'খ' => "kh",
        'গ' => "g",
        'ঘ' => "gh",
        'ঙ' => "ng",
        'চ' => "ch",
        'ছ' => "chh",
        'জ' | 'য' => "j",
        'ঝ' => "jh",
        'ঞ' => "n",
        'ট' | 'ত' => "t",
        'ঠ' | 'থ' => "th",
        'ড' | 'দ' => "d",
        'ঢ' | 'ধ' => "dh",
        'ণ' | 'ন' => "n",
        'প' => "p",
        'ফ' => "f",
        'ব' => "b",
        'ভ' => "bh",
        'ম' => "m",
        'র' => "r",
        'ল' => "l",
        'শ' | 'ষ' => "sh",
        'স' => "s",
        'হ' => "h",
        'ৎ' => "t",
        _ => return None,
    })
}

fn independent_vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'অ' => "a",
        'আ' => "a",
        'ই' | 'ঈ' => "i",
        'উ' | 'ঊ' => "u",
        'ঋ' => "ri",
        'এ' => "e",
        'ঐ' => "oi",
        'ও' => "o",
        'ঔ' => "ou",
        _ => return None,
    })
}

fn vowel_sign(c: char) -> Option<&'static str> {
    Some(match c {
        'া' => "a",
        'ি' | 'ী' => "i",
        'ু' | 'ূ' => "u",
        'ৃ' => "ri",
        'ে' => "e",
        'ৈ' => "oi",
        'ো' => "o",
        'ৌ' => "ou",
        _ => return None,
    })
}

const VIRAMA: char = '্';
const NUKTA: char = '\u{09BC}';

/// What follows a consonant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    Sign(&'static str),
    Virama,
    Inherent,
}

enum Unit {
    Consonant(&'static str, After),
    Vowel(&'static str),
    Other(String),
}

/// Lower-case romanisation of one word (see the module documentation).
pub(super) fn romanise(word: &str) -> String {
    // The letters with nukta (ড় ঢ় য়) are a base letter and the nukta in NFC (their precomposed
    // forms are composition exclusions).
    let chars: Vec<char> = {
        use unicode_normalization::UnicodeNormalization;
        word.nfc().collect()
    };
    let mut units = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(mut cons) = consonant(c) {
            if chars.get(i + 1) == Some(&NUKTA) {
                i += 1;
                cons = match c {
                    'ড' => "r",
                    'ঢ' => "rh",
                    'য' => "y",
                    _ => cons,
                };
            } else if c == 'ভ' && i > 0 {
                // Inside a word ভ mostly writes the v of Perso-Arabic names (`তানভীর` Tanvir,
                // `পারভীন` Parvin); at the start the aspirate (`ভূঁইয়া` Bhuiyan).
                cons = "v";
            }
            let after = match chars.get(i + 1) {
                Some(&VIRAMA) => {
                    i += 1;
                    After::Virama
                }
                Some(&n) => match vowel_sign(n) {
                    Some(v) => {
                        i += 1;
                        After::Sign(v)
                    }
                    None => After::Inherent,
                },
                None => After::Inherent,
            };
            units.push(Unit::Consonant(cons, after));
        } else if let Some(v) = independent_vowel(c) {
            units.push(Unit::Vowel(v));
        } else {
            let s = match c {
                'ং' => "ng".to_string(),
                'ঃ' => "h".to_string(),
                // Chandrabindu (nasal vowel), nukta and joiners add no letter.
                'ঁ' | '়' | '\u{200C}' | '\u{200D}' => String::new(),
                other => deunicode::deunicode_char(other)
                    .unwrap_or("")
                    .to_lowercase(),
            };
            units.push(Unit::Other(s));
        }
        i += 1;
    }
    let mut out = String::new();
    let mut after_vowel = false;
    for (k, u) in units.iter().enumerate() {
        match u {
            Unit::Vowel(v) => {
                out.push_str(v);
                after_vowel = true;
            }
            Unit::Other(s) => {
                out.push_str(s);
            }
            Unit::Consonant(c, after) => {
                out.push_str(c);
                match after {
                    After::Sign(v) => {
                        out.push_str(v);
                        after_vowel = true;
                    }
                    After::Virama => after_vowel = false,
                    After::Inherent => {
                        let last = k + 1 == units.len();
                        let next_signed =
                            matches!(units.get(k + 1), Some(Unit::Consonant(_, After::Sign(_))));
                        let silent = last || (after_vowel && next_signed);
                        if !silent {
                            out.push('a');
                        }
                        after_vowel = !silent;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conjuncts_and_the_inherent_vowel() {
        assert_eq!(romanise("আব্দুল"), "abdul");
        assert_eq!(romanise("কাদের"), "kader");
        assert_eq!(romanise("রহমান"), "rahman");
        assert_eq!(romanise("ইসলাম"), "islam");
        assert_eq!(romanise("আলমগীর"), "alamgir");
        assert_eq!(romanise("আক্তার"), "aktar");
        assert_eq!(romanise("মোহাম্মদ"), "mohammad");
        assert_eq!(romanise("হোসেন"), "hosen");
        assert_eq!(romanise("নাসরিন"), "nasrin");
    }
}
