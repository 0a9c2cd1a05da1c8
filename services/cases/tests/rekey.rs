//! Persons stored with name keys of an older derivation get the keys of the current one from
//! the re-keying task, on SQLite and on PostgreSQL (served by the non-owner role, under
//! row-level security), tenant by tenant, without any other change to the record: their name
//! key and skeleton, and their blocking keys (`person_name_keys`), which persons stored before
//! that table existed do not have.

// The test prepares and inspects the store directly.
#![allow(clippy::disallowed_methods)]

mod support;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
use sportello_cases::domain::ValidPerson;
use sportello_cases::domain::names::{KEYS_VERSION, person_name_keys};
use sportello_cases::interface::PersonInput;
use sportello_cases::rekey::{keys, rekey_all};
use sportello_cases::store::{person, person_name_key};
use sportello_kernel::TenantId;
use sportello_kernel::db::{Db, Scope};
use uuid::Uuid;

/// Stores a person as an older release did: keys that no longer match, of version `version`,
/// and no blocking keys.
async fn stale_person(db: &Db, tenant: TenantId, given: &str, family: &str, version: i32) -> Uuid {
    let valid = ValidPerson::parse(
        PersonInput {
            given_names: given.into(),
            family_names: family.into(),
            territory_code: "052022".into(),
            ..PersonInput::default()
        },
        Utc::now().date_naive(),
    )
    .expect("valid person");
    let id = Uuid::now_v7();
    let mut model = valid.into_model(tenant.uuid(), id, Uuid::now_v7(), Utc::now(), Utc::now());
    model.name_key = Set("stale".into());
    model.name_skeleton = Set("stl".into());
    model.name_keys_version = Set(version);
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    model.insert(tx.conn()).await.expect("insert");
    tx.commit().await.expect("commit");
    id
}

async fn stored(db: &Db, tenant: TenantId, id: Uuid) -> person::Model {
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    let row = tx
        .scoped::<person::Entity>()
        .expect("scoped")
        .filter(person::Column::Id.eq(id))
        .one(tx.conn())
        .await
        .expect("read")
        .expect("the person");
    tx.finish().await.expect("finish");
    row
}

/// The blocking keys stored for a person, as the tenant's scope reads them, with their
/// territories.
async fn blocking_keys(db: &Db, tenant: TenantId, id: Uuid) -> Vec<(String, String)> {
    let tx = db.begin(Scope::Tenant(tenant)).await.expect("begin");
    let mut rows: Vec<(String, String)> = tx
        .scoped::<person_name_key::Entity>()
        .expect("scoped")
        .filter(person_name_key::Column::PersonId.eq(id))
        .all(tx.conn())
        .await
        .expect("read")
        .into_iter()
        .map(|k| (k.key, k.territory_code))
        .collect();
    tx.finish().await.expect("finish");
    rows.sort();
    rows
}

async fn old_keys_are_derived_again(db: Db) {
    let (alfa, beta) = (TenantId(Uuid::now_v7()), TenantId(Uuid::now_v7()));
    let a = stale_person(&db, alfa, "ذبیح‌الله", "نوری", 0).await;
    let latin_before = stored(&db, alfa, a).await.latin_given_names;
    assert_eq!(latin_before, "Zabihollah");
    let b = stale_person(&db, beta, "Fatima Zahra", "Benali", 0).await;
    // Derived by the release before the blocking keys: name key and skeleton only.
    let c = stale_person(&db, beta, "Mohamed", "Haddad", 1).await;
    assert!(blocking_keys(&db, beta, c).await.is_empty());
    let done = rekey_all(&db, 1).await.expect("rekey");
    assert_eq!(done, 3);
    for (tenant, id) in [(alfa, a), (beta, b), (beta, c)] {
        let row = stored(&db, tenant, id).await;
        assert_eq!(row.name_keys_version, KEYS_VERSION);
        assert_eq!(
            (row.name_key.clone(), row.name_skeleton.clone()),
            keys(&row)
        );
        assert_ne!(row.name_key, "stale");
        // Its blocking keys are those of its keys, with its territory.
        let expected: Vec<(String, String)> = person_name_keys(&row.name_key, &row.name_skeleton)
            .into_iter()
            .map(|k| (k, "052022".to_owned()))
            .collect();
        assert!(expected.iter().any(|(k, _)| k.starts_with('=')));
        assert_eq!(blocking_keys(&db, tenant, id).await, expected);
        // Nothing else changes: the record keeps its version and its Latin form.
        assert_eq!(row.version, 1);
    }
    // Each tenant's scope sees its own persons' keys only.
    assert!(blocking_keys(&db, beta, a).await.is_empty());
    assert!(blocking_keys(&db, alfa, c).await.is_empty());
    let haddad = blocking_keys(&db, beta, c).await;
    for key in ["mh", "hm", "md", "hd"] {
        assert!(haddad.iter().any(|(k, _)| k == key), "{key}: {haddad:?}");
    }
    assert_eq!(stored(&db, alfa, a).await.latin_given_names, latin_before);
    // Nothing left to do.
    assert_eq!(rekey_all(&db, 10).await.expect("rekey again"), 0);
}

#[tokio::test]
async fn old_name_keys_are_derived_again_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    old_keys_are_derived_again(support::sqlite(dir.path()).await).await;
}

#[tokio::test]
async fn old_name_keys_are_derived_again_on_postgres() {
    let (db, url, schema) = support::postgres("cases_rekey").await;
    old_keys_are_derived_again(db).await;
    support::drop_postgres(&url, &schema).await;
}
