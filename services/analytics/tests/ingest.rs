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
            "SELECT event_type || person || month || territory || age_band || sex || country_of_birth || COALESCE(need, '-') FROM facts",
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

/// A need of `person` dated `day`, keyed `fact` when given, or a consent notice.
fn record(tenant: Uuid, person: &str, day: &str, fact: Option<&str>, event: Event) -> Envelope {
    let id = Uuid::now_v7();
    let notice = matches!(
        event,
        Event::StatisticsConsentChanged { .. } | Event::PersonErased
    );
    let record = Record {
        event_id: id,
        producer: Some("test".into()),
        occurred_on: day.parse().expect("date"),
        fact: fact.map(|f| Pseudonym::new(f.into())),
        subject: if notice {
            Subject::pseudonym_only(Pseudonym::new(person.into()))
        } else {
            Subject {
                person: Pseudonym::new(person.into()),
                age_band: "25-34".into(),
                sex: None,
                country_of_birth: None,
                territory: "052022".into(),
            }
        },
        event,
    };
    Envelope {
        id,
        tenant_id: tenant,
        event_type: record.event.kind().as_str().into(),
        payload: record.to_payload().expect("payload"),
    }
}

fn housing() -> Event {
    Event::NeedRecorded {
        need: "housing".into(),
        source: "expressed".into(),
    }
}

/// Needs counted in each month from January to June 2026.
async fn needs_by_month(service: &AnalyticsService, tenant: Uuid) -> Vec<(String, u64)> {
    service
        .statistics(
            &staff(tenant),
            StatisticsQuery {
                measure: sportello_analytics::Measure::Needs,
                by: vec![sportello_analytics::Dimension::Month],
                period: Period {
                    from: Some("2026-01".into()),
                    to: Some("2026-06".into()),
                },
            },
        )
        .await
        .expect("statistics")
        .into_iter()
        .map(|r| (r.keys[0].clone(), r.value))
        .collect()
}

#[tokio::test]
async fn a_correction_wins_in_whatever_order_it_arrives() {
    let dir = tempfile::tempdir().expect("dir");
    let service = service(&dir).await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let original = record(a, "p-1", "2026-03-10", Some("need-1"), housing());
    let correction = record(a, "p-1", "2026-02-20", Some("need-1"), housing());
    let theirs = record(b, "p-9", "2026-03-11", Some("need-1"), housing());
    // In order, in two batches: the fact moves from March to February.
    service
        .ingest(&[original.clone(), theirs.clone()])
        .await
        .expect("ingest");
    assert_eq!(needs_by_month(&service, a).await, [("2026-03".into(), 1)]);
    service
        .ingest(std::slice::from_ref(&correction))
        .await
        .expect("ingest");
    assert_eq!(needs_by_month(&service, a).await, [("2026-02".into(), 1)]);
    // Everything again changes nothing; the other tenant's fact with the same key is its own.
    let again = service
        .ingest(&[original.clone(), correction.clone(), theirs.clone()])
        .await
        .expect("ingest");
    assert_eq!(again.duplicates, 3);
    assert_eq!(needs_by_month(&service, a).await, [("2026-02".into(), 1)]);
    assert_eq!(needs_by_month(&service, b).await, [("2026-03".into(), 1)]);

    // Out of order (the correction first, the original delivered late), in a fresh store.
    let dir = tempfile::tempdir().expect("dir");
    let service = self::service(&dir).await;
    service
        .ingest(std::slice::from_ref(&correction))
        .await
        .expect("ingest");
    let late = service
        .ingest(std::slice::from_ref(&original))
        .await
        .expect("ingest");
    assert_eq!(late.dropped, 1);
    assert_eq!(needs_by_month(&service, a).await, [("2026-02".into(), 1)]);
}

