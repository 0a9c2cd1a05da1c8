//! Names as a desk meets them: single names, one field searched, Unicode that must not reach the
//! store, the readable Latin form and the operator's own spelling, and duplicates across
//! scripts. Every refusal names its field and changes nothing; the other tenant sees none of it.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_backends;

const CREATE: &str = "mutation($i: PersonInput!) { createPerson(input: $i) { id givenNames familyNames latinGivenNames latinFamilyNames } }";
const SEARCH: &str = "query($g: String!, $f: String!) { personDuplicates(givenNames: $g, familyNames: $f) { score person { id givenNames familyNames } } }";
const COUNT: &str = "{ persons(first: 100) { edges { node { id } } } }";

fn person(given: &str, family: &str) -> Value {
    json!({ "i": { "givenNames": given, "familyNames": family, "territoryCode": "052022" } })
}

async fn count(op: &Client) -> usize {
    op.edges(COUNT, json!({}))
        .await
        .as_array()
        .map_or(0, Vec::len)
}

async fn found(op: &Client, given: &str, family: &str) -> Vec<String> {
    let data = op.ok(SEARCH, json!({ "g": given, "f": family })).await;
    duplicate_ids(&data)
}

async fn a_single_name_registers_and_one_field_finds_by_that_field(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let benali = op_a.one(CREATE, person("Fatima Zahra", "Benali")).await;
    let yonas = op_a.one(CREATE, person("Yonas", "")).await;
    let only_family = op_a.one(CREATE, person("", "Tesfamariam")).await;
    assert_eq!(yonas["familyNames"], "");
    assert_eq!(only_family["givenNames"], "");

    let id = |v: &Value| v["id"].as_str().expect("id").to_owned();
    assert_eq!(found(&op_a, "", "Benali").await, vec![id(&benali)]);
    assert_eq!(found(&op_a, "Yonas", "").await, vec![id(&yonas)]);
    assert_eq!(
        found(&op_a, "", "Tesfamariam").await,
        vec![id(&only_family)]
    );
    // One given name of two finds the person as one family name does.
    for given in ["Fatima Zahra", "Fatima", "Zahra"] {
        assert!(
            found(&op_a, given, "").await.contains(&id(&benali)),
            "{given}"
        );
    }

    // No name at all, nor only invisible characters: refused on the field, nothing stored.
    for (given, family) in [("", ""), (" ", "\u{200B}\u{202E}")] {
        op_a.refused_on(CREATE, person(given, family), "familyNames")
            .await;
    }
    op_a.refused_on(SEARCH, json!({ "g": "", "f": "" }), "familyNames")
        .await;
    assert_eq!(count(&op_a).await, 3);

    // The other tenant sees none of it.
    assert!(found(&op_b, "", "Benali").await.is_empty());
    assert!(found(&op_b, "Yonas", "").await.is_empty());
    assert_eq!(count(&op_b).await, 0);
}

on_backends!(a_single_name_registers_and_one_field_finds_by_that_field);

