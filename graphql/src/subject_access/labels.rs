//! The PDF's words: headings and field labels in Italian, English and French, and the Italian
//! names of the API's codes. A label the table lacks in a language is shown in Italian only.

/// A language of the PDF's labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    It,
    En,
    Fr,
}

impl Lang {
    /// The table's language for an ISO 639 code (`en`, `eng`), if it has one.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "it" | "ita" => Some(Lang::It),
            "en" | "eng" => Some(Lang::En),
            "fr" | "fra" | "fre" => Some(Lang::Fr),
            _ => None,
        }
    }
}

/// Label keys with their Italian, English and French text.
const LABELS: &[(&str, &str, &str, &str)] = &[
    (
        "title",
        "I tuoi dati personali",
        "Your personal data",
        "Vos données personnelles",
    ),
    (
        "intro",
        "Copia dei dati che lo sportello tratta su di te (GDPR artt. 15 e 20)",
        "Copy of the data the desk processes about you (GDPR art. 15 and 20)",
        "Copie des données que le guichet traite à votre sujet (RGPD art. 15 et 20)",
    ),
    ("generatedAt", "Generato il", "Generated on", "Généré le"),
    (
        "limited",
        "Limitato ai territori",
        "Limited to the territories",
        "Limité aux territoires",
    ),
    ("person", "Anagrafica", "Personal details", "État civil"),
    ("names", "Nome e cognome", "Name", "Nom"),
    (
        "latinNames",
        "Nome in caratteri latini",
        "Name in Latin letters",
        "Nom en caractères latins",
    ),
    (
        "birth",
        "Data di nascita",
        "Date of birth",
        "Date de naissance",
    ),
    ("sex", "Sesso", "Sex", "Sexe"),
    ("gender", "Genere", "Gender", "Genre"),
    (
        "countryOfBirth",
        "Paese di nascita",
        "Country of birth",
        "Pays de naissance",
    ),
    (
        "citizenships",
        "Cittadinanze",
        "Citizenships",
        "Nationalités",
    ),
    ("languages", "Lingue", "Languages", "Langues"),
    ("phone", "Telefono", "Phone", "Téléphone"),
    ("email", "E-mail", "E-mail", "E-mail"),
    ("codiceFiscale", "Codice fiscale", "Tax code", "Code fiscal"),
    (
        "legalStatus",
        "Permesso di soggiorno",
        "Residence permit",
        "Titre de séjour",
    ),
    (
        "territory",
        "Comune (codice ISTAT)",
        "Municipality (ISTAT code)",
        "Commune (code ISTAT)",
    ),
    ("household", "Nucleo familiare", "Household", "Foyer"),
    ("role", "Ruolo", "Role", "Rôle"),
    ("consents", "Consensi", "Consents", "Consentements"),
    (
        "cases",
        "Percorsi (prese in carico)",
        "Case files",
        "Dossiers",
    ),
    ("case", "Percorso", "Case", "Dossier"),
    ("status", "Stato", "Status", "Statut"),
    ("outcome", "Esito", "Outcome", "Résultat"),
    ("openedAt", "Aperto il", "Opened on", "Ouvert le"),
    ("closedAt", "Chiuso il", "Closed on", "Fermé le"),
    (
        "reopenReason",
        "Motivo della riapertura",
        "Reason for reopening",
        "Motif de réouverture",
    ),
    ("encounters", "Colloqui", "Meetings", "Entretiens"),
    ("notes", "Note", "Notes", "Notes"),
    ("needs", "Bisogni", "Needs", "Besoins"),
    (
        "interventions",
        "Interventi",
        "Actions taken",
        "Interventions",
    ),
    ("referrals", "Invii ai servizi", "Referrals", "Orientations"),
    ("feedback", "Riscontro", "Feedback", "Retour"),
    (
        "plan",
        "Progetto personalizzato",
        "Personal plan",
        "Projet personnalisé",
    ),
    ("steps", "Passi", "Steps", "Étapes"),
    (
        "appointments",
        "Appuntamenti",
        "Appointments",
        "Rendez-vous",
    ),
    (
        "accessLog",
        "Chi ha consultato o modificato i tuoi dati",
        "Who read or changed your data",
        "Qui a consulté ou modifié vos données",
    ),
    (
        "statistics",
        "Statistiche in forma pseudonima",
        "Statistics in pseudonymous form",
        "Statistiques sous forme pseudonyme",
    ),
    (
        "statisticsNote",
        "Fatti conteggiati senza nome, per tipo e mese",
        "Facts counted without your name, by kind and month",
        "Faits comptés sans votre nom, par type et mois",
    ),
    ("none", "nessuno", "none", "aucun"),
    ("yes", "sì", "yes", "oui"),
    ("no", "no", "no", "non"),
];

