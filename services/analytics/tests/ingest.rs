//! Ingestion on an embedded store: idempotent by event id within and across batches, facts
//! limited to the whitelisted fields, and the processed-id guard pruned by age.

// Tests inspect the stores directly, across tenants.
#![allow(clippy::disallowed_methods)]

use std::time::Duration;

use serde_json::json;
use sportello_analytics::{Analytics, AnalyticsService, DisclosureParams, Period, StatisticsQuery};
use sportello_kernel::bus::Envelope;
use sportello_kernel::db::StoreConfig;
use sportello_kernel::events::{Event, Pseudonym, Record, Subject};
use sportello_kernel::{Actor, Context, Role, TenantId, UserId};
use uuid::Uuid;

async fn service(dir: &tempfile::TempDir) -> AnalyticsService {
    let config = StoreConfig {
        url: format!("sqlite://{}/analytics.db?mode=rwc", dir.path().display()),
        schema: "analytics".into(),
        app_role: "sportello_app".into(),
        app_password: None,
        max_connections: 1,
    };
    AnalyticsService::open(&config, true, DisclosureParams::default())
        .await
        .expect("open the store")
}

/// A need recorded, as a producer writes it, with `extra` fields forced into its payload (what a
/// faulty producer could add).
fn event(tenant: Uuid, person: &str, extra: serde_json::Value) -> Envelope {
    let id = Uuid::now_v7();
    let record = Record {
        event_id: id,
        producer: Some("test".into()),
        occurred_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 10).expect("date"),
        fact: None,
        subject: Subject {
            person: Pseudonym::new(person.into()),
            age_band: "18-24".into(),
            sex: Some("M".into()),
            country_of_birth: Some("SN".into()),
            territory: "052022".into(),
        },
        event: Event::NeedRecorded {
            need: "housing".into(),
            source: "detected".into(),
        },
    };
    let mut payload = serde_json::to_value(&record).expect("json");
    if let (Some(p), Some(e)) = (payload.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    Envelope {
        id,
        tenant_id: tenant,
        event_type: record.event.kind().as_str().into(),
        payload: payload.to_string(),
    }
}

fn staff(tenant: Uuid) -> Context {
    Context {
        tenant: Some(TenantId(tenant)),
        actor: Actor {
            user_id: Some(UserId(Uuid::now_v7())),
            roles: vec![Role::Operator],
            ..Actor::default()
        },
        request_id: "test".into(),
        traceparent: None,
        ..Context::default()
    }
}

async fn needs(service: &AnalyticsService, tenant: Uuid) -> u64 {
    let rows = service
        .statistics(
            &staff(tenant),
            StatisticsQuery {
                measure: sportello_analytics::Measure::Needs,
                by: vec![],
                period: Period {
                    from: Some("2026-01".into()),
                    to: Some("2026-06".into()),
                },
            },
        )
        .await
        .expect("statistics");
    rows.first().map_or(0, |r| r.value)
}

#[tokio::test]
async fn redelivered_events_count_once_until_their_ids_are_pruned() {
    let dir = tempfile::tempdir().expect("dir");
    let service = service(&dir).await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let first = event(a, "pseudo-1", json!({}));
    let second = event(a, "pseudo-2", json!({}));
    let theirs = event(b, "pseudo-9", json!({}));
    // A batch with a duplicate inside it, then the same batch again.
    let batch = vec![first.clone(), second.clone(), first.clone(), theirs.clone()];
    let report = service.ingest(&batch).await.expect("ingest");
    assert_eq!((report.ingested, report.duplicates), (3, 1));
    let again = service.ingest(&batch).await.expect("ingest again");
    assert_eq!((again.ingested, again.duplicates), (0, 4));
    assert_eq!(needs(&service, a).await, 2);
    assert_eq!(needs(&service, b).await, 1);

    // Not-yet-old ids are kept; once pruned, a redelivery would count again, which is why they
    // must outlive the outbox's retention (checked by the configuration).
    assert_eq!(
        service
            .prune_processed(Duration::from_secs(3600))
            .await
            .expect("prune"),
        0
    );
    assert_eq!(
        service
            .ingest(std::slice::from_ref(&first))
            .await
            .expect("ingest")
            .duplicates,
        1
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    let pruned = service
        .prune_processed(Duration::from_millis(1))
        .await
        .expect("prune");
    assert_eq!(pruned, 3);
}

#[tokio::test]
async fn only_codes_reach_the_facts() {
    let dir = tempfile::tempdir().expect("dir");
    let service = service(&dir).await;
    let tenant = Uuid::now_v7();
    // A payload carrying what must never be stored, and a need that is not a code.
    let leaky = event(
        tenant,
        "pseudo-1",
        json!({ "name": "Mamadou Diallo", "note": "vive con lo zio", "birthDate": "2004-02-01" }),
    );
    let free_text = event(
        tenant,
        "pseudo-2",
        json!({ "need": "needs a flat near the school" }),
    );
    service.ingest(&[leaky, free_text]).await.expect("ingest");
    let db = sea_orm::Database::connect(format!("sqlite://{}/analytics.db", dir.path().display()))
        .await
        .expect("connect");
    use sea_orm::ConnectionTrait;
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT event_type || person || day || month || territory || age_band || sex || country_of_birth || COALESCE(need, '-') FROM facts",
        ))
        .await
        .expect("facts");
    let text: Vec<String> = rows
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("text"))
        .collect();
    assert_eq!(text.len(), 2);
    for needle in ["Mamadou", "Diallo", "zio", "2004", "flat"] {
        assert!(
            !text.iter().any(|t| t.contains(needle)),
            "`{needle}` stored: {text:?}"
        );
    }
    assert!(text.iter().any(|t| t.ends_with("housing")));
    assert!(text.iter().any(|t| t.ends_with('-')), "{text:?}");
}
