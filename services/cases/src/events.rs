//! Domain events for analytics, written to the transactional outbox in the same transaction as the
//! change. Payloads carry no direct identifier: a keyed pseudonym of the person (HMAC-SHA256 with a
//! per-tenant secret that never leaves this store), an age band instead of the birth date, sex,
//! country of birth, territory, codes, and the day — never names, codice fiscale, contacts or notes.

use base64::Engine;
use chrono::{Datelike, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use sha2::Sha256;
use sportello_kernel::db::Tx;
use sportello_kernel::{Error, Result};
use uuid::Uuid;

use crate::store::{outbox, person, tenant_key};

/// Writes one event to the outbox.
pub async fn emit(tx: &Tx, event_type: &str, person: &person::Model, details: Value) -> Result<()> {
    let id = Uuid::now_v7();
    let now = Utc::now();
    let mut payload = json!({
        "eventId": id,
        "type": event_type,
        "occurredOn": now.date_naive().to_string(),
        "person": pseudonym(tx, person.id).await?,
        "ageBand": age_band(person.birth_year, now.year()),
        "sex": person.sex,
        "countryOfBirth": person.country_of_birth,
        "territory": person.territory_code,
    });
    if let (Value::Object(p), Value::Object(d)) = (&mut payload, details) {
        p.extend(d);
    }
    outbox::ActiveModel {
        tenant_id: Set(tx.tenant()?.uuid()),
        id: Set(id),
        event_type: Set(event_type.to_owned()),
        payload: Set(payload.to_string()),
        created_at: Set(now),
        published_at: Set(None),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// The tenant's pseudonym of a case, so cases can be followed through their life cycle.
pub async fn case_key(tx: &Tx, case: Uuid) -> Result<String> {
    keyed(tx, b"case:", case).await
}

/// The tenant's pseudonym of a person: stable, so distinct people can be counted, and useless
/// without the tenant's secret.
async fn pseudonym(tx: &Tx, person: Uuid) -> Result<String> {
    keyed(tx, b"", person).await
}

async fn keyed(tx: &Tx, domain: &[u8], id: Uuid) -> Result<String> {
    let secret = tenant_secret(tx).await?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(Error::internal)?;
    mac.update(domain);
    mac.update(id.as_bytes());
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

async fn tenant_secret(tx: &Tx) -> Result<String> {
    if let Some(key) = tx.scoped::<tenant_key::Entity>()?.one(tx.conn()).await? {
        return Ok(key.secret);
    }
    let secret = sportello_kernel::secret::random_token();
    tenant_key::ActiveModel {
        tenant_id: Set(tx.tenant()?.uuid()),
        secret: Set(secret.clone()),
    }
    .insert(tx.conn())
    .await?;
    Ok(secret)
}

/// Age bands used by funders' reports.
pub fn age_band(birth_year: Option<i32>, this_year: i32) -> &'static str {
    let Some(year) = birth_year else {
        return "unknown";
    };
    match this_year - year {
        i32::MIN..=-1 => "unknown",
        0..=17 => "0-17",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

#[cfg(test)]
mod tests {
    use super::age_band;

    #[test]
    fn age_bands_cover_minors_adults_and_unknown() {
        assert_eq!(age_band(Some(2015), 2026), "0-17");
        assert_eq!(age_band(Some(2008), 2026), "18-24");
        assert_eq!(age_band(Some(1950), 2026), "65+");
        assert_eq!(age_band(None, 2026), "unknown");
        assert_eq!(age_band(Some(2030), 2026), "unknown");
    }
}
