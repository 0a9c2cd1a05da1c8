//! The texts of messages, in the five languages of content for people served (Italian,
//! English, French, Arabic, Romanian; DESIGN.md §7). Each message has a plain-text part and, for
//! e-mail, an HTML part whose `lang` and `dir` follow the language (right-to-left for Arabic).
//! Values are escaped in the HTML part.

use serde::{Deserialize, Serialize};

/// A language messages are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageLanguage {
    #[default]
    It,
    En,
    Fr,
    Ar,
    Ro,
}

impl MessageLanguage {
    pub const ALL: [MessageLanguage; 5] = [Self::It, Self::En, Self::Fr, Self::Ar, Self::Ro];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::It => "it",
            Self::En => "en",
            Self::Fr => "fr",
            Self::Ar => "ar",
            Self::Ro => "ro",
        }
    }

    /// The language of an ISO 639-1 code; Italian for any other.
    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .unwrap_or_default()
    }

    /// The first of `languages` (ISO 639 codes, in the person's order of preference) that
    /// messages are written in; Italian when none is.
    pub fn first_of<'a>(languages: impl IntoIterator<Item = &'a str>) -> Self {
        languages
            .into_iter()
            .find_map(|code| {
                Self::ALL
                    .into_iter()
                    .find(|l| l.code().eq_ignore_ascii_case(code))
            })
            .unwrap_or_default()
    }

    pub fn right_to_left(self) -> bool {
        self == Self::Ar
    }
}

/// A rendered message.
#[derive(Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub text: String,
    /// The HTML part of an e-mail; none for SMS.
    pub html: Option<String>,
}

/// What to say.
#[derive(Clone, Debug)]
pub enum Template<'a> {
    /// An invitation to join an organisation: `link` opens the invitation page; `expires` is
    /// the last local day it can be accepted (`dd/mm/yyyy`).
    Invitation {
        organisation: &'a str,
        link: &'a str,
        expires: &'a str,
    },
    /// A password reset: `link` opens the page that sets a new password; valid `minutes`.
    PasswordReset { link: &'a str, minutes: u32 },
    /// An appointment: `desk` and its local start `when` (`dd/mm/yyyy HH:MM`, the desk's clock).
    AppointmentReminder { desk: &'a str, when: &'a str },
    /// A deadline of a person's procedure coming: the `office` it is with and the local day it
    /// is due (`dd/mm/yyyy`). It names neither the procedure nor the step (a message may be read
    /// by someone else: "citizenship" or "asylum" says too much).
    ProcedureReminder { office: &'a str, due: &'a str },
    /// To the staff member following a procedure: one of theirs is due on `due` (`dd/mm/yyyy`),
    /// with its reference `reference` (the first characters of its id). No personal data.
    ProcedureAlert { due: &'a str, reference: &'a str },
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Sentences of one message in one language; `{x}` stands for a value.
struct Wording {
    subject: &'static str,
    lines: &'static [&'static str],
}