async fn names_are_stored_clean_and_every_refusal_names_its_field(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;

    // NFC, and no bidi controls, marks or zero-width characters.
    let stored = op_a
        .one(
            CREATE,
            person(
                "\u{202E}Ah\u{200B}med\u{202C}\u{200F}",
                "Jose\u{301}\u{FEFF}",
            ),
        )
        .await;
    assert_eq!(stored["givenNames"], "Ahmed");
    assert_eq!(stored["familyNames"], "José");
    assert_eq!(stored["latinFamilyNames"], "José");
    // The Persian non-joiner between two letters is part of the spelling.
    let zabih = op_a.one(CREATE, person("ذبیح\u{200C}الله", "نوری")).await;
    assert_eq!(zabih["givenNames"], "ذبیح\u{200C}الله");
    assert_eq!(zabih["latinGivenNames"], "Zabihollah");
    // Full-width letters, as some keyboards and PDF copies give them, are ordinary letters.
    let wide = op_a.one(CREATE, person("Ｍｏｈａｍｅｄ", "𝐁𝐞𝐧𝐚𝐥𝐢")).await;
    assert_eq!(wide["givenNames"], "Mohamed");
    assert_eq!(wide["familyNames"], "Benali");
    // Limits count what a reader sees: 120 accented letters, decomposed, are 120.
    let long = "e\u{301}".repeat(120);
    let accented = op_a.one(CREATE, person("Anna", &long)).await;
    assert_eq!(accented["familyNames"], "é".repeat(120));
    let before = count(&op_a).await;

    let refusals = [
        (person("Anna", &"a".repeat(201)), "familyNames"),
        (person("😀😀", "Rossi"), "givenNames"),
        (person("Anna 👍🏽", "Rossi"), "givenNames"),
        (person("Anna", "\u{7}Rossi"), "familyNames"),
        (
            person(
                &format!("An{}na", "\u{0301}\u{0300}\u{0308}".repeat(5)),
                "Rossi",
            ),
            "givenNames",
        ),
        (
            json!({ "i": { "givenNames": "خديجة", "familyNames": "Rossi", "latinGivenNames": "خديجة", "territoryCode": "052022" } }),
            "latinGivenNames",
        ),
        (
            json!({ "i": { "givenNames": "", "familyNames": "Rossi", "latinGivenNames": "Anna", "territoryCode": "052022" } }),
            "latinGivenNames",
        ),
        (
            json!({ "i": { "givenNames": "Anna", "familyNames": "Rossi", "latinFamilyNames": "💥", "territoryCode": "052022" } }),
            "latinFamilyNames",
        ),
    ];
    for (input, field) in refusals {
        let resp = op_a.gql(CREATE, input.clone()).await;
        assert_eq!(
            code(&resp).as_deref(),
            Some("INVALID_INPUT"),
            "{input}: {resp}"
        );
        assert_eq!(
            crate::helpers::field(&resp).as_deref(),
            Some(field),
            "{input}: {resp}"
        );
    }
    op_a.refused_on(
        SEARCH,
        json!({ "g": "x".repeat(201), "f": "Rossi" }),
        "givenNames",
    )
    .await;
    // An update refused the same way leaves the record as it was.
    let id = stored["id"].as_str().expect("id");
    op_a.refused_on(
        "mutation($id: ID!, $i: PersonInput!) { updatePerson(id: $id, expectedVersion: 1, input: $i) { id } }",
        json!({ "id": id, "i": { "givenNames": "😀", "familyNames": "José", "territoryCode": "052022" } }),
        "givenNames",
    )
    .await;
    let edges = op_a
        .edges(
            "{ persons(first: 100) { edges { node { id givenNames version } } } }",
            json!({}),
        )
        .await;
    let again = edges
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["node"]["id"] == id)
        .expect("the person");
    assert_eq!(
        again["node"],
        json!({ "id": id, "givenNames": "Ahmed", "version": 1 })
    );
    assert_eq!(count(&op_a).await, before);
    assert_eq!(count(&op_b).await, 0);
}

on_backends!(names_are_stored_clean_and_every_refusal_names_its_field);