#[tokio::test]
async fn a_withdrawal_applies_between_the_facts_around_it() {
    let dir = tempfile::tempdir().expect("dir");
    let service = service(&dir).await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let consent = |given| Event::StatisticsConsentChanged { given };
    // One batch: a closed month's need, an open month's need, the withdrawal (in April), a need
    // after it, consent given again, and a need after that.
    let batch = vec![
        record(a, "p-1", "2026-02-10", None, housing()),
        record(a, "p-1", "2026-04-02", None, housing()),
        record(b, "p-1", "2026-04-03", None, housing()),
        record(a, "p-1", "2026-04-05", None, consent(false)),
        record(a, "p-1", "2026-04-06", None, housing()),
        record(a, "p-1", "2026-04-07", None, consent(true)),
        record(a, "p-1", "2026-05-08", None, housing()),
    ];
    let report = service.ingest(&batch).await.expect("ingest");
    assert_eq!(report.dropped, 1, "the need while withdrawn");
    assert_eq!(
        needs_by_month(&service, a).await,
        [("2026-02".into(), 1), ("2026-05".into(), 1)]
    );
    // The same pseudonym in another tenant is another person.
    assert_eq!(needs_by_month(&service, b).await, [("2026-04".into(), 1)]);
    // A notice older than the latest decision changes nothing.
    let stale = Envelope {
        id: Uuid::nil(),
        ..record(a, "p-1", "2026-01-01", None, consent(false))
    };
    service.ingest(&[stale]).await.expect("ingest");
    assert_eq!(
        needs_by_month(&service, a).await,
        [("2026-02".into(), 1), ("2026-05".into(), 1)]
    );
}

/// One number from the store, for tenant `tenant` (`{t}` in `sql`).
async fn count(service: &AnalyticsService, tenant: Uuid, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = sql.replace("{t}", &format!("X'{}'", tenant.simple()));
    let conn = service.db().serving_connection();
    conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index(0)
        .expect("number")
}

#[tokio::test]
async fn an_erasure_forgets_the_person_in_every_month_and_keeps_what_was_published() {
    let dir = tempfile::tempdir().expect("dir");
    let service = service(&dir).await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let consent = |given| Event::StatisticsConsentChanged { given };
    service
        .ingest(&[
            record(a, "p-1", "2026-02-10", None, housing()),
            record(a, "p-2", "2026-02-11", None, housing()),
            record(a, "p-1", "2026-04-02", None, consent(false)),
            record(a, "p-1", "2026-04-03", None, consent(true)),
            record(a, "p-1", "2026-05-08", None, housing()),
            record(b, "p-1", "2026-05-09", None, housing()),
        ])
        .await
        .expect("ingest");
    assert_eq!(
        needs_by_month(&service, a).await,
        [("2026-02".into(), 2), ("2026-05".into(), 1)]
    );
    let cells = "SELECT COALESCE(SUM(people), 0) FROM cells WHERE tenant_id = {t}";
    let published = count(&service, a, cells).await;
    assert!(published > 0);

    let erasure = record(a, "p-1", "2026-06-01", None, Event::PersonErased);
    let report = service
        .ingest(std::slice::from_ref(&erasure))
        .await
        .expect("ingest the erasure");
    assert_eq!((report.ingested, report.erased), (1, 1));
    // Gone from every month of the tenant's figures; the other tenant's p-1 is someone else.
    assert_eq!(needs_by_month(&service, a).await, [("2026-02".into(), 1)]);
    assert_eq!(needs_by_month(&service, b).await, [("2026-05".into(), 1)]);
    for table in ["facts", "cell_members", "statistics_consent"] {
        let sql =
            format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = {{t}} AND person = 'p-1'");
        assert_eq!(count(&service, a, &sql).await, 0, "{table}");
    }
    let kept = "SELECT COUNT(*) FROM erased_people WHERE tenant_id = {t} AND person = 'p-1'";
    assert_eq!(count(&service, a, kept).await, 1);
    // The shared cells stay as counted (and published).
    assert_eq!(count(&service, a, cells).await, published);

    // A late fact, a late consent notice, a redelivery and a second notice change nothing.
    let late = service
        .ingest(&[
            record(a, "p-1", "2026-03-01", None, housing()),
            record(a, "p-1", "2026-06-02", None, consent(true)),
            erasure.clone(),
            record(a, "p-1", "2026-06-03", None, Event::PersonErased),
        ])
        .await
        .expect("ingest late");
    assert_eq!((late.dropped, late.duplicates), (1, 1));
    assert_eq!(needs_by_month(&service, a).await, [("2026-02".into(), 1)]);
    let consent_rows = "SELECT COUNT(*) FROM statistics_consent WHERE tenant_id = {t}";
    assert_eq!(count(&service, a, consent_rows).await, 0);
    assert_eq!(count(&service, a, kept).await, 1);
    // Someone else's facts still count.
    service
        .ingest(&[record(a, "p-2", "2026-03-01", None, housing())])
        .await
        .expect("ingest");
    assert_eq!(
        needs_by_month(&service, a).await,
        [("2026-02".into(), 1), ("2026-03".into(), 1)]
    );
}