fn wording(template: &Template<'_>, language: MessageLanguage) -> Wording {
    use MessageLanguage::*;
    match (template, language) {
        (Template::Invitation { .. }, It) => Wording {
            subject: "Invito a Sportello: {organisation}",
            lines: &[
                "Sei stato invitato a lavorare con {organisation} su Sportello.",
                "Apri questo indirizzo per accettare l’invito entro il {expires}:",
                "{link}",
                "Se non aspettavi questo invito, ignora il messaggio.",
            ],
        },
        (Template::Invitation { .. }, En) => Wording {
            subject: "Invitation to Sportello: {organisation}",
            lines: &[
                "You have been invited to work with {organisation} on Sportello.",
                "Open this address to accept the invitation by {expires}:",
                "{link}",
                "If you did not expect this invitation, ignore this message.",
            ],
        },
        (Template::Invitation { .. }, Fr) => Wording {
            subject: "Invitation à Sportello : {organisation}",
            lines: &[
                "Vous avez été invité à travailler avec {organisation} sur Sportello.",
                "Ouvrez cette adresse pour accepter l’invitation avant le {expires} :",
                "{link}",
                "Si vous n’attendiez pas cette invitation, ignorez ce message.",
            ],
        },
        (Template::Invitation { .. }, Ar) => Wording {
            subject: "دعوة إلى Sportello: {organisation}",
            lines: &[
                "تمت دعوتك للعمل مع {organisation} على Sportello.",
                "افتح هذا العنوان لقبول الدعوة قبل {expires}:",
                "{link}",
                "إذا لم تكن تنتظر هذه الدعوة، فتجاهل هذه الرسالة.",
            ],
        },
        (Template::Invitation { .. }, Ro) => Wording {
            subject: "Invitație la Sportello: {organisation}",
            lines: &[
                "Ați fost invitat să lucrați cu {organisation} pe Sportello.",
                "Deschideți această adresă pentru a accepta invitația până la {expires}:",
                "{link}",
                "Dacă nu așteptați această invitație, ignorați mesajul.",
            ],
        },
        (Template::PasswordReset { .. }, It) => Wording {
            subject: "Sportello: nuova password",
            lines: &[
                "È stata chiesta una nuova password per il tuo account Sportello.",
                "Apri questo indirizzo entro {minutes} minuti per sceglierla:",
                "{link}",
                "Se non l’hai chiesta tu, ignora il messaggio: la password resta la stessa.",
            ],
        },
        (Template::PasswordReset { .. }, En) => Wording {
            subject: "Sportello: new password",
            lines: &[
                "A new password was requested for your Sportello account.",
                "Open this address within {minutes} minutes to choose it:",
                "{link}",
                "If you did not ask for it, ignore this message: your password stays the same.",
            ],
        },
        (Template::PasswordReset { .. }, Fr) => Wording {
            subject: "Sportello : nouveau mot de passe",
            lines: &[
                "Un nouveau mot de passe a été demandé pour votre compte Sportello.",
                "Ouvrez cette adresse dans les {minutes} minutes pour le choisir :",
                "{link}",
                "Si vous ne l’avez pas demandé, ignorez ce message : votre mot de passe reste le même.",
            ],
        },
        (Template::PasswordReset { .. }, Ar) => Wording {
            subject: "Sportello: كلمة مرور جديدة",
            lines: &[
                "طُلبت كلمة مرور جديدة لحسابك في Sportello.",
                "افتح هذا العنوان خلال {minutes} دقيقة لاختيارها:",
                "{link}",
                "إذا لم تطلبها، فتجاهل هذه الرسالة: تبقى كلمة المرور كما هي.",
            ],
        },
        (Template::PasswordReset { .. }, Ro) => Wording {
            subject: "Sportello: parolă nouă",
            lines: &[
                "S-a cerut o parolă nouă pentru contul dumneavoastră Sportello.",
                "Deschideți această adresă în {minutes} minute pentru a o alege:",
                "{link}",
                "Dacă nu ați cerut-o, ignorați mesajul: parola rămâne aceeași.",
            ],
        },
        (Template::AppointmentReminder { .. }, It) => Wording {
            subject: "Promemoria: appuntamento del {when}",
            lines: &[
                "Ti ricordiamo l’appuntamento allo {desk} il {when}.",
                "Se non puoi venire, avvisa lo sportello.",
            ],
        },
        (Template::AppointmentReminder { .. }, En) => Wording {
            subject: "Reminder: appointment on {when}",
            lines: &[
                "This is a reminder of your appointment at {desk} on {when}.",
                "If you cannot come, please let the desk know.",
            ],
        },
        (Template::AppointmentReminder { .. }, Fr) => Wording {
            subject: "Rappel : rendez-vous du {when}",
            lines: &[
                "Nous vous rappelons votre rendez-vous à {desk} le {when}.",
                "Si vous ne pouvez pas venir, prévenez le guichet.",
            ],
        },
        (Template::AppointmentReminder { .. }, Ar) => Wording {
            subject: "تذكير: موعد يوم {when}",
            lines: &[
                "نذكّرك بموعدك في {desk} يوم {when}.",
                "إذا لم تتمكن من الحضور، يرجى إبلاغ المكتب.",
            ],
        },
        (Template::AppointmentReminder { .. }, Ro) => Wording {
            subject: "Memento: programare pe {when}",
            lines: &[
                "Vă reamintim programarea la {desk} pe {when}.",
                "Dacă nu puteți veni, anunțați ghișeul.",
            ],
        },
        (Template::ProcedureReminder { .. }, It) => Wording {
            subject: "Promemoria: scadenza del {due}",
            lines: &[
                "Ti ricordiamo che la tua pratica presso {office} ha una scadenza il {due}.",
                "Passa allo sportello per prepararla insieme.",
            ],
        },
        (Template::ProcedureReminder { .. }, En) => Wording {
            subject: "Reminder: deadline on {due}",
            lines: &[
                "This is a reminder that your procedure with {office} has a deadline on {due}.",
                "Please come to the desk to prepare it together.",
            ],
        },
        (Template::ProcedureReminder { .. }, Fr) => Wording {
            subject: "Rappel : échéance du {due}",
            lines: &[
                "Nous vous rappelons que votre démarche auprès de {office} a une échéance le {due}.",
                "Passez au guichet pour la préparer ensemble.",
            ],
        },
        (Template::ProcedureReminder { .. }, Ar) => Wording {
            subject: "تذكير: موعد نهائي يوم {due}",
            lines: &[
                "نذكّرك بأن لإجراءاتك لدى {office} موعدًا نهائيًا يوم {due}.",
                "يرجى الحضور إلى المكتب لتحضيرها معًا.",
            ],
        },
        (Template::ProcedureReminder { .. }, Ro) => Wording {
            subject: "Memento: termen pe {due}",
            lines: &[
                "Vă reamintim că procedura dumneavoastră la {office} are un termen pe {due}.",
                "Veniți la ghișeu ca să o pregătim împreună.",
            ],
        },
        (Template::ProcedureAlert { .. }, It) => Wording {
            subject: "Pratica in scadenza il {due}",
            lines: &[
                "Una pratica che segui (rif. {reference}) ha una scadenza il {due}.",
                "La trovi in Sportello, tra le pratiche in scadenza.",
            ],
        },
        (Template::ProcedureAlert { .. }, En) => Wording {
            subject: "Procedure due on {due}",
            lines: &[
                "A procedure you follow (ref. {reference}) has a deadline on {due}.",
                "You will find it in Sportello, among the procedures coming due.",
            ],
        },
        (Template::ProcedureAlert { .. }, Fr) => Wording {
            subject: "Démarche à échéance le {due}",
            lines: &[
                "Une démarche que vous suivez (réf. {reference}) a une échéance le {due}.",
                "Vous la trouverez dans Sportello, parmi les démarches à échéance.",
            ],
        },
        (Template::ProcedureAlert { .. }, Ar) => Wording {
            subject: "إجراء يستحق يوم {due}",
            lines: &[
                "لإجراء تتابعه (المرجع {reference}) موعد نهائي يوم {due}.",
                "تجده في Sportello ضمن الإجراءات المستحقة.",
            ],
        },
        (Template::ProcedureAlert { .. }, Ro) => Wording {
            subject: "Procedură cu termen pe {due}",
            lines: &[
                "O procedură pe care o urmăriți (ref. {reference}) are un termen pe {due}.",
                "O găsiți în Sportello, printre procedurile cu termen apropiat.",
            ],
        },
    }
}

