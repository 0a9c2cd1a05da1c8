//! The readable Latin form of a name, shown to colleagues when the operator gave no Latin
//! spelling of their own. It is not the matching key: it keeps capitals, word order, particles,
//! hyphens and vowels, and a Latin-script name is shown as written.

use super::tokens::{Script, script};
use super::{arabic, bengali, clean, ethiopic, other};

/// Upper-cases the first letter of `word`.
pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Arabic-script particles, written as ALA-LC writes them.
fn arabic_particle(word: &str) -> Option<&'static str> {
    Some(match word {
        "بن" => "bin",
        "بنت" => "bint",
        "ابن" => "ibn",
        "ابو" | "أبو" => "Abu",
        "ولد" => "Ould",
        "ال" => "al",
        _ => return None,
    })
}

/// A readable romanisation of a name as written, in any script: Arabic, Persian, Urdu and
/// Pashto with the vowels the script leaves out supplied (`خديجة الوزاني` → `Khadija
/// Al-Wazani`), Ge'ez, Bengali, Cyrillic and Hangul by their romanisation systems, other scripts
/// through `deunicode` (Chinese in pinyin, one word per written word: `王小明` → `Wangxiaoming`,
/// `王 小明` → `Wang Xiaoming`). Latin-script words are kept as written.
pub fn transliterate(input: &str) -> String {
    let input = clean::clean(input);
    let ukrainian = other::has_ukrainian_letters(&input);
    let flavour = arabic::flavour(&input);
    input
        .split(' ')
        .map(|word| match script(word) {
            Script::Abjad => arabic_particle(word)
                .map(str::to_string)
                .unwrap_or_else(|| arabic::display(word, flavour)),
            Script::Ethiopic => by_part(word, |w| ethiopic::romanise(w, 'i')),
            Script::Bengali => by_part(word, bengali::romanise),
            Script::Cyrillic => by_part(word, |w| other::cyrillic(w, ukrainian)),
            Script::Hangul => by_part(word, other::hangul),
            Script::Other if word.chars().all(|c| !c.is_alphabetic() || is_latin(c)) => {
                word.to_string()
            }
            Script::Other => by_part(word, |w| {
                let mut s = deunicode::deunicode(w).to_lowercase();
                s.retain(|c| c.is_ascii_alphabetic() || c == '-');
                s
            }),
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A letter of the Latin script (with its diacritics and extensions).
pub fn is_latin(c: char) -> bool {
    matches!(c as u32, 0x0041..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
}

/// Romanises each hyphen-separated part and capitalises it.
fn by_part(word: &str, romanise: impl Fn(&str) -> String) -> String {
    word.split('-')
        .map(|part| {
            let mut s = romanise(part);
            s.retain(|c| c.is_ascii_alphanumeric() || c == '\'');
            capitalise(&s)
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_forms() {
        assert_eq!(transliterate("خديجة الوزاني"), "Khadija Al-Wazani");
        assert_eq!(
            transliterate("فاطمة الزهراء بن علي"),
            "Fatma Al-Zahra bin Ali"
        );
        assert_eq!(transliterate("박"), "Bak");
        assert_eq!(transliterate("Андрій Шевченко"), "Andrii Shevchenko");
        assert_eq!(transliterate("ሰላም ተስፋይ"), "Selam Tesfay");
        assert_eq!(transliterate("আব্দুল কাদের"), "Abdul Kader");
        assert_eq!(transliterate("ذبیح‌الله نوری"), "Zabihullah Nuri");
        assert_eq!(transliterate("王 小明"), "Wang Xiaoming");
        assert_eq!(
            transliterate("Ştefan  O'Connor-Diallo"),
            "Ştefan O'Connor-Diallo"
        );
    }
}
