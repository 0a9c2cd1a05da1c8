//! Cyrillic and Hangul, romanised by their official systems; everything else by `deunicode`.
//!
//! * Ukrainian: the national system (Cabinet of Ministers resolution 55 of 2010, used in
//!   Ukrainian passports): `г` = `h`, `ґ` = `g`, `и` = `y`, `і` = `i`, and `є ї й ю я` written
//!   `ye yi y yu ya` at the start of a word and `ie i i iu ia` elsewhere (`Андрій` → `Andrii`).
//!   A name is read as Ukrainian when it has a letter only Ukrainian uses (`і ї є ґ`).
//! * Russian and other Cyrillic: BGN/PCGN (`Сергей` → `Sergey`, `Юлия` → `Yuliya`), with the
//!   Serbian and Macedonian letters as their Latin alphabets write them (`ћ` = `ć` → `c`).
//! * Korean: the Revised Romanization (2000), syllable by syllable, final consonants as
//!   pronounced before a pause (`박` → `Bak`, `김` → `Gim`).

/// Ukrainian-only letters: their presence anywhere in the name tells the Cyrillic is Ukrainian.
pub(super) fn has_ukrainian_letters(input: &str) -> bool {
    input.chars().any(|c| "іїєґІЇЄҐ".contains(c))
}

pub(super) fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x04FF)
}

pub(super) fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3)
}

/// Lower-case romanisation of one Cyrillic word.
pub(super) fn cyrillic(word: &str, ukrainian: bool) -> String {
    let chars: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let initial = i == 0 || !chars[i - 1].is_alphabetic();
        let after_vowel = i > 0 && "аеёиіїоуыэюяєaeiou".contains(chars[i - 1]);
        let after_sign = i > 0 && "ьъ".contains(chars[i - 1]);
        let s: &str = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' if ukrainian => {
                if i > 0 && chars[i - 1] == 'з' {
                    "gh"
                } else {
                    "h"
                }
            }
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' if !ukrainian && (initial || after_vowel || after_sign) => "ye",
            'е' | 'э' => "e",
            'ё' => {
                if initial || after_vowel || after_sign {
                    "yo"
                } else {
                    "e"
                }
            }
            'є' => {
                if initial {
                    "ye"
                } else {
                    "ie"
                }
            }
            'ж' => "zh",
            'з' => "z",
            'и' if ukrainian => "y",
            'и' => "i",
            'і' => "i",
            'ї' => {
                if initial {
                    "yi"
                } else {
                    "i"
                }
            }
            'й' if ukrainian && !initial => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => {
                if ukrainian && !initial {
                    "iu"
                } else {
                    "yu"
                }
            }
            'я' => {
                if ukrainian && !initial {
                    "ia"
                } else {
                    "ya"
                }
            }
            'ћ' => "c",
            'ђ' => "d",
            'џ' => "dzh",
            'љ' => "lj",
            'њ' => "nj",
            'ј' => "j",
            'ѓ' => "gj",
            'ќ' => "kj",
            'ѕ' => "dz",
            other => {
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
    out
}

const INITIALS: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Lower-case Revised Romanization of a Hangul word, syllable by syllable.
pub(super) fn hangul(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if !is_hangul(c) {
            out.push_str(&deunicode::deunicode_char(c).unwrap_or("").to_lowercase());
            continue;
        }
        let s = c as usize - 0xAC00;
        let (i, m, f) = (s / (21 * 28), (s / 28) % 21, s % 28);
        out.push_str(INITIALS[i]);
        out.push_str(MEDIALS[m]);
        out.push_str(FINALS[f]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_systems() {
        assert_eq!(cyrillic("Андрій", true), "andrii");
        assert_eq!(cyrillic("Шевченко", true), "shevchenko");
        assert_eq!(cyrillic("Євгенія", true), "yevheniia");
        assert_eq!(cyrillic("Сергей", false), "sergey");
        assert_eq!(cyrillic("Юлия", false), "yuliya");
        assert_eq!(cyrillic("Згурський", true), "zghurskyi");
        assert_eq!(hangul("박"), "bak");
        assert_eq!(hangul("김민준"), "gimminjun");
    }
}