/// The label of `key` in `lang`, falling back to Italian, then to the key itself.
pub fn label(lang: Lang, key: &str) -> &str {
    let Some(&(_, it, en, fr)) = LABELS.iter().find(|(k, ..)| *k == key) else {
        return key;
    };
    match lang {
        Lang::It => it,
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// The labels of `key` in each of `langs`, joined with " / " (Italian first).
pub fn labels(langs: &[Lang], key: &str) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(langs.len());
    for lang in langs {
        let text = label(*lang, key);
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out.join(" / ")
}

/// The Italian name of a part of a person's record as the audit log names it (`codiceFiscale`,
/// `encounters`), or the name itself.
pub fn part(name: &str) -> &str {
    match name {
        "names" => "nomi",
        "latinNames" => "nomi in caratteri latini",
        "birth" => "data di nascita",
        "sex" => "sesso",
        "gender" => "genere",
        "countryOfBirth" => "paese di nascita",
        "citizenships" => "cittadinanze",
        "languages" => "lingue",
        "phone" => "telefono",
        "email" => "e-mail",
        "codiceFiscale" => "codice fiscale",
        "legalStatus" => "titolo di soggiorno",
        "territoryCode" => "comune",
        "household" => "nucleo familiare",
        "consent" => "consensi",
        "cases" => "prese in carico",
        "encounters" => "colloqui",
        "needs" => "bisogni",
        "interventions" => "interventi",
        "referrals" => "invii",
        "plan" => "piano",
        "appointments" => "appuntamenti",
        "audit" => "registro degli accessi",
        "notes" => "note",
        "status" => "stato",
        "outcome" => "esito",
        other => other,
    }
}

/// The Italian name of the kind of object an audit entry is about (`encounter`), or the kind.
pub fn object(kind: &str) -> &str {
    match kind {
        "person" => "persona",
        "case" => "presa in carico",
        "encounter" => "colloquio",
        "need" => "bisogno",
        "intervention" => "intervento",
        "referral" => "invio",
        "plan_goal" => "obiettivo del piano",
        "plan_step" => "passo del piano",
        "appointment" => "appuntamento",
        "household" => "nucleo familiare",
        other => other,
    }
}

/// The Italian name of an API code (`LEGAL_ADVICE`), or the code itself.
pub fn value(code: &str) -> &str {
    match code {
        "FEMALE" => "femmina",
        "MALE" => "maschio",
        "OTHER" => "altro",
        "CASE_MANAGEMENT" => "gestione del percorso",
        "REFERRAL_SHARING" => "condivisione per gli invii ai servizi",
        "ANONYMISED_STATISTICS" => "statistiche anonime",
        "CONTACT_BY_MESSAGE" => "contatto tramite messaggi",
        "INTAKE" => "accoglienza",
        "ACTIVE" => "attivo",
        "MONITORING" => "monitoraggio",
        "CLOSED" => "chiuso",
        "DESK" => "allo sportello",
        "PHONE" => "al telefono",
        "OUTREACH" => "sul territorio",
        "ONLINE" => "online",
        "DOCUMENTS_LEGAL" => "documenti e questioni legali",
        "HOUSING" => "casa",
        "WORK" => "lavoro",
        "HEALTH" => "salute",
        "SCHOOL" => "scuola",
        "ITALIAN_LANGUAGE" => "lingua italiana",
        "FAMILY" => "famiglia",
        "WELFARE" => "welfare",
        "DIGITAL_SKILLS" => "competenze digitali",
        "EXPRESSED" => "espresso",
        "DETECTED" => "rilevato",
        "OPEN" => "aperto",
        "ADDRESSED" => "affrontato",
        "UNRESOLVED" => "non risolto",
        "ORIENTATION" => "orientamento",
        "ACCOMPANIMENT" => "accompagnamento",
        "MEDIATION" => "mediazione",
        "LEGAL_ADVICE" => "consulenza legale",
        "DOCUMENT_ASSISTANCE" => "assistenza per i documenti",
        "INFORMATION" => "informazione",
        "REFERRAL" => "invio",
        "SENT" => "inviato",
        "ACCEPTED" => "accettato",
        "REJECTED" => "respinto",
        "COMPLETED" => "concluso",
        "FAILED" => "non riuscito",
        "ACHIEVED" => "raggiunto",
        "DROPPED" => "abbandonato",
        "OPERATOR" => "operatore",
        "PERSON" => "la persona",
        "VOLUNTEER" => "volontario",
        "TODO" => "da fare",
        "DONE" => "fatto",
        "CANCELLED" => "annullato",
        "BOOKED" => "prenotato",
        "HEAD" => "capofamiglia",
        "PARTNER" => "partner",
        "CHILD" => "figlio/a",
        "PARENT" => "genitore",
        "SIBLING" => "fratello/sorella",
        "create" => "creazione",
        "update" => "modifica",
        "read" => "consultazione",
        "exported" => "esportazione",
        "refused_duplicate" => "inserimento rifiutato (duplicato)",
        "consent_given" => "consenso registrato",
        "consent_override" => "invio senza consenso, con motivazione",
        "erased" => "cancellazione",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_text_in_every_language() {
        for (key, it, en, fr) in LABELS {
            assert!(!it.is_empty() && !en.is_empty() && !fr.is_empty(), "{key}");
        }
    }

    #[test]
    fn labels_put_italian_first_and_do_not_repeat_the_same_text() {
        assert_eq!(labels(&[Lang::It, Lang::En], "notes"), "Note / Notes");
        assert_eq!(labels(&[Lang::It, Lang::En], "email"), "E-mail");
        assert_eq!(labels(&[Lang::It], "needs"), "Bisogni");
        assert_eq!(label(Lang::Fr, "no such key"), "no such key");
    }

    #[test]
    fn language_codes_of_both_iso_lists_are_recognised() {
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("fra"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("ar"), None);
    }
}
