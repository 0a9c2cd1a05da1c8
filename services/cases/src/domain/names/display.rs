//! The readable Latin form of a name, shown to colleagues when the operator gave no Latin
//! spelling of their own. It is not the matching key: it keeps capitals, word order, particles,
//! hyphens and vowels, and a Latin-script name is shown as written.

use super::tokens::{Script, script};
use super::{arabic, bengali, clean, conventional, ethiopic, other};

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
/// Pashto words in the spelling their language conventionally uses where the word is a known
/// name unit (`محمد` → `Mohamed` in Arabic, `Mohammad` in Persian, `Muhammad` in Urdu; see
/// [`conventional`]), else with the vowels the script leaves out supplied (`قزقزقز` →
/// `Qazqazqaz`); Ge'ez, Bengali, Cyrillic and Hangul by their romanisation systems, other scripts
/// through `deunicode` (Chinese in pinyin, one word per written word: `王小明` → `Wangxiaoming`,
/// `王 小明` → `Wang Xiaoming`). Latin-script words are kept as written.
pub fn transliterate(input: &str) -> String {
    transliterate_within(input, input)
}

/// [`transliterate`] of one field of a name, whose language is told from the whole name
/// (`whole`): `محمد` is `Mohammad` beside a Persian family name (`محمد رضایی`), `Mohamed`
/// beside an Arabic one.
pub fn transliterate_within(input: &str, whole: &str) -> String {
    let input = clean::clean(input);
    let whole = clean::clean(whole);
    let ukrainian = other::has_ukrainian_letters(&whole);
    let flavour = arabic::flavour(&whole);
    let words: Vec<&str> = input.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if script(word) == Script::Abjad {
            // The longest run of Arabic-script words (up to three: `بن عبد العزيز`) that has a
            // conventional spelling, else the word alone.
            let known = (2..=3).rev().find_map(|n| {
                let run = words.get(i..i + n)?;
                if !run.iter().all(|w| script(w) == Script::Abjad) {
                    return None;
                }
                conventional::spelling(&run.join(" "), flavour).map(|s| (n, s))
            });
            if let Some((n, spelling)) = known {
                out.push(spelling.to_string());
                i += n;
                continue;
            }
            out.push(
                arabic_particle(word)
                    .map(str::to_string)
                    .or_else(|| conventional::spelling(word, flavour).map(str::to_string))
                    .unwrap_or_else(|| arabic::display(word, flavour)),
            );
            i += 1;
            continue;
        }
        out.push(match script(word) {
            Script::Ethiopic => by_part(word, |w| ethiopic::romanise(w, 'i')),
            Script::Bengali => by_part(word, bengali::romanise),
            Script::Cyrillic => by_part(word, |w| other::cyrillic(w, ukrainian)),
            Script::Hangul => by_part(word, other::hangul),
            Script::Other if word.chars().all(|c| !c.is_alphabetic() || is_latin(c)) => {
                word.to_string()
            }
            _ => by_part(word, |w| {
                let mut s = deunicode::deunicode(w).to_lowercase();
                s.retain(|c| c.is_ascii_alphabetic() || c == '-');
                s
            }),
        });
        i += 1;
    }
    out.retain(|w| !w.is_empty());
    out.join(" ")
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
        assert_eq!(transliterate("박"), "Bak");
        assert_eq!(transliterate("Андрій Шевченко"), "Andrii Shevchenko");
        assert_eq!(transliterate("ሰላም ተስፋይ"), "Selam Tesfay");
        assert_eq!(transliterate("আব্দুল কাদের"), "Abdul Kader");
        assert_eq!(transliterate("王 小明"), "Wang Xiaoming");
        assert_eq!(
            transliterate("Ştefan  O'Connor-Diallo"),
            "Ştefan O'Connor-Diallo"
        );
    }

    #[test]
    fn arabic_script_names_take_the_spelling_their_language_uses() {
        assert_eq!(transliterate("خديجة الوزاني"), "Khadija Ouazzani");
        assert_eq!(
            transliterate("فاطمة الزهراء بن علي"),
            "Fatima Zahra Bin Ali"
        );
        // The same letters, spelt as Arabic, Persian and Urdu documents spell them; the
        // language is told by the letters (Persian yeh, Urdu heh goal).
        assert_eq!(transliterate("محمد"), "Mohamed");
        assert_eq!(transliterate("محمد رضایی"), "Mohammad Rezaei");
        assert_eq!(transliterate("علیرضا حسینی"), "Alireza Hosseini");
        assert_eq!(transliterate("شاہد"), "Shahid");
        assert_eq!(transliterate("شازیہ پروین"), "Shazia Parveen");
        assert_eq!(transliterate("ذبیح‌الله نوری"), "Zabihollah Nouri");
        assert_eq!(transliterate("عبد الله"), "Abdullah");
        // A field alone has no Persian letter; the whole name has.
        assert_eq!(transliterate_within("محمد", "محمد رضایی"), "Mohammad");
        assert_eq!(transliterate_within("محمد", "محمد الوزاني"), "Mohamed");
    }

    #[test]
    fn unknown_arabic_script_words_get_their_vowels_supplied() {
        // Not in the table of conventional spellings: spelt letter by letter, vowels put in.
        assert_eq!(
            conventional::spelling("قزقزقز", arabic::Flavour::Arabic),
            None
        );
        assert_eq!(transliterate("قزقزقز"), "Qazqazqaz");
    }
}
