//! Rows written before field encryption (migration 0013) hold their special categories in
//! clear; the sealing task seals them under each person's new key, tenant by tenant, on SQLite
//! and on PostgreSQL (served by the non-owner role, under row-level security), leaving their
//! versions as they are; a second run finds nothing to do. What it sealed opens again with the
//! person's key, and the codice fiscale is found by its blind index.

// The test prepares and inspects the store directly.
#![allow(clippy::disallowed_methods)]

mod support;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, Set};
use sportello_cases::domain::ValidPerson;
use sportello_cases::interface::{LegalStatus, PersonInput};
use sportello_cases::seal::{self, Protected, Vault};
use sportello_cases::store::{case, encounter, person, person_key};
use sportello_kernel::TenantId;
use sportello_kernel::crypto::Keyring;
use sportello_kernel::db::{Db, Scope};
use uuid::Uuid;

const CF: &str = "HSSMMD90A01Z330I";

/// A person, a case with a reopening reason and an encounter with notes, stored in clear as a
/// release before field encryption did; returns the person's, the case's and the encounter's ids.
async fn legacy_record(db: &Db, tenant: TenantId, cf: &str, permit: &str) -> (Uuid, Uuid, Uuid) {
    let valid = ValidPerson::parse(
        PersonInput {
            given_names: "Mohamed".into(),
            family_names: "Hassan".into(),
            territory_code: "052022".into(),
            codice_fiscale: Some(cf.into()),
            legal_status: Some(LegalStatus {
                permit_type: "cure mediche".into(),
                permit_number: Some(permit.into()),
                expiry: NaiveDate::from_ymd_opt(2029, 8, 14),
            }),
            ..PersonInput::default()
        },
        Utc::now().date_naive(),
    )
    .expect("valid person");
    let (person, case, encounter) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    valid
        .into_model(
            tenant.uuid(),
            person,
            Uuid::now_v7(),
            Utc::now(),
            Utc::now(),
        )
        .insert(tx.conn())
        .await
        .expect("person");
    case::ActiveModel {
        tenant_id: Set(tenant.uuid()),
        id: Set(case),
        person_id: Set(person),
        status: Set("active".into()),
        outcome: Set(None),
        territory_code: Set("052022".into()),
        desk_id: Set(None),
        primary_operator: Set(Uuid::now_v7()),
        opened_at: Set(Utc::now()),
        closed_at: Set(None),
        reopen_reason: Set(Some("ricaduta".into())),
        updated_at: Set(Utc::now()),
        sealed: Set(0),
        version: Set(3),
    }
    .insert(tx.conn())
    .await
    .expect("case");
    encounter::ActiveModel {
        tenant_id: Set(tenant.uuid()),
        id: Set(encounter),
        case_id: Set(case),
        occurred_at: Set(Utc::now()),
        channel: Set("desk".into()),
        language: Set(None),
        mediator_present: Set(false),
        duration_minutes: Set(None),
        notes: Set(Some("diagnosi di tubercolosi".into())),
        created_by: Set(Uuid::now_v7()),
        created_at: Set(Utc::now()),
        sealed: Set(0),
        version: Set(2),
    }
    .insert(tx.conn())
    .await
    .expect("encounter");
    tx.commit().await.expect("commit");
    (person, case, encounter)
}

async fn rows_in_clear_are_sealed(db: Db) {
    let vault = Vault::new(Keyring::memory());
    let (alfa, beta) = (TenantId(Uuid::now_v7()), TenantId(Uuid::now_v7()));
    let (p, c, e) = legacy_record(&db, alfa, CF, "PZ123").await;
    let (q, _, _) = legacy_record(&db, beta, CF, "PZ456").await;

    let sealed = seal::seal_all(&db, &vault).await.expect("seal");
    assert_eq!(
        sealed, 6,
        "a person, a case and an encounter in each tenant"
    );

    let tx = db.begin(Scope::Tenant(alfa)).await.expect("begin");
    let stored = tx
        .find::<person::Entity>(person::Column::Id, p)
        .await
        .expect("person");
    assert_eq!(stored.sealed, 1);
    assert_eq!(stored.version, 1, "sealing changes no version");
    assert!(
        stored
            .codice_fiscale
            .as_deref()
            .is_some_and(|v| !v.contains(CF))
    );
    assert_eq!(stored.permit_expiry, None);
    assert!(
        stored
            .permit_number
            .as_deref()
            .is_some_and(|v| v != "PZ123")
    );
    let index = vault
        .blind_index(&tx, seal::CF_ISSUED, CF)
        .await
        .expect("index");
    assert_eq!(stored.codice_fiscale_index.as_deref(), Some(index.as_str()));
    assert_ne!(stored.codice_fiscale_key.as_deref(), Some(CF));
    let opened = vault.open_one(&tx, p, stored).await.expect("open");
    assert_eq!(opened.codice_fiscale.as_deref(), Some(CF));
    assert_eq!(opened.permit_number.as_deref(), Some("PZ123"));
    assert_eq!(opened.permit_expiry, NaiveDate::from_ymd_opt(2029, 8, 14));

    let stored_case = tx
        .find::<case::Entity>(case::Column::Id, c)
        .await
        .expect("case");
    assert_eq!((stored_case.sealed, stored_case.version), (1, 3));
    assert_ne!(stored_case.reopen_reason.as_deref(), Some("ricaduta"));
    let stored_encounter = tx
        .find::<encounter::Entity>(encounter::Column::Id, e)
        .await
        .expect("encounter");
    assert_eq!((stored_encounter.sealed, stored_encounter.version), (1, 2));
    assert!(stored_encounter.needs_key());
    let opened = vault
        .open_all(&tx, p, vec![stored_encounter])
        .await
        .expect("open");
    assert_eq!(opened[0].notes.as_deref(), Some("diagnosi di tubercolosi"));
    let opened_case = vault.open_one(&tx, p, stored_case).await.expect("open");
    assert_eq!(opened_case.reopen_reason.as_deref(), Some("ricaduta"));
    let keys = tx
        .scoped::<person_key::Entity>()
        .expect("scoped")
        .all(tx.conn())
        .await
        .expect("keys");
    assert_eq!(keys.iter().map(|k| k.id).collect::<Vec<_>>(), [p]);
    tx.finish().await.expect("finish");

    // Beta's row was sealed in Beta's scope, under Beta's index key.
    let tx = db.begin(Scope::Tenant(beta)).await.expect("begin");
    let theirs = tx
        .find::<person::Entity>(person::Column::Id, q)
        .await
        .expect("person");
    assert_ne!(theirs.codice_fiscale_index.as_deref(), Some(index.as_str()));
    let opened = vault.open_one(&tx, q, theirs).await.expect("open");
    assert_eq!(opened.permit_number.as_deref(), Some("PZ456"));
    tx.finish().await.expect("finish");

    assert_eq!(seal::seal_all(&db, &vault).await.expect("again"), 0);
}

#[tokio::test]
async fn rows_in_clear_are_sealed_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    rows_in_clear_are_sealed(support::sqlite(dir.path()).await).await;
}

#[tokio::test]
async fn rows_in_clear_are_sealed_on_postgres() {
    let (db, url, schema) = support::postgres("cases_seal").await;
    rows_in_clear_are_sealed(db).await;
    support::drop_postgres(&url, &schema).await;
}