impl Template<'_> {
    fn values(&self) -> Vec<(&'static str, String)> {
        match self {
            Template::Invitation {
                organisation,
                link,
                expires,
            } => vec![
                ("organisation", (*organisation).to_owned()),
                ("link", (*link).to_owned()),
                ("expires", (*expires).to_owned()),
            ],
            Template::PasswordReset { link, minutes } => {
                vec![
                    ("link", (*link).to_owned()),
                    ("minutes", minutes.to_string()),
                ]
            }
            Template::AppointmentReminder { desk, when } => {
                vec![("desk", (*desk).to_owned()), ("when", (*when).to_owned())]
            }
            Template::ProcedureReminder { office, due } => {
                vec![("office", (*office).to_owned()), ("due", (*due).to_owned())]
            }
            Template::ProcedureAlert { due, reference } => vec![
                ("due", (*due).to_owned()),
                ("reference", (*reference).to_owned()),
            ],
        }
    }

    fn fill(line: &str, values: &[(&'static str, String)], html: bool) -> String {
        let mut out = line.to_owned();
        for (name, value) in values {
            let value = if html { escape(value) } else { value.clone() };
            // In HTML a value is isolated (<bdi>) so a Latin name or a date keeps its order in a
            // right-to-left sentence.
            let value = if html {
                format!("<bdi>{value}</bdi>")
            } else {
                value
            };
            out = out.replace(&format!("{{{name}}}"), &value);
        }
        out
    }

    /// The e-mail: subject, text and HTML parts.
    pub fn email(&self, language: MessageLanguage) -> Content {
        let w = wording(self, language);
        let values = self.values();
        let subject = Self::fill(w.subject, &values, false);
        let text = w
            .lines
            .iter()
            .map(|l| Self::fill(l, &values, false))
            .collect::<Vec<_>>()
            .join("\n\n");
        let link = values
            .iter()
            .find(|(n, _)| *n == "link")
            .map(|(_, v)| v.clone());
        let body: String = w
            .lines
            .iter()
            .map(|l| {
                if *l == "{link}" {
                    let href = escape(link.as_deref().unwrap_or_default());
                    format!("<p><a href=\"{href}\" dir=\"ltr\">{href}</a></p>")
                } else {
                    format!("<p>{}</p>", Self::fill(l, &values, true))
                }
            })
            .collect();
        let dir = if language.right_to_left() {
            "rtl"
        } else {
            "ltr"
        };
        let html = format!(
            "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family: sans-serif\">{body}</body></html>\n",
            lang = language.code(),
            title = escape(&subject),
        );
        Content {
            subject,
            text,
            html: Some(html),
        }
    }

    /// The SMS: the text only, its sentences on one line each.
    pub fn sms(&self, language: MessageLanguage) -> Content {
        let mut content = self.email(language);
        content.html = None;
        content.text = content.text.replace("\n\n", "\n");
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_mail_is_right_to_left_and_values_are_escaped() {
        let t = Template::AppointmentReminder {
            desk: "Sportello <Poggibonsi>",
            when: "30/03/2027 10:00",
        };
        let ar = t.email(MessageLanguage::Ar);
        let html = ar.html.expect("html part");
        assert!(html.contains("lang=\"ar\" dir=\"rtl\""), "{html}");
        assert!(html.contains("Sportello &lt;Poggibonsi&gt;"));
        assert!(!html.contains("<Poggibonsi>"));
        assert!(ar.text.contains("30/03/2027 10:00"));
        let it = t.email(MessageLanguage::It);
        assert!(it.html.expect("html").contains("lang=\"it\" dir=\"ltr\""));
        assert!(it.subject.starts_with("Promemoria"));
    }

    #[test]
    fn every_language_says_every_value() {
        for language in MessageLanguage::ALL {
            for t in [
                Template::Invitation {
                    organisation: "Comune di Siena",
                    link: "https://x.example/invito/abc",
                    expires: "14/12/2026",
                },
                Template::PasswordReset {
                    link: "https://x.example/password/nuova#tok",
                    minutes: 30,
                },
                Template::AppointmentReminder {
                    desk: "Sportello Siena",
                    when: "01/02/2027 09:30",
                },
                Template::ProcedureReminder {
                    office: "Questura",
                    due: "15/03/2027",
                },
                Template::ProcedureAlert {
                    due: "15/03/2027",
                    reference: "0193a4f2",
                },
            ] {
                let c = t.email(language);
                for (_, value) in t.values() {
                    assert!(c.text.contains(&value), "{language:?} {t:?} lacks {value}");
                }
                assert!(
                    !c.text.contains('{'),
                    "{language:?} {t:?} left a placeholder"
                );
                assert!(t.sms(language).html.is_none());
            }
        }
    }

    #[test]
    fn a_person_gets_the_first_language_messages_are_written_in() {
        assert_eq!(
            MessageLanguage::first_of(["ti", "ar", "en"]),
            MessageLanguage::Ar
        );
        assert_eq!(MessageLanguage::first_of(["ti"]), MessageLanguage::It);
        assert_eq!(MessageLanguage::first_of([]), MessageLanguage::It);
    }
}
