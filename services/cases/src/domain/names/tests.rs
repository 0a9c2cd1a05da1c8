//! Unit tests of the matcher; the accuracy test on the labelled pairs is
//! `tests/name_pairs.rs`.

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

#[test]
fn issue_examples_across_scripts() {
    for (a, b) in [
        ("ሰላም ተስፋይ", "Selam Tesfay"),
        ("Habtom Woldemichael", "Habtom Weldemikael"),
        ("ذبیح‌الله نوری", "Zabihullah Noori"),
        ("شازیہ پروین", "Shazia Parveen"),
        ("আব্দুল কাদের", "Abdul Kader"),
        ("Nour El Houda Ben Salah", "Nourelhouda Bensalah"),
        ("El Mehdi Ait Ali", "Elmehdi Aitali"),
        ("Abdulaziz bin Khalid", "Abdulaziz Khalid"),
        ("El-Amine Ould Bah", "Lamine Ould Bah"),
    ] {
        let s = similarity(a, b);
        assert!(s >= DUPLICATE_THRESHOLD, "{a} / {b}: {s}");
    }
    for (a, b) in [
        ("Shabnam Mahmoudi", "شبنم محمدی"),
        ("Zahra Hassani", "زهرا حسینی"),
    ] {
        let s = similarity(a, b);
        assert!(s < DUPLICATE_THRESHOLD, "{a} / {b}: {s}");
    }
}

#[test]
fn one_field_searches_find_by_that_field() {
    let person = Names {
        given: "Fatima Zahra",
        family: "Benali",
    };
    let query = Names {
        given: "",
        family: "Benali",
    };
    assert!(duplicate_score(query, person, person) >= DUPLICATE_THRESHOLD);
    let keys = DuplicateQuery::new(query).candidate_keys();
    let stored = person_name_keys(&name_key(&person.full()), &stored_skeleton(person, person));
    assert_eq!(
        rank_candidates(&keys, [(1, stored.as_slice())], MAX_CANDIDATES),
        vec![1]
    );
    // The given names alone, one of two: found as the family name alone is.
    let amrani = Names {
        given: "Fatima Zahra",
        family: "El Amrani",
    };
    for given in ["Fatima", "Zahra", "Fatima Zahra", "Zahra Fatima"] {
        let query = Names { given, family: "" };
        let score = duplicate_score(query, amrani, amrani);
        assert!(score >= DUPLICATE_THRESHOLD, "{given}: {score}");
        let keys = DuplicateQuery::new(query).candidate_keys();
        let stored = person_name_keys(&name_key(&amrani.full()), &stored_skeleton(amrani, amrani));
        assert_eq!(
            rank_candidates(&keys, [(1, stored.as_slice())], MAX_CANDIDATES),
            vec![1],
            "{given}"
        );
    }
    // A name searched for in one field and written in the other is found too.
    for (given, family) in [("Amrani", ""), ("", "Zahra")] {
        let score = duplicate_score(Names { given, family }, amrani, amrani);
        assert!(score >= DUPLICATE_THRESHOLD, "{given}/{family}: {score}");
    }
    // Every token searched for must be in the name: another given name is not found.
    for given in ["Khadija", "Fatima Khadija"] {
        let score = duplicate_score(Names { given, family: "" }, amrani, amrani);
        assert!(score < DUPLICATE_THRESHOLD, "{given}: {score}");
    }
}

#[test]
fn blocking_keys_are_the_bigrams_of_each_token_and_the_exact_name() {
    assert_eq!(
        person_name_keys("haddad mohamed", "mhmd hd"),
        ["=haddad mohamed", "hd", "hm", "md", "mh"]
    );
    // A token of one consonant is its own key; bigrams never span two tokens.
    assert_eq!(person_name_keys("li na", "l n"), ["=li na", "l", "n"]);
    assert!(person_name_keys("", "").is_empty());
    // A very long name keeps a bounded exact key.
    let long = "abcdefgh ".repeat(100);
    let keys = person_name_keys(&long, "bcdfgh");
    assert!(keys.iter().all(|k| k.len() <= 160), "{keys:?}");
    // Having a two-letter key is what containing it in the skeleton meant.
    let skeleton = stored_skeleton(
        Names {
            given: "محمد",
            family: "حداد",
        },
        Names {
            given: "Mohamed",
            family: "Haddad",
        },
    );
    let keys = person_name_keys("haddad mohamed", &skeleton);
    for token in skeleton.split(' ') {
        for pair in token.as_bytes().windows(2) {
            let pair = std::str::from_utf8(pair).expect("ascii");
            assert!(keys.iter().any(|k| k == pair), "{pair} of {skeleton}");
        }
    }
}

#[test]
fn a_search_selects_by_token_starts_and_ranks_the_exact_name_first() {
    let names = |given: &'static str, family: &'static str| {
        let n = Names { given, family };
        person_name_keys(&name_key(&n.full()), &stored_skeleton(n, n))
    };
    let people = [
        (1, names("Mohamed Ali", "Haddad")),
        (2, names("Mohamed", "Haddad")),
        (3, names("Mohamed", "Benali")),
        (4, names("Fatima", "Zahra")),
        (5, names("Ahmed", "Haddad")),
    ];
    let keys = DuplicateQuery::new(Names {
        given: "Mohamed",
        family: "Haddad",
    })
    .candidate_keys();
    assert_eq!(keys.select, ["hd", "mh"]);
    let ranked = rank_candidates(&keys, people.iter().map(|(i, k)| (*i, k.as_slice())), 10);
    // The exact name first, then the longer name with every bigram, then those sharing part.
    assert_eq!(ranked[..2], [2, 1]);
    assert!(!ranked.contains(&4), "{ranked:?}");
    assert_eq!(ranked.len(), 4);
    // The cap keeps the best ranked.
    let capped = rank_candidates(&keys, people.iter().map(|(i, k)| (*i, k.as_slice())), 1);
    assert_eq!(capped, [2]);
    // Tokens of one consonant select by that consonant when nothing else can.
    let li = DuplicateQuery::new(Names {
        given: "Li",
        family: "Na",
    })
    .candidate_keys();
    assert_eq!(li.select, ["l", "n"]);
    assert!(li.rank.contains(&"=li na".to_string()), "{li:?}");
    // Names without a consonant select by the exact name.
    let vowels = Names {
        given: "Ayo",
        family: "Yu",
    };
    let keys = DuplicateQuery::new(vowels).candidate_keys();
    assert_eq!(keys.select.len(), 1, "{keys:?}");
    assert!(keys.select[0].starts_with('='), "{keys:?}");
    let stored = person_name_keys(&name_key(&vowels.full()), &stored_skeleton(vowels, vowels));
    assert_eq!(
        rank_candidates(&keys, [(7, stored.as_slice())], MAX_CANDIDATES),
        [7]
    );
    // Nothing to search for without a letter.
    let nothing = DuplicateQuery::new(Names {
        given: "",
        family: "-",
    });
    assert!(nothing.candidate_keys().select.is_empty());
}

#[test]
fn stored_skeletons_cover_both_forms() {
    let original = Names {
        given: "محمد",
        family: "حداد",
    };
    let latin = Names {
        given: "Mahmad",
        family: "Haddad",
    };
    let s = stored_skeleton(original, latin);
    assert!(s.split(' ').any(|t| t == "mhmd"), "{s}");
    assert!(s.split(' ').any(|t| t == "hd"), "{s}");
}