async fn the_latin_form_is_readable_and_duplicates_are_found_across_scripts(
    backend: Backend,
    topology: Topology,
) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let khadija = op_a.one(CREATE, person("خديجة", "الوزاني")).await;
    assert_eq!(khadija["latinGivenNames"], "Khadija");
    assert_eq!(khadija["latinFamilyNames"], "Ouazzani");
    // A frequent name takes the spelling its language uses, not a letter-by-letter guess.
    let mohammad = op_a.one(CREATE, person("محمد", "رضایی")).await;
    assert_eq!(mohammad["latinGivenNames"], "Mohammad");
    assert_eq!(mohammad["latinFamilyNames"], "Rezaei");
    // The operator's own Latin spelling is kept; the other field is derived.
    let selam = op_a
        .one(
            CREATE,
            json!({ "i": { "givenNames": "ሰላም", "familyNames": "ተስፋይ", "latinGivenNames": "Salam", "territoryCode": "052022" } }),
        )
        .await;
    assert_eq!(selam["latinGivenNames"], "Salam");
    assert_eq!(selam["latinFamilyNames"], "Tesfay");
    let zabih = op_a.one(CREATE, person("ذبیح‌الله", "نوری")).await;
    let shabnam = op_a.one(CREATE, person("شبنم", "محمدی")).await;
    let kader = op_a.one(CREATE, person("আব্দুল", "কাদের")).await;
    let id = |v: &Value| v["id"].as_str().expect("id").to_owned();

    assert_eq!(found(&op_a, "Selam", "Tesfay").await, vec![id(&selam)]);
    assert_eq!(found(&op_a, "Zabihullah", "Noori").await, vec![id(&zabih)]);
    assert_eq!(found(&op_a, "Abdul", "Kader").await, vec![id(&kader)]);
    assert_eq!(
        found(&op_a, "Khadija", "Ouazzani").await,
        vec![id(&khadija)]
    );
    assert_eq!(
        found(&op_a, "Shabnam", "Mohammadi").await,
        vec![id(&shabnam)]
    );
    // A different person whose name looks close is not offered.
    assert!(found(&op_a, "Shabnam", "Mahmoudi").await.is_empty());

    assert!(found(&op_b, "Selam", "Tesfay").await.is_empty());
    assert_eq!(count(&op_b).await, 0);
}

on_backends!(the_latin_form_is_readable_and_duplicates_are_found_across_scripts);

async fn one_answer_names_every_refused_field(backend: Backend, topology: Topology) {
    let (app, a, b) = spawn_alfa_and_beta(backend, topology).await;
    let (op_a, op_b) = operators(&app, &a, &b).await;
    let input = json!({ "i": {
        "givenNames": "Anna 😀",
        "familyNames": "Rossi",
        "territoryCode": "041032",
        "countryOfBirth": "ZZ",
        "phone": "12",
        "email": "user@.com",
        "codiceFiscale": "RSSNNA80A41H501X",
    } });
    let resp = op_a.gql(CREATE, input).await;
    assert_eq!(code(&resp).as_deref(), Some("INVALID_INPUT"), "{resp}");
    // The first refused field is the error's own; `fields` lists every one, with its message.
    assert_eq!(crate::helpers::field(&resp).as_deref(), Some("givenNames"));
    let fields: Vec<&str> = resp["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()), "{f}");
            f["field"].as_str().expect("field")
        })
        .collect();
    assert_eq!(
        fields,
        [
            "givenNames",
            "countryOfBirth",
            "phone",
            "email",
            "codiceFiscale",
            "territoryCode"
        ]
    );
    // Each field carries its stable reason (and parameters, numbers and codes only), the
    // error's own too, so that a client words every refusal in its language.
    let ext = &resp["errors"][0]["extensions"];
    assert_eq!(ext["reason"], "SYMBOLS", "{resp}");
    let reasons: Vec<(&str, &str)> = ext["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default(),
                f["reason"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("givenNames", "SYMBOLS"),
            ("countryOfBirth", "NOT_A_COUNTRY"),
            ("phone", "NOT_A_PHONE"),
            ("email", "NOT_AN_EMAIL"),
            ("codiceFiscale", "CODICE_FISCALE_CHECK"),
            ("territoryCode", "ISTAT_RETIRED"),
        ],
        "{resp}"
    );
    assert_eq!(
        ext["fields"][5]["params"],
        json!({ "successors": "041044" })
    );
    // A single refusal carries no list.
    let resp = op_a.gql(CREATE, person("Anna", "Rossi 😀")).await;
    assert_eq!(crate::helpers::field(&resp).as_deref(), Some("familyNames"));
    assert!(
        resp["errors"][0]["extensions"]["fields"].is_null(),
        "{resp}"
    );
    // Nothing was stored, in either tenant.
    assert_eq!(count(&op_a).await, 0);
    assert_eq!(count(&op_b).await, 0);
}

on_backends!(one_answer_names_every_refused_field);
