//! The subject access export (GDPR art. 15, right of access; art. 20, portability): what the
//! services hold about one person, as a JSON document of a documented, versioned shape and as a
//! readable PDF in Italian (with the labels also in the person's language where the table has
//! them).
//!
//! This module only presents: the cases service gathers the record in one transaction and
//! audits the export (`Cases::export_person`), the analytics service counts the person's
//! pseudonymous facts (`Analytics::person_facts`). The shape is described in docs/privacy.md,
//! "Subject access".

mod json;
mod labels;
pub(crate) mod pdf;

use chrono::{DateTime, Utc};
use sportello_analytics::PersonFacts;
use sportello_cases::PersonRecord;
use sportello_kernel::time::Zone;

pub use json::{FORMAT, to_json};
pub use labels::Lang;
pub use pdf::to_pdf;

/// Gathers a person's export from the services: the cases service's record (which audits the
/// export), then the analytics service's count of the person's facts.
pub async fn gather(
    clients: &crate::schema::Clients,
    ctx: &sportello_kernel::Context,
    person: sportello_cases::PersonId,
) -> sportello_kernel::Result<SubjectExport> {
    let record = clients.cases.export_person(ctx, person).await?;
    let query = sportello_analytics::PersonFactsQuery {
        pseudonym: record.statistics_pseudonym.clone(),
    };
    let facts = clients.analytics.person_facts(ctx, query).await?;
    Ok(SubjectExport {
        record,
        facts,
        generated_at: ctx.now(),
        zone: ctx.time_zone,
    })
}

/// Everything an export shows, gathered from the services.
#[derive(Clone, Debug)]
pub struct SubjectExport {
    /// From the cases service.
    pub record: PersonRecord,
    /// From the analytics service: the person's pseudonymous facts by kind and month.
    pub facts: PersonFacts,
    /// When the export was made.
    pub generated_at: DateTime<Utc>,
    /// The tenant's time zone: every instant is shown in it.
    pub zone: Zone,
}

impl SubjectExport {
    /// The languages of the PDF's labels: Italian, then the person's first spoken language that
    /// the label table has, if it is not Italian.
    pub fn languages(&self) -> Vec<Lang> {
        let mut out = vec![Lang::It];
        let theirs = self
            .record
            .person
            .languages
            .iter()
            .find_map(|l| Lang::from_code(&l.code));
        if let Some(lang) = theirs.filter(|l| *l != Lang::It) {
            out.push(lang);
        }
        out
    }

    /// A file name without personal data: `dati-personali-<date>.<ext>`.
    pub fn filename(&self, extension: &str) -> String {
        let day = self.zone.date_of(self.generated_at);
        format!("dati-personali-{day}.{extension}")
    }
}
